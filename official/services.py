"""Issuing an official document, and verifying one. The only writers of OfficialDocument.

``issue`` runs inside the act's transaction (cases.services.perform_transition, through official.registry): it takes
the 文号, renders the PDF/A, stores it once and writes the row — so a document exists exactly when its act does.
A rolled-back act takes its number back (django-sequences, in the same transaction) and its file is removed
(documents.files.track)."""
import dataclasses
import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from accounts.models import Organisation, OrganisationKind
from documents.files import track

from . import numbering, rendering
from .models import OfficialDocument


@dataclasses.dataclass
class Draft:
    """What an act's document builder (official.registry) hands to ``issue``."""

    kind: str
    title: str
    template: str
    context: dict
    case: object = None
    listing: object = None
    announcement: object = None
    n: int | None = None  # a number the document's own record already carries (the 认定公告)


def issuer_for(actor, *, samr, case=None):
    """The issuing organisation: the acting person's, when it is of the right kind (SAMR or the case's province);
    otherwise the organisation of that kind the platform has."""
    organisation = getattr(actor, "organisation", None)
    if samr:
        if organisation is not None and organisation.kind == OrganisationKind.SAMR:
            return organisation
        found = Organisation.objects.filter(kind=OrganisationKind.SAMR).order_by("pk").first()
    else:
        province_id = case.creation_object.province_id
        if organisation is not None and organisation.kind == OrganisationKind.PROVINCE \
                and organisation.province_id == province_id:
            return organisation
        found = Organisation.objects.filter(kind=OrganisationKind.PROVINCE, province_id=province_id).first()
    if found is None:
        from cases.errors import GuardFailed

        raise GuardFailed(_("没有可署名的发文机关，不能印发公文；请管理员先设置机构。"))
    return found


def issue(draft, *, actor, issuer, move, replaces=None, correction_reason=""):
    """Number, render, store and record one document (inside the caller's transaction). Returns the row."""
    now = timezone.now()
    today = timezone.localdate(now)
    number, n = numbering.next_number(issuer=issuer, kind=draft.kind, year=today.year, n=draft.n)
    context = {**draft.context, "number": number, "title": draft.title, "issuer_name": issuer.name,
               "issued_on": today, "replaces": replaces,
               "correction_reason": correction_reason}
    pdf = rendering.render_pdf(draft.template, context)
    digest = hashlib.sha256(pdf).hexdigest()
    name = default_storage.save(f"official/{today.year}/{draft.kind}/{issuer.pk}-{n}-{digest[:16]}.pdf",
                                ContentFile(pdf))
    track(name)  # kept only if the act commits
    return OfficialDocument.objects.create(
        kind=draft.kind, number=number, year=today.year, sequence=n, title=draft.title, issuer=issuer,
        issuer_name=issuer.name, issued_at=now, issued_by=actor if getattr(actor, "pk", None) else None,
        case=draft.case, listing=draft.listing, announcement=draft.announcement, move=move, file=name,
        size=len(pdf), sha256=digest, pdf_variant=rendering.ARCHIVE_VARIANT, replaces=replaces)


def audit_data(document):
    """What the act's audit entry records of the document it issued (issue #11: number, issuer, SHA-256)."""
    return {"id": document.pk, "kind": document.kind, "number": document.number, "title": document.title,
            "issuer": document.issuer_name, "issued_at": document.issued_at.isoformat(), "sha256": document.sha256}


def sha256_of(uploaded):
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def verify(*, number, sha256):
    """Whether a document with this 文号 and this SHA-256 was issued — and if so by whom, when, and under which
    title (and whether a correction has replaced it). Anyone may ask; a wrong pair reveals nothing."""
    number = (number or "").strip()
    sha256 = (sha256 or "").strip().lower()
    document = (OfficialDocument.objects.filter(number=number, sha256=sha256)
                .select_related("replaced_by", "replaces").first() if number and sha256 else None)
    if document is None:
        return {"genuine": False, "number": number, "issuer": None, "issued_at": None, "title": None,
                "superseded": False, "replaced_by": None, "replaces": None}
    replaced_by = document.superseded_by
    return {"genuine": True, "number": document.number, "issuer": document.issuer_name,
            "issued_at": document.issued_at, "title": document.title,
            "superseded": replaced_by is not None,
            "replaced_by": replaced_by.number if replaced_by is not None else None,
            "replaces": document.replaces.number if document.replaces_id else None}


# ── corrections ───────────────────────────────────────────────────────────────────────────────────────────────
REASON_MAX = 1000
# Who corrects a document: an officer of the organisation that issued it, in that organisation's own role.
CORRECTING_ROLE = {OrganisationKind.SAMR: "samr_officer", OrganisationKind.PROVINCE: "provincial_reviewer"}


def may_correct(user, document):
    """Whether ``user`` may issue a correction of ``document`` (the page and the API offer it only then): an officer
    of the issuing organisation, the document not yet corrected (a 认定公告 too: by a 更正公告)."""
    organisation_id = getattr(user, "organisation_id", None)
    return (organisation_id is not None and organisation_id == document.issuer_id
            and getattr(user, "role", None) == CORRECTING_ROLE.get(document.issuer.kind)
            and document.superseded_by is None)


def correct(*, actor, document_id, reason):
    """Issue a correction of an issued document (issue #11 point 4): a new document, numbered next in its issuer's
    kind and year, with the content rendered again from the records and a 更正说明 naming the document it replaces
    and why. The old one stays stored unchanged; verification then says it is genuine but superseded.

    Who may call it: an officer of the issuing organisation (SAMR's officers for SAMR's documents, the province's
    reviewers for the province's), on a document they may read (404 otherwise). The reason is required. One
    transaction: the number, the file, the row and an audit entry on each case the document names (with the new
    document's number, issuer and SHA-256, and the replaced one's) — or none of them."""
    from django.db import IntegrityError, transaction

    from cases.errors import Conflict, InvalidPayload, NotAllowed, NotFound
    from cases.models import Case
    from cases.services import record_action

    from . import registry, selectors
    from .models import DocumentKind

    reason = (reason or "").strip()
    if not reason:
        raise InvalidPayload(_("请写明更正事由。"), errors={"reason": [_("此项为必填项。")]})
    if len(reason) > REASON_MAX:
        raise InvalidPayload(_("更正事由不超过 %(max)s 字。") % {"max": REASON_MAX},
                             errors={"reason": [_("内容过长。")]})
    with transaction.atomic():
        document = selectors.document_for(actor, document_id)
        if document is None:
            raise NotFound(_("未找到该公文。"))
        # One correction at a time per document: the second waits here, then finds it corrected.
        document = OfficialDocument.objects.select_for_update().select_related("issuer").get(pk=document.pk)
        # ``superseded_by`` reads after the lock, in a statement of its own: a correction committed while this one
        # waited is seen (a join in the locking statement would read the snapshot taken before the wait).
        if document.superseded_by is not None:
            raise Conflict(_("该公文已被%(number)s更正，请更正最新的公文。") % {"number": document.superseded_by.number})
        if not may_correct(actor, document):
            raise NotAllowed(_("只有发文机关（%(issuer)s）的工作人员可以更正该公文。") % {"issuer": document.issuer_name})
        case_ids = _case_ids(document)
        cases = list(Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk"))
        if document.kind == DocumentKind.ANNOUNCEMENT:
            # 办法 第十六条 向社会公布: a 认定公告 carries the announcement's own number of the year, so its correction
            # is published as a new announcement (更正公告), numbered next in the year — gapless, the number taken
            # under the announcements' unique constraint in this transaction — listing the same cities.
            from designation.models import Announcement
            from designation.services import _new_announcement

            corrected_announcement = Announcement.objects.select_related("original", "round").get(
                pk=document.announcement_id)
            correction = _new_announcement(actor=actor, round_=corrected_announcement.round, text=reason,
                                           corrects=corrected_announcement)
            draft = registry.announcement_correction_draft(document, correction)
        else:
            draft = registry.draft_for_correction(document, actor)
        try:
            with transaction.atomic():
                corrected = issue(draft, actor=actor, issuer=document.issuer, move=document.move, replaces=document,
                                  correction_reason=reason)
        except IntegrityError:
            raise Conflict(_("该公文刚刚已被更正，请刷新后查看。")) from None
        replaced = {"id": document.pk, "number": document.number, "sha256": document.sha256}
        for case in cases:
            record_action(case, actor=actor, name="correct_official_document", label=gettext_lazy("更正公文"), comment=reason,
                          data={"official_document": audit_data(corrected), "replaces": replaced})
    return corrected


def _case_ids(document):
    if document.case_id is not None:
        return [document.case_id]
    if document.listing_id is not None:
        return list(document.listing.entries.values_list("case_id", flat=True))
    # A 更正公告's cities are the original announcement's (designation.Announcement.listed).
    return list(document.announcement.listed.designations.values_list("case_id", flat=True))
