"""Uploading a document to a case: a new row every time, audited."""
from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import Role
from cases.errors import IllegalTransition, InvalidPayload, NotAllowed
from cases.services import locked_case, record_action
from cases.workflow import TERMINAL_STATES

from . import content, files
from .models import Document

# Who may upload which kinds: the applicant its application and evaluation materials, reviewers their opinions.
KINDS_BY_ROLE = {
    Role.APPLICANT: {Document.Kind.APPLICATION_FORM, Document.Kind.CREATION_PLAN, Document.Kind.SUPPORTING,
                     Document.Kind.EVALUATION_APPLICATION, Document.Kind.SELF_ASSESSMENT_REPORT, Document.Kind.OTHER},
    Role.PROVINCIAL_REVIEWER: {Document.Kind.REVIEW_OPINION, Document.Kind.OTHER},
    Role.SAMR_OFFICER: {Document.Kind.REVIEW_OPINION, Document.Kind.OTHER},
}


def upload_document(*, case_id, actor, kind, title, file):
    """Who may call it: the roles in KINDS_BY_ROLE, for their kinds, on a case in their scope that is not closed.
    The file's bytes must be a format the kind accepts (documents.content). Writes the document, its file (kept
    only if the act commits) and an audit entry with the file's SHA-256."""
    with locked_case(case_id, actor) as case:
        if kind not in KINDS_BY_ROLE.get(actor.role, set()):
            raise NotAllowed(_("您的角色不能上传该类材料。"))
        if case.state in TERMINAL_STATES:
            raise IllegalTransition(_("案件已终结，不能再上传材料。"), state=case.state)
        document = store_file(case=case, actor=actor, kind=kind, file=file, title=title)
        record_action(case, actor=actor, name="upload_document", label=_("上传材料"),
                      data={"document": document.pk, "kind": kind, "sha256": document.sha256})
    return document


def store_file(*, case, actor, kind, file, title=""):
    """The file as a Document of ``case``, checked like every upload: its size, and its format read from the bytes
    (documents.content, the formats ``kind`` accepts). The file is kept only if the calling act commits. For the
    acts that own their upload (upload_document above; the creation workspace, whose liaisons are outside
    cases_visible_to): call it inside the act's transaction, the case locked; scope and role are the caller's."""
    if file.size > settings.DOCUMENT_MAX_BYTES:
        raise InvalidPayload(_("文件过大（上限 %(mb)s MB）。") % {"mb": settings.DOCUMENT_MAX_BYTES // 1048576},
                             errors={"file": [_("文件过大。")]})
    try:
        found = content.check(file, kind)
    except content.UnacceptableContent as refusal:
        raise InvalidPayload(str(refusal), errors={"file": [str(refusal)]}) from None
    document = Document(case=case, kind=kind, title=(title or file.name or "")[:200], size=file.size,
                        sha256=Document.digest(file), uploaded_by=actor, content_format=found)
    document.file.save(content.EXTENSIONS[found], file, save=False)
    files.track(document.file.name)  # removed again if this act does not commit
    document.save()
    return document
