"""Two sweeps at once change nothing more than one (PostgreSQL: real row locks, real unique constraints)."""
import datetime
import threading

import pytest
from django.db import connections

from cases.journeys import PATHS, act
from cases.models import AuditEntry, Case
from cases.workflow import State
from deadlines import services
from deadlines.models import Reminder
from designation.models import AnnualReport
from notifications.models import Notification
from tests.deadlines.conftest import travel
from tests.factories import cast_for, new_case

CITIES = ["330100", "330200", "330300"]  # 杭州、宁波、温州


def at_once(func, n=4):
    """Run ``func`` in ``n`` threads released together; return their results (exceptions included)."""
    barrier = threading.Barrier(n)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(func())
        except Exception as error:  # noqa: BLE001 — the test asserts there are none
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def cases_in(state, call, clock):
    """One case per city, taken step by step together along the path to ``state`` (so every case meets the
    same calendar: under the 2022 measures all are submitted before May 31)."""
    casts = [cast_for(code) for code in CITIES]
    made = [new_case(cast, call) for cast in casts]
    for name in PATHS[state]:
        made = [act(case, name, cast, clock) for case, cast in zip(made, casts)]
    return [Case.objects.get(pk=c.pk) for c in made]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_lapse_sweeps_at_once_flag_each_case_once(call, clock):
    cases = cases_in(State.CREATING, call, clock)
    grace = cases[0].rule_set.evaluation_grace_days
    travel(clock, cases[0].creation_end + datetime.timedelta(days=grace + 1))
    results = at_once(services.lapse_expired_creations)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(r["flagged"] for r in results) == len(cases)
    assert services.lapse_decisions_due().count() == len(cases)
    assert AuditEntry.objects.filter(name="lapse_due").count() == len(cases)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_notice_sweeps_at_once_close_each_notice_once(call, clock):
    cases = cases_in(State.IN_PUBLICITY, call, clock)
    travel(clock, max(c.notices.get().last_day for c in cases) + datetime.timedelta(days=1))
    results = at_once(services.close_expired_notices)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(r["moved"] for r in results) == len(cases)
    assert AuditEntry.objects.filter(name="close_notice").count() == len(cases)
    assert Case.objects.filter(state=State.AWAITING_DESIGNATION).count() == len(cases)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_reminder_sweeps_at_once_send_each_reminder_once(call, clock):
    cases = cases_in(State.CREATING, call, clock)
    travel(clock, cases[0].creation_end - datetime.timedelta(days=7))
    results = at_once(services.send_reminders)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(r["sent"] for r in results) == len(cases)
    assert Reminder.objects.count() == len(cases)
    # one notification per applicant, not four
    assert Notification.objects.filter(event="deadline_reminder").count() == len(cases)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_annual_report_sweeps_at_once_flag_each_overdue_report_once(clock):
    clock.move_to(datetime.datetime(2023, 4, 10, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    cases = cases_in(State.DESIGNATED, None, clock)
    assert {c.rule_set.code for c in cases} == {"trial-2022"}
    year = max(c.designated_on.year for c in cases)
    travel(clock, datetime.date(year + 1, 4, 1))
    results = at_once(services.flag_overdue_annual_reports)
    assert not [r for r in results if isinstance(r, Exception)]
    assert AnnualReport.objects.filter(overdue_flagged_at__isnull=False).count() == len(cases)
    assert AuditEntry.objects.filter(name="annual_report_overdue").count() == len(cases)
    # Contended rows are either flagged by the winner, seen as already flagged, or left busy for the next run:
    # never twice. A later sweep leaves nothing to do.
    assert services.flag_overdue_annual_reports()["flagged"] == 0
