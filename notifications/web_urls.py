from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.inbox, name="notification-list"),
    path("notifications/read-all/", views.mark_all_read, name="notification-read-all"),
    path("notifications/<int:notification_id>/read/", views.mark_read, name="notification-read"),
    path("me/preferences/", views.preferences, name="notification-preferences"),
]
