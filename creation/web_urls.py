from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/creation/", views.workspace, name="creation-workspace"),
    path("cases/<int:case_id>/creation/units/", views.units, name="creation-units"),
    path("cases/<int:case_id>/creation/units/<int:unit_id>/", views.unit_change, name="creation-unit-change"),
    path("cases/<int:case_id>/creation/units/<int:unit_id>/liaisons/", views.liaison_create,
         name="creation-liaison-create"),
    path("cases/<int:case_id>/creation/plan/", views.plan_page, name="creation-plan"),
    path("cases/<int:case_id>/creation/plan/phases/", views.phase_save, name="creation-phase-save"),
    path("cases/<int:case_id>/creation/plan/responsibilities/", views.responsibility_save,
         name="creation-responsibility-save"),
    path("cases/<int:case_id>/creation/plan/import/", views.plan_import, name="creation-plan-import"),
    path("cases/<int:case_id>/creation/plan/export.xlsx", views.plan_export, name="creation-plan-export"),
    path("cases/<int:case_id>/creation/plan/template.xlsx", views.plan_export, {"template": True},
         name="creation-plan-template"),
    path("cases/<int:case_id>/creation/plan/revisions/", views.revisions, name="creation-revisions"),
    path("cases/<int:case_id>/creation/tasks/", views.tasks, name="creation-tasks"),
    path("cases/<int:case_id>/creation/tasks/<int:task_id>/", views.task_detail, name="creation-task"),
    path("cases/<int:case_id>/creation/tasks/<int:task_id>/progress/", views.task_progress,
         name="creation-task-progress"),
]
