"""Shared API parts: pagination and the one exception handler that maps domain errors to HTTP."""
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.errors import DomainError


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    """Domain errors carry their own HTTP status, code and bilingual message; everything else is DRF's."""
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": str(exc.message)}
        body.update(exc.extra)
        return Response(body, status=exc.http_status)
    return drf_exception_handler(exc, context)


__all__ = ["Pagination", "exception_handler", "status"]


# Integer limits that come from the database backend, not from the rules (SQLite and PostgreSQL differ).
_BACKEND_INT_LIMITS = {32767, 2147483647, 9223372036854775807, -32768, -2147483648, -9223372036854775808}


def strip_backend_integer_limits(result, generator, request, public):
    """drf-spectacular hook: the committed schema is the same whichever database generated it."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "integer" and node.get("maximum") in _BACKEND_INT_LIMITS:
                del node["maximum"]
                if node.get("format") == "int64":
                    del node["format"]
            if node.get("type") == "integer" and node.get("minimum") in _BACKEND_INT_LIMITS:
                del node["minimum"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
