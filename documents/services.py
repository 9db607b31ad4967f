"""Uploading a document to a case: a new row every time, audited."""
from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import Role
from cases.errors import IllegalTransition, InvalidPayload, NotAllowed
from cases.services import locked_case, record_action
from cases.workflow import TERMINAL_STATES

from .models import Document

# Who may upload which kinds: the applicant its application and evaluation materials, reviewers their opinions.
KINDS_BY_ROLE = {
    Role.APPLICANT: {Document.Kind.APPLICATION_FORM, Document.Kind.CREATION_PLAN, Document.Kind.SUPPORTING,
                     Document.Kind.EVALUATION_APPLICATION, Document.Kind.SELF_ASSESSMENT_REPORT, Document.Kind.OTHER},
    Role.PROVINCIAL_REVIEWER: {Document.Kind.REVIEW_OPINION, Document.Kind.OTHER},
    Role.SAMR_OFFICER: {Document.Kind.REVIEW_OPINION, Document.Kind.OTHER},
}


def upload_document(*, case_id, actor, kind, title, file):
    with locked_case(case_id, actor) as case:
        if kind not in KINDS_BY_ROLE.get(actor.role, set()):
            raise NotAllowed(_("您的角色不能上传该类材料。"))
        if case.state in TERMINAL_STATES:
            raise IllegalTransition(_("案件已终结，不能再上传材料。"), state=case.state)
        if file.size > settings.DOCUMENT_MAX_BYTES:
            raise InvalidPayload(_("文件过大（上限 %(mb)s MB）。") % {"mb": settings.DOCUMENT_MAX_BYTES // 1048576},
                                 errors={"file": [_("文件过大。")]})
        document = Document.objects.create(case=case, kind=kind, title=title or file.name, file=file, size=file.size,
                                           sha256=Document.digest(file), uploaded_by=actor)
        record_action(case, actor=actor, name="upload_document", label=_("上传材料"),
                      data={"document": document.pk, "kind": kind, "sha256": document.sha256})
    return document
