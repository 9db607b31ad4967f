"""Reads of official documents, with their scope: a case's documents for those who may see the case; the 公示 (once
its first day has come) and the 认定公告 for everyone."""
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role
from cases.selectors import cases_visible_to

from .models import DocumentKind, OfficialDocument


def _expert_sheets_hidden(user):
    """An expert's score sheet is read by SAMR's officers and by the expert who submitted it, as the sheet itself
    (evaluation.sheets.sheets_visible_to); the case's other readers read the experts' sheets in the evaluation
    report's attachments, once the result is formed."""
    role = getattr(user, "role", None)
    if role == Role.SAMR_OFFICER:
        return Q(pk__in=[])
    if role == Role.SAMR_EXPERT:
        return Q(kind=DocumentKind.SCORE_SHEET) & ~Q(issued_by=user)
    return Q(kind=DocumentKind.SCORE_SHEET)


def documents_for_case(case, user=None):
    """The case's own documents and the lists' documents naming it that ``user`` may read, in the order they were
    issued (one query). The lists are matched by subqueries, not joins: a join through a list's many entries would
    repeat the row and need a DISTINCT over the whole (wide) row."""
    from designation.models import Announcement, Designation
    from publicity.models import Notice

    designated_in = Designation.objects.filter(case=case).values("announcement")
    return (OfficialDocument.objects
            .filter(Q(case=case) | Q(listing__in=Notice.objects.filter(case=case).values("listing"))
                    | Q(announcement__in=designated_in)
                    # a 更正公告 lists the original's cities
                    | Q(announcement__in=Announcement.objects.filter(original__in=designated_in).values("pk")))
            .exclude(_expert_sheets_hidden(user))
            .select_related("replaced_by").order_by("issued_at", "pk"))


def public_documents():
    """What the public may read: every 认定公告, and every 公示 whose notice period has begun."""
    today = timezone.localdate()
    return OfficialDocument.objects.filter(Q(kind=DocumentKind.ANNOUNCEMENT)
                                           | Q(kind=DocumentKind.NOTICE, listing__first_day__lte=today))


def document_for(user, document_id):
    """The document if ``user`` may read it (None otherwise): public ones for anyone, a case's for its scope, a
    list's for anyone who may see one of its cities."""
    document = OfficialDocument.objects.filter(pk=document_id).first()
    if document is None:
        return None
    if public_documents().filter(pk=document.pk).exists():
        return document
    if not getattr(user, "is_authenticated", False):
        return None
    visible = cases_visible_to(user)
    if OfficialDocument.objects.filter(pk=document.pk).filter(_expert_sheets_hidden(user)).exists():
        return None
    if document.case_id is not None:
        return document if visible.filter(pk=document.case_id).exists() else None
    if document.listing_id is not None:
        return document if visible.filter(notices__listing_id=document.listing_id).exists() else None
    from designation.models import Announcement

    listed = Announcement.objects.filter(pk=document.announcement_id).values_list("original_id", flat=True).first()
    return document if visible.filter(designations__announcement_id=listed or document.announcement_id).exists() \
        else None


def issued_for_lists(*, listings=(), announcements=()):
    """{list: its issued document in force} for notice lists (公示) or designation announcements (认定公告), in one
    query — what their pages offer to open, save and verify: the latest correction where one was issued."""
    if not listings:
        # An announcement's chain (issue #11): the original and its 更正公告 share the document in force — the last
        # correction; the original's own document stays stored, superseded.
        heads = {a.pk: (a.original_id or a.pk) for a in announcements}
        documents = (OfficialDocument.objects.filter(Q(announcement_id__in=set(heads.values()))
                                                     | Q(announcement__original_id__in=set(heads.values())),
                                                     replaced_by__isnull=True)
                     .select_related("announcement").only("pk", "number", "sha256", "announcement__original_id"))
        in_force = {d.announcement.original_id or d.announcement_id: d for d in documents}
        return {pk: in_force[head] for pk, head in heads.items() if head in in_force}
    documents = OfficialDocument.objects.filter(listing__in=listings)
    key = "listing_id"
    documents = documents.filter(replaced_by__isnull=True)
    return {getattr(d, key): d for d in documents.only("pk", "number", "sha256", key)}

