"""API routes of creation.reports_api (milestones, progress reports, checks); included under /api/."""
from django.urls import path

from . import reports_api as api

urlpatterns = [
    path("cases/<int:id>/progress-reports/", api.ProgressReportListView.as_view(),
         name="api-creation-progress-reports"),
    path("cases/<int:id>/progress-reports/<int:report_id>/", api.ProgressReportDetailView.as_view(),
         name="api-creation-progress-report"),
    path("cases/<int:id>/checks/", api.CheckListView.as_view(), name="api-creation-checks"),
    path("cases/<int:id>/milestones/", api.MilestoneListView.as_view(), name="api-creation-milestones"),
]
