from django.urls import path

from . import api, sheet_api

urlpatterns = [
    path("rounds/", api.RoundListView.as_view(), name="api-rounds"),
    path("rounds/<int:id>/", api.RoundDetailView.as_view(), name="api-round"),
]

# Score sheets of a case (办法 第十二条–第十四条).
urlpatterns += [
    path("cases/<int:id>/score-sheets/", sheet_api.ScoreSheetListView.as_view(), name="score-sheet-list"),
    path("cases/<int:id>/score-sheets/finalise/", sheet_api.ScoreSheetFinaliseView.as_view(),
         name="score-sheet-finalise"),
    path("cases/<int:id>/score-sheets/years/", sheet_api.ScoringYearsView.as_view(), name="api-score-years"),
    path("cases/<int:id>/score-sheets/<int:sheet_id>/", sheet_api.ScoreSheetDetailView.as_view(),
         name="score-sheet-detail"),
    path("cases/<int:id>/score-sheets/<int:sheet_id>/submit/", sheet_api.ScoreSheetSubmitView.as_view(),
         name="score-sheet-submit"),
    path("cases/<int:id>/score-sheets/<int:sheet_id>/conflict/", sheet_api.ScoreSheetConflictView.as_view(),
         name="score-sheet-conflict"),
]
