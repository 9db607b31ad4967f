"""What an uploaded file really is, read from its bytes — never from its name or the browser's word.

Each material kind accepts only the formats officials exchange (ALLOWED_BY_KIND, data): PDF and OFD (the national
layout format, 国家标准 GB/T 33190), Word and Excel (OOXML), JPEG and PNG. An EXE renamed .pdf, HTML, SVG or
anything else is refused with a message naming what the kind accepts."""
import zipfile

import puremagic
from django.utils.translation import gettext_lazy as _

PDF, OFD, DOCX, XLSX, JPEG, PNG = "pdf", "ofd", "docx", "xlsx", "jpeg", "png"

LABELS = {PDF: "PDF", OFD: "OFD", DOCX: "Word (.docx)", XLSX: "Excel (.xlsx)", JPEG: "JPEG", PNG: "PNG"}
CONTENT_TYPES = {
    PDF: "application/pdf", OFD: "application/ofd",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    JPEG: "image/jpeg", PNG: "image/png",
}
EXTENSIONS = {PDF: "pdf", OFD: "ofd", DOCX: "docx", XLSX: "xlsx", JPEG: "jpg", PNG: "png"}
# Formats a browser shows inline (a reviewer reads the material before acting); the rest download.
INLINE = {PDF, JPEG, PNG}

DOCUMENTS = [PDF, OFD, DOCX]
SCANS = [PDF, OFD, JPEG, PNG]
ALLOWED_BY_KIND = {
    "application_form": SCANS,                       # 申请表（盖章扫描件）
    "creation_plan": DOCUMENTS,                      # 创建方案
    "supporting": [PDF, OFD, DOCX, XLSX, JPEG, PNG],  # 相关材料
    "evaluation_application": SCANS + [DOCX],        # 评估申请表
    "self_assessment_report": DOCUMENTS,             # 自评报告
    "review_opinion": DOCUMENTS,                     # 审核意见
    "other": [PDF, OFD, DOCX, XLSX, JPEG, PNG],      # 其他（年度工作情况报告等）
    "creation_evidence": [PDF, OFD, DOCX, XLSX, JPEG, PNG],  # 创建工作材料（佐证、进展附件）
}

_MAGIC = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}
_ZIP_MARKERS = [(DOCX, "word/document.xml"), (XLSX, "xl/workbook.xml"), (OFD, "OFD.xml")]


class UnacceptableContent(ValueError):
    pass


def sniff(uploaded):
    """The format of an uploaded file from its bytes (one of the six), or None."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if not head:
        return None
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(uploaded)
    try:
        extension = puremagic.from_string(head)
    except puremagic.PureError:
        return None
    return _MAGIC.get(extension)


def _zip_format(uploaded):
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    return next((fmt for fmt, marker in _ZIP_MARKERS if marker in names), None)


def check(uploaded, kind):
    """The file's format if ``kind`` accepts it; UnacceptableContent (with the message a user reads) if not."""
    allowed = ALLOWED_BY_KIND.get(kind, [])
    found = sniff(uploaded)
    if found not in allowed:
        raise UnacceptableContent(
            _("文件内容不是可接受的格式：该类材料只接受 %(allowed)s（按文件内容判断，不看文件名）。")
            % {"allowed": "、".join(LABELS[f] for f in allowed)})
    return found
