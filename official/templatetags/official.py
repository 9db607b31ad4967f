from django import template

from ..models import DocumentKind
from ..printouts import PRINTOUTS

register = template.Library()



@register.simple_tag
def case_official_documents(case, user=None):
    """The case's official documents for its page (one query), which of them ``user`` may correct, and the
    printouts that apply to its state."""
    from django.utils.translation import gettext as _

    from ..selectors import documents_for_case
    from ..services import may_correct

    documents = list(documents_for_case(case, user).select_related("replaces", "issuer"))
    for document in documents:
        document.correctable = user is not None and may_correct(user, document)
    printouts = [("application-form", _("创建申请表"))]
    if case.evaluation_applied_at is not None:
        printouts += [("evaluation-application", _("评估申请表")), ("self-assessment-report", _("自评报告"))]
    return {"documents": documents, "printouts": [p for p in printouts if p[0] in PRINTOUTS],
            "kinds": dict(DocumentKind.choices)}


def _case_ids(items):
    """The case ids named by what a page lists: cases, rows with a ``case`` (or ``case_id``), or groups of rows
    with ``cities`` (SAMR's call page) — in any nesting."""
    from cases.models import Case

    if items is None or items == "":
        return []
    if isinstance(items, Case):
        return [items.pk]
    if hasattr(items, "cities"):
        return _case_ids(list(items.cities))
    if hasattr(items, "case_id") and getattr(items, "case_id", None):
        return [items.case_id]
    if hasattr(items, "case") and not isinstance(items, (str, dict)):
        return _case_ids(items.case)
    try:
        rows = iter(items)
    except TypeError:  # a single value that names no case
        return []
    return [case_id for item in rows for case_id in _case_ids(item)]


@register.simple_tag(takes_context=True)
def issued_documents(context, items=None, kinds="", sheet=None, round=None):
    """The documents in force (corrections in place of what they replaced) of ``kinds`` that the page's act issued
    and its user may read: for the cases ``items`` names, for one score sheet, or for an evaluation round's lists.
    One query, whatever the number of rows."""
    from django.db.models import Q

    from cases.models import AuditEntry
    from cases.selectors import cases_visible_to

    from ..models import OfficialDocument
    from ..selectors import _expert_sheets_hidden

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    kinds = [k.strip() for k in kinds.split(",") if k.strip()]
    which = Q(pk__in=[])
    if sheet:
        from django.db.models import IntegerField
        from django.db.models.fields.json import KT
        from django.db.models.functions import Cast

        which = Q(pk__in=AuditEntry.objects.filter(case_id=sheet.case_id, name="submit_score_sheet",
                                                   data__sheet=sheet.pk)
                  .values(issued=Cast(KT("data__official_document__id"), IntegerField())))
    else:
        ids = _case_ids(items)
        if ids:
            which |= (Q(case_id__in=ids) | Q(listing__entries__case_id__in=ids)
                      | Q(announcement__designations__case_id__in=ids)
                      | Q(announcement__original__designations__case_id__in=ids))  # a 更正公告
        if round:
            which |= Q(listing__round=round) | Q(announcement__round=round)
    documents = (OfficialDocument.objects.filter(which, kind__in=kinds, replaced_by__isnull=True)
                 .filter(Q(case__isnull=True) | Q(case__in=cases_visible_to(user)))
                 .exclude(_expert_sheets_hidden(user))
                 .select_related("case__creation_object", "replaced_by").distinct().order_by("issued_at", "pk"))
    return list(documents)


@register.simple_tag
def printout_links(kinds):
    """[(kind, label)] of the printouts named (comma separated), for the pages where the applicant works."""
    from django.utils.translation import gettext as _

    labels = {"application-form": _("打印申请表（PDF）"), "evaluation-application": _("打印评估申请表（PDF）"),
              "self-assessment-report": _("打印自评报告（PDF）")}
    return [(k.strip(), labels[k.strip()]) for k in kinds.split(",") if k.strip() in PRINTOUTS]
