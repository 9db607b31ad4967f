"""API paths of the province's 初审: the recommendation list per call (applications/recommendation_api.py) and the
submitted 申请表 with its changes (applications/review_api.py)."""
from django.urls import path

from . import recommendation_api as api, review_api

urlpatterns = [
    path("calls/<int:id>/recommendation-list/", api.RecommendationListView.as_view(), name="api-recommendation-list"),
    path("calls/<int:id>/recommendation-list/moves/", api.RecommendationListMoveView.as_view(),
         name="api-recommendation-list-move"),
    path("calls/<int:id>/recommendation-list/submit/", api.RecommendationListSubmitView.as_view(),
         name="api-recommendation-list-submit"),
    path("cases/<int:id>/review/application-form/", review_api.ApplicationFormReviewView.as_view(),
         name="api-review-application-form"),
]
