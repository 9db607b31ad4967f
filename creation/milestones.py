"""Milestones of the creation period in the deadline engine (issue 9, part 6): a task's due day (完成时限) and a
phase's end (002: 启动部署 … 巩固提升, each dated) are deadlines of the city's own plan.

- Reminders go out before them, in the engine's style (deadlines.services.reminder_bucket): the thresholds are data
  (settings.CREATION_MILESTONE_REMINDER_DAYS, default 14, 3 and 1 days), a day the sweep did not run is caught up
  by the next one, and a moved due day is reminded anew.
- A task not done after its due day, and a phase whose end has passed with tasks of it still open, is overdue:
  shown live on the workspace pages and in the office's home queue (overdue_*), and flagged once by the sweep —
  an audit entry on the case and a notice.
- Who hears: the liaisons of the task's lead unit (for a phase: the lead units of its open tasks) and the city's
  office (the applicants of the creation object).
- Days are Beijing days (settings.TIME_ZONE = Asia/Shanghai; timezone.localdate()): a task due on the 10th is
  "due today" all of the 10th and overdue from 00:00 on the 11th.

Only cases still worked on (creation.selectors.WORKING_STATES) are swept: once the city has applied for its
evaluation, its plan's dates no longer call for reminders.

The sweep is idempotent, like the engine's: each notice is one creation.MilestoneReminder row under a unique
constraint, written in the same transaction as its notifications (and, for an overdue flag, its audit entry under
the case's row lock); a second sweep's insert fails and sends nothing. Selection is done in bulk: a fixed number of
queries however many cases and tasks there are; only the milestones that need a notice cost queries of their own."""
import dataclasses
import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from cases.errors import Conflict
from cases.services import SYSTEM_ACTOR, locked_case, record_action
from deadlines.services import reminder_bucket
from notifications.services import case_context, notify

from .models import Liaison, MilestoneReminder, Phase, Task
from .selectors import WORKING_STATES

log = logging.getLogger(__name__)

TASK, PHASE = "task", "phase"


def thresholds(days_before=None):
    """The reminder thresholds, longest first (data: settings.CREATION_MILESTONE_REMINDER_DAYS)."""
    values = days_before or getattr(settings, "CREATION_MILESTONE_REMINDER_DAYS", (14, 3, 1))
    return sorted({int(d) for d in values if int(d) > 0}, reverse=True)


@dataclasses.dataclass
class Milestone:
    """A dated point of a case's plan that is not done yet: a task's due day or a phase's end."""

    case: object
    kind: str  # TASK or PHASE
    pk: int
    title: str
    due: datetime.date
    units: tuple = ()  # the lead units whose liaisons are told
    number: int | None = None  # a task's number, a phase's order

    @property
    def target(self):
        return f"{self.kind}:{self.pk}"

    def days_left(self, today):
        return (self.due - today).days

    def overdue(self, today):
        return self.due < today


def _open_tasks(plan_filter):
    return (Task.objects.filter(plan_filter, due_on__isnull=False).exclude(status=Task.Status.DONE)
            .select_related("plan__case__creation_object__province"))


def _open_phases(plan_filter):
    """Phases with at least one task not done (a phase without tasks has nothing to be late with)."""
    return (Phase.objects.filter(plan_filter)
            .annotate(open_tasks=Count("tasks", filter=~Q(tasks__status=Task.Status.DONE)))
            .filter(open_tasks__gt=0).select_related("plan__case__creation_object__province"))


def open_milestones(plan_filter, *, until=None):
    """The milestones not done of the plans matching ``plan_filter`` (a Q on Task/Phase), due up to ``until``
    (all when None), soonest first. Three queries."""
    tasks, phases = _open_tasks(plan_filter), _open_phases(plan_filter)
    if until is not None:
        tasks, phases = tasks.filter(due_on__lte=until), phases.filter(ends_on__lte=until)
    phases = list(phases)
    phase_units = {}
    for phase_id, unit_id in (Task.objects.filter(phase__in=[p.pk for p in phases])
                              .exclude(status=Task.Status.DONE).values_list("phase_id", "lead_unit_id")):
        phase_units.setdefault(phase_id, set()).add(unit_id)
    out = [Milestone(case=t.plan.case, kind=TASK, pk=t.pk, title=t.title, due=t.due_on, units=(t.lead_unit_id,),
                     number=t.number) for t in tasks]
    out += [Milestone(case=p.plan.case, kind=PHASE, pk=p.pk, title=p.name, due=p.ends_on,
                      units=tuple(sorted(phase_units.get(p.pk, ()))), number=p.order) for p in phases]
    out.sort(key=lambda m: (m.due, m.case.pk, m.kind, m.number or 0))
    return out


# ── what the pages show ──────────────────────────────────────────────────────────────────────────────────────
def overdue_task_ids(tasks, today=None):
    """The ids among ``tasks`` (Task rows already read) that are overdue today. No query."""
    today = today or timezone.localdate()
    return {t.pk for t in tasks if t.due_on and t.due_on < today and t.status != Task.Status.DONE}


def case_overview(case, tasks, today=None):
    """For a case's milestone page: its phases (each with open-task count, overdue flag, days left) and the given
    tasks (already scoped to the user: creation.selectors.tasks_visible) with theirs. Two queries."""
    today = today or timezone.localdate()
    phases = list(Phase.objects.filter(plan__case=case)
                  .annotate(open_tasks=Count("tasks", filter=~Q(tasks__status=Task.Status.DONE)),
                            all_tasks=Count("tasks")).order_by("order"))
    phase_rows = [{"phase": p, "due": p.ends_on, "days_left": (p.ends_on - today).days,
                   "overdue": p.ends_on < today and p.open_tasks > 0, "open_tasks": p.open_tasks,
                   "all_tasks": p.all_tasks} for p in phases]
    tasks = list(tasks.select_related("lead_unit", "phase").order_by("number"))
    task_rows = [{"task": t, "due": t.due_on, "days_left": (t.due_on - today).days if t.due_on else None,
                  "overdue": bool(t.due_on and t.due_on < today and t.status != Task.Status.DONE)} for t in tasks]
    return {"phases": phase_rows, "tasks": task_rows, "today": today,
            "overdue_count": sum(r["overdue"] for r in phase_rows) + sum(r["overdue"] for r in task_rows)}


def overdue_for_cases(case_ids, today=None):
    """The overdue milestones of these cases (still worked on), soonest first: for the office's home queue.
    Three queries."""
    today = today or timezone.localdate()
    q = Q(plan__case_id__in=case_ids, plan__case__state__in=WORKING_STATES)
    return [m for m in open_milestones(q, until=today - datetime.timedelta(days=1))]


# ── the sweep ────────────────────────────────────────────────────────────────────────────────────────────────
def _recipients(milestones):
    """{case id: [users]} — the office of each case's city and the liaisons of the milestone's units, read in two
    queries for all of them; the per-milestone list is made in Python."""
    units = {u for m in milestones for u in m.units}
    by_unit = {}
    for liaison in (Liaison.objects.filter(unit_id__in=units, unit__active=True, user__is_active=True,
                                           user__role=Role.MEMBER_LIAISON)
                    .select_related("user__notification_preference")):
        by_unit.setdefault(liaison.unit_id, []).append(liaison.user)
    objects = {m.case.creation_object_id for m in milestones}
    office = {}
    for user in (get_user_model().objects.filter(role=Role.APPLICANT, is_active=True,
                                                 organisation__creation_object_id__in=objects)
                 .select_related("organisation", "notification_preference")):
        office.setdefault(user.organisation.creation_object_id, []).append(user)
    return by_unit, office


def _users_for(milestone, by_unit, office):
    users = {u.pk: u for u in office.get(milestone.case.creation_object_id, [])}
    for unit in milestone.units:
        users.update({u.pk: u for u in by_unit.get(unit, [])})
    return list(users.values())


def _context(milestone, today, **extra):
    return case_context(milestone.case, title=milestone.title, number=milestone.number or "",
                        due=milestone.due.isoformat(), days=milestone.days_left(today), **extra)


def send_milestone_reminders(*, today=None, days_before=None, progress=None):
    """Remind, and flag overdue, every open milestone of the cases still worked on. Idempotent (see the module).
    Who may call it: the scheduler (the Celery task creation.sweep_milestones, manage.py sweep milestones)."""
    today = today or timezone.localdate()
    steps = thresholds(days_before)
    horizon = today + datetime.timedelta(days=steps[0] if steps else 0)
    milestones = open_milestones(Q(plan__case__state__in=WORKING_STATES), until=horizon)
    case_ids = {m.case.pk for m in milestones}
    already = set(MilestoneReminder.objects.filter(case_id__in=case_ids)
                  .values_list("case_id", "target", "due_on", "days_before", "overdue"))
    counts = {"milestones": len(milestones), "reminded": 0, "flagged": 0, "already": 0, "busy": 0}
    todo = []
    for m in milestones:
        if m.overdue(today):
            key = (m.case.pk, m.target, m.due, 0, True)
        else:
            bucket = reminder_bucket(m.days_left(today), steps)
            key = (m.case.pk, m.target, m.due, bucket, False) if bucket is not None else None
        if key is None or key in already:
            counts["already"] += 1
        else:
            todo.append((m, key))
    by_unit, office = _recipients([m for m, _key in todo]) if todo else ({}, {})
    for done, (m, key) in enumerate(todo, 1):
        users = _users_for(m, by_unit, office)
        try:
            if key[4]:
                counts["flagged" if _flag_overdue(m, users, today) else "already"] += 1
            else:
                counts["reminded" if _remind(m, key[3], users, today) else "already"] += 1
        except Conflict:
            counts["busy"] += 1  # the case row is held by someone now: the next sweep flags it
        if progress:
            progress(done, len(todo))
    return counts


def _remind(milestone, bucket, users, today):
    with transaction.atomic():
        try:
            with transaction.atomic():
                MilestoneReminder.objects.create(case=milestone.case, target=milestone.target, due_on=milestone.due,
                                                 days_before=bucket)
        except IntegrityError:
            return False  # another sweep sent this one first
        event = f"creation_{milestone.kind}_" + ("due_today" if milestone.days_left(today) == 0 else "reminder")
        notify(case=milestone.case, event=event, users=users, context=_context(milestone, today))
    return True


def _flag_overdue(milestone, users, today):
    with locked_case(milestone.case.pk, SYSTEM_ACTOR) as case:
        try:
            with transaction.atomic():
                MilestoneReminder.objects.create(case=case, target=milestone.target, due_on=milestone.due,
                                                 days_before=0, overdue=True)
        except IntegrityError:
            return False
        label = _("创建任务逾期未完成") if milestone.kind == TASK else _("创建阶段到期，仍有任务未完成")
        record_action(case, actor=SYSTEM_ACTOR, name=f"creation_{milestone.kind}_overdue", label=label,
                      comment=milestone.title,
                      data={"target": milestone.target, "title": milestone.title, "due_on": milestone.due.isoformat(),
                            "number": milestone.number, "units": list(milestone.units)})
        notify(case=case, event=f"creation_{milestone.kind}_overdue", users=users,
               context=_context(milestone, today, overdue_days=-milestone.days_left(today)))
    return True
