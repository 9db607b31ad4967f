"""Reads for SAMR's evaluation work: expert assignments with their conflict-of-interest declarations (办法 第十四条),
the experts one may assign, and the rounds (评估批次). Each read is a fixed number of queries however many rows."""
import dataclasses
import datetime

from django.contrib.auth import get_user_model

from accounts.models import Role

from .models import ExpertAssignment, Round


@dataclasses.dataclass
class AssignmentRow:
    """One assigned expert and what their score sheet says: not started, a declaration (with or without a
    conflict), scoring, submitted."""

    assignment: ExpertAssignment
    expert: object
    round: int
    assigned_at: datetime.datetime
    has_conflict: bool | None
    conflict_statement: str
    conflict_declared_at: datetime.datetime | None
    sheet_status: str | None
    replaced_by: object = None

    @property
    def expert_name(self):
        return self.expert.get_full_name() or self.expert.username

    @property
    def conflicted(self):
        return self.has_conflict is True


def assignment_rows(case):
    """Every expert assignment of the case, round by round, in the order they were made (two queries)."""
    from cases.models import AuditEntry

    assignments = (ExpertAssignment.objects.filter(case=case).select_related("expert")
                   .prefetch_related("score_sheets").order_by("round", "assigned_at", "pk"))
    replacements = {(e.data.get("round"), e.data.get("replaces")): e.data.get("expert")
                    for e in AuditEntry.objects.filter(case=case, name="replace_expert").only("data")}
    rows = []
    for a in assignments:
        sheet = next(iter(a.score_sheets.all()), None)
        rows.append(AssignmentRow(
            assignment=a, expert=a.expert, round=a.round, assigned_at=a.assigned_at,
            has_conflict=sheet.has_conflict if sheet else None,
            conflict_statement=sheet.conflict_statement if sheet else "",
            conflict_declared_at=sheet.conflict_declared_at if sheet else None,
            sheet_status=sheet.status if sheet else None,
        ))
    by_username = {(r.round, r.expert.username): r for r in rows}
    for row in rows:
        successor = replacements.get((row.round, row.expert.username))
        if successor:
            replaced_by = by_username.get((row.round, successor))
            row.replaced_by = replaced_by.expert if replaced_by else None
    return rows


def assignable_experts():
    """The active SAMR experts, by name, each with ``load``: the cases under SAMR evaluation they are assigned to
    (one query), so the officer can spread the work."""
    from django.db.models import Count, Q

    from cases.workflow import State

    return (get_user_model().objects.filter(role=Role.SAMR_EXPERT, is_active=True)
            .annotate(load=Count("expert_assignments__case", distinct=True,
                                 filter=Q(expert_assignments__case__state=State.UNDER_EVALUATION)))
            .order_by("username"))


def rounds():
    return Round.objects.select_related("indicator_system").order_by("-opens_on", "-pk")
