"""Shared API parts: pagination and the one exception handler that maps domain errors to HTTP."""
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.errors import DomainError


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


_CODES = {
    exceptions.ValidationError: "invalid",
    exceptions.ParseError: "invalid",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "not_authenticated",
    exceptions.PermissionDenied: "not_allowed",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.Throttled: "throttled",
}


def exception_handler(exc, context):
    """One error shape for every answer that is not a success: ``{code, detail}`` (and ``errors`` per field for
    a validation error, ``wait`` in seconds when throttled). Domain errors carry their own status and message;
    the framework's (validation, 401, 403, 404, 405, 415, 429) are given the same shape here."""
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": str(exc.message)}
        body.update(exc.extra)
        return Response(body, status=exc.http_status)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), "error")
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": code, "detail": str(_("提交的内容有误，请按提示修改。")), "errors": response.data}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        body = {"code": code, "detail": str(detail)}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            body["wait"] = int(exc.wait)
    response.data = body
    return response


def api_not_found(request, *args, **kwargs):
    """Any /api/ path no route matches (a non-integer id, a typo): a JSON 404 in the same shape, never HTML."""
    from django.http import JsonResponse

    return JsonResponse({"code": "not_found", "detail": str(_("没有这个接口或对象。"))}, status=404,
                        json_dumps_params={"ensure_ascii": False})


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


_DEFAULT_ERRORS = {
    "400": "请求内容有误（code: invalid，errors 逐字段说明）",
    "401": "未登录或令牌无效（code: not_authenticated）",
    "403": "您的角色不能使用（code: not_allowed）",
    "404": "不存在或不在您的范围内（code: not_found）",
    "429": "请求过于频繁（code: throttled，wait 为秒数）",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular hook: every operation documents the error answers it can give, all in the one shape."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    if "Error" not in schemas:
        return result
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            public_operation = operation.get("security") == [{}] or {} in operation.get("security", [])
            for code, description in _DEFAULT_ERRORS.items():
                if code in responses or (code in ("401", "403") and public_operation):
                    continue
                if code == "400" and method in ("get", "delete"):
                    continue
                responses[code] = {"content": {"application/json": {"schema": ref}}, "description": description}
    return result
