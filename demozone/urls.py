from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cases import api as cases_api
from demozone.api import api_not_found

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("captcha/", include("captcha.urls")),  # the objection form's captcha images (django-simple-captcha)
    path("api/auth/token/", cases_api.ObtainTokenView.as_view(), name="api-token"),
    path("api/auth/logout/", cases_api.LogoutView.as_view(), name="api-logout"),
    path("api/auth/logout-all/", cases_api.LogoutView.as_view(), {"everywhere": True}, name="api-logout-all"),
    path("api/", include("cases.urls")),
    path("api/", include("applications.urls")),
    path("api/", include("applications.recommendation_urls")),
    path("api/", include("evaluation.urls")),
    path("api/", include("publicity.urls")),
    path("api/", include("indicators.urls")),
    path("api/", include("deadlines.urls")),
    path("api/", include("notifications.urls")),
    path("api/", include("designation.urls")),
    path("api/", include("official.urls")),
    path("api/", include("creation.urls")),
    path("api/", include("creation.evidence_urls")),
    path("api/", include("creation.reports_urls")),
    path("api/", include("creation.experience_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),
    # First of the pages: the public ones (public/…, samr/publicity/…, samr/notices/…, samr/objection…), read by many
    # on announcement day, are found without trying every other app's patterns (no other app's path starts so).
    path("", include("publicity.web_urls")),
    path("", include("notifications.web_urls")),
    path("", include("applications.web_urls")),
    path("", include("applications.review_urls")),
    path("", include("evaluation.web_urls")),
    path("", include("evaluation.pre_review")),
    path("", include("deadlines.web_urls")),
    path("", include("designation.web_urls")),
    path("", include("official.web_urls")),
    path("", include("creation.web_urls")),
    path("", include("creation.evidence_web_urls")),
    path("", include("creation.reports_web_urls")),
    path("", include("creation.experience_web_urls")),
    path("", include("dashboards.urls")),
    path("", include("cases.web_urls")),
]


handler400 = "demozone.errors.bad_request"
handler403 = "demozone.errors.permission_denied"
handler404 = "demozone.errors.page_not_found"
handler500 = "demozone.errors.server_error"
