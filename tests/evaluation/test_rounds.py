"""评估批次 (办法 第十二条、第十七条): an evaluation application belongs to a round SAMR opened and is taken on its
days; after a first failure the city applies again at the NEXT round — not the same, not a later one — with a new
self-assessment and new materials; if the next round closes without it, SAMR ends the case."""
import datetime

import pytest
from rest_framework.test import APIClient

from cases.errors import GuardFailed, InvalidPayload
from cases.journeys import _ensure_evaluation_materials, act, drive
from cases.models import Case
from cases.services import perform_transition
from cases.workflow import State
from evaluation.services import open_round
from indicators.models import IndicatorSystem
from indicators.services import load_seed_systems
from tests.conftest import SHANGHAI
from tests.deadlines.conftest import trial_clock
from tests.factories import new_case

__all__ = ["trial_clock"]
DAY = datetime.timedelta(days=1)


def at(clock, day):
    clock.move_to(datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI))


def a_round(cast, opens_on, days=30, title=None):
    load_seed_systems()
    return open_round(actor=cast.officer, title=title or f"评估批次 {opens_on}", opens_on=opens_on,
                      closes_on=opens_on + datetime.timedelta(days=days - 1),
                      indicator_system=IndicatorSystem.objects.get(code="draft-current"))


def apply(case, cast, name="apply_for_evaluation", round_=None):
    payload = {"round": round_.pk} if round_ is not None else {}
    return perform_transition(case_id=case.pk, name=name, actor=cast.applicant, payload=payload)


@pytest.fixture
def ended(cast, call, clock):
    """A case whose creation period has ended, with its materials and a passing self-assessment."""
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    at(clock, case.creation_end + DAY)
    _ensure_evaluation_materials(case, cast)
    return Case.objects.get(pk=case.pk)


@pytest.mark.django_db
def test_an_application_is_taken_only_on_its_rounds_days(cast, ended, clock):
    today = ended.creation_end + DAY
    later = a_round(cast, today + DAY, days=10)
    with pytest.raises(InvalidPayload) as refusal:  # the day before the round opens
        apply(ended, cast, round_=later)
    assert str(later.opens_on) in str(refusal.value.extra["errors"])
    with pytest.raises(InvalidPayload):  # no round named
        apply(ended, cast)
    at(clock, later.opens_on)  # its first day
    case = apply(ended, cast, round_=later)
    assert case.evaluation_round == later
    assert case.audit_entries.get(name="apply_for_evaluation").data["round"] == later.pk


@pytest.fixture
def failed(cast, ended, clock):
    first = a_round(cast, ended.creation_end + DAY, title="第一批")
    apply(ended, cast, round_=first)
    for move in ("forward_evaluation", "fail_evaluation"):
        act(Case.objects.get(pk=ended.pk), move, cast, clock)
    case = Case.objects.get(pk=ended.pk)
    assert case.state == State.AWAITING_RE_EVALUATION
    assert case.evaluation_round == first and case.evaluation_failed_at is not None
    return case, first


@pytest.mark.django_db
def test_a_failed_city_applies_again_only_at_the_next_round_with_new_materials(cast, failed, clock):
    case, first = failed
    # 办法 第十七条: not the round it failed in.
    with pytest.raises(InvalidPayload) as refusal:
        apply(case, cast, "apply_for_re_evaluation", first)
    assert "办法 第十七条" in str(refusal.value.extra["errors"]["round"])
    second = a_round(cast, first.closes_on + DAY, title="第二批")
    third = a_round(cast, second.closes_on + DAY, title="第三批")
    at(clock, second.opens_on)  # the first day of the next round
    # The materials and the self-assessment from before the failure do not count.
    with pytest.raises(GuardFailed) as refusal:
        apply(case, cast, "apply_for_re_evaluation", second)
    assert "办法 第十七条" in str(refusal.value.message)
    _ensure_evaluation_materials(Case.objects.get(pk=case.pk), cast)
    # Not a later round than the next one.
    at(clock, third.opens_on)
    with pytest.raises(InvalidPayload) as refusal:
        apply(case, cast, "apply_for_re_evaluation", third)
    assert "第二批" in str(refusal.value.extra["errors"]["round"])
    at(clock, second.closes_on)  # the next round's last day
    case = apply(case, cast, "apply_for_re_evaluation", second)
    assert case.state == State.EVALUATION_APPLIED and case.evaluation_round == second


@pytest.mark.django_db
def test_when_the_next_round_closes_without_an_application_samr_ends_the_case(cast, failed, clock):
    case, first = failed
    with pytest.raises(GuardFailed):  # no next round yet: the city may still apply
        perform_transition(case_id=case.pk, name="forgo_re_evaluation", actor=cast.officer,
                           payload={"comment": "未再次申请"})
    second = a_round(cast, first.closes_on + DAY, title="第二批")
    at(clock, second.closes_on)
    with pytest.raises(GuardFailed) as refusal:  # the next round's last day: still in time
        perform_transition(case_id=case.pk, name="forgo_re_evaluation", actor=cast.officer,
                           payload={"comment": "未再次申请"})
    assert str(second.closes_on) in str(refusal.value.message)
    at(clock, second.closes_on + DAY)
    case = perform_transition(case_id=case.pk, name="forgo_re_evaluation", actor=cast.officer,
                              payload={"comment": "下一批次未再次申请评估"})
    assert case.state == State.EVALUATION_FAILED
    assert case.audit_entries.get(name="forgo_re_evaluation").article == "办法 第十七条"


@pytest.mark.django_db
def test_the_trial_measures_take_applications_without_rounds(cast, trial_clock):
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    _ensure_evaluation_materials(case, cast)
    case = apply(case, cast)
    assert case.state == State.EVALUATION_APPLIED and case.evaluation_round is None


@pytest.mark.django_db
def test_samr_opens_and_corrects_rounds_and_everyone_reads_them(cast, clock):
    load_seed_systems()
    officer, applicant = APIClient(), APIClient()
    officer.force_authenticate(cast.officer)
    applicant.force_authenticate(cast.applicant)
    body = {"title": "2026年度评估批次", "document_number": "市监网监〔2026〕9号", "opens_on": "2026-04-01",
            "closes_on": "2026-04-30", "indicator_system": "draft-current"}
    assert applicant.post("/api/rounds/", body, format="json").status_code == 403
    bad = officer.post("/api/rounds/", {**body, "closes_on": "2026-03-01"}, format="json")
    assert bad.status_code == 400 and "closes_on" in bad.json()["errors"]
    created = officer.post("/api/rounds/", body, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/rounds/{created.json()['id']}/"
    assert applicant.get(url).json()["document_number"] == "市监网监〔2026〕9号"
    assert officer.patch(url, {"closes_on": "2026-05-15"}, format="json").json()["closes_on"] == "2026-05-15"
    at(clock, datetime.date(2026, 4, 2))  # open: its days and version are fixed, its title may still be corrected
    assert officer.patch(url, {"closes_on": "2026-05-31"}, format="json").status_code == 409
    assert officer.patch(url, {"title": "2026年度第一批评估"}, format="json").status_code == 200
    assert applicant.get("/api/rounds/999999/").status_code == 404


@pytest.mark.django_db
def test_a_round_that_closed_while_the_city_was_still_being_evaluated_is_not_its_next_round(cast, ended, clock):
    """办法 第十七条 下一次示范区评估认定: the next round is one the failed city can still apply to. A round that
    opened and closed while SAMR was still evaluating does not use up the one more evaluation."""
    first = a_round(cast, ended.creation_end + DAY, title="第一批")
    apply(ended, cast, round_=first)
    act(Case.objects.get(pk=ended.pk), "forward_evaluation", cast, clock)
    between = a_round(cast, first.opens_on + DAY, days=5, title="中间批")
    at(clock, between.closes_on + DAY)  # the evaluation outlasts the second round's days
    act(Case.objects.get(pk=ended.pk), "fail_evaluation", cast, clock)
    case = Case.objects.get(pk=ended.pk)
    assert case.state == State.AWAITING_RE_EVALUATION
    with pytest.raises(GuardFailed) as refusal:  # not "the next round has passed": it never was open to it
        perform_transition(case_id=case.pk, name="forgo_re_evaluation", actor=cast.officer,
                           payload={"comment": "未再次申请"})
    assert "办法 第十七条" in str(refusal.value.message)
    today = case.evaluation_failed_at.astimezone(SHANGHAI).date()
    following = a_round(cast, max(today, first.closes_on) + DAY, title="下一批")
    at(clock, following.opens_on)  # the first day of the next round it can apply to
    _ensure_evaluation_materials(Case.objects.get(pk=case.pk), cast)
    case = apply(Case.objects.get(pk=case.pk), cast, "apply_for_re_evaluation", following)
    assert case.state == State.EVALUATION_APPLIED and case.evaluation_round == following
