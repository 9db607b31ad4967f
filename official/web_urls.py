from django.urls import path

from . import views

urlpatterns = [
    path("documents/verify/", views.verify, name="official-verify"),
]
