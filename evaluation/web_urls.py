"""Browser pages for the score sheets of a case (evaluation/views.py)."""
from django.urls import path

from . import views

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
