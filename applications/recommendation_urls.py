"""API paths of the province's recommendation list per call (applications/recommendation_api.py)."""
from django.urls import path

from . import recommendation_api as api

urlpatterns = [
    path("calls/<int:id>/recommendation-list/", api.RecommendationListView.as_view(), name="api-recommendation-list"),
    path("calls/<int:id>/recommendation-list/moves/", api.RecommendationListMoveView.as_view(),
         name="api-recommendation-list-move"),
    path("calls/<int:id>/recommendation-list/submit/", api.RecommendationListSubmitView.as_view(),
         name="api-recommendation-list-submit"),
]
