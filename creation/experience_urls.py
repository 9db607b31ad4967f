"""API paths of experience reports and supervision visits (issue #9, part 9) and the public list of experiences."""
from django.urls import path

from . import experience_api as api

urlpatterns = [
    path("cases/<int:id>/experience-reports/", api.ExperienceReportListView.as_view(), name="api-experience-reports"),
    path("cases/<int:id>/experience-reports/<int:rid>/forward/", api.ExperienceReportForwardView.as_view(),
         name="api-experience-report-forward"),
    path("cases/<int:id>/experience-reports/<int:rid>/publish/", api.ExperienceReportPublishView.as_view(),
         name="api-experience-report-publish"),
    path("cases/<int:id>/supervision/", api.SupervisionListView.as_view(), name="api-supervision"),
    path("cases/<int:id>/supervision/<int:vid>/follow-up/", api.SupervisionFollowUpView.as_view(),
         name="api-supervision-follow-up"),
    path("public/experiences/", api.PublicExperienceListView.as_view(), name="api-public-experiences"),
    path("public/experiences/<int:id>/", api.PublicExperienceDetailView.as_view(), name="api-public-experience"),
]
