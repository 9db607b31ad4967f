from django.urls import path

from . import api

urlpatterns = [path("calls/", api.CallListView.as_view(), name="api-calls")]
