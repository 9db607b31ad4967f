from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/annual-reports/", views.submit_annual_report, name="case-annual-report"),
    path("samr/designation/rounds/<int:round_id>/", views.designate_for_round, name="samr-designate-round"),
    path("samr/designation/cases/<int:case_id>/", views.designate_for_case, name="samr-designate-case"),
    path("samr/designation/cases/<int:case_id>/refuse/", views.refuse_designation, name="samr-refuse-designation"),
    path("samr/zones/", views.zone_list, name="samr-zones"),
    path("samr/zones/<int:case_id>/", views.zone_detail, name="samr-zone"),
]
