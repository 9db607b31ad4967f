from django.urls import path

from . import api

urlpatterns = [
    path("cases/<int:id>/deadlines/", api.CaseDeadlinesView.as_view(), name="api-case-deadlines"),
    path("cases/<int:id>/creation-extensions/", api.CreationExtensionView.as_view(),
         name="api-case-creation-extensions"),
]
