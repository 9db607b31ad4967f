"""The applicant's pages (applications/views.py, documents/views.py, evaluation/apply_views.py)."""
from django.urls import path

from documents import views as document_views
from evaluation import apply_views

from . import views

urlpatterns = [
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/<int:case_id>/application-form/", views.application_form, name="application-form"),
    path("cases/<int:case_id>/application-form/validate/", views.application_form_validate,
         name="application-form-validate"),
    path("cases/<int:case_id>/application-form/v<int:version>/", views.application_form_version,
         name="application-form-version"),
    path("cases/<int:case_id>/materials/", document_views.upload_material, name="case-material-upload"),
    path("cases/<int:case_id>/evaluation-application/", apply_views.evaluation_application,
         name="evaluation-application"),
]
