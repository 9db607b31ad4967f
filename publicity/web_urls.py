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
    # The portal is also the home page `/` of a visitor not signed in (cases.views.home: public_views.cached_portal).
    path("public/", public_views.cached_portal, name="public-portal"),
    path("public/notices/", public_cache(public_views.notices), name="public-notices"),
    # Cached too though it carries the objection form: the kept copy has markers in place of the CSRF token and of
    # the captcha challenge, and every visitor served from it gets their own token and a new challenge of their own
    # (publicity/cache.py). The objection (a POST) is never served from the cache.
    path("public/notices/<int:listing_id>/", public_cache(public_views.notice), name="public-notice"),
    path("public/zones/", public_cache(public_views.zones), name="public-zones"),
    path("public/zones/<int:case_id>/", public_cache(public_views.zone), name="public-zone"),
    path("public/announcements/", public_cache(public_views.announcements), name="public-announcements"),
]
