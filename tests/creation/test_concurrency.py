"""Four milestone sweeps at once notify and flag once; four readers of one organisation at once leave one receipt
(PostgreSQL: real row locks, real unique constraints)."""
import datetime

import pytest

from cases.models import AuditEntry
from creation import milestones, reports
from creation.models import MilestoneReminder, ReportReceipt
from notifications.models import Notification
from tests.creation.reports_world import make_world
from tests.deadlines.conftest import travel
from tests.deadlines.test_concurrency import at_once
from tests.factories import reviewer_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_four_milestone_sweeps_at_once_remind_and_flag_once(call, clock):
    world = make_world(call, clock)
    results = at_once(milestones.send_milestone_reminders)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(r["reminded"] for r in results) == 2
    travel(clock, world.tasks[0].due_on + datetime.timedelta(days=1))
    results = at_once(milestones.send_milestone_reminders)
    assert not [r for r in results if isinstance(r, Exception)]
    flagged = sum(r["flagged"] for r in results)
    busy = sum(r["busy"] for r in results)
    if flagged < 2:  # a sweep that found the case row held counted it busy: the next sweep flags it
        assert busy
        milestones.send_milestone_reminders()
    assert AuditEntry.objects.filter(case=world.case, name="creation_task_overdue").count() == 1
    assert AuditEntry.objects.filter(case=world.case, name="creation_phase_overdue").count() == 1
    assert MilestoneReminder.objects.filter(case=world.case, overdue=True).count() == 2
    assert Notification.objects.filter(case=world.case, event="creation_task_overdue").count() == 2


def test_four_readers_of_one_province_at_once_leave_one_receipt(call, clock):
    world = make_world(call, clock)
    report = reports.submit_progress_report(case_id=world.case.pk, actor=world.office, period="p", body="b")
    readers = [world.cast.reviewer] + [reviewer_for("330000", username=f"reviewer-{n}") for n in range(3)]
    queue = list(readers)

    def read():
        return reports.read_progress_report(user=queue.pop(), case=world.case, report_id=report.pk)[1]

    results = at_once(read)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(results) == 1
    assert ReportReceipt.objects.filter(report=report).count() == 1
