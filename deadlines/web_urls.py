"""SAMR's pages for creation-period extensions and lapse decisions (deadlines/views.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/creation-extensions/", views.creation_extensions, name="case-creation-extensions"),
    path("cases/<int:case_id>/creation-extensions/extend/", views.extend, name="case-creation-extend"),
    path("samr/lapses/", views.lapse_queue, name="samr-lapses"),
    path("samr/lapses/<int:case_id>/<slug:kind>/", views.lapse_decide, name="samr-lapse-decide"),
]
