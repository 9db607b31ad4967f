"""Serializers of the creation workspace's units, liaisons, plan and tasks (creation.api)."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from demozone.fields import BoundedDateField, VersionField

from .models import Liaison, Phase, Plan, PlanRevision, Responsibility, Task, TaskProgress, Unit


class UnitSerializer(serializers.ModelSerializer):
    liaisons = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "active", "liaisons"]

    def get_liaisons(self, unit) -> list[dict]:
        return [{"username": liaison.user.username, "name": liaison.user.get_full_name()}
                for liaison in unit.liaisons.all()]



class UnitRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Unit.Kind.choices, default=Unit.Kind.DEPARTMENT)


class UnitChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    kind = serializers.ChoiceField(choices=Unit.Kind.choices, required=False)
    active = serializers.BooleanField(required=False, help_text=_("false：停用该单位，其联络员不再能进入工作台"))


class LiaisonRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    name = serializers.CharField(max_length=150, help_text=_("联络员姓名"))
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"},
                                     help_text=_("初始密码（须符合密码规则），由创建办当面交给联络员"))


class LiaisonSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.first_name")
    unit = serializers.IntegerField(source="unit_id")

    class Meta:
        model = Liaison
        fields = ["id", "username", "name", "unit", "created_at"]


class PhaseSerializer(serializers.ModelSerializer):
    starts_on = BoundedDateField()
    ends_on = BoundedDateField()

    class Meta:
        model = Phase
        fields = ["order", "name", "starts_on", "ends_on", "description"]
        extra_kwargs = {"order": {"min_value": 1, "max_value": 99}, "description": {"required": False}}
        validators = []


class ResponsibilitySerializer(serializers.ModelSerializer):
    lead_unit = serializers.IntegerField(source="lead_unit_id")
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    co_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Responsibility
        fields = ["number", "lead_unit", "lead_unit_name", "co_units"]


class ResponsibilityRequestSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=16, help_text=_("指标序号"))
    lead_unit = serializers.IntegerField(min_value=1)
    co_units = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=50, required=False)
    version = VersionField(help_text=_("乐观锁：您读到的方案版本"))


class PlanSerializer(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True, read_only=True)
    responsibilities = serializers.SerializerMethodField()
    tasks = serializers.IntegerField(source="task_count", read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "version", "goals", "document", "phases", "responsibilities", "tasks", "updated_at"]

    def get_responsibilities(self, plan) -> list[dict]:
        from .services import indicator_order

        rows = self.context.get("responsibilities", plan.responsibilities.all())
        return ResponsibilitySerializer(sorted(rows, key=indicator_order), many=True).data


class PlanRequestSerializer(serializers.Serializer):
    goals = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    document = serializers.IntegerField(min_value=1, required=False, allow_null=True,
                                        help_text=_("申报时上传的创建方案（材料编号）"))
    phases = PhaseSerializer(many=True, required=False)
    version = VersionField(help_text=_("乐观锁：您读到的方案版本（首次建立时不填）"))


class PlanRevisionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="created_by.get_full_name")

    class Meta:
        model = PlanRevision
        fields = ["number", "summary", "author", "created_at", "snapshot"]


class TaskSerializer(serializers.ModelSerializer):
    phase = serializers.IntegerField(source="phase.order", default=None, read_only=True)
    phase_name = serializers.CharField(source="phase.name", default="", read_only=True)
    lead_unit = serializers.IntegerField(source="lead_unit_id", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    co_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "number", "title", "content", "phase", "phase_name", "lead_unit", "lead_unit_name",
                  "co_units", "due_on", "status", "status_changed_at", "version"]


class TaskProgressSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_full_name")
    unit = serializers.CharField(source="unit.name", default="")
    attachments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = TaskProgress
        fields = ["id", "text", "status", "unit", "author", "created_at", "attachments"]


class TaskDetailSerializer(TaskSerializer):
    progress = TaskProgressSerializer(many=True, read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = TaskSerializer.Meta.fields + ["progress"]


class TaskRequestSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=9999, required=False)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    phase = serializers.IntegerField(min_value=1, required=False, allow_null=True, help_text=_("阶段序号"))
    lead_unit = serializers.IntegerField(min_value=1)
    co_units = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=50, required=False)
    due_on = BoundedDateField(required=False, allow_null=True)
    version = VersionField(help_text=_("乐观锁：您读到的方案版本"))


class TaskPatchSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    content = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    phase = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    lead_unit = serializers.IntegerField(min_value=1, required=False)
    co_units = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=50, required=False)
    due_on = BoundedDateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Task.Status.choices, required=False)
    progress = serializers.CharField(max_length=5000, required=False, allow_blank=True,
                                     help_text=_("进展情况（记为一条进展）"))
    version = VersionField(help_text=_("乐观锁：您读到的任务版本"))


class ProgressRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    status = serializers.ChoiceField(choices=Task.Status.choices, required=False)
    files = serializers.ListField(child=serializers.FileField(), max_length=10, required=False)
    version = VersionField(help_text=_("乐观锁：您读到的任务版本"))


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("工作簿（.xlsx），格式同导出"))
    create_units = serializers.BooleanField(default=False, help_text=_("自动新增工作簿中未登记的单位"))
    version = VersionField(help_text=_("乐观锁：您读到的方案版本"))


class ImportResultSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    created_units = serializers.ListField(child=serializers.CharField())
