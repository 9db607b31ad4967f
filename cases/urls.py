from django.urls import path

from . import api

urlpatterns = [
    path("cases/", api.CaseListView.as_view(), name="api-cases"),
    path("cases/<int:id>/", api.CaseDetailView.as_view(), name="api-case"),
    path("cases/<int:id>/transitions/", api.TransitionListView.as_view(), name="api-case-transitions"),
    path("cases/<int:id>/transitions/<str:name>/", api.TransitionView.as_view(), name="api-case-transition"),
    path("cases/<int:id>/history/", api.HistoryView.as_view(), name="api-case-history"),
    path("cases/<int:id>/documents/", api.DocumentView.as_view(), name="api-case-documents"),
    path("documents/<int:id>/file/", api.DocumentFileView.as_view(), name="api-document-file"),
    path("cases/<int:id>/experts/", api.ExpertAssignmentView.as_view(), name="api-case-experts"),
]
