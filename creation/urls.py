from django.urls import path

from . import api

urlpatterns = [
    path("cases/<int:id>/units/", api.UnitListView.as_view(), name="api-creation-units"),
    path("cases/<int:id>/units/<int:unit_id>/", api.UnitDetailView.as_view(), name="api-creation-unit"),
    path("cases/<int:id>/units/<int:unit_id>/liaisons/", api.LiaisonView.as_view(), name="api-creation-liaisons"),
    path("cases/<int:id>/plan/", api.PlanView.as_view(), name="api-creation-plan"),
    path("cases/<int:id>/plan/revisions/", api.RevisionListView.as_view(), name="api-creation-revisions"),
    path("cases/<int:id>/plan/responsibilities/", api.ResponsibilityView.as_view(),
         name="api-creation-responsibilities"),
    path("cases/<int:id>/plan/workbook/", api.PlanWorkbookView.as_view(), name="api-creation-workbook"),
    path("cases/<int:id>/plan/tasks/", api.TaskListView.as_view(), name="api-creation-tasks"),
    path("cases/<int:id>/plan/tasks/<int:task_id>/", api.TaskDetailView.as_view(), name="api-creation-task"),
    path("cases/<int:id>/plan/tasks/<int:task_id>/progress/", api.TaskProgressView.as_view(),
         name="api-creation-task-progress"),
]
