from django.urls import path

from . import views

urlpatterns = [
    path("documents/verify/", views.verify, name="official-verify"),
    path("documents/<int:document_id>/correct/", views.correct, name="official-correct"),
]
