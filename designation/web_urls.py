from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/annual-reports/", views.submit_annual_report, name="case-annual-report"),
]
