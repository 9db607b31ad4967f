"""Stage 1–3: the application (申请表, 创建方案), the provincial preliminary review and SAMR's decision.
Every record here is appended, never edited: a new version of the form is a new row."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApplicationCall(models.Model):
    """办法 第七条: 按照市场监管总局通知的要求 — one SAMR call for applications and its dates (inclusive days,
    Asia/Shanghai). Under the 2022 trial measures the dates are fixed and no call is needed."""

    title = models.CharField(_("通知名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    opens_on = models.DateField(_("开始受理"))
    submission_deadline = models.DateField(_("创建对象报送截止日"))
    recommendation_deadline = models.DateField(_("省级推荐截止日"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-opens_on"]
        verbose_name = _("申报通知")
        verbose_name_plural = _("申报通知")
        constraints = [
            models.CheckConstraint(name="call_dates_ordered",
                                   condition=Q(submission_deadline__gte=F("opens_on"))
                                   & Q(recommendation_deadline__gte=F("submission_deadline"))),
        ]

    def __str__(self):
        return self.title


class ApplicationForm(models.Model):
    """《创建申请表》 — one row per saved version; the latest is the current one (办法 第六条's three conditions)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="application_forms")
    version = models.PositiveIntegerField(_("版本"))
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=32)
    platform_economy = models.TextField(_("平台经济基础"), help_text=_("办法 第六条（一）"))
    supervision_and_service = models.TextField(_("网络市场监管与服务工作"), help_text=_("办法 第六条（二）"))
    innovation = models.TextField(_("监管与服务创新能力"), help_text=_("办法 第六条（三）"))
    online_retail_sales = models.DecimalField(_("网络零售额（亿元）"), max_digits=14, decimal_places=2, null=True,
                                              blank=True, validators=[MinValueValidator(Decimal("0"))])
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = _("创建申请表")
        verbose_name_plural = _("创建申请表")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="application_form_version"),
            models.CheckConstraint(name="application_form_sales_not_negative",
                                   condition=Q(online_retail_sales__isnull=True) | Q(online_retail_sales__gte=0)),
        ]


class PreliminaryReview(models.Model):
    """初审 (办法 第八条): the province's outcome, and under the current measures its rank among its picks."""

    class Outcome(models.TextChoices):
        RETURNED = "return_for_correction", _("退回补正")
        RECOMMENDED = "recommend", _("推荐")
        NOT_RECOMMENDED = "decline_recommendation", _("不予推荐")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="preliminary_reviews")
    outcome = models.CharField(_("初审结论"), max_length=32, choices=Outcome.choices)
    rank = models.PositiveSmallIntegerField(_("推荐排序"), null=True, blank=True,
                                            validators=[MinValueValidator(1), MaxValueValidator(999)])
    # The province and the call the rank belongs to, copied from the case so the database can hold ranks unique.
    province = models.ForeignKey("regions.Province", null=True, on_delete=models.PROTECT, related_name="+")
    call = models.ForeignKey(ApplicationCall, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("意见"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "-reviewed_at"]
        verbose_name = _("创建申请初审")
        verbose_name_plural = _("创建申请初审")
        constraints = [
            models.CheckConstraint(name="rank_only_when_recommended",
                                   condition=Q(rank__isnull=True) | Q(outcome="recommend", rank__gte=1)),
            # 办法 第八条 择优推荐: one rank, one city, per province and call — whatever became of the ranked case.
            models.UniqueConstraint(fields=["province", "call", "rank"], name="rank_unique_per_province_and_call",
                                    condition=Q(outcome="recommend", rank__isnull=False, call__isnull=False)),
        ]


class CreationDecision(models.Model):
    """办法 第九条: SAMR agrees (the creation period starts) or does not."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="creation_decisions")
    approved = models.BooleanField(_("同意创建"))
    creation_start = models.DateField(null=True, blank=True)
    creation_end = models.DateField(null=True, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("创建审核决定")
        verbose_name_plural = _("创建审核决定")


class RecommendationList(models.Model):
    """办法 第八条 择优推荐: a province's ordered list of its submitted cities for one call, while its reviewers draw
    it up (move up / down). Submitting it recommends every city in the list's order, each with its rank, in one act
    (applications.recommendations.submit_list); the ranks then live in PreliminaryReview, unique per province and
    call. ``order`` holds case ids: the cities submitted since are appended, those no longer awaiting review dropped."""

    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("省级单位"))
    call = models.ForeignKey(ApplicationCall, on_delete=models.PROTECT, related_name="recommendation_lists",
                             verbose_name=_("申报通知"))
    order = models.JSONField(_("排序"), default=list, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("最近报送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("省级推荐名单")
        verbose_name_plural = _("省级推荐名单")
        constraints = [models.UniqueConstraint(fields=["province", "call"], name="one_recommendation_list_per_province_and_call")]
