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
