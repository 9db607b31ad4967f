from django.urls import path

from . import api

urlpatterns = [
    path("cases/<int:id>/official-documents/", api.CaseOfficialDocumentsView.as_view(), name="api-case-official-documents"),
    path("official-documents/<int:id>/file/", api.OfficialDocumentFileView.as_view(), name="api-official-document-file"),
    path("official-documents/<int:id>/corrections/", api.CorrectionView.as_view(), name="api-official-document-correct"),
    path("cases/<int:id>/printouts/<str:kind>/", api.PrintoutView.as_view(), name="api-case-printout"),
    path("public/documents/verify/", api.VerifyView.as_view(), name="api-public-document-verify"),
]
