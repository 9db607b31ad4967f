"""API routes of the evidence store and live readiness (creation/evidence_api.py; issue 9 item 9)."""
from django.urls import path

from . import evidence_api

urlpatterns = [
    path("cases/<int:case_id>/evidence/", evidence_api.EvidenceListView.as_view(), name="api-case-evidence"),
    path("cases/<int:case_id>/readiness/", evidence_api.ReadinessView.as_view(), name="api-case-readiness"),
]
