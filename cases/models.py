"""The creation case — one creation object under one rule set — and its append-only audit trail."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workflow import TERMINAL_STATE_VALUES, TERMINAL_STATES, CaseWorkflow, State


class Case(CaseWorkflow):
    reference = models.CharField(_("案件编号"), max_length=32, unique=True)
    creation_object = models.ForeignKey("regions.CreationObject", on_delete=models.PROTECT, related_name="cases",
                                        verbose_name=_("创建对象"))
    rule_set = models.ForeignKey("rulesets.RuleSet", on_delete=models.PROTECT, related_name="cases",
                                 verbose_name=_("管理办法版本"))
    call = models.ForeignKey("applications.ApplicationCall", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="cases", verbose_name=_("申报通知"))
    title = models.CharField(_("名称"), max_length=200)
    # Bumped by every move and edit: the optimistic-concurrency token clients send back (If-Match / version).
    version = models.PositiveIntegerField(_("版本"), default=1)

    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    creation_start = models.DateField(_("创建期开始"), null=True, blank=True)
    creation_end = models.DateField(_("创建期届满"), null=True, blank=True)
    # The creation_end for which the lapse sweep put the case in SAMR's queue (办法 第九条、第十二条): SAMR decides
    # the termination; an extension moves creation_end on, so the case is flagged again only if it lapses again.
    lapse_flagged_for = models.DateField(_("待决定终止（期满日）"), null=True, blank=True)
    # The round (评估批次) of the current evaluation application, and when the last evaluation failed: a
    # re-evaluation belongs to the next round, with materials and a self-assessment made after the failure.
    evaluation_round = models.ForeignKey("evaluation.Round", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="cases", verbose_name=_("评估批次"))
    evaluation_failed_at = models.DateTimeField(_("评估未通过时间"), null=True, blank=True)
    evaluation_applied_at = models.DateTimeField(_("评估申请时间"), null=True, blank=True)
    evaluation_failures = models.PositiveSmallIntegerField(_("未通过评估次数"), default=0)
    designated_on = models.DateField(_("认定日期"), null=True, blank=True)

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("创建案件")
        verbose_name_plural = _("创建案件")
        constraints = [
            # A creation object has at most one live case; a new application follows only a closed one (办法 第十七条).
            models.UniqueConstraint(fields=["creation_object"], condition=~Q(state__in=TERMINAL_STATE_VALUES),
                                    name="one_open_case_per_creation_object"),
            models.CheckConstraint(name="creation_period_ordered",
                                   condition=Q(creation_end__isnull=True) | Q(creation_end__gte=models.F("creation_start"))),
        ]

    def __str__(self):
        return f"{self.reference} {self.creation_object}"

    def get_state_display(self):
        # Django's own builds a dict of the 20 (lazy, translated) choices on every call: a tenth of a millisecond
        # per row on the lists (issue 13). Same answer, one lookup.
        try:
            return str(State(self.state).label)
        except ValueError:
            return self.state

    @property
    def province(self):
        return self.creation_object.province

    @property
    def is_closed(self):
        return self.state in TERMINAL_STATES


class AuditEntry(models.Model):
    """One decision on a case: who, in which role and organisation, when, from which state to which, by which
    move, why, and with which documents. Never updated or deleted: no code path does, the admin offers none,
    and on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002)."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("状态变更")
        ACTION = "action", _("记录事项")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="audit_entries")
    sequence = models.PositiveIntegerField(_("序号"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("事项"), max_length=48)
    label = models.CharField(_("事项名称"), max_length=100)
    from_state = models.CharField(_("原状态"), max_length=32, choices=State.choices)
    to_state = models.CharField(_("新状态"), max_length=32, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    actor_name = models.CharField(_("操作人姓名"), max_length=150)
    role = models.CharField(_("角色"), max_length=24)
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    organisation_name = models.CharField(_("机构"), max_length=100, blank=True)
    article = models.CharField(_("依据条款"), max_length=100, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    case_version = models.PositiveIntegerField(_("案件版本"))

    class Meta:
        ordering = ["case", "sequence"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        constraints = [models.UniqueConstraint(fields=["case", "sequence"], name="audit_sequence_per_case")]

    def __str__(self):
        return f"{self.case_id}#{self.sequence} {self.name}"


class AuditAttachment(models.Model):
    """A document an audit entry relied on; append-only like the entry."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.PROTECT, related_name="attachments")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "document"], name="audit_attachment_once")]


AuditKind = AuditEntry.Kind  # module-level name for the OpenAPI enum (settings.SPECTACULAR_SETTINGS)
