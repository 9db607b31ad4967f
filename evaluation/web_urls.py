"""Browser pages of the evaluation: the score sheets of a case (evaluation/views.py), and SAMR's pages for expert
assignment and evaluation rounds (evaluation/web.py)."""
from django.urls import path

from . import views, web

urlpatterns = [
    path("cases/<int:case_id>/score-sheets/open/", views.sheet_open, name="score-sheet-open"),
    path("cases/<int:case_id>/score-sheets/finalise/", views.finalise, name="score-sheet-finalise"),
    path("cases/<int:case_id>/score-sheets/years/", views.scoring_years, name="score-years"),
    path("cases/<int:case_id>/score-sheets/<int:sheet_id>/", views.sheet_detail, name="score-sheet"),
    path("cases/<int:case_id>/score-sheets/<int:sheet_id>/save/", views.sheet_save, name="score-sheet-save"),
    path("cases/<int:case_id>/score-sheets/<int:sheet_id>/submit/", views.sheet_submit, name="score-sheet-submit"),
    path("cases/<int:case_id>/score-sheets/<int:sheet_id>/conflict/", views.sheet_conflict,
         name="score-sheet-conflict"),
]

urlpatterns += [
    path("cases/<int:case_id>/experts/", web.case_experts, name="case-experts"),
    path("cases/<int:case_id>/experts/assign/", web.assign_experts, name="case-experts-assign"),
    path("cases/<int:case_id>/experts/replace/", web.replace_expert, name="case-experts-replace"),
    path("samr/rounds/", web.round_list, name="samr-rounds"),
    path("samr/rounds/new/", web.round_create, name="samr-round-create"),
    path("samr/rounds/<int:round_id>/edit/", web.round_edit, name="samr-round-edit"),
]
