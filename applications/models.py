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
    """《创建申请表》 (办法 第七条) — one row per saved version; the latest is the current one. In sections: the creation
    object's basic data, the three conditions of 办法 第六条 each with the figures a province checks, the contact.
    The seeds hold no official template of the form: the figures are those the indicator system (seed 001, appendix)
    and the province's check of 第六条 read — see docs/decisions.md. Every figure is optional until submission."""

    TEXT_LIMIT = 2000  # each condition's statement; shown on the page before submit

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="application_forms")
    version = models.PositiveIntegerField(_("版本"))
    # ── 基本情况 ──
    figures_year = models.PositiveSmallIntegerField(_("数据年度"), null=True, blank=True,
                                                    validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    resident_population = models.DecimalField(_("常住人口（万人）"), max_digits=10, decimal_places=2, null=True,
                                              blank=True, validators=[MinValueValidator(Decimal("0"))])
    gdp = models.DecimalField(_("地区生产总值（亿元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                              validators=[MinValueValidator(Decimal("0"))])
    # ── 办法 第六条（一）平台经济基础 ──
    platform_economy = models.TextField(_("平台经济基础"), max_length=TEXT_LIMIT, help_text=_("办法 第六条（一）"))
    ecommerce_sales = models.DecimalField(_("电子商务交易额（亿元）"), max_digits=14, decimal_places=2, null=True,
                                          blank=True, validators=[MinValueValidator(Decimal("0"))])
    online_retail_sales = models.DecimalField(_("网络零售额（亿元）"), max_digits=14, decimal_places=2, null=True,
                                              blank=True, validators=[MinValueValidator(Decimal("0"))])
    online_business_count = models.PositiveIntegerField(_("网络经营主体数量（户）"), null=True, blank=True)
    business_count = models.PositiveIntegerField(_("经营主体总数（户）"), null=True, blank=True)
    platform_count = models.PositiveIntegerField(_("网络交易平台数量（家）"), null=True, blank=True)
    # ── 办法 第六条（二）网络市场监管与服务工作 ──
    supervision_and_service = models.TextField(_("网络市场监管与服务工作"), max_length=TEXT_LIMIT,
                                               help_text=_("办法 第六条（二）"))
    online_complaints = models.PositiveIntegerField(_("上年度网络消费投诉举报（件）"), null=True, blank=True)
    odr_enterprise_count = models.PositiveIntegerField(_("在线消费纠纷解决（ODR）企业数量（家）"), null=True,
                                                       blank=True)
    # ── 办法 第六条（三）监管与服务创新能力 ──
    innovation = models.TextField(_("监管与服务创新能力"), max_length=TEXT_LIMIT, help_text=_("办法 第六条（三）"))
    # ── 联系人 ──
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_unit = models.CharField(_("联系人单位及职务"), max_length=100, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32)
    contact_email = models.EmailField(_("电子邮箱"), max_length=100, blank=True)
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
            models.CheckConstraint(name="application_form_figures_not_negative",
                                   condition=(Q(resident_population__isnull=True) | Q(resident_population__gte=0))
                                   & (Q(gdp__isnull=True) | Q(gdp__gte=0))
                                   & (Q(ecommerce_sales__isnull=True) | Q(ecommerce_sales__gte=0))),
            # 网络经营主体 are a part of all 经营主体 (indicator 3 of seed 001 takes the share).
            models.CheckConstraint(name="application_form_online_businesses_within_all",
                                   condition=Q(online_business_count__isnull=True) | Q(business_count__isnull=True)
                                   | Q(online_business_count__lte=F("business_count"))),
        ]

    # The sections of the form in order, for the page, the diff and the printout.
    SECTIONS = (
        (_("基本情况"), ("figures_year", "resident_population", "gdp")),
        (_("一、平台经济基础较好（办法 第六条（一））"),
         ("platform_economy", "ecommerce_sales", "online_retail_sales", "online_business_count", "business_count",
          "platform_count")),
        (_("二、网络市场监管与服务工作扎实（办法 第六条（二））"),
         ("supervision_and_service", "online_complaints", "odr_enterprise_count")),
        (_("三、网络市场监管与服务创新能力较强（办法 第六条（三））"), ("innovation",)),
        (_("联系人"), ("contact_name", "contact_unit", "contact_phone", "contact_email")),
    )

    @classmethod
    def field_names(cls):
        return [name for _title, names in cls.SECTIONS for name in names]


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
