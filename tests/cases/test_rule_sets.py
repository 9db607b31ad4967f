"""The differences between the 2022 trial measures and the current measures come from the rule-set data."""
import datetime

import pytest

from indicators.models import IndicatorSystem

from cases.errors import GuardFailed, InvalidPayload
from cases.journeys import act, drive
from cases.services import perform_transition
from cases.workflow import State
from tests.conftest import SHANGHAI
from tests.factories import new_case

TRIAL_START = datetime.datetime(2023, 4, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def trial_clock(clock):
    """A day in 2023, when the 2022 trial measures were in force."""
    clock.move_to(TRIAL_START)
    return clock


@pytest.mark.django_db
def test_new_case_is_bound_to_the_measures_in_force_that_day(cast, call, clock):
    assert new_case(cast, call).rule_set.code == "current"


@pytest.mark.django_db
def test_case_created_in_2023_is_bound_to_the_2022_trial_measures(cast, trial_clock):
    assert new_case(cast).rule_set.code == "trial-2022"


@pytest.mark.django_db
def test_creation_period_is_three_years_under_current_measures(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    assert (case.creation_start, case.creation_end) == (datetime.date(2026, 3, 2), datetime.date(2029, 3, 1))


@pytest.mark.django_db
def test_creation_period_is_two_years_under_2022_trial_measures(cast, trial_clock):
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    assert (case.creation_start, case.creation_end) == (datetime.date(2023, 4, 10), datetime.date(2025, 4, 9))


@pytest.mark.django_db
def test_samr_cannot_approve_a_period_longer_than_the_rule_set_allows(cast, call, clock):
    case = drive(new_case(cast, call), State.RECOMMENDED, cast, clock)
    with pytest.raises(InvalidPayload) as refusal:
        perform_transition(case_id=case.pk, name="approve_creation", actor=cast.officer,
                           payload={"creation_end": "2029-03-02"})
    assert "creation_end" in refusal.value.extra["errors"]


@pytest.mark.django_db
def test_province_must_rank_its_recommendations_under_current_measures(cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    with pytest.raises(InvalidPayload) as refusal:
        perform_transition(case_id=case.pk, name="recommend", actor=cast.reviewer, payload={})
    assert "rank" in refusal.value.extra["errors"]


@pytest.mark.django_db
def test_province_forwards_without_ranking_under_2022_trial_measures(cast, trial_clock):
    case = drive(new_case(cast), State.SUBMITTED, cast, trial_clock)
    case = perform_transition(case_id=case.pk, name="recommend", actor=cast.reviewer, payload={})
    assert case.state == State.RECOMMENDED


@pytest.mark.django_db
def test_evaluation_application_before_the_creation_period_ends_is_refused_under_current_measures(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    clock.move_to(datetime.datetime(2029, 3, 1, 23, 59, tzinfo=SHANGHAI))  # the period's last day
    from cases.journeys import _ensure_evaluation_materials

    from evaluation.services import open_round
    from indicators.services import load_seed_systems

    load_seed_systems()
    evaluation_round = open_round(actor=cast.officer, title="2029年度评估批次", opens_on=datetime.date(2029, 2, 1),
                                  closes_on=datetime.date(2029, 3, 31),
                                  indicator_system=IndicatorSystem.objects.get(code="draft-current"))
    _ensure_evaluation_materials(case, cast)
    with pytest.raises(GuardFailed) as refusal:
        perform_transition(case_id=case.pk, name="apply_for_evaluation", actor=cast.applicant,
                           payload={"round": evaluation_round.pk})
    assert "评估申请须在创建期满后提交（现为创建中，期满日 2029-03-01）" in str(refusal.value.message)
    clock.move_to(datetime.datetime(2029, 3, 2, 0, 0, 1, tzinfo=SHANGHAI))
    case = perform_transition(case_id=case.pk, name="apply_for_evaluation", actor=cast.applicant,
                              payload={"round": evaluation_round.pk})
    assert case.state == State.EVALUATION_APPLIED and case.evaluation_round == evaluation_round


@pytest.mark.django_db
def test_evaluation_application_during_creation_is_allowed_under_2022_trial_measures(cast, trial_clock):
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    trial_clock.shift(datetime.timedelta(days=200))
    case = act(case, "apply_for_evaluation", cast, trial_clock)
    assert case.state == State.EVALUATION_APPLIED


@pytest.mark.django_db
def test_evaluation_application_after_the_period_lapses_is_refused_under_2022_trial_measures(cast, trial_clock):
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    trial_clock.move_to(datetime.datetime(2025, 4, 10, 0, 0, 1, tzinfo=SHANGHAI))
    with pytest.raises(GuardFailed):
        act(case, "apply_for_evaluation", cast, None)


@pytest.mark.django_db
def test_first_failed_evaluation_leaves_one_more_under_current_measures(cast, call, clock):
    case = drive(new_case(cast, call), State.UNDER_EVALUATION, cast, clock)
    assert act(case, "fail_evaluation", cast, clock).state == State.AWAITING_RE_EVALUATION


@pytest.mark.django_db
def test_second_failed_evaluation_ends_case_under_current_measures(cast, call, clock):
    case = drive(new_case(cast, call), State.EVALUATION_FAILED, cast, clock)
    assert case.state == State.EVALUATION_FAILED
    assert case.evaluation_failures == 2


@pytest.mark.django_db
def test_failed_evaluation_ends_case_under_2022_trial_measures(cast, trial_clock):
    case = drive(new_case(cast), State.UNDER_EVALUATION, cast, trial_clock)
    assert act(case, "fail_evaluation", cast, trial_clock).state == State.EVALUATION_FAILED


@pytest.mark.django_db
def test_after_a_final_failure_the_city_may_apply_anew(cast, call, clock):
    drive(new_case(cast, call), State.EVALUATION_FAILED, cast, clock)
    assert new_case(cast, call).state == State.DRAFT  # 办法 第十七条: 可重新提出创建申请


@pytest.mark.django_db
def test_submission_after_may_31_is_refused_under_2022_trial_measures(cast, trial_clock):
    case = new_case(cast)
    trial_clock.move_to(datetime.datetime(2023, 6, 1, 0, 0, 1, tzinfo=SHANGHAI))
    with pytest.raises(GuardFailed) as refusal:
        act(case, "submit", cast)
    assert "2023-05-31" in str(refusal.value.message)


@pytest.mark.django_db
def test_submission_on_may_31_at_midnight_beijing_time_is_in_time(cast, trial_clock):
    case = new_case(cast)
    trial_clock.move_to(datetime.datetime(2023, 5, 31, 23, 59, 59, tzinfo=SHANGHAI))
    assert act(case, "submit", cast).state == State.SUBMITTED


@pytest.mark.django_db
def test_a_province_review_past_one_month_is_flagged_but_not_barred_under_2022_trial_measures(cast, trial_clock):
    """试行办法 第七条: 1个月内初审 is the province's duty — late, it is flagged and SAMR and the province are told;
    the recommendation stays possible until 6月底前 (the forwarding date), and is refused after it."""
    from deadlines.services import flag_late_province_reviews
    from notifications.models import Notification

    case = drive(new_case(cast), State.SUBMITTED, cast, trial_clock)  # received 2023-04-10
    trial_clock.move_to(datetime.datetime(2023, 5, 10, 23, 0, tzinfo=SHANGHAI))  # same day next month: in time
    assert flag_late_province_reviews()["flagged"] == 0
    trial_clock.move_to(datetime.datetime(2023, 5, 11, 0, 0, 1, tzinfo=SHANGHAI))
    assert flag_late_province_reviews()["flagged"] == 1
    assert flag_late_province_reviews()["flagged"] == 0  # once per submission
    flag = case.audit_entries.get(name="province_review_late")
    assert flag.data["due"] == "2023-05-10" and flag.data["forward_by"] == "2023-06-30"
    assert Notification.objects.filter(event="province_review_late", recipient=cast.officer).exists()
    assert Notification.objects.filter(event="province_review_late", recipient=cast.reviewer).exists()
    trial_clock.move_to(datetime.datetime(2023, 6, 30, 23, 0, tzinfo=SHANGHAI))
    assert perform_transition(case_id=case.pk, name="recommend", actor=cast.reviewer).state == State.RECOMMENDED


@pytest.mark.django_db
def test_a_recommendation_after_june_30_is_refused_under_2022_trial_measures(cast, trial_clock):
    case = drive(new_case(cast), State.SUBMITTED, cast, trial_clock)
    trial_clock.move_to(datetime.datetime(2023, 7, 1, 0, 0, 1, tzinfo=SHANGHAI))
    with pytest.raises(GuardFailed) as refusal:
        perform_transition(case_id=case.pk, name="recommend", actor=cast.reviewer)
    assert "2023-06-30" in str(refusal.value.message)


@pytest.mark.django_db
def test_submission_after_the_calls_deadline_is_refused(cast, call, clock):
    case = new_case(cast, call)
    clock.move_to(datetime.datetime(2026, 6, 1, 0, 0, 1, tzinfo=SHANGHAI))
    with pytest.raises(GuardFailed) as refusal:
        act(case, "submit", cast)
    assert "2026-05-31" in str(refusal.value.message)


@pytest.mark.django_db
def test_submission_without_a_creation_plan_is_refused_and_names_what_is_missing(cast, call, clock):
    case = new_case(cast, call)
    with pytest.raises(GuardFailed) as refusal:
        perform_transition(case_id=case.pk, name="submit", actor=cast.applicant)
    assert "申请表" in str(refusal.value.message) and "创建方案" in str(refusal.value.message)
    case.refresh_from_db()
    assert case.state == State.DRAFT


@pytest.mark.django_db
def test_notice_runs_fifteen_days_counting_its_first_day(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    notice = case.notices.get()
    assert (notice.last_day - notice.first_day).days == 14
    clock.move_to(datetime.datetime.combine(notice.last_day, datetime.time(23, 59), tzinfo=SHANGHAI))
    with pytest.raises(GuardFailed):
        perform_transition(case_id=case.pk, name="close_notice", actor=cast.officer)
    clock.shift(datetime.timedelta(minutes=2))
    assert perform_transition(case_id=case.pk, name="close_notice", actor=cast.officer).state == \
        State.AWAITING_DESIGNATION


@pytest.mark.django_db
def test_open_objection_holds_the_notice_and_an_upheld_one_blocks_designation(cast, call, clock):
    from publicity.services import decide_objection, file_objection

    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    objection = file_objection(notice_id=case.notices.get().pk, name="公众", contact="13800000000",
                               content="该市存在刷单炒信问题")
    clock.shift(datetime.timedelta(days=16))
    with pytest.raises(GuardFailed) as refusal:
        perform_transition(case_id=case.pk, name="close_notice", actor=cast.officer)
    assert "异议" in str(refusal.value.message)
    decide_objection(objection_id=objection.pk, actor=cast.officer, upheld=True, decision="经核实属实")
    perform_transition(case_id=case.pk, name="close_notice", actor=cast.officer)
    with pytest.raises(GuardFailed):
        perform_transition(case_id=case.pk, name="designate", actor=cast.officer)
    case = perform_transition(case_id=case.pk, name="refuse_designation", actor=cast.officer,
                              payload={"comment": "异议成立"})
    assert case.state == State.NOT_DESIGNATED
