"""Scope of the creation workspace, decided here once (DESIGN.md, People: deny by default, 404 outside scope).

- the city's applicants (the 创建办) manage their city's workspace: units, liaisons, the plan, reports, checks;
- a member unit's liaison (成员单位联络员) sees the workspace of their city's case, but only their own unit's tasks
  (as lead or co-unit) and indicators (as responsible or co-unit), and edits only those;
- the province (its cities) and SAMR (all) read everything, and record supervision visits;
- experts, admins and anyone else: nothing (404).

The workspace exists from SAMR's approval of creation (办法 第九条) on; it is written to while the city may still
work on its creation (WORKING_STATES) and read afterwards (a zone's experience reports and supervision go on:
办法 第十九条、第二十二条 — see EXPERIENCE_STATES)."""
from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from cases.models import Case
from cases.selectors import cases_visible_to
from cases.workflow import State

# From the approval of creation on (办法 第九条): every state a case with a creation period can be in.
WORKSPACE_STATES = (
    State.CREATING, State.EVALUATION_APPLIED, State.EVALUATION_RETURNED, State.UNDER_EVALUATION,
    State.AWAITING_RE_EVALUATION, State.EVALUATION_FAILED, State.EVALUATION_PASSED, State.IN_PUBLICITY,
    State.AWAITING_DESIGNATION, State.DESIGNATED, State.NOT_DESIGNATED, State.REVOKED, State.LAPSED,
)
# While the city still works towards its evaluation (办法 第十条、第十二条、第十七条): the plan, tasks and evidence
# may be written.
WORKING_STATES = (State.CREATING, State.EVALUATION_RETURNED, State.AWAITING_RE_EVALUATION)
# Experience reports (办法 第十九条) and supervision (第二十二条): cities still creating and designated zones.
EXPERIENCE_STATES = WORKING_STATES + (
    State.EVALUATION_APPLIED, State.UNDER_EVALUATION, State.EVALUATION_PASSED, State.IN_PUBLICITY,
    State.AWAITING_DESIGNATION, State.DESIGNATED,
)

READERS = (Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER)


def liaison_unit(user):
    """The unit a liaison speaks for, or None (any other user, or a liaison whose unit was retired)."""
    if getattr(user, "role", None) != Role.MEMBER_LIAISON:
        return None
    liaison = getattr(user, "liaison", None) if user.is_authenticated else None
    if liaison is None or not liaison.unit.active:
        return None
    return liaison.unit


def workspace_cases(user):
    """The cases whose creation workspace ``user`` may open."""
    role = getattr(user, "role", None)
    if role == Role.MEMBER_LIAISON:
        unit = liaison_unit(user)
        if unit is None or user.organisation is None or user.organisation.creation_object_id != unit.creation_object_id:
            return Case.objects.none()
        return Case.objects.filter(creation_object_id=unit.creation_object_id, state__in=WORKSPACE_STATES)
    if role in (Role.APPLICANT, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER):
        return cases_visible_to(user).filter(state__in=WORKSPACE_STATES)
    return Case.objects.none()


def workspace_case(user, case_id, *, for_update=False):
    """The case, or 404 if it is not in the user's workspace scope."""
    cases = workspace_cases(user)
    if for_update:
        cases = cases.select_for_update()
    case = cases.select_related("creation_object", "creation_object__province", "rule_set").filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def is_office(user, case):
    """The city's own applicants (the 创建办): they manage the whole workspace."""
    return (getattr(user, "role", None) == Role.APPLICANT and user.organisation_id is not None
            and user.organisation.creation_object_id == case.creation_object_id)


def is_reader(user):
    return getattr(user, "role", None) in READERS


def unit_q(unit, *, lead="lead_unit", co="co_units"):
    """Rows where ``unit`` is the lead or one of the co-units."""
    return Q(**{lead: unit}) | Q(**{co: unit})


def tasks_visible(user, plan):
    tasks = plan.tasks.all()
    unit = liaison_unit(user)
    if getattr(user, "role", None) == Role.MEMBER_LIAISON:
        if unit is None:
            return tasks.none()
        tasks = tasks.filter(pk__in=plan.tasks.filter(unit_q(unit)).values("pk"))
    return tasks


def responsibilities_visible(user, plan):
    rows = plan.responsibilities.all()
    if getattr(user, "role", None) == Role.MEMBER_LIAISON:
        unit = liaison_unit(user)
        if unit is None:
            return rows.none()
        rows = rows.filter(pk__in=plan.responsibilities.filter(unit_q(unit)).values("pk"))
    return rows


def indicator_numbers_of(user, plan):
    """The indicator numbers the user may enter evidence for: all for the office; a liaison their unit's."""
    if is_office(user, plan.case):
        return None  # all
    if getattr(user, "role", None) == Role.MEMBER_LIAISON:
        return set(responsibilities_visible(user, plan).values_list("number", flat=True))
    return set()  # readers write nothing


def may_work_on_task(user, task):
    """The office, or a liaison of the task's lead unit or one of its co-units, while the case is being worked."""
    case = task.plan.case
    if case.state not in WORKING_STATES:
        return False
    if is_office(user, case):
        return True
    unit = liaison_unit(user)
    return unit is not None and (task.lead_unit_id == unit.pk or task.co_units.filter(pk=unit.pk).exists())
