"""Reads: a case's running deadlines with the days left, for the case page and the API."""
from django.utils import timezone

from . import calendar


def deadline_rows(case, today=None, *, reread=True):
    """[{kind, label, due, opens, days_left, status, article, responsible, year}] soonest first.
    status: open (days left > 0), last_day (today is the last day), passed (overdue).
    reread=False: ``case`` was just read with its rule set and call (the case page), so its deadlines come from it as
    it is — no second read of the case; its open notices or annual reports are read only in the states that have
    such a deadline."""
    today = today or timezone.localdate()
    rows = []
    for d in (calendar.for_case(case, today) if reread else calendar.deadlines_of(case, today)):
        days_left = d.days_left(today)
        rows.append({
            "kind": d.kind, "label": str(d.label), "due": d.due, "opens": d.opens, "days_left": days_left,
            "status": "open" if days_left > 0 else "last_day" if days_left == 0 else "passed",
            "article": d.article, "responsible": list(d.responsible), "year": d.subject_year,
        })
    return rows


def extensions_of(case):
    return case.creation_extensions.select_related("decided_by").order_by("decided_at", "pk")
