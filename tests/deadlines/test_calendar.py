"""A case's deadlines come from its rule set and its recorded acts, in Asia/Shanghai calendar days, inclusive."""
import datetime

import pytest
from rest_framework.test import APIClient

from cases.journeys import drive
from cases.workflow import State
from deadlines import calendar, selectors
from deadlines.models import DeadlineKind
from tests.deadlines.conftest import travel
from tests.factories import new_case

D = datetime.date


def kinds(case, today=None):
    return {d.kind: d for d in calendar.for_case(case, today)}


@pytest.mark.django_db
def test_notice_runs_fifteen_days_counting_its_first_day(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    notice = case.notices.get()
    deadline = kinds(case)[DeadlineKind.NOTICE]
    # 办法 第十五条: 为期15天 — the first day is day 1.
    assert deadline.opens == notice.first_day
    assert deadline.due == notice.first_day + datetime.timedelta(days=14)
    rows = selectors.deadline_rows(case)
    assert rows[0]["days_left"] == 14 and rows[0]["status"] == "open"
    assert rows[0]["article"] == "办法 第十五条"


@pytest.mark.django_db
def test_current_measures_open_the_evaluation_application_when_the_creation_period_ends(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    found = kinds(case)
    assert found[DeadlineKind.CREATION_END].due == case.creation_end == D(2029, 3, 1)
    evaluation = found[DeadlineKind.EVALUATION_APPLICATION]
    # 办法 第十二条: 创建期满 — from the day after the period ends, for the rule set's grace days.
    assert evaluation.opens == D(2029, 3, 2)
    assert evaluation.due == D(2029, 3, 1) + datetime.timedelta(days=case.rule_set.evaluation_grace_days)


@pytest.mark.django_db
def test_under_2022_measures_the_evaluation_deadline_is_the_creation_period_end(cast, trial_clock):
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    found = kinds(case)
    # 试行办法 第十条: self-assessment during creation — the period's end is the one deadline.
    assert set(found) == {DeadlineKind.EVALUATION_APPLICATION}
    assert found[DeadlineKind.EVALUATION_APPLICATION].due == case.creation_end
    assert found[DeadlineKind.EVALUATION_APPLICATION].opens == case.creation_start


@pytest.mark.django_db
def test_2022_application_deadline_is_may_31_and_after_it_next_years(cast, trial_clock):
    case = new_case(cast)
    assert kinds(case)[DeadlineKind.APPLICATION].due == D(2023, 5, 31)  # 试行办法 第七条: 每年5月底前
    assert kinds(case, D(2023, 5, 31))[DeadlineKind.APPLICATION].due == D(2023, 5, 31)
    assert kinds(case, D(2023, 6, 1))[DeadlineKind.APPLICATION].due == D(2024, 5, 31)


@pytest.mark.django_db
def test_2022_province_review_is_one_month_from_submission_but_never_after_june_30(cast, trial_clock):
    case = drive(new_case(cast), State.SUBMITTED, cast, trial_clock)  # submitted 2023-04-10
    assert kinds(case)[DeadlineKind.PROVINCE_REVIEW].due == D(2023, 5, 10)  # 1个月内


@pytest.mark.django_db
def test_current_measures_take_the_application_dates_from_the_call(cast, call, clock):
    case = new_case(cast, call)
    deadline = kinds(case)[DeadlineKind.APPLICATION]
    assert (deadline.opens, deadline.due) == (call.opens_on, call.submission_deadline)
    case = drive(case, State.SUBMITTED, cast, clock)
    assert kinds(case)[DeadlineKind.PROVINCE_REVIEW].due == call.recommendation_deadline


@pytest.mark.django_db
def test_days_left_is_zero_on_the_last_day_and_negative_after(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    last = case.notices.get().last_day
    travel(clock, last, hour=23)
    assert selectors.deadline_rows(case)[0]["days_left"] == 0
    assert selectors.deadline_rows(case)[0]["status"] == "last_day"
    travel(clock, last + datetime.timedelta(days=1), hour=0)
    assert selectors.deadline_rows(case)[0]["status"] == "passed"


@pytest.mark.django_db
def test_designated_zone_under_2022_measures_owes_an_annual_report_by_march_31(cast, trial_clock):
    case = drive(new_case(cast), State.DESIGNATED, cast, trial_clock)
    deadline = kinds(case)[DeadlineKind.ANNUAL_REPORT]
    assert deadline.subject_year == case.designated_on.year
    assert deadline.due == D(case.designated_on.year + 1, 3, 31)
    assert deadline.article == "试行办法 第十八条"


@pytest.mark.django_db
def test_designated_zone_under_current_measures_has_no_dated_annual_report(cast, call, clock):
    case = drive(new_case(cast, call), State.DESIGNATED, cast, clock)
    assert calendar.for_case(case) == []  # 办法 第十九条 sets no date


@pytest.mark.django_db
def test_deadlines_api_shows_days_left_in_scope_and_404_outside(cast, other_cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    client = APIClient()
    client.force_authenticate(cast.applicant)
    response = client.get(f"/api/cases/{case.pk}/deadlines/")
    assert response.status_code == 200
    assert response.json()[0]["kind"] == "notice" and response.json()[0]["days_left"] == 14
    client.force_authenticate(other_cast.applicant)
    assert client.get(f"/api/cases/{case.pk}/deadlines/").status_code == 404
