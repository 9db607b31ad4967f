from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from cases import api as cases_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/auth/token/", cases_api.ObtainTokenView.as_view(), name="api-token"),
    path("api/", include("cases.urls")),
    path("api/", include("applications.urls")),
    path("api/", include("publicity.urls")),
    path("api/", include("indicators.urls")),
    path("api/", include("deadlines.urls")),
    path("api/", include("notifications.urls")),
    path("api/", include("designation.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("notifications.web_urls")),
    path("", include("designation.web_urls")),
    path("", include("indicators.web_urls")),
    path("", include("cases.web_urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
