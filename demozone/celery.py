"""The Celery app. Tasks are thin calls of services (see each app's tasks.py)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demozone.settings")

app = Celery("demozone")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
