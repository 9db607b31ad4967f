from django.urls import path

from . import api

urlpatterns = [
    path("cases/<int:id>/annual-reports/", api.AnnualReportView.as_view(), name="api-case-annual-reports"),
]
