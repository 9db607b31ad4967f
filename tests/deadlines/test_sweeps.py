"""The sweeps keep the deadlines with no human action, and each changes nothing more than once."""
import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.errors import GuardFailed, IllegalTransition, InvalidPayload, NotAllowed
from cases.journeys import drive
from cases.models import Case
from cases.services import SYSTEM_ACTOR, perform_transition
from cases.workflow import State
from deadlines import services
from deadlines.models import CreationPeriodExtension, DeadlineKind, Reminder
from designation.models import AnnualReport
from evaluation.models import Round
from designation.services import submit_annual_report
from notifications.models import Delivery, Notification
from publicity.services import decide_objection, file_objection
from tests.deadlines.conftest import travel, with_email
from tests.factories import cast_for, new_case

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


def transitions(case, name):
    return case.audit_entries.filter(kind="transition", name=name).count()


# ── lapses ───────────────────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.django_db
def test_a_creation_with_no_evaluation_application_goes_to_samr_the_day_after_its_window_and_only_once(
        cast, call, clock):
    """办法 第九条、第十二条: the sweep puts the case in SAMR's queue with the facts; SAMR decides the termination."""
    from notifications.models import Notification

    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    last_day = case.creation_end + datetime.timedelta(days=case.rule_set.evaluation_grace_days)
    travel(clock, last_day, hour=23)
    assert services.lapse_expired_creations()["flagged"] == 0  # the last day is still in time
    travel(clock, last_day + ONE_DAY, hour=0)
    assert services.lapse_expired_creations()["flagged"] == 1
    assert services.lapse_expired_creations()["candidates"] == 0
    case.refresh_from_db()
    assert case.state == State.CREATING and transitions(case, "lapse") == 0  # not a side effect
    flag = case.audit_entries.get(name="lapse_due")
    assert flag.role == "system" and flag.data["window_closed"] == last_day.isoformat()
    assert flag.data["article"] == "办法 第九条、第十二条"
    assert list(services.lapse_decisions_due()) == [case]
    assert Notification.objects.filter(recipient=cast.officer, event="lapse_due").exists()
    # SAMR confirms, with its reasons; only SAMR may.
    with pytest.raises(NotAllowed):
        perform_transition(case_id=case.pk, name="lapse", actor=SYSTEM_ACTOR, payload={"comment": "期满"})
    perform_transition(case_id=case.pk, name="lapse", actor=cast.officer, payload={"comment": "期满未申请评估"})
    case.refresh_from_db()
    assert case.state == State.LAPSED and case.audit_entries.get(name="lapse").role == "samr_officer"
    assert not services.lapse_decisions_due().exists()


@pytest.mark.django_db
def test_an_extension_takes_a_flagged_case_out_of_the_queue_until_it_lapses_again(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    last_day = case.creation_end + datetime.timedelta(days=case.rule_set.evaluation_grace_days)
    travel(clock, last_day + ONE_DAY)
    services.lapse_expired_creations()
    services.extend_creation_period(case_id=case.pk, actor=cast.officer, new_end=last_day + 200 * ONE_DAY,
                                    reason="疫情影响，延长创建期")
    assert not services.lapse_decisions_due().exists()
    assert services.lapse_expired_creations()["flagged"] == 0


@pytest.mark.django_db
def test_under_2022_measures_a_creation_goes_to_samr_after_its_two_years(cast, trial_clock):
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    travel(trial_clock, case.creation_end + ONE_DAY)
    assert services.lapse_expired_creations()["flagged"] == 1
    assert Case.objects.get(pk=case.pk).state == State.CREATING
    assert case.audit_entries.get(name="lapse_due").data["article"] == "试行办法 第八条"


@pytest.mark.django_db
def test_a_late_evaluation_application_is_refused_even_if_no_sweep_ran(cast, call, clock):
    from cases.journeys import prepare

    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    from evaluation.services import open_round

    first_round = prepare(case, "apply_for_evaluation", cast, clock)["round"]
    late = case.creation_end + datetime.timedelta(days=case.rule_set.evaluation_grace_days + 1)
    travel(clock, late)
    late_round = open_round(actor=cast.officer, title="迟到的批次", opens_on=late, closes_on=late,
                            indicator_system=Round.objects.get(pk=first_round).indicator_system)
    with pytest.raises(GuardFailed):  # an open round does not reopen the rule set's window
        perform_transition(case_id=case.pk, name="apply_for_evaluation", actor=cast.applicant,
                           payload={"round": late_round.pk})


# ── notice expiry ────────────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.django_db
def test_an_expired_notice_moves_the_case_to_awaiting_designation_once(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    last = case.notices.get().last_day
    travel(clock, last, hour=23)
    assert services.close_expired_notices()["moved"] == 0
    travel(clock, last + ONE_DAY, hour=0)
    assert services.close_expired_notices()["moved"] == 1
    assert services.close_expired_notices()["candidates"] == 0
    case.refresh_from_db()
    assert case.state == State.AWAITING_DESIGNATION and transitions(case, "close_notice") == 1
    assert case.notices.get().closed_at is not None


@pytest.mark.django_db
def test_a_notice_with_an_open_objection_waits_until_samr_decides_it(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    notice = case.notices.get()
    objection = file_objection(notice_id=notice.pk, name="张三", contact="138", content="数据存疑")
    travel(clock, notice.last_day + ONE_DAY)
    result = services.close_expired_notices()
    assert result["moved"] == 0 and result["waiting_for_objections"] == 1
    assert Case.objects.get(pk=case.pk).state == State.IN_PUBLICITY
    decide_objection(objection_id=objection.pk, actor=cast.officer, upheld=False, decision="经核实不成立")
    assert services.close_expired_notices()["moved"] == 1
    assert Case.objects.get(pk=case.pk).state == State.AWAITING_DESIGNATION


# ── reminders ────────────────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.django_db
def test_reminders_go_out_30_7_and_1_days_before_once_each(cast, call, clock, django_capture_on_commit_callbacks):
    with_email(cast)
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    end = case.creation_end
    sent = []
    for days_before in (31, 30, 29, 8, 7, 2, 1, 0):
        travel(clock, end - datetime.timedelta(days=days_before))
        with django_capture_on_commit_callbacks(execute=True):
            first = services.send_reminders()
            second = services.send_reminders()  # the same day again: nothing more
        assert second["sent"] == 0
        sent.append(first["sent"])
    # 30, 7, 1 days before the creation period ends; day 0 is covered by the 1-day reminder already sent.
    assert sent == [0, 1, 0, 0, 1, 0, 1, 0]
    rows = Reminder.objects.filter(case=case, kind=DeadlineKind.CREATION_END)
    assert sorted(rows.values_list("days_before", flat=True)) == [1, 7, 30]
    notes = Notification.objects.filter(case=case, event="deadline_reminder", recipient=cast.applicant)
    assert notes.count() == 3
    assert "创建期届满还有 30 天" in notes.order_by("created_at").first().subject
    assert len([m for m in mail.outbox if "创建期届满" in m.subject and cast.applicant.email in m.to]) == 3


@pytest.mark.django_db
def test_a_missed_reminder_day_is_caught_up_by_the_next_sweep(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    travel(clock, case.creation_end - datetime.timedelta(days=20))  # nobody ran the sweep on day 30
    assert services.send_reminders()["sent"] == 1
    assert Reminder.objects.get(case=case, kind=DeadlineKind.CREATION_END).days_before == 30


@pytest.mark.django_db
def test_reminder_days_are_configurable(cast, call, clock, settings):
    settings.DEADLINE_REMINDER_DAYS = [3]
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    last = case.notices.get().last_day
    travel(clock, last - datetime.timedelta(days=7))
    assert services.send_reminders()["sent"] == 0
    travel(clock, last - datetime.timedelta(days=3))
    assert services.send_reminders()["sent"] == 1
    reminder = Reminder.objects.get(case=case)
    assert (reminder.kind, reminder.days_before) == (DeadlineKind.NOTICE, 3)
    assert Notification.objects.filter(event="deadline_reminder", recipient=cast.officer).exists()


@pytest.mark.django_db
def test_the_province_is_reminded_of_its_review_deadline(cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    travel(clock, call.recommendation_deadline - datetime.timedelta(days=7))
    services.send_reminders()
    note = Notification.objects.get(case=case, event="deadline_reminder")
    assert note.recipient == cast.reviewer and "省级初审报送截止" in note.subject


# ── extensions ───────────────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.django_db
def test_samr_extends_a_creation_period_as_a_recorded_decision(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    old_end, new_end = case.creation_end, case.creation_end + datetime.timedelta(days=180)
    version = Case.objects.get(pk=case.pk).version
    services.extend_creation_period(case_id=case.pk, actor=cast.officer, new_end=new_end, reason="疫情影响")
    case.refresh_from_db()
    assert case.creation_end == new_end and case.version == version + 1
    extension = CreationPeriodExtension.objects.get(case=case)
    assert (extension.previous_end, extension.new_end, extension.decided_by) == (old_end, new_end, cast.officer)
    entry = case.audit_entries.get(name="extend_creation_period")
    assert entry.data["new_end"] == new_end.isoformat() and entry.comment == "疫情影响"
    assert Notification.objects.filter(case=case, event="creation_period_extended", recipient=cast.applicant).exists()
    # The lapse sweep reads the new end: the old window's end is no longer late.
    travel(clock, old_end + datetime.timedelta(days=case.rule_set.evaluation_grace_days + 1))
    assert services.lapse_expired_creations()["flagged"] == 0


@pytest.mark.django_db
def test_an_extension_is_refused_to_others_backwards_and_without_a_reason(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    later = case.creation_end + datetime.timedelta(days=30)
    with pytest.raises(NotAllowed):
        services.extend_creation_period(case_id=case.pk, actor=cast.reviewer, new_end=later, reason="x")
    with pytest.raises(InvalidPayload):
        services.extend_creation_period(case_id=case.pk, actor=cast.officer, new_end=case.creation_end, reason="x")
    with pytest.raises(InvalidPayload):
        services.extend_creation_period(case_id=case.pk, actor=cast.officer, new_end=later, reason=" ")
    assert not CreationPeriodExtension.objects.exists()


@pytest.mark.django_db
def test_an_extension_does_not_revive_a_terminated_case(cast, call, clock):
    """Once SAMR has confirmed the termination (lapsed), no extension brings the case back."""
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    travel(clock, case.creation_end + datetime.timedelta(days=case.rule_set.evaluation_grace_days + 1))
    services.lapse_expired_creations()
    perform_transition(case_id=case.pk, name="lapse", actor=cast.officer, payload={"comment": "期满未申请评估"})
    with pytest.raises(IllegalTransition):
        services.extend_creation_period(case_id=case.pk, actor=cast.officer,
                                        new_end=case.creation_end + datetime.timedelta(days=800), reason="补救")


# ── annual reports ───────────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.django_db
def test_an_unreported_year_is_flagged_overdue_once_after_march_31(cast, trial_clock):
    case = drive(new_case(cast), State.DESIGNATED, cast, trial_clock)
    year = case.designated_on.year
    travel(trial_clock, D(year + 1, 3, 31), hour=23)
    assert services.flag_overdue_annual_reports()["flagged"] == 0  # 3月底前: March 31 is still in time
    travel(trial_clock, D(year + 1, 4, 1), hour=0)
    assert services.flag_overdue_annual_reports()["flagged"] == 1
    assert services.flag_overdue_annual_reports()["flagged"] == 0
    report = AnnualReport.objects.get(case=case, year=year)
    assert report.late and report.submitted_at is None and report.due_on == D(year + 1, 3, 31)
    assert case.audit_entries.filter(name="annual_report_overdue").count() == 1
    assert Notification.objects.filter(case=case, event="annual_report_overdue").count() == 3  # zone, province, SAMR
    # A late report fills the flagged row and stays marked late.
    submit_annual_report(case_id=case.pk, actor=cast.applicant, year=year, summary="年度工作情况……")
    report.refresh_from_db()
    assert report.submitted_at is not None and report.late
    assert services.flag_overdue_annual_reports()["flagged"] == 0


@pytest.mark.django_db
def test_a_report_in_time_is_never_flagged(cast, trial_clock):
    case = drive(new_case(cast), State.DESIGNATED, cast, trial_clock)
    year = case.designated_on.year
    travel(trial_clock, D(year + 1, 3, 1))
    submit_annual_report(case_id=case.pk, actor=cast.applicant, year=year, summary="年度工作情况……")
    travel(trial_clock, D(year + 1, 4, 2))
    assert services.flag_overdue_annual_reports()["flagged"] == 0
    assert not AnnualReport.objects.get(case=case, year=year).late


# ── bulk ─────────────────────────────────────────────────────────────────────────────────────────────────────
def _creating_cases(first, last, call, clock):
    """Cases creating under the current measures, one per creation object, the first..last ones by code."""
    from regions.models import CreationObject

    codes = list(CreationObject.objects.order_by("code").values_list("code", flat=True)[first:last])
    assert len(codes) == last - first
    made = []
    for code in codes:
        cast = cast_for(code)
        made.append(drive(new_case(cast, call), State.CREATING, cast, clock))
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("sweep", ["lapses", "late_reviews", "notices", "reminders", "annual_reports", "email"])
def test_a_sweep_over_cases_that_need_nothing_takes_the_same_queries_for_3_or_12_cases(sweep, call, clock):
    from deadlines.sweeps import run

    counts = []
    made = []
    for n in (3, 12):
        made += _creating_cases(len(made), n, call, clock)
        with CaptureQueriesContext(connection) as queries:
            run(sweep)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ── commands ─────────────────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.django_db
def test_sweep_command_runs_every_sweep_with_progress(cast, call, clock, capsys):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    travel(clock, case.notices.get().last_day + ONE_DAY)
    call_command("sweep", "all")
    out = capsys.readouterr().out
    for name in ("lapses", "late_reviews", "notices", "reminders", "annual_reports", "email"):
        assert f"{name}" in out
    assert "moved 1" in out
    assert Case.objects.get(pk=case.pk).state == State.AWAITING_DESIGNATION


@pytest.mark.django_db
def test_run_scheduler_once_runs_the_beat_schedule_in_process(cast, call, clock, capsys):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    travel(clock, case.creation_end + datetime.timedelta(days=case.rule_set.evaluation_grace_days + 1))
    call_command("run_scheduler", "--once")
    assert Case.objects.get(pk=case.pk).lapse_flagged_for == case.creation_end  # in SAMR's queue


@pytest.mark.django_db
def test_pending_email_deliveries_are_sent_by_the_email_sweep(cast, call, clock, django_capture_on_commit_callbacks):
    with_email(cast)
    with django_capture_on_commit_callbacks(execute=True):
        case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    pending = Delivery.objects.filter(channel="email", notification__case=case)
    pending.update(status="pending", sent_at=None)
    mail.outbox.clear()
    from deadlines.sweeps import run

    counts, _ = run("email")
    assert counts["sent"] == pending.count() >= 1
    assert len(mail.outbox) == counts["sent"]


def test_a_reminder_longer_than_the_deadline_window_is_skipped():
    # A 15-day notice (办法 第十五条) gets its 7- and 1-day reminders, never a "30 days before".
    first, last = D(2026, 7, 1), D(2026, 7, 15)
    assert services.reminder_bucket(14, [30, 7, 1], due=last, opens=first) is None
    assert services.reminder_bucket(7, [30, 7, 1], due=last, opens=first) == 7
    assert services.reminder_bucket(20, [30, 7, 1]) == 30  # no window known: caught up late
    assert services.reminder_bucket(0, [30, 7, 1]) == 1
    assert services.reminder_bucket(31, [30, 7, 1]) is None


@pytest.mark.django_db
def test_samr_reads_its_lapse_queue_through_the_api_and_on_the_case_page(cast, call, clock, client):
    """办法 第九条、第十二条: the cases the sweep flagged are SAMR's queue (?lapse_decision_due=true) until SAMR
    terminates or extends; the case page says the decision is due. The last day of the window is still in time."""
    from rest_framework.test import APIClient

    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    last_day = case.creation_end + datetime.timedelta(days=case.rule_set.evaluation_grace_days)
    api = APIClient()
    api.force_authenticate(cast.officer)
    travel(clock, last_day, hour=23)
    services.lapse_expired_creations()
    assert api.get("/api/cases/?lapse_decision_due=true").json()["results"] == []
    travel(clock, last_day + ONE_DAY)
    services.lapse_expired_creations()
    queue = api.get("/api/cases/?lapse_decision_due=true").json()["results"]
    assert [row["id"] for row in queue] == [case.pk] and queue[0]["lapse_decision_due"] is True
    client.force_login(cast.officer)
    assert 'data-testid="lapse-decision-due"' in client.get(f"/cases/{case.pk}/").content.decode()
    perform_transition(case_id=case.pk, name="lapse", actor=cast.officer, payload={"comment": "期满未申请评估"})
    assert api.get("/api/cases/?lapse_decision_due=true").json()["results"] == []
    assert 'data-testid="lapse-decision-due"' not in client.get(f"/cases/{case.pk}/").content.decode()
