"""Sign-ins: the answer to a locked-out account or address (django-axes calls lockout_response), and the token
endpoint's checks. The lockout itself and the sign-in audit are django-axes' (settings: AXES_*)."""
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def cooloff_minutes():
    from django.conf import settings

    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message():
    return _("登录失败次数过多，该账户或地址已暂时锁定，请 %(minutes)s 分钟后再试；如忘记密码，请联系系统管理员。") % {
        "minutes": cooloff_minutes()}


def lockout_response(request, original_response=None, credentials=None):
    """429 with a message that says when to try again: JSON on API paths, a page elsewhere."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "locked", "detail": lockout_message(), "wait": cooloff_minutes() * 60},
                                status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "registration/locked.html", {"message": lockout_message()}, status=429)
    response["Retry-After"] = str(cooloff_minutes() * 60)
    return response
