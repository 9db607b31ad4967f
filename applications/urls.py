from django.urls import path

from . import api

urlpatterns = [
    path("calls/", api.CallListView.as_view(), name="api-calls"),
    path("calls/<int:id>/", api.CallDetailView.as_view(), name="api-call"),
]
