from django.urls import path

from . import api

urlpatterns = [
    path("indicator-systems/", api.SystemListView.as_view(), name="indicator-system-list"),
    path("indicator-systems/<slug:code>/", api.SystemDetailView.as_view(), name="indicator-system-detail"),
    path("indicator-systems/<slug:code>/score/", api.ScoreView.as_view(), name="indicator-system-score"),
]

urlpatterns += [
    path("cases/<int:id>/score-sheets/", api.ScoreSheetListView.as_view(), name="score-sheet-list"),
    path("cases/<int:id>/score-sheets/finalise/", api.ScoreSheetFinaliseView.as_view(), name="score-sheet-finalise"),
    path("cases/<int:id>/score-sheets/<int:sheet_id>/", api.ScoreSheetDetailView.as_view(), name="score-sheet-detail"),
    path("cases/<int:id>/score-sheets/<int:sheet_id>/submit/", api.ScoreSheetSubmitView.as_view(),
         name="score-sheet-submit"),
    path("cases/<int:id>/score-sheets/<int:sheet_id>/conflict/", api.ScoreSheetConflictView.as_view(),
         name="score-sheet-conflict"),
]
