"""Celery tasks: thin calls of notifications.services."""
from celery import shared_task

from . import services


@shared_task(name="notifications.send_email", ignore_result=True)
def send_email(delivery_ids):
    services.send_many(delivery_ids)


@shared_task(name="notifications.deliver_pending", ignore_result=True)
def deliver_pending():
    return services.deliver_pending()
