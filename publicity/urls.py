from django.urls import path

from . import api
from .cache import public_api_cache

urlpatterns = [
    path("public/notices/", public_api_cache(api.NoticeListView.as_view()), name="api-public-notices"),
    path("public/notices/<int:id>/", public_api_cache(api.NoticeDetailView.as_view()), name="api-public-notice"),
    path("rounds/<int:id>/notices/", api.RoundNoticeView.as_view(), name="api-round-notices"),
    path("public/notices/<int:id>/objections/", api.ObjectionCreateView.as_view(), name="api-public-objection"),
    path("public/zones/", public_api_cache(api.ZoneListView.as_view()), name="api-public-zones"),
    path("cases/<int:id>/objections/", api.CaseObjectionListView.as_view(), name="api-case-objections"),
    path("objections/<int:id>/decision/", api.ObjectionDecisionView.as_view(), name="api-objection-decision"),
]
