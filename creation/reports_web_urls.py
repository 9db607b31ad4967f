"""Page routes of creation.reports_views (milestones, progress reports, checks)."""
from django.urls import path

from . import reports_views as views

urlpatterns = [
    path("cases/<int:case_id>/creation/reports/", views.progress_reports, name="creation-progress-reports"),
    path("cases/<int:case_id>/creation/reports/<int:report_id>/", views.progress_report,
         name="creation-progress-report"),
    path("cases/<int:case_id>/creation/checks/", views.checks, name="creation-checks"),
    path("cases/<int:case_id>/creation/milestones/", views.milestone_page, name="creation-milestones"),
    path("cases/<int:case_id>/creation/files/<int:document_id>/", views.record_file, name="creation-record-file"),
]
