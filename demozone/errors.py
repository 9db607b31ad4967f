"""The error pages: branded, in the user's language, with a way home. API paths keep JSON errors
({"code", "detail"}, like demozone.api.exception_handler). Used when DEBUG is off (handler400/403/404/500 in
demozone.urls and CSRF_FAILURE_VIEW)."""
from django.http import JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

MESSAGES = {
    400: ("bad_request", "请求有误，无法处理。"),
    403: ("permission_denied", "您无权执行此操作。"),
    404: ("not_found", "页面不存在，或不在您的权限范围内。"),
    500: ("server_error", "服务器出错了，我们已记录此问题。请稍后再试。"),
}


def _is_api(request):
    return request.path.startswith("/api/")


def _page(request, status, template, extra=None):
    code, message = MESSAGES[status]
    if _is_api(request):
        return JsonResponse({"code": code, "detail": _(message)}, status=status)
    context = {"status": status, "message": _(message), **(extra or {})}
    response = TemplateResponse(request, template, context, status=status)
    return response.render()


@requires_csrf_token
def bad_request(request, exception=None):
    return _page(request, 400, "errors/400.html")


@requires_csrf_token
def permission_denied(request, exception=None):
    return _page(request, 403, "errors/403.html")


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(request, 404, "errors/404.html")


def server_error(request):
    """No request context here: whatever broke may break the context processors too. A standalone page."""
    code, message = MESSAGES[500]
    if _is_api(request):
        return JsonResponse({"code": code, "detail": _(message)}, status=500)
    from django.http import HttpResponseServerError

    return HttpResponseServerError(loader.get_template("errors/500.html").render({"message": _(message)}))


@requires_csrf_token
def csrf_failure(request, reason=""):
    if _is_api(request):
        return JsonResponse({"code": "csrf_failed", "detail": _("表单已过期，请刷新页面后重试。")}, status=403)
    context = {"status": 403, "message": _("表单已过期，请刷新页面后重试。")}
    return TemplateResponse(request, "errors/403.html", context, status=403).render()
