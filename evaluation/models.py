"""Stage 5–7: self-assessment, the province's evaluation pre-review, SAMR's expert evaluation and its result.
The self-assessment and the result are recorded decisions until the indicator engine's score sheets feed them."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
