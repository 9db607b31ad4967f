"""The dashboards' pages (dashboards/views.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("samr/dashboard/", views.samr_dashboard, name="samr-dashboard"),
    path("samr/dashboard/<slug:key>.xlsx", views.samr_export, name="samr-dashboard-export"),
    path("review/dashboard/", views.province_dashboard, name="province-dashboard"),
    path("review/dashboard/<slug:key>.xlsx", views.province_export, name="province-dashboard-export"),
    path("cases/<int:case_id>/scores.xlsx", views.case_scores_export, name="case-scores-export"),
]
