"""Milestones in the deadline engine (creation.milestones): reminders at the right Beijing days, overdue flags once
(with an audit entry), to the lead unit's liaisons and the office, idempotent sweeps, bulk queries."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import AuditEntry
from creation import milestones
from creation.models import MilestoneReminder, Task
from notifications.models import Notification
from tests.conftest import SHANGHAI
from tests.creation.reports_world import make_world

pytestmark = pytest.mark.django_db


def travel(clock, day, hour=10):
    clock.move_to(datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=SHANGHAI))
    assert timezone.localdate() == day


@pytest.fixture
def world(call, clock):
    return make_world(call, clock)


def _sweep():
    from deadlines.sweeps import run

    return run("milestones")[0]


def _task_notes(world, task, event):
    return Notification.objects.filter(case=world.case, event=event, subject__contains=task.title)


def test_reminders_go_out_at_14_3_and_1_days_and_each_once(world, clock):
    task = world.tasks[0]
    due = task.due_on
    first = _sweep()
    # task 1 (14 days) and phase 1 (14 days) are in the 14-day bucket; task 2 (30 days) is not yet
    assert first["reminded"] == 2
    notes = _task_notes(world, task, "creation_task_reminder")
    recipients = set(notes.values_list("recipient__username", flat=True))
    assert recipients == {world.office.username, world.liaisons["market"].username}  # not the county's liaison
    assert "14" in notes.first().subject
    assert _sweep()["reminded"] == 0  # run twice → the same reminders, no duplicates
    assert MilestoneReminder.objects.filter(case=world.case, target=f"task:{task.pk}").count() == 1

    travel(clock, due - datetime.timedelta(days=5))
    assert _sweep()["reminded"] == 0  # 5 days left: the 14-day reminder went out already, the 3-day one not due
    travel(clock, due - datetime.timedelta(days=3))
    assert _sweep()["reminded"] == 2  # task 1 and phase 1 at 3 days
    assert _sweep()["reminded"] == 0
    days = sorted(MilestoneReminder.objects.filter(case=world.case, target=f"task:{task.pk}")
                  .values_list("days_before", flat=True))
    assert days == [3, 14]


def test_the_due_day_is_a_beijing_day(world, clock):
    task = world.tasks[0]
    due = task.due_on
    # 16:30 UTC on the day before = 00:30 on the due day in Beijing: the due-today reminder goes out.
    clock.move_to(datetime.datetime.combine(due - datetime.timedelta(days=1), datetime.time(16, 30),
                                            tzinfo=datetime.timezone.utc))
    assert timezone.localdate() == due
    _sweep()
    assert _task_notes(world, task, "creation_task_due_today").exists()
    assert not _task_notes(world, task, "creation_task_overdue").exists()
    # 15:59 UTC on the due day = 23:59 Beijing: still not overdue.
    clock.move_to(datetime.datetime.combine(due, datetime.time(15, 59), tzinfo=datetime.timezone.utc))
    _sweep()
    assert not _task_notes(world, task, "creation_task_overdue").exists()
    # 16:00 UTC = 00:00 the next Beijing day: overdue.
    clock.move_to(datetime.datetime.combine(due, datetime.time(16, 0), tzinfo=datetime.timezone.utc))
    _sweep()
    assert _task_notes(world, task, "creation_task_overdue").exists()


def test_overdue_is_flagged_once_with_an_audit_entry_and_not_for_done_tasks(world, clock):
    late, done = world.tasks
    Task.objects.filter(pk=done.pk).update(due_on=late.due_on, status=Task.Status.DONE)
    travel(clock, late.due_on + datetime.timedelta(days=2))
    counts = _sweep()
    assert counts["flagged"] == 2  # task 1, and phase 1 (ended with task 1 open)
    entries = AuditEntry.objects.filter(case=world.case, name__in=["creation_task_overdue", "creation_phase_overdue"])
    assert sorted(entries.values_list("name", flat=True)) == ["creation_phase_overdue", "creation_task_overdue"]
    task_entry = entries.get(name="creation_task_overdue")
    assert task_entry.data["target"] == f"task:{late.pk}"
    assert _sweep()["flagged"] == 0
    travel(clock, late.due_on + datetime.timedelta(days=9))
    assert _sweep()["flagged"] == 0
    assert entries.count() == 2
    assert not _task_notes(world, done, "creation_task_overdue").exists()
    assert _task_notes(world, late, "creation_task_overdue").count() == 2  # the office and the unit's liaison
    overview = milestones.case_overview(world.case, Task.objects.filter(plan=world.plan))
    assert [r["overdue"] for r in overview["tasks"]] == [True, False]
    assert [r["overdue"] for r in overview["phases"]] == [True, False]


def test_a_moved_due_day_is_reminded_anew_and_a_finished_task_is_quiet(world, clock):
    task = world.tasks[0]
    _sweep()
    Task.objects.filter(pk=task.pk).update(due_on=task.due_on - datetime.timedelta(days=1))
    assert _sweep()["reminded"] == 1  # the task's new day; the phase's end did not move
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE)
    travel(clock, task.due_on + datetime.timedelta(days=5))
    _sweep()
    assert not _task_notes(world, task, "creation_task_overdue").exists()


def test_cases_no_longer_worked_on_are_not_swept(world, clock):
    from cases.models import Case
    from cases.workflow import State

    Case.objects.filter(pk=world.case.pk).update(state=State.EVALUATION_APPLIED)
    travel(clock, world.tasks[0].due_on + datetime.timedelta(days=3))
    assert _sweep()["milestones"] == 0


def test_the_sweep_reads_in_bulk(call, clock):
    """Cases whose milestones need nothing cost the same queries, 1 case or 3."""
    counts = []
    for n, code in enumerate(["330100", "330200", "330300"]):
        make_world(call, clock, code, prefix=str(n))
        _sweep()
        if n in (0, 2):
            with CaptureQueriesContext(connection) as queries:
                assert _sweep()["reminded"] == 0
            counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_celery_task_and_the_command_run_the_sweep(world):
    from django.core.management import call_command

    from creation.tasks import sweep_milestones

    result = sweep_milestones.apply().get()
    assert result["sweep"] == "milestones" and result["reminded"] == 2
    call_command("sweep", "milestones", verbosity=0)
    assert MilestoneReminder.objects.filter(case=world.case).count() == 2


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_milestone_and_report_notice_renders_in_both_languages(language):
    from notifications.messages import render

    context = {"case": "杭州市", "reference": "2026-330100-01", "state": "creating", "title": "完善网络市场监管机制",
               "number": 1, "due": "2026-12-01", "days": 3, "overdue_days": 2, "period": "2026年第3季度"}
    for event in ["creation_task_reminder", "creation_task_due_today", "creation_task_overdue",
                  "creation_phase_reminder", "creation_phase_due_today", "creation_phase_overdue",
                  "creation_progress_report"]:
        subject, body = render(event, language=language, context=context)
        assert "杭州市" in subject or "杭州市" in body
        assert ("Task" in body or "Phase" in body or "progress report" in body) == (language == "en")
