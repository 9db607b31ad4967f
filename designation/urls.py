from django.urls import path

from publicity.cache import public_api_cache

from . import api

urlpatterns = [
    path("public/announcements/", public_api_cache(api.PublicAnnouncementListView.as_view()),
         name="api-public-announcements"),
    path("rounds/<int:id>/announcements/", api.RoundAnnouncementView.as_view(), name="api-round-announcements"),
    path("cases/<int:id>/annual-reports/", api.AnnualReportView.as_view(), name="api-case-annual-reports"),
]
