from django.urls import path

from . import api

urlpatterns = [
    path("rounds/", api.RoundListView.as_view(), name="api-rounds"),
    path("rounds/<int:id>/", api.RoundDetailView.as_view(), name="api-round"),
]
