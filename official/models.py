"""Official documents (公文): what the acts of the programme issue — numbered (文号), rendered once as PDF/A, stored
with their SHA-256 and never changed. A correction is a new document that names the one it replaces.

The 文号's prefix is data per issuer and kind (NumberingRule, fixtures/official_numbering.json): SAMR's and each
province's bureau's own. Numbers run gapless per issuing organisation, kind and year (official/numbering.py)."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("推荐函")  # 办法 第八条: the province's ranked recommendation
    APPROVAL = "approval", _("同意创建的批复")  # 办法 第九条
    PRE_REVIEW = "pre_review", _("评估初审意见")  # 办法 第十三条
    EVALUATION_REPORT = "evaluation_report", _("评估报告")  # 办法 第十四条
    NOTICE = "notice", _("公示")  # 办法 第十五条
    ANNOUNCEMENT = "announcement", _("认定公告")  # 办法 第十六条
    SANCTION = "sanction", _("动态管理决定")  # 办法 第二十二条
    SCORE_SHEET = "score_sheet", _("专家评分表")  # 办法 第十四条: each expert scores on their own


# Published to everyone, and so served from the public portal too (办法 第十五条、第十六条 向社会公布).
PUBLIC_KINDS = frozenset({DocumentKind.NOTICE, DocumentKind.ANNOUNCEMENT})


class IssuerKind(models.TextChoices):
    SAMR = "samr", _("市场监管总局")
    PROVINCE = "province", _("省级市场监管部门")


class NumberingRule(models.Model):
    """How one issuer numbers one kind of document: ``pattern`` with {prefix}, {year} and {n} — 市监网监〔2026〕12号.
    SAMR's rules have no province; a province's bureau has its own prefix (浙市监网函〔2026〕3号)."""

    issuer_kind = models.CharField(_("发文机关类别"), max_length=16, choices=IssuerKind.choices)
    province = models.ForeignKey("regions.Province", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("省级单位"))
    kind = models.CharField(_("公文种类"), max_length=24, choices=DocumentKind.choices)
    prefix = models.CharField(_("发文机关代字"), max_length=40)
    pattern = models.CharField(_("文号格式"), max_length=60, default="{prefix}〔{year}〕{n}号")

    class Meta:
        ordering = ["issuer_kind", "province", "kind"]
        verbose_name = _("文号规则")
        verbose_name_plural = _("文号规则")
        constraints = [
            models.UniqueConstraint(fields=["issuer_kind", "province", "kind"], name="numbering_rule_once",
                                    nulls_distinct=False),
            models.CheckConstraint(name="numbering_rule_province_matches_issuer",
                                   condition=Q(issuer_kind="samr", province__isnull=True)
                                   | Q(issuer_kind="province", province__isnull=False)),
        ]

    def __str__(self):
        return self.format(year=2026, n=1)

    def format(self, *, year, n):
        return self.pattern.format(prefix=self.prefix, year=year, n=n)


class ImmutableDocumentError(ValidationError):
    """An issued document is stored once and never changed (issue #11: a correction is a new document)."""


def _upload_to(document, filename):
    return f"official/{document.year}/{document.kind}/{filename}"


class OfficialDocument(models.Model):
    """One issued document. ``case`` is empty for a list (the 公示 and the 认定公告 name several cities: ``listing``
    or ``announcement`` says which list). Never updated or deleted: save() and delete() refuse, and on PostgreSQL
    a trigger refuses UPDATE and DELETE (migration 0002)."""

    kind = models.CharField(_("公文种类"), max_length=24, choices=DocumentKind.choices)
    number = models.CharField(_("文号"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=300)
    issuer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("发文机关"))
    issuer_name = models.CharField(_("发文机关名称"), max_length=100)
    issued_at = models.DateTimeField(_("成文时间"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("经办人"))
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="official_documents", verbose_name=_("创建案件"))
    # A list has one original document (constraint below) and, once corrected, its corrections.
    listing = models.ForeignKey("publicity.NoticeList", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="official_documents", verbose_name=_("公示名单"))
    announcement = models.ForeignKey("designation.Announcement", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="official_documents", verbose_name=_("认定公告"))
    move = models.CharField(_("办理事项"), max_length=48)
    file = models.FileField(_("文件"), upload_to=_upload_to, max_length=300)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64, db_index=True)
    pdf_variant = models.CharField(_("PDF 格式"), max_length=16)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by", verbose_name=_("更正的公文"))

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind", "year", "sequence"], name="official_number_once"),
            # A case's document, or one list's: never both, never neither.
            models.CheckConstraint(name="official_document_belongs_somewhere",
                                   condition=Q(case__isnull=False, listing__isnull=True, announcement__isnull=True)
                                   | Q(case__isnull=True, listing__isnull=False, announcement__isnull=True)
                                   | Q(case__isnull=True, listing__isnull=True, announcement__isnull=False)),
            # A list is issued once; any further document of it is a correction.
            models.UniqueConstraint(fields=["listing"], condition=Q(replaces__isnull=True),
                                    name="official_list_issued_once"),
            models.UniqueConstraint(fields=["announcement"], condition=Q(replaces__isnull=True),
                                    name="official_announcement_issued_once"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def superseded_by(self):
        """The correction that replaced this document, or None (reads ``replaced_by``, select_related it)."""
        try:
            return self.replaced_by
        except OfficialDocument.DoesNotExist:
            return None

    @property
    def is_public(self):
        return self.kind in PUBLIC_KINDS

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableDocumentError(_("公文一经印发不得修改；更正须另行印发并注明所更正的公文。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError(_("公文一经印发不得删除。"))


OfficialDocumentKind = DocumentKind  # module-level name for the OpenAPI enum (settings.SPECTACULAR_SETTINGS)
