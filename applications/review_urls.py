"""Browser pages of the provincial reviewer's 初审 (applications/review_views.py)."""
from django.urls import path

from . import review_views as views

urlpatterns = [
    path("cases/<int:case_id>/review/application-form/", views.application_form, name="review-application-form"),
    path("cases/<int:case_id>/review/materials/<int:document_id>/", views.material, name="review-material"),
    path("review/recommendations/", views.recommendation_calls, name="review-recommendation-calls"),
    path("review/recommendations/<int:call_id>/", views.recommendation_list, name="review-recommendation-list"),
    path("review/recommendations/<int:call_id>/move/", views.recommendation_move, name="review-recommendation-move"),
    path("review/recommendations/<int:call_id>/submit/", views.recommendation_submit,
         name="review-recommendation-submit"),
]
