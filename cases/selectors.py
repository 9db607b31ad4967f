"""Reads. Scope is decided here, once: every list and lookup of cases starts from cases_visible_to()."""
from accounts.models import Role

from .models import AuditEntry, Case
from .workflow import SYSTEM, TERMINAL_STATES

__all__ = ["TERMINAL_STATES", "cases_visible_to", "case_list", "calls_in_scope", "case_documents", "history",
           "history_with_attachments", "provinces_in_scope", "search"]


def cases_visible_to(user):
    """The cases ``user`` may see (DESIGN.md, People): applicants their creation object's, reviewers their
    province's, SAMR officers and the system all, experts those assigned to them; anyone else none."""
    role = getattr(user, "role", None)
    cases = Case.objects.all()
    if role == SYSTEM or role == Role.SAMR_OFFICER:
        return cases
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return cases.none()
    if role == Role.APPLICANT and organisation.creation_object_id:
        return cases.filter(creation_object_id=organisation.creation_object_id)
    if role == Role.PROVINCIAL_REVIEWER and organisation.province_id:
        # A city's case reaches its province with the submission (办法 第八条): a draft is the city's alone.
        from .workflow import State

        return cases.filter(creation_object__province_id=organisation.province_id).exclude(state=State.DRAFT)
    if role == Role.SAMR_EXPERT:
        from evaluation.models import ExpertAssignment

        # A subquery, not a join + DISTINCT: the services lock the row with SELECT … FOR UPDATE.
        return cases.filter(pk__in=ExpertAssignment.objects.filter(expert=user).values("case_id"))
    return cases.none()


def provinces_in_scope(user):
    """The provinces the user can see cases in (one query)."""
    from regions.models import Province

    return Province.objects.filter(pk__in=cases_visible_to(user).values("creation_object__province")).order_by("code")


def case_list(user, *, state=None, province=None, rule_set=None, call=None, text=None):
    """Cases for list pages and the API: one query for the page, whatever the number of rows."""
    cases = cases_visible_to(user).select_related("creation_object__province", "rule_set", "call")
    if state:
        cases = cases.filter(state=state)
    if province:
        cases = cases.filter(creation_object__province__code=province)
    if rule_set:
        cases = cases.filter(rule_set__code=rule_set)
    if call:
        cases = cases.filter(call_id=call)
    if text:
        cases = search(cases, text)
    return cases


def search(cases, text):
    """Cases whose reference, title, city or province contains every word of ``text`` (case-insensitive)."""
    from django.db.models import Q

    for word in str(text).split()[:5]:
        cases = cases.filter(Q(reference__icontains=word) | Q(title__icontains=word)
                             | Q(creation_object__name__icontains=word)
                             | Q(creation_object__province__name__icontains=word))
    return cases


def calls_in_scope(user):
    """The SAMR calls the user's cases answer (one query)."""
    from applications.models import ApplicationCall

    return ApplicationCall.objects.filter(pk__in=cases_visible_to(user).values("call")).order_by("-opens_on", "-pk")


def case_documents(case):
    """The case's documents with their uploaders, in the model's order (kind, then newest first). Read once per case
    object: the case page's materials, its 初审 panel and its moves' attachment choices share the list."""
    from django.db.models import Prefetch, prefetch_related_objects

    from documents.models import Document

    if "documents" not in getattr(case, "_prefetched_objects_cache", {}):
        prefetch_related_objects([case], Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")))
    return list(case.documents.all())


def history(case):
    return (AuditEntry.objects.filter(case=case).select_related("actor", "organisation")
            .prefetch_related("attachments__document").order_by("sequence"))


def history_with_attachments(case):
    """The case page's history: the entries in order, each with ``attached`` = [(document id, title)] of the
    documents it relied on. Two queries whatever the number of entries; the page shows the names the entries keep,
    not the actor's or the organisation's rows."""
    from collections import defaultdict

    from .models import AuditAttachment

    entries = list(AuditEntry.objects.filter(case=case).order_by("sequence"))
    attached = defaultdict(list)
    for entry_id, document_id, title in (AuditAttachment.objects.filter(entry__case=case)
                                         .order_by("pk").values_list("entry_id", "document_id", "document__title")):
        attached[entry_id].append((document_id, title))
    for entry in entries:
        entry.attached = attached.get(entry.pk, [])
    return entries
