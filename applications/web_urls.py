"""SAMR's pages for calls and recommendation lists (applications/views.py), and the officer's desk."""
from django.urls import path

from . import views

urlpatterns = [
    path("samr/", views.samr_desk, name="samr-desk"),
    path("samr/calls/", views.call_list, name="samr-calls"),
    path("samr/calls/new/", views.call_create, name="samr-call-create"),
    path("samr/calls/<int:call_id>/", views.call_recommendations, name="samr-call-recommendations"),
    path("samr/calls/<int:call_id>/edit/", views.call_edit, name="samr-call-edit"),
    path("samr/calls/<int:call_id>/cases/<int:case_id>/<slug:kind>/", views.call_decide, name="samr-call-decide"),
]
