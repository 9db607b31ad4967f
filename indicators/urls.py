from django.urls import path

from . import api

urlpatterns = [
    path("indicator-systems/", api.SystemListView.as_view(), name="indicator-system-list"),
    path("indicator-systems/<slug:code>/", api.SystemDetailView.as_view(), name="indicator-system-detail"),
    path("indicator-systems/<slug:code>/score/", api.ScoreView.as_view(), name="indicator-system-score"),
]
