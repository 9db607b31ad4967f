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
from django.utils.translation import gettext as _

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


def issue(draft, *, actor, issuer, move, replaces=None):
    """Number, render, store and record one document (inside the caller's transaction). Returns the row."""
    now = timezone.now()
    today = timezone.localdate(now)
    number, n = numbering.next_number(issuer=issuer, kind=draft.kind, year=today.year, n=draft.n)
    context = {**draft.context, "number": number, "title": draft.title, "issuer_name": issuer.name,
               "issued_on": today, "replaces": replaces}
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
                .select_related("replaced_by").first() if number and sha256 else None)
    if document is None:
        return {"genuine": False, "number": number, "issuer": None, "issued_at": None, "title": None,
                "replaced_by": None}
    replaced_by = getattr(document, "replaced_by", None)
    return {"genuine": True, "number": document.number, "issuer": document.issuer_name,
            "issued_at": document.issued_at, "title": document.title,
            "replaced_by": replaced_by.number if replaced_by is not None else None}
