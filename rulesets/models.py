"""The measures (管理办法) a case is governed by, as data: each case is bound to the rule set it was approved
under, and every difference between the 2022 trial measures and the current ones is read from here."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationCalendar(models.TextChoices):
    # 试行办法 第七条: 5月底前报省, 1个月内初审, 6月底前报总局 — the same dates every year.
    FIXED_YEARLY = "fixed_yearly", _("每年固定日期")
    # 办法 第七条: 按照市场监管总局通知的要求 — each call for applications sets its own dates.
    PER_CALL = "per_call", _("按总局通知")


class SelfAssessmentTiming(models.TextChoices):
    DURING_CREATION = "during_creation", _("条件成熟的，创建期内")  # 试行办法 第十条
    AFTER_CREATION_END = "after_creation_end", _("创建期满后")  # 办法 第十二条


class ExperienceRoute(models.TextChoices):
    # 试行办法 第十九条: 经所在地省级市场监管部门审核后报市场监管总局 — the province reviews and forwards.
    VIA_PROVINCE = "via_province", _("经省级审核后报总局")
    # 办法 第十九条: 报送市场监管总局 — straight to SAMR; the province is informed (第三条 协助 … 督促指导).
    TO_SAMR_PROVINCE_INFORMED = "to_samr_province_informed", _("直报总局，抄送省级")


class RuleSet(models.Model):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    title = models.CharField(_("名称"), max_length=100)
    source_document = models.CharField(_("来源文件"), max_length=200)
    effective_from = models.DateField(_("施行日期"))
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)

    max_creation_years = models.PositiveSmallIntegerField(_("创建周期上限（年）"))
    application_calendar = models.CharField(_("申报日程"), max_length=16, choices=ApplicationCalendar.choices)
    # Fixed-calendar dates (2022 trial measures only); month and day in Asia/Shanghai.
    applicant_deadline_month = models.PositiveSmallIntegerField(null=True, blank=True)
    applicant_deadline_day = models.PositiveSmallIntegerField(null=True, blank=True)
    province_review_months = models.PositiveSmallIntegerField(null=True, blank=True)
    province_forward_month = models.PositiveSmallIntegerField(null=True, blank=True)
    province_forward_day = models.PositiveSmallIntegerField(null=True, blank=True)

    province_ranks = models.BooleanField(_("省级择优排序推荐"))
    self_assessment_timing = models.CharField(_("自评时机"), max_length=24, choices=SelfAssessmentTiming.choices)
    # How long after the creation period ends an evaluation application is still taken before the case lapses.
    evaluation_grace_days = models.PositiveSmallIntegerField(_("期满后评估申请期限（天）"))
    re_evaluations_allowed = models.PositiveSmallIntegerField(_("未通过后可再次评估次数"))
    notice_days = models.PositiveSmallIntegerField(_("公示天数"))
    annual_report_month = models.PositiveSmallIntegerField(null=True, blank=True)
    annual_report_day = models.PositiveSmallIntegerField(null=True, blank=True)
    indicator_system_code = models.CharField(_("评估指标体系"), max_length=32)
    # 办法 第十四条 综合考虑: the factors SAMR weighs beside the indicator score (keys of evaluation.WEIGHING_FACTORS);
    # none under the 2022 trial measures (试行办法 第十二条: the score alone forms the result).
    evaluation_weighing = models.JSONField(_("评估综合考虑因素"), default=list)
    # Evaluation applications are taken in SAMR's rounds (评估批次); a re-evaluation belongs to the next one
    # (办法 第十七条 下一次示范区评估认定). The 2022 trial measures take them any day of the creation period.
    evaluation_rounds = models.BooleanField(_("按评估批次受理"), default=False)
    # 第二十二条's grounds for 约谈/警示/取消资格, in these measures' own words: {ground key: text}.
    sanction_grounds = models.JSONField(_("动态管理情形"), default=dict)
    # 第十九条's experience reports (典型经验): their route, and whether a city still creating reports too (办法: 示范区
    # 和创建对象; 试行办法: 示范区 only).
    experience_route = models.CharField(_("典型经验报送路径"), max_length=32, choices=ExperienceRoute.choices,
                                        default=ExperienceRoute.TO_SAMR_PROVINCE_INFORMED)
    experience_from_creating = models.BooleanField(_("创建对象可报送典型经验"), default=True)
    # Transition name → the article of these measures that governs it, quoted in the audit trail.
    articles = models.JSONField(_("条款对照"), default=dict)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("管理办法版本")
        verbose_name_plural = _("管理办法版本")

    def __str__(self):
        return self.title

    def article(self, transition_name):
        return self.articles.get(transition_name, "")
