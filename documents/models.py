"""Files a case relies on. A document is never replaced in place: a new upload is a new row, so every version
that a decision relied on stays (DESIGN.md: stage records keep their earlier versions)."""
import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _upload_to(document, filename):
    # The stored name is ours, not the uploader's: a timestamp and a random part, with the extension of the
    # format the bytes showed (the original name is kept as the title).
    return f"cases/{document.case_id}/{document.kind}/{timezone.now():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:12]}.{filename}"


class Document(models.Model):
    class Kind(models.TextChoices):
        APPLICATION_FORM = "application_form", _("申请表（盖章扫描件）")
        CREATION_PLAN = "creation_plan", _("创建方案")
        SUPPORTING = "supporting", _("相关材料")
        EVALUATION_APPLICATION = "evaluation_application", _("评估申请表")
        SELF_ASSESSMENT_REPORT = "self_assessment_report", _("自评报告")
        REVIEW_OPINION = "review_opinion", _("审核意见")
        CREATION_EVIDENCE = "creation_evidence", _("创建工作材料")
        OTHER = "other", _("其他")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    file = models.FileField(_("文件"), upload_to=_upload_to, max_length=300)
    # The format read from the file's bytes at upload (documents.content): pdf, ofd, docx, xlsx, jpeg or png.
    content_format = models.CharField(_("格式"), max_length=8, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["case", "kind", "-uploaded_at", "-pk"]
        verbose_name = _("材料")
        verbose_name_plural = _("材料")

    def __str__(self):
        return self.title

    @staticmethod
    def digest(uploaded):
        h = hashlib.sha256()
        for chunk in uploaded.chunks():
            h.update(chunk)
        uploaded.seek(0)
        return h.hexdigest()


DocumentKind = Document.Kind  # module-level name for the OpenAPI enum (settings.SPECTACULAR_SETTINGS)


def _pending_upload_to(pending, filename):
    # Outside cases/ (the orphan sweep's folder): a kept file is not yet a document of the case.
    return f"pending/{pending.user_id}/{timezone.now():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:12]}"


class PendingUpload(models.Model):
    """A file chosen in a form that then failed (a missing title, a wrong kind, a refused step): kept on the server
    for its user and case, so the next valid post uses it without choosing the file again. Not a material of the
    case — it becomes one only through documents.services.upload_document, and is then removed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=_pending_upload_to, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("暂存文件")
        verbose_name_plural = _("暂存文件")

    def __str__(self):
        return self.name
