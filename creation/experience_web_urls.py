"""Pages of experience reports and supervision visits (the case's, the province's and SAMR's queue) and the
public's pages of published experiences."""
from django.urls import path

from . import experience_views as views

urlpatterns = [
    path("cases/<int:case_id>/creation/experience/", views.reports, name="creation-experience"),
    path("cases/<int:case_id>/creation/experience/<int:report_id>/forward/", views.forward,
         name="creation-experience-forward"),
    path("cases/<int:case_id>/creation/experience/<int:report_id>/publish/", views.publish,
         name="creation-experience-publish"),
    path("cases/<int:case_id>/creation/supervision/", views.supervision, name="creation-supervision"),
    path("cases/<int:case_id>/creation/supervision/<int:visit_id>/follow-up/", views.follow_up,
         name="creation-supervision-follow-up"),
    path("creation/experience/", views.queue, name="creation-experience-queue"),
    path("public/experiences/", views.public_list, name="public-experiences"),
    path("public/experiences/<int:report_id>/", views.public_detail, name="public-experience"),
    path("public/experiences/<int:report_id>/attachment/", views.public_attachment,
         name="public-experience-attachment"),
]
