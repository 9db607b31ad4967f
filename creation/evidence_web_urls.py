"""Pages of the evidence store and live readiness (creation/evidence_views.py)."""
from django.urls import path

from . import evidence_views as views

urlpatterns = [
    path("cases/<int:case_id>/creation/evidence/", views.evidence_index, name="creation-evidence"),
    path("cases/<int:case_id>/creation/evidence/<int:number>/", views.evidence_indicator,
         name="creation-evidence-indicator"),
    path("cases/<int:case_id>/creation/evidence/documents/<int:document_id>/", views.evidence_document,
         name="creation-evidence-document"),
    path("cases/<int:case_id>/creation/readiness/", views.readiness_page, name="creation-readiness"),
]
