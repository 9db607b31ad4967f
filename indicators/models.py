"""Versioned indicator systems (办法 第十一条: 评估指标体系; 评估指标可以根据实际需要进行调整) and national benchmark
figures. The score sheets that use them are the evaluation's (evaluation/models.py).

A published version never changes — a change is a new version — so a case keeps scoring against the version it
was evaluated under. The rows below are the editable, inspectable form; ``IndicatorSystem.spec()`` turns them into
the plain dict the engine (indicators/engine.py) compiles."""
import operator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

POINTS = {"max_digits": 6, "decimal_places": 2}


class PublishedVersionError(ValidationError):
    """A write to a published (or retired) version, which the measures' evaluation relies on never changing."""


class SystemStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class Nature(models.TextChoices):
    """变量性质."""

    QUANTITATIVE = "quantitative", _("定量")
    QUALITATIVE = "qualitative", _("定性")
    MIXED = "mixed", _("定量+定性")


class RuleKind(models.TextChoices):
    PER_YEAR_COMPARISON = "per_year_comparison", _("逐年比较（超过1年得1分）")
    RATIO_BANDS = "ratio_bands", _("比值区间")
    REGIONAL_COUNT = "regional_count", _("按地区门槛计数")
    CONDITIONS = "conditions", _("达标条件（比率门槛等）")
    PER_ITEM = "per_item", _("按件计分（有上限）")
    EXPERT = "expert", _("专家评分")
    ANY_OF = "any_of", _("符合一项即得分")


class IndicatorSystem(models.Model):
    code = models.SlugField(_("版本代码"), max_length=40, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    source_document = models.CharField(_("出处文件"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=SystemStatus.choices, default=SystemStatus.DRAFT)
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    points = models.DecimalField(_("总分"), default=100, **POINTS)
    total_threshold = models.DecimalField(_("合格总分"), **POINTS)
    group_rate_threshold = models.DecimalField(_("一级指标合格得分率"), max_digits=5, decimal_places=4)
    pass_rule_text = models.TextField(_("合格标准原文"), blank=True)
    notes = models.JSONField(_("转录说明"), default=list, blank=True)
    input_catalogue = models.JSONField(_("输入项目录"), default=dict, blank=True)
    benchmark_catalogue = models.JSONField(_("全国数据项目录"), default=dict, blank=True)
    # Which years the sheets score, in the system's own words: {"basis": "before_application", "count": 2,
    # "text": "近2年"} (the full calendar years before the evaluation application) or {"basis": "creation_period",
    # "text": "创建期内"} (the calendar years of the case's creation period); "article" cites the text.
    scoring_years = models.JSONField(_("评估年份规则"), default=dict, blank=True)
    findings = models.JSONField(_("校验结果"), default=list, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("发布人"))

    class Meta:
        ordering = ["-effective_date", "code"]
        verbose_name = _("评估指标体系版本")
        verbose_name_plural = _("评估指标体系版本")
        constraints = [
            models.CheckConstraint(name="system_thresholds_in_range",
                                   condition=Q(total_threshold__gte=0, total_threshold__lte=F("points"),
                                               group_rate_threshold__gte=0, group_rate_threshold__lte=1)),
            models.CheckConstraint(name="published_system_has_publication",
                                   condition=Q(status="draft") | Q(published_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.title}（{self.code}，{self.get_status_display()}）"

    @property
    def is_frozen(self):
        return self.status != SystemStatus.DRAFT

    def save(self, *args, **kwargs):
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values("status").first()
            # Published → retired is the only change a published version allows.
            if stored and stored["status"] != SystemStatus.DRAFT and not (
                    stored["status"] == SystemStatus.PUBLISHED and self.status == SystemStatus.RETIRED
                    and set(kwargs.get("update_fields") or ()) == {"status"}):
                raise PublishedVersionError(_("已发布的指标体系“%(code)s”不能修改；如需调整，请导入新的版本。")
                                            % {"code": self.code})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen:
            raise PublishedVersionError(_("已发布的指标体系“%(code)s”不能删除。") % {"code": self.code})
        return super().delete(*args, **kwargs)

    def spec(self):
        """The version as the engine's plain dict (same shape as fixtures/indicators/*.json)."""
        from .selectors import system_spec
        return system_spec(self)


class FrozenWithSystem(models.Model):
    """Rows of a version: writable only while the version is a draft."""

    # Where the row's version is, as a dotted attribute path from the row.
    system_path = "system"

    class Meta:
        abstract = True

    def _system(self):
        return operator.attrgetter(self.system_path)(self)

    def save(self, *args, **kwargs):
        if self._system().is_frozen:
            raise PublishedVersionError(_("已发布的指标体系不能修改；如需调整，请导入新的版本。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._system().is_frozen:
            raise PublishedVersionError(_("已发布的指标体系不能修改；如需调整，请导入新的版本。"))
        return super().delete(*args, **kwargs)


class Group(FrozenWithSystem):
    """一级指标 (parent empty) or 二级指标 (parent = its 一级指标)."""

    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="groups",
                               verbose_name=_("指标体系"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="subgroups",
                               verbose_name=_("所属一级指标"))
    code = models.CharField(_("代码"), max_length=16, blank=True)
    name = models.CharField(_("名称"), max_length=100)
    points = models.DecimalField(_("分值"), null=True, blank=True, **POINTS)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["system", "order"]
        verbose_name = _("指标分组")
        verbose_name_plural = _("指标分组")
        constraints = [models.CheckConstraint(name="group_points_positive",
                                              condition=Q(points__isnull=True) | Q(points__gt=0))]

    def __str__(self):
        return f"{self.name}（{self.points}分）" if self.points is not None else self.name


class Indicator(FrozenWithSystem):
    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="indicators",
                               verbose_name=_("指标体系"))
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("分组"))
    number = models.PositiveSmallIntegerField(_("编号"))
    name = models.CharField(_("指标名称"), max_length=200)
    points = models.DecimalField(_("分值"), **POINTS)
    nature = models.CharField(_("变量性质"), max_length=16, choices=Nature.choices)
    nature_text = models.CharField(_("变量性质（原文）"), max_length=16, blank=True)
    criteria = models.TextField(_("指标说明及打分标准"))
    assessment_methods = models.TextField(_("评估方式"), blank=True)
    data_sources = models.TextField(_("数据或资料来源"), blank=True)
    notes = models.JSONField(_("转录与解释说明"), default=list, blank=True)

    class Meta:
        ordering = ["system", "number"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [
            models.UniqueConstraint(fields=["system", "number"], name="indicator_number_per_system"),
            models.CheckConstraint(name="indicator_points_positive", condition=Q(points__gt=0)),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}（{self.points}分）"


class ScoringItem(FrozenWithSystem):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="items",
                                  verbose_name=_("指标"))
    key = models.SlugField(_("代码"), max_length=40)
    label = models.CharField(_("计分项"), max_length=300)
    points = models.DecimalField(_("分值"), **POINTS)
    kind = models.CharField(_("计分规则"), max_length=32, choices=RuleKind.choices)
    params = models.JSONField(_("规则参数"), default=dict)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["indicator", "order"]
        verbose_name = _("计分项")
        verbose_name_plural = _("计分项")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "key"], name="item_key_per_indicator"),
            models.CheckConstraint(name="item_points_positive", condition=Q(points__gt=0)),
        ]

    def __str__(self):
        return f"{self.key} {self.label}（{self.points}分）"

    system_path = "indicator.system"


class NationalFigure(models.Model):
    """A national (全国) benchmark figure for one year, entered by an admin with its source. Rates are fractions
    (0.125 = 12.5 %). Demo figures carry is_demo and say so in their source; they are never mistaken for data."""

    key = models.SlugField(_("数据项"), max_length=60)
    label = models.CharField(_("名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("数值"), max_digits=12, decimal_places=6)
    source = models.CharField(_("来源"), max_length=300)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("录入人"))
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        ordering = ["key", "-year"]
        verbose_name = _("全国基准数据")
        verbose_name_plural = _("全国基准数据")
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="national_figure_once_per_year"),
            models.CheckConstraint(name="national_figure_has_source", condition=~Q(source="")),
            models.CheckConstraint(name="demo_figure_says_demo",
                                   condition=Q(is_demo=False) | Q(source__contains="演示数据")),
        ]

    def __str__(self):
        demo = "（演示数据）" if self.is_demo else ""
        return f"{self.label} {self.year}年：{self.value}{demo}"


class MissingNationalFigure(models.Model):
    """A national figure (key, year) a score sheet needed before any admin entered it. The admins are told once
    per figure and year (a row here is that telling); an applicant is never asked for it (issue 7 item 5)."""

    key = models.SlugField(_("数据项"), max_length=60)
    year = models.PositiveSmallIntegerField(_("年度"))
    label = models.CharField(_("名称"), max_length=120)
    first_needed_by = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("首次需要的案件"))
    noticed_at = models.DateTimeField(_("通知时间"), default=timezone.now)

    class Meta:
        ordering = ["key", "year"]
        verbose_name = _("待录入的全国数据")
        verbose_name_plural = _("待录入的全国数据")
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="missing_national_figure_once")]

    def __str__(self):
        return f"{self.label} {self.year}年"
