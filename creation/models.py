"""The creation period (办法 第十条: 开展创建; seeds 002 and 003): the city's own work for two to three years.

The 创建方案 uploaded with the application (documents.Document, kind creation_plan) stays the legal document; the
Plan here is the working copy, linked to it, versioned: every change to goals, phases, tasks or the responsibility
for an indicator writes a PlanRevision with a snapshot. The work itself — task progress, evidence, reports, checks —
is appended, never overwritten (a correction is a new row naming the one it corrects).

Member units (成员单位: departments of the city, and counties or districts under it) belong to the creation
object, not to one case: a city that applies again keeps its units. Their liaisons (role 成员单位联络员) see and edit
only their own unit's tasks and indicators of their city's case (creation.selectors)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Unit(models.Model):
    """A member unit (成员单位) of the city's creation work: a department, or a county/district under the city."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("市直部门")
        COUNTY = "county", _("县（市、区）")
        OTHER = "other", _("其他单位")

    creation_object = models.ForeignKey("regions.CreationObject", on_delete=models.PROTECT, related_name="units",
                                        verbose_name=_("创建对象"))
    name = models.CharField(_("单位名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    active = models.BooleanField(_("在用"), default=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["creation_object", "kind", "name", "pk"]
        verbose_name = _("成员单位")
        verbose_name_plural = _("成员单位")
        constraints = [models.UniqueConstraint(fields=["creation_object", "name"], name="unit_name_unique_per_city")]

    def __str__(self):
        return self.name


class Liaison(models.Model):
    """A liaison user (成员单位联络员) and the unit they speak for. One unit per liaison."""

    user = models.OneToOneField(USER, on_delete=models.PROTECT, related_name="liaison", verbose_name=_("用户"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="liaisons", verbose_name=_("成员单位"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("成员单位联络员")
        verbose_name_plural = _("成员单位联络员")

    def __str__(self):
        return f"{self.unit} · {self.user}"


class Plan(models.Model):
    """The case's working plan (创建工作方案, structured). ``version`` counts the revisions."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="plan", verbose_name=_("案件"))
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("创建方案（申报材料）"))
    goals = models.TextField(_("创建目标"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("创建工作方案")
        verbose_name_plural = _("创建工作方案")

    def __str__(self):
        return f"{self.case} · v{self.version}"


class PlanRevision(models.Model):
    """One version of the plan as it stood after a change: goals, phases, tasks and responsibilities (JSON)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("版本"))
    summary = models.CharField(_("修改说明"), max_length=200, blank=True)
    snapshot = models.JSONField(_("方案内容"), default=dict)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("方案版本")
        verbose_name_plural = _("方案版本")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_number_unique")]


class Phase(models.Model):
    """A dated phase of the plan (002: 启动部署, 组织实施, 自查自评, 迎检评估, 巩固提升)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("阶段名称"), max_length=50)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.TextField(_("工作内容"), blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="phase_order_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"),
        ]

    def __str__(self):
        return self.name


class Task(models.Model):
    """A task of the plan (003: 20 tasks, each with the departments responsible): a lead unit and co-units."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未开始")
        IN_PROGRESS = "in_progress", _("推进中")
        DONE = "done", _("已完成")
        BLOCKED = "blocked", _("受阻")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("任务名称"), max_length=200)
    content = models.TextField(_("任务内容"), blank=True)
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks",
                              verbose_name=_("所属阶段"))
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("牵头单位"))
    co_units = models.ManyToManyField(Unit, blank=True, related_name="co_tasks", verbose_name=_("配合单位"))
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    status_changed_at = models.DateTimeField(_("状态更新时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class TaskProgress(models.Model):
    """A progress note on a task, dated and attributed, with its attachments; the status it left the task in."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="progress")
    text = models.TextField(_("进展情况"))
    status = models.CharField(_("状态"), max_length=16, choices=Task.Status.choices)
    attachments = models.ManyToManyField("documents.Document", blank=True, related_name="+", verbose_name=_("附件"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("报送单位"))
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["task", "-created_at", "-pk"]
        verbose_name = _("任务进展")
        verbose_name_plural = _("任务进展")


class Responsibility(models.Model):
    """Who answers for an indicator of the case's indicator version (002 附件2: 指标 → 责任单位)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="responsibilities")
    number = models.CharField(_("指标序号"), max_length=16)
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="led_indicators",
                                  verbose_name=_("责任单位"))
    co_units = models.ManyToManyField(Unit, blank=True, related_name="co_indicators", verbose_name=_("配合单位"))

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("指标责任分工")
        verbose_name_plural = _("指标责任分工")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="responsibility_unique_per_indicator")]


class Evidence(models.Model):
    """One entry of evidence for an indicator, gathered over the period: a figure the scoring engine needs
    (``key`` an input of the case's indicator version, per ``year`` where the input is yearly) with its source, or a
    document for a scoring item. Never changed: a correction is a new entry naming the one it corrects
    (``corrects``); the latest entry not corrected by another is the one that counts."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="creation_evidence")
    number = models.CharField(_("指标序号"), max_length=16)
    key = models.CharField(_("数据项"), max_length=80, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    value = models.JSONField(_("数值"), null=True, blank=True)
    item = models.CharField(_("评分要点"), max_length=200, blank=True)
    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("附件"))
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections",
                                 verbose_name=_("更正的记录"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("报送单位"))
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "number", "key", "year", "-entered_at", "-pk"]
        verbose_name = _("佐证记录")
        verbose_name_plural = _("佐证记录")
        indexes = [models.Index(fields=["case", "number"], name="evidence_case_indicator")]


class ProgressReport(models.Model):
    """A periodic progress report (创建工作进展情况) from the city to its province and SAMR."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="progress_reports")
    period = models.CharField(_("报告期"), max_length=50)
    body = models.TextField(_("工作进展"))
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("附件"))
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "-submitted_at", "-pk"]
        verbose_name = _("创建进展报告")
        verbose_name_plural = _("创建进展报告")


class ReportReceipt(models.Model):
    """A reading receipt: who at the province or SAMR read a progress report, and when."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="receipts")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    reader = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("阅读回执")
        verbose_name_plural = _("阅读回执")
        constraints = [models.UniqueConstraint(fields=["report", "organisation"], name="receipt_once_per_org")]


class Check(models.Model):
    """A unit's self-check report (成员单位自查报告), or the city's own acceptance check (创建验收), recorded before
    the self-assessment opens (办法 第十二条)."""

    class Kind(models.TextChoices):
        UNIT_SELF_CHECK = "unit_self_check", _("成员单位自查")
        ACCEPTANCE = "acceptance", _("创建验收")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="creation_checks")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("成员单位"))
    conclusion = models.TextField(_("结论"))
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("附件"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "-recorded_at", "-pk"]
        verbose_name = _("自查与验收")
        verbose_name_plural = _("自查与验收")
        constraints = [
            models.CheckConstraint(name="check_unit_iff_unit_self_check",
                                   condition=Q(kind="unit_self_check", unit__isnull=False)
                                   | Q(kind="acceptance", unit__isnull=True)),
        ]


class ExperienceReport(models.Model):
    """A typical-experience report (典型经验, 办法 第十九条) from a zone or a city still creating. Under the 2022
    rules it goes through the province first; under the current rules to SAMR, the province informed. SAMR may
    publish it on the public portal."""

    class Status(models.TextChoices):
        WITH_PROVINCE = "with_province", _("待省级报送")
        WITH_SAMR = "with_samr", _("已报总局")
        PUBLISHED = "published", _("已公开发布")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="experience_reports")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("附件"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    forwarded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    forwarded_at = models.DateTimeField(null=True, blank=True)
    province_informed_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    # SAMR decides, when publishing, whether the attachment is published with the text (办法 第二十条 宣传报道).
    attachment_public = models.BooleanField(_("附件公开"), default=False)

    class Meta:
        ordering = ["case", "-submitted_at", "-pk"]
        verbose_name = _("典型经验")
        verbose_name_plural = _("典型经验")


class SupervisionVisit(models.Model):
    """A supervision visit (督促指导, 办法 第二十二条) by SAMR or the province, with findings and follow-up; a
    sanction's ground (三) may cite it."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="supervision_visits")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("督导机关"))
    visited_on = models.DateField(_("督导日期"))
    findings = models.TextField(_("发现问题"))
    follow_up = models.TextField(_("整改要求"), blank=True)
    follow_up_due = models.DateField(_("整改期限"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    follow_up_note = models.TextField(_("整改情况"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "-visited_on", "-pk"]
        verbose_name = _("督促指导")
        verbose_name_plural = _("督促指导")


class MilestoneReminder(models.Model):
    """One milestone notice sent by the sweep (creation.milestones): a reminder ``days_before`` a task's due day or
    a phase's end, or (``days_before`` = 0, ``overdue``) the flag that it passed undone. The unique constraint makes
    the sweep idempotent — run twice, or twice at once, it notifies once. ``target`` is "task:<id>" or "phase:<id>";
    ``due_on`` is part of the key, so a moved due day is reminded anew."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="milestone_reminders")
    target = models.CharField(_("对象"), max_length=32)
    due_on = models.DateField(_("到期日"))
    days_before = models.PositiveSmallIntegerField(_("提前天数"))
    overdue = models.BooleanField(_("逾期标记"), default=False)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("创建工作节点提醒")
        verbose_name_plural = _("创建工作节点提醒")
        constraints = [
            models.UniqueConstraint(fields=["case", "target", "due_on", "days_before", "overdue"],
                                    name="milestone_reminder_once"),
        ]


# Module-level names for the OpenAPI enums (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
UnitKind = Unit.Kind
TaskStatus = Task.Status
