"""Browser pages of the notice (办法 第十五条): SAMR officers' under samr/, the public's under public/."""
from django.urls import path

from . import public_views, views
from .cache import public_cache

urlpatterns = [
    path("samr/publicity/", views.hub, name="samr-publicity"),
    path("samr/publicity/rounds/<int:round_id>/notice/", views.publish_for_round, name="samr-notice-publish-round"),
    path("samr/publicity/cases/<int:case_id>/notice/", views.publish_for_case, name="samr-notice-publish-case"),
    path("samr/notices/<int:listing_id>/", views.notice_detail, name="samr-notice"),
    path("samr/notices/<int:listing_id>/cases/<int:case_id>/close/", views.close_notice, name="samr-notice-close"),
    path("samr/objection-attachments/<int:attachment_id>/", views.objection_attachment,
         name="samr-objection-attachment"),
    path("samr/objections/<int:objection_id>/decision/", views.decide_objection, name="samr-objection-decide"),
    path("public/", public_cache(public_views.portal), name="public-portal"),
    path("public/notices/", public_cache(public_views.notices), name="public-notices"),
    # Not cached: the notice page carries the objection form, whose captcha challenge must be each visitor's own
    # (a shared copy would hand every visitor the same challenge, spent by the first objection).
    path("public/notices/<int:listing_id>/", public_views.notice, name="public-notice"),
    path("public/zones/", public_cache(public_views.zones), name="public-zones"),
    path("public/zones/<int:case_id>/", public_cache(public_views.zone), name="public-zone"),
    path("public/announcements/", public_cache(public_views.announcements), name="public-announcements"),
]
