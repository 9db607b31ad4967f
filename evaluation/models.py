"""Stage 5–7: evaluation rounds, the self-assessment, the province's evaluation pre-review, SAMR's expert
evaluation, its score sheets (one per stage, locked once submitted), their aggregation and the result
(办法 第十二条–第十七条). The indicator systems the sheets score against and the scoring engine are
indicators/'s."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import POINTS


class Round(models.Model):
    """评估批次: a round of evaluation SAMR opens (办法 第十二条–第十七条), with its 文号, the days applications are
    taken and the indicator-system version in force. An evaluation application belongs to a round; a
    re-evaluation (办法 第十七条) to the next one."""

    title = models.CharField(_("批次名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=50, blank=True)
    opens_on = models.DateField(_("受理开始日"))
    closes_on = models.DateField(_("受理截止日"))
    indicator_system = models.ForeignKey("indicators.IndicatorSystem", on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("评估指标体系版本"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("评估批次")
        verbose_name_plural = _("评估批次")
        constraints = [models.CheckConstraint(name="round_days_ordered", condition=Q(closes_on__gte=F("opens_on")))]

    def __str__(self):
        return self.title

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on


class SelfAssessment(models.Model):
    """办法 第十二条: 自评 — the applicant's own total and whether it passes."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="self_assessments")
    total_score = models.DecimalField(_("自评总分"), max_digits=6, decimal_places=2)
    passed = models.BooleanField(_("自评合格"))
    summary = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("自评结果")
        verbose_name_plural = _("自评结果")
        constraints = [models.CheckConstraint(name="self_assessment_score_range",
                                              condition=Q(total_score__gte=0, total_score__lte=100))]


class PreReview(models.Model):
    """办法 第十三条: 评估初审 by 资料审查、数据比对、实地核查."""

    class Outcome(models.TextChoices):
        RETURNED = "return_evaluation", _("退回补正")
        FORWARDED = "forward_evaluation", _("初审合格，报送总局")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="pre_reviews")
    outcome = models.CharField(_("初审结论"), max_length=32, choices=Outcome.choices)
    documents_checked = models.BooleanField(_("资料审查"), default=False)
    data_compared = models.BooleanField(_("数据比对"), default=False)
    site_checked = models.BooleanField(_("实地核查"), default=False)
    comment = models.TextField(_("意见"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("评估初审")
        verbose_name_plural = _("评估初审")


class ExpertAssignment(models.Model):
    """办法 第十四条: SAMR assigns experts; an expert sees only the cases assigned to them."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="expert_assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_assignments")
    round = models.PositiveSmallIntegerField(_("评估轮次"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("专家指派")
        verbose_name_plural = _("专家指派")
        constraints = [models.UniqueConstraint(fields=["case", "expert", "round"], name="expert_once_per_round")]


class EvaluationResult(models.Model):
    """办法 第十四条: 形成评估结果 — the result of one evaluation round."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="evaluation_results")
    round = models.PositiveSmallIntegerField(_("评估轮次"))
    total_score = models.DecimalField(_("评估总分"), max_digits=6, decimal_places=2)
    passed = models.BooleanField(_("评估合格"))
    # 办法 第十四条: the indicator system's pass rule is necessary (rule_passed), not sufficient: SAMR weighs the
    # factors of its rule set ({factor: text}) and may conclude 不合格 with reasons — never 合格 on a failed rule.
    rule_passed = models.BooleanField(_("指标体系合格标准"), null=True)
    weighing = models.JSONField(_("综合考虑"), default=dict, blank=True)
    reasons = models.TextField(_("结论理由"), blank=True)
    summary = models.TextField(_("评估结论"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("评估结果")
        verbose_name_plural = _("评估结果")
        constraints = [models.CheckConstraint(name="evaluation_score_range",
                                              condition=Q(total_score__gte=0, total_score__lte=100)),
                       # 办法 第十四条: never a pass on a failed indicator rule.
                       models.CheckConstraint(name="evaluation_pass_needs_the_rule",
                                              condition=~Q(passed=True, rule_passed=False))]


# 办法 第十四条 综合考虑 … 等因素: the factors SAMR weighs, by key (a rule set lists the ones its measures name).
WEIGHING_FACTORS = {
    "representativeness": _("示范区创建代表性"),
    "regional_role": _("区域引领带动作用"),
    "platform_results": _("平台经济发展质效"),
}


class SheetStage(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("创建对象自评")  # 办法 第十二条
    PRE_REVIEW = "pre_review", _("省级评估初审")  # 办法 第十三条
    EXPERT = "expert", _("总局专家评分")  # 办法 第十四条
    FINAL = "final", _("评估结果")  # 办法 第十四条: 形成评估结果


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已提交")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("专家平均分")
    MEDIAN = "median", _("专家中位数")


class LockedSheetError(ValidationError):
    """A write to a submitted score sheet (DESIGN.md: each stage's scores are kept; a submitted sheet is locked)."""


class ScoreSheet(models.Model):
    """One stage's scores for one case against the case's indicator-system version. Submitted sheets are locked:
    save() refuses, the services refuse, and on PostgreSQL a trigger refuses (migration 0002).

    ``attempt`` numbers the sheets of one stage in one round: a returned evaluation application (办法 第十三条)
    is self-assessed and pre-reviewed again, and the earlier submitted sheets are kept."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="score_sheets",
                             verbose_name=_("创建案件"))
    system = models.ForeignKey("indicators.IndicatorSystem", on_delete=models.PROTECT, related_name="score_sheets",
                               verbose_name=_("指标体系版本"))
    stage = models.CharField(_("阶段"), max_length=20, choices=SheetStage.choices)
    round = models.PositiveSmallIntegerField(_("评估轮次"), default=1)
    attempt = models.PositiveSmallIntegerField(_("次序"), default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="score_sheets",
                               verbose_name=_("评分人"))
    assignment = models.ForeignKey(ExpertAssignment, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="score_sheets", verbose_name=_("专家指派"))
    status = models.CharField(_("状态"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    inputs = models.JSONField(_("输入数据"), default=dict, blank=True)
    context = models.JSONField(_("评估年份与地区"), default=dict, blank=True)
    benchmarks = models.JSONField(_("所用全国数据"), default=dict, blank=True)
    result = models.JSONField(_("计分说明"), default=dict, blank=True)
    total_score = models.DecimalField(_("总分"), null=True, blank=True, **POINTS)
    passed = models.BooleanField(_("合格"), null=True, blank=True)
    conflict_declared_at = models.DateTimeField(_("利益冲突声明时间"), null=True, blank=True)
    has_conflict = models.BooleanField(_("存在利益冲突"), null=True, blank=True)
    conflict_statement = models.TextField(_("利益冲突说明"), blank=True)
    aggregation = models.CharField(_("汇总方式"), max_length=16, choices=Aggregation.choices, blank=True)
    divergence_margin = models.DecimalField(_("分歧阈值（分）"), null=True, blank=True, **POINTS)
    divergent = models.JSONField(_("专家分歧指标"), default=list, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        db_table = "indicators_scoresheet"  # moved from indicators/ (issue 10 item 11); the data stayed put
        ordering = ["case", "round", "stage", "pk"]
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = [
            models.CheckConstraint(name="sheet_total_in_range",
                                   condition=Q(total_score__isnull=True) | Q(total_score__gte=0, total_score__lte=100)),
            models.CheckConstraint(name="submitted_sheet_has_time",
                                   condition=Q(status="draft") | Q(submitted_at__isnull=False)),
            models.CheckConstraint(name="expert_sheet_has_assignment",
                                   condition=~Q(stage="expert") | Q(assignment__isnull=False)),
            # A submitted sheet carries its decision; an expert with a conflict of interest submits nothing.
            models.CheckConstraint(name="submitted_sheet_has_total",
                                   condition=Q(status="draft") | Q(total_score__isnull=False)),
            models.CheckConstraint(name="submitted_expert_sheet_has_no_conflict",
                                   condition=~Q(stage="expert") | Q(status="draft") | Q(has_conflict=False)),
            models.UniqueConstraint(fields=["assignment"], condition=Q(assignment__isnull=False),
                                    name="one_sheet_per_assignment"),
            models.UniqueConstraint(fields=["case", "round", "stage", "attempt"], condition=~Q(stage="expert"),
                                    name="one_sheet_per_stage_round_attempt"),
            models.UniqueConstraint(fields=["case", "round"], condition=Q(stage="final"),
                                    name="one_final_sheet_per_round"),
        ]

    def __str__(self):
        return f"{self.case} {self.get_stage_display()} 第{self.round}轮"

    @property
    def is_locked(self):
        return self.status == SheetStatus.SUBMITTED

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk, status=SheetStatus.SUBMITTED).exists():
            raise LockedSheetError(_("评分表已提交，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk, status=SheetStatus.SUBMITTED).exists():
            raise LockedSheetError(_("评分表已提交，不能删除。"))
        return super().delete(*args, **kwargs)


class SheetEntry(models.Model):
    """One indicator's line on a sheet: the score (0 ≤ score ≤ the indicator's points), the explanation, evidence.
    ``override`` is a pre-reviewer's or expert's own score for the whole indicator (the engine still caps it);
    ``score`` is what the sheet counts — empty while the indicator still lacks data (missing is not zero)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="entries", verbose_name=_("评分表"))
    number = models.PositiveSmallIntegerField(_("指标编号"))
    points = models.DecimalField(_("指标分值"), **POINTS)
    score = models.DecimalField(_("得分"), null=True, blank=True, **POINTS)
    override = models.DecimalField(_("评审人评分"), null=True, blank=True, **POINTS)
    explanation = models.TextField(_("说明"), blank=True)
    evidence = models.ManyToManyField("documents.Document", blank=True, related_name="+", verbose_name=_("佐证材料"),
                                      db_table="indicators_sheetentry_evidence")

    class Meta:
        db_table = "indicators_sheetentry"  # moved from indicators/ (issue 10 item 11); the data stayed put
        ordering = ["sheet", "number"]
        verbose_name = _("评分明细")
        verbose_name_plural = _("评分明细")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="entry_once_per_indicator"),
            models.CheckConstraint(name="entry_score_within_points",
                                   condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=F("points"))),
            models.CheckConstraint(name="entry_override_within_points",
                                   condition=Q(override__isnull=True) | Q(override__gte=0, override__lte=F("points"))),
        ]

    def save(self, *args, **kwargs):
        if ScoreSheet.objects.filter(pk=self.sheet_id, status=SheetStatus.SUBMITTED).exists():
            raise LockedSheetError(_("评分表已提交，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if ScoreSheet.objects.filter(pk=self.sheet_id, status=SheetStatus.SUBMITTED).exists():
            raise LockedSheetError(_("评分表已提交，不能修改。"))
        return super().delete(*args, **kwargs)


@receiver(m2m_changed, sender=SheetEntry.evidence.through)
def _evidence_of_a_locked_sheet_never_changes(sender, instance, action, reverse, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear") or reverse:
        return
    if ScoreSheet.objects.filter(pk=instance.sheet_id, status=SheetStatus.SUBMITTED).exists():
        raise LockedSheetError(_("评分表已提交，不能修改。"))


class ScoringYears(models.Model):
    """The years a case's sheets score, as a SAMR officer set them with a reason (issue 10 item 5). By default
    the years are the case's own — the full calendar years before the evaluation application (2022 system,
    "近2年") or the years of the creation period (current draft, "创建期内"), as the indicator system's
    scoring_years rule says — and nobody types them; only SAMR may set others. Rows are appended, never
    changed: the latest of a case's round counts, and each change is also an audit entry with the reason."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="scoring_years",
                             verbose_name=_("创建案件"))
    round = models.PositiveSmallIntegerField(_("评估轮次"))
    years = models.JSONField(_("评估年份"))
    reason = models.TextField(_("调整理由"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("调整人"))
    set_at = models.DateTimeField(_("调整时间"), default=timezone.now)

    class Meta:
        ordering = ["case", "round", "-set_at", "-pk"]
        verbose_name = _("评估年份调整")
        verbose_name_plural = _("评估年份调整")
        constraints = [models.CheckConstraint(name="scoring_years_have_reason", condition=~Q(reason=""))]

    def __str__(self):
        return f"{self.case} 第{self.round}轮：{'、'.join(map(str, self.years))}"
