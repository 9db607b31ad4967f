"""SAMR's pages for expert assignment and evaluation rounds (evaluation/web.py)."""
from django.urls import path

from . import web

urlpatterns = [
    path("cases/<int:case_id>/experts/", web.case_experts, name="case-experts"),
    path("cases/<int:case_id>/experts/assign/", web.assign_experts, name="case-experts-assign"),
    path("cases/<int:case_id>/experts/replace/", web.replace_expert, name="case-experts-replace"),
    path("samr/rounds/", web.round_list, name="samr-rounds"),
    path("samr/rounds/new/", web.round_create, name="samr-round-create"),
    path("samr/rounds/<int:round_id>/edit/", web.round_edit, name="samr-round-edit"),
]
