"""Chinese unless the user chose otherwise.

Pages are in Chinese (zh-hans) by default, whatever language the browser announces; a user who picks English
on the page (the language cookie) gets English. API clients — other government systems — may ask for English
with Accept-Language, so /api/ keeps Django's usual negotiation.
"""
from django.conf import settings


class ChineseByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
