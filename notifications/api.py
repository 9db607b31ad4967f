"""The inbox and notification preferences. Who may use what (deny by default):
- anyone signed in, whatever their role: their own notifications and their own preference — never another
  user's (someone else's notification answers 404, as if it did not exist)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api import ERRORS
from cases.errors import InvalidPayload, NotFound

from . import selectors, serializers as s, services

UNREAD = OpenApiParameter("unread", OpenApiTypes.BOOL, description=_("true：只看未读；false：只看已读"))


def _flag(value):
    if value in (None, ""):
        return None
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise InvalidPayload(_("unread 须为 true 或 false。"), errors={"unread": [_("须为 true 或 false。")]})


class NotificationListView(generics.ListAPIView):
    """GET your own notifications, newest first (paginated; ?unread=true for the unread ones)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return selectors.notifications_for(None).none()
        return selectors.notifications_for(self.request.user, unread=_flag(self.request.query_params.get("unread")))

    @extend_schema(parameters=[UNREAD], tags=["notifications"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationReadView(APIView):
    """POST: mark one of your notifications read (marking a read one again changes nothing)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: s.NotificationSerializer, 404: ERRORS[404]}, tags=["notifications"])
    def post(self, request, id):
        if selectors.notification_of(request.user, id) is None:
            raise NotFound(_("未找到该通知。"))
        services.mark_read(notification_id=id, user=request.user)
        return Response(s.NotificationSerializer(selectors.notification_of(request.user, id)).data)


class NotificationReadAllView(APIView):
    """POST: mark all your unread notifications read."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: s.ReadAllSerializer}, tags=["notifications"])
    def post(self, request):
        return Response({"marked": services.mark_all_read(user=request.user)})


class PreferenceView(APIView):
    """GET your notification preference (language, e-mail on or off); PATCH changes it. Notifications written
    afterwards follow it; earlier ones keep the language they were written in."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: s.PreferenceSerializer}, tags=["notifications"])
    def get(self, request):
        return Response(s.PreferenceSerializer(selectors.preference_of(request.user)).data)

    @extend_schema(request=s.PreferenceSerializer, responses={200: s.PreferenceSerializer, 400: ERRORS[400]},
                   tags=["notifications"])
    def patch(self, request):
        payload = s.PreferenceSerializer(data=request.data, partial=True)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        preference = services.set_preference(user=request.user, **payload.validated_data)
        return Response(s.PreferenceSerializer(preference).data)
