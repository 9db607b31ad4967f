"""The yardstick of bench/pagespeed.py: a one-file Django app — one view returning a small page, no database — in
the same settings style as demozone (DEBUG off, the framework's security, session-less common middleware), served
by the same gunicorn in the same run. What the framework and the server cost before any of demozone's work.

    .venv/bin/python -m gunicorn bench.minimal_app:application     (bench/pagespeed.py starts it itself)
"""
import os

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "minimal-bench-only-not-a-secret"),
        ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        DATABASES={},
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
        USE_I18N=False,
        USE_TZ=True,
        TIME_ZONE="Asia/Shanghai",
    )
    django.setup()

PAGE = ("<!doctype html><html lang=\"zh-hans\"><head><meta charset=\"utf-8\"><title>minimal</title></head>"
        "<body><p>最小的 Django 应用 — minimal Django app</p></body></html>")


def page(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", page)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
