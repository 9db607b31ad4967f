"""The applications stage's pages: the applicant's (applications/views.py, documents/views.py,
evaluation/apply_views.py), and SAMR's for calls and recommendation lists with the officer's desk
(applications/samr_views.py)."""
from django.urls import path

from documents import views as document_views
from evaluation import apply_views

from . import samr_views, views

urlpatterns = [
    path("samr/", samr_views.samr_desk, name="samr-desk"),
    path("samr/calls/", samr_views.call_list, name="samr-calls"),
    path("samr/calls/new/", samr_views.call_create, name="samr-call-create"),
    path("samr/calls/<int:call_id>/", samr_views.call_recommendations, name="samr-call-recommendations"),
    path("samr/calls/<int:call_id>/edit/", samr_views.call_edit, name="samr-call-edit"),
    path("samr/calls/<int:call_id>/cases/<int:case_id>/<slug:kind>/", samr_views.call_decide, name="samr-call-decide"),
]

urlpatterns += [
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
