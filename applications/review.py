"""Reads for the province's 初审 (办法 第八条 / 试行办法 第七条): which versions of 《创建申请表》 a reviewer reads, and
which one to compare the current version with. No writes.

The province reads what the city submitted: the versions saved up to the latest submission. Versions the city saves
while correcting a returned application are its own work in progress until it resubmits.
"""
import dataclasses

from cases.models import AuditEntry

from . import diff
from .models import ApplicationForm

SUBMITTING_MOVES = ("submit", "resubmit")


@dataclasses.dataclass
class Version:
    form: ApplicationForm
    submitted: list  # the submissions (1 = first) this version was the current one at

    @property
    def number(self):
        return self.form.version


def readable_versions(case):
    """The versions the province may read, newest first, each with the submissions it went in with.
    Two queries, whatever the number of versions."""
    if case.submitted_at is None:
        return []
    forms = list(case.application_forms.filter(saved_at__lte=case.submitted_at).select_related("saved_by")
                 .order_by("-version"))
    submissions = list(AuditEntry.objects.filter(case=case, name__in=SUBMITTING_MOVES).order_by("sequence")
                       .values_list("at", flat=True))
    versions = [Version(form, []) for form in forms]
    for n, at in enumerate(submissions, start=1):
        current = next((v for v in versions if v.form.saved_at <= at), None)
        if current is not None:
            current.submitted.append(n)
    return versions


def default_base(versions, current):
    """The version to compare ``current`` with: the one the province read at the submission before the one that
    brought ``current`` (so a resubmission shows every correction since the return), else the version before it."""
    older = [v for v in versions if v.number < current.number]
    if not older:
        return None
    if current.submitted:
        before = [v for v in older if v.submitted and max(v.submitted) < min(current.submitted)]
        if before:
            return before[0]
    return older[0]


def _number(value):
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def choose(versions, query):
    """(current, base) from a request's query: ?version= (default the newest) and ?base= (default ``default_base``;
    given but empty or unknown: no comparison). Either is None when there is nothing to show or compare."""
    if not versions:
        return None, None
    wanted = _number(query.get("version"))
    current = next((v for v in versions if v.number == wanted), versions[0])
    if "base" not in query:
        return current, default_base(versions, current)
    wanted = _number(query.get("base"))
    return current, next((v for v in versions if v.number == wanted and v.number < current.number), None)


def summary(case):
    """For the case page: the current version the province reads, the version it is compared with and the labels of
    the fields that changed — or None when there is no submitted form."""
    versions = readable_versions(case)
    if not versions:
        return None
    current = versions[0]
    base = default_base(versions, current)
    return {"current": current, "base": base, "versions": len(versions),
            "changed": diff.changed_fields(current.form, base.form) if base else []}
