"""Score sheets per stage (issue 3, item 7): the applicant's self-assessment, the province's pre-review, each
assigned expert's sheet after a conflict declaration, and the final result that drives pass/fail_evaluation."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases.errors import Conflict, GuardFailed, IllegalTransition, InvalidPayload, NotAllowed, NotFound
from cases.journeys import drive
from cases.services import perform_transition
from cases.workflow import State
from evaluation import sheets
from evaluation.models import EvaluationResult, LockedSheetError, ScoreSheet, SelfAssessment, SheetStage, SheetStatus
from evaluation.services import assign_expert
from indicators import samples, selectors, services
from indicators.models import IndicatorSystem
from rulesets.models import RuleSet
from tests.conftest import SHANGHAI
from tests.deadlines.conftest import trial_clock
from tests.factories import expert, new_case

__all__ = ["trial_clock"]

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def systems(db):
    """Both seed systems, as `manage.py load_indicator_seeds` loads them (2022 published, current a draft)."""
    services.load_seed_systems()
    return {s.code: s for s in IndicatorSystem.objects.all()}


@pytest.fixture
def evaluated(systems, cast, call, clock):
    """A case under the current measures under SAMR evaluation, with three experts assigned."""
    case = drive(new_case(cast, call), State.UNDER_EVALUATION, cast, clock)
    experts = [cast.expert, expert("expert-2"), expert("expert-3")]
    for person in experts:
        assign_expert(case_id=case.pk, actor=cast.officer, expert=person)
    return case, experts


def scores_with(system, losses=None):
    """{indicator number: score} — full marks less ``losses`` {group code: points}, taken indicator by indicator."""
    losses = {k: D(v) for k, v in (losses or {}).items()}
    out = {}
    for ind in selectors.compiled_system(system).indicators:
        take = min(losses.get(ind.group, D(0)), ind.points)
        losses[ind.group] = losses.get(ind.group, D(0)) - take
        out[ind.number] = ind.points - take
    assert not any(losses.values()), "losses larger than the group"
    return out


def expert_scores(case, person, scores, *, conflict=False):
    """An expert opens their sheet, declares (no) conflict, scores every indicator and submits."""
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=person)
    sheets.declare_conflict(case_id=case.pk, actor=person, sheet_id=sheet.pk, has_conflict=conflict,
                            statement="本人曾参与该市创建方案编制" if conflict else "")
    if conflict:
        return sheet
    sheets.update_sheet(case_id=case.pk, actor=person, sheet_id=sheet.pk,
                        entries={str(n): {"score": str(v), "explanation": "核实"} for n, v in scores.items()})
    return sheets.submit_sheet(case_id=case.pk, actor=person, sheet_id=sheet.pk)


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# ------------------------------------------------------------------------------------------------ the full flow
def test_three_experts_one_conflicted_the_final_aggregates_the_two_and_the_case_passes(evaluated, cast, systems):
    case, (first, second, third) = evaluated
    system = systems["draft-current"]
    url = f"/api/cases/{case.pk}/score-sheets/"
    # The first expert goes through the API: open, declare, score, submit.
    api = client_for(first)
    opened = api.post(url, {}, format="json")
    assert opened.status_code == 201, opened.json()
    sheet_id = opened.json()["id"]
    early = api.patch(f"{url}{sheet_id}/", {"entries": {"1": {"score": "1"}}}, format="json")
    assert early.status_code == 409 and "利益冲突" in early.json()["detail"]
    assert api.post(f"{url}{sheet_id}/conflict/", {"has_conflict": False}, format="json").status_code == 200
    full = scores_with(system)
    patched = api.patch(f"{url}{sheet_id}/", {"entries": {str(n): {"score": str(v)} for n, v in full.items()}},
                        format="json")
    assert patched.status_code == 200, patched.json()
    submitted = api.post(f"{url}{sheet_id}/submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["total_score"] == "100.00" and submitted.json()["draft_system"] is True

    expert_scores(case, second, scores_with(system, {"G2": 10}))  # 90
    conflicted = expert_scores(case, third, {}, conflict=True)
    with pytest.raises(NotAllowed):  # a conflicted expert cannot score
        sheets.update_sheet(case_id=case.pk, actor=third, sheet_id=conflicted.pk, entries={"1": {"score": "1"}})

    officer = client_for(cast.officer)
    refused = officer.post(f"{url}finalise/", {}, format="json")  # 办法 第十四条: the weighing is required
    assert refused.status_code == 400 and "weighing.representativeness" in refused.json()["errors"]
    final = officer.post(f"{url}finalise/", weigh(), format="json")
    assert final.status_code == 201, final.json()
    body = final.json()
    assert (body["stage"], body["status"], body["aggregation"]) == ("final", "submitted", "mean")
    assert body["total_score"] == "95.00" and body["passed"] is True and body["decision"] == "pass"
    assert body["result"]["experts"] == [first.username, second.username]
    assert body["result"]["excused"] == [third.username]
    assert body["draft_system"] is True

    result = EvaluationResult.objects.get(case=case)
    assert (result.total_score, result.passed) == (D("95.00"), True)
    assert "(征求意见稿)" in result.summary and "draft-current" not in result.summary  # names, not keys
    case = perform_transition(case_id=case.pk, name="pass_evaluation", actor=cast.officer)
    assert case.state == State.EVALUATION_PASSED
    names = list(case.audit_entries.values_list("name", flat=True))
    assert {"declare_conflict", "submit_score_sheet", "finalise_score_sheets", "record_evaluation_result"} <= set(names)


def test_a_failed_final_result_takes_the_case_through_fail_evaluation(evaluated, cast, systems):
    case, (first, second, third) = evaluated
    system = systems["draft-current"]
    for person in (first, second, third):
        expert_scores(case, person, scores_with(system, {"G1": 4, "G2": 6, "G3": "5.01"}))
    final = sheets.finalise(case_id=case.pk, actor=cast.officer, **weigh(False))
    assert (final.total_score, final.passed) == (D("84.99"), False)
    assert "总分 84.99 分，低于合格线 85 分，差 0.01 分" in final.result["reasons"]
    with pytest.raises(GuardFailed):
        perform_transition(case_id=case.pk, name="pass_evaluation", actor=cast.officer)
    case = perform_transition(case_id=case.pk, name="fail_evaluation", actor=cast.officer)
    assert case.state == State.AWAITING_RE_EVALUATION


# ------------------------------------------------------------------------------------------------ the pass rule
@pytest.mark.parametrize(("losses", "passed", "reason"), [
    ({"G1": 4, "G2": 6, "G3": 5}, True, None),  # exactly 85, and 促进发展 exactly at 80 %
    ({"G1": 4, "G2": 6, "G3": "5.01"}, False, "差 0.01 分"),  # 84.99
    ({"G1": "4.01"}, False, "一级指标“促进发展”得 15.99 分（满分 20），得分率 79.95%，低于 80.00%（须 16 分），差 0.01 分"),
])
def test_pass_rule_at_its_edges_in_the_current_draft(evaluated, cast, systems, losses, passed, reason):
    case, (first, second, third) = evaluated
    for person in (first, second):
        expert_scores(case, person, scores_with(systems["draft-current"], losses))
    expert_scores(case, third, {}, conflict=True)
    final = sheets.finalise(case_id=case.pk, actor=cast.officer, **weigh(passed))
    assert final.passed is passed
    if reason:
        assert any(reason in r for r in final.result["reasons"]), final.result["reasons"]


TRIAL_START = datetime.datetime(2023, 4, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("loss", "passed"), [("5", True), ("5.01", False)])
def test_group_rate_exactly_at_75_percent_passes_under_the_2022_system(systems, cast, clock, loss, passed):
    clock.move_to(TRIAL_START)
    case = drive(new_case(cast), State.UNDER_EVALUATION, cast, clock)
    assign_expert(case_id=case.pk, actor=cast.officer, expert=cast.expert)
    expert_scores(case, cast.expert, scores_with(systems["2022"], {"G1": loss}))
    final = sheets.finalise(case_id=case.pk, actor=cast.officer, **weigh(passed))
    assert final.system.code == "2022" and final.result["draft_system"] is False
    assert final.passed is passed
    if not passed:
        assert any("促进发展" in r and "75.00%" in r and "差 0.01 分" in r for r in final.result["reasons"])


# ------------------------------------------------------------------------------------------------ aggregation
def test_divergence_is_flagged_where_experts_differ_by_more_than_the_margin(evaluated, cast, systems):
    case, (first, second, third) = evaluated
    system = systems["draft-current"]
    full = scores_with(system)
    big, small = [ind for ind in selectors.compiled_system(system).indicators if ind.points >= 4][:2]
    low = {**full, big.number: big.points - 3, small.number: small.points - 2}
    expert_scores(case, first, full)
    expert_scores(case, second, low)
    expert_scores(case, third, {}, conflict=True)
    final = sheets.finalise(case_id=case.pk, actor=cast.officer, **weigh())
    assert [d["number"] for d in final.divergent] == [big.number]  # 3 > 2 flagged; exactly 2 is not
    assert final.divergent[0]["spread"] == "3"
    entry = final.entries.get(number=big.number)
    assert entry.score == big.points - D("1.5")  # the mean


def test_divergence_margin_and_median_are_chosen_per_call(evaluated, cast, systems):
    case, experts = evaluated
    system = systems["draft-current"]
    full = scores_with(system)
    ind = next(i for i in selectors.compiled_system(system).indicators if i.points >= 4)
    for person, less in zip(experts, (0, 2, 3)):
        expert_scores(case, person, {**full, ind.number: ind.points - less})
    final = sheets.finalise(case_id=case.pk, actor=cast.officer, aggregation="median", divergence_margin=D(1), **weigh())
    assert final.aggregation == "median" and final.divergence_margin == D(1)
    assert final.entries.get(number=ind.number).score == ind.points - 2
    assert [d["number"] for d in final.divergent] == [ind.number]


def test_finalise_is_refused_without_a_submitted_expert_sheet(evaluated, cast):
    case, experts = evaluated
    for person in experts:
        expert_scores(case, person, {}, conflict=True)
    with pytest.raises(GuardFailed, match="尚无专家提交"):
        sheets.finalise(case_id=case.pk, actor=cast.officer, **weigh())


def test_finalise_is_refused_while_an_assigned_expert_has_not_submitted_and_names_them(evaluated, cast, systems):
    case, (first, second, third) = evaluated
    expert_scores(case, first, scores_with(systems["draft-current"]))
    sheets.save_sheet(case_id=case.pk, actor=second)  # opened, not declared, not submitted
    with pytest.raises(GuardFailed) as refusal:
        sheets.finalise(case_id=case.pk, actor=cast.officer, **weigh())
    assert "expert-2" in str(refusal.value.message) and "expert-3" in str(refusal.value.message)
    assert refusal.value.extra["pending"] == ["expert-2", "expert-3"]
    assert not ScoreSheet.objects.filter(stage=SheetStage.FINAL).exists()


def test_only_officers_finalise_and_only_once(evaluated, cast, systems):
    case, (first, second, third) = evaluated
    with pytest.raises(NotAllowed):
        sheets.finalise(case_id=case.pk, actor=first, **weigh())
    for person in (first, second):
        expert_scores(case, person, scores_with(systems["draft-current"]))
    expert_scores(case, third, {}, conflict=True)
    sheets.finalise(case_id=case.pk, actor=cast.officer, **weigh())
    with pytest.raises(Conflict):
        sheets.finalise(case_id=case.pk, actor=cast.officer, **weigh())


# ------------------------------------------------------------------------------------------------ locking
def test_a_submitted_sheet_refuses_every_change(evaluated, cast, systems):
    case, (first, *_rest) = evaluated
    sheet = expert_scores(case, first, scores_with(systems["draft-current"]))
    with pytest.raises(Conflict, match="已.*提交"):
        sheets.update_sheet(case_id=case.pk, actor=first, sheet_id=sheet.pk, entries={"1": {"score": "0"}})
    with pytest.raises(Conflict):
        sheets.submit_sheet(case_id=case.pk, actor=first, sheet_id=sheet.pk)
    sheet.refresh_from_db()
    sheet.total_score = D(1)
    with pytest.raises(LockedSheetError):
        sheet.save()
    entry = sheet.entries.first()
    entry.score = D(0)
    with pytest.raises(LockedSheetError):
        entry.save()
    document = case.documents.first()
    with pytest.raises(LockedSheetError):
        entry.evidence.add(document)
    response = client_for(first).patch(f"/api/cases/{case.pk}/score-sheets/{sheet.pk}/",
                                       {"entries": {"1": {"score": "0"}}}, format="json")
    assert response.status_code == 409


def test_conflict_is_declared_once_and_needs_a_statement(evaluated):
    case, (first, *_rest) = evaluated
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=first)
    with pytest.raises(InvalidPayload):
        sheets.declare_conflict(case_id=case.pk, actor=first, sheet_id=sheet.pk, has_conflict=True, statement=" ")
    sheets.declare_conflict(case_id=case.pk, actor=first, sheet_id=sheet.pk, has_conflict=False)
    with pytest.raises(Conflict):
        sheets.declare_conflict(case_id=case.pk, actor=first, sheet_id=sheet.pk, has_conflict=True, statement="x")


def test_scores_stay_within_the_indicator_points(evaluated, systems):
    case, (first, *_rest) = evaluated
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=first)
    sheets.declare_conflict(case_id=case.pk, actor=first, sheet_id=sheet.pk, has_conflict=False)
    points = sheet.entries.get(number=1).points
    for bad in (str(points + D("0.01")), "-0.5", "1.005", "abc"):
        with pytest.raises(InvalidPayload):
            sheets.update_sheet(case_id=case.pk, actor=first, sheet_id=sheet.pk, entries={"1": {"score": bad}})
    with pytest.raises(GuardFailed, match="未评分"):
        sheets.submit_sheet(case_id=case.pk, actor=first, sheet_id=sheet.pk)


# ------------------------------------------------------------------------------------------------ self-assessment
def weigh(passed=True):
    """办法 第十四条: SAMR's weighing beside the experts' scores, and its conclusion."""
    return {"weighing": {"representativeness": "代表性：……", "regional_role": "区域引领带动作用：……",
                         "platform_results": "平台经济发展质效：……"},
            "conclusion": "passed" if passed else "not_passed"}


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    return value


def test_self_assessment_scores_inputs_and_its_submission_records_the_decision(systems, cast, call, clock):
    system = systems["draft-current"]
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    years = sheets.case_years(case, system).years  # 办法 附件 “创建期内”: the case's, never typed
    data, benchmarks, context = samples.full_marks(system.spec(), years=(years[0] - 1, *years))
    for key, series in benchmarks.items():
        for year, value in series.items():
            services.set_national_figure(key=key, label=key, year=year, value=value, source="测试", is_demo=True)
    with pytest.raises(IllegalTransition, match="评估申请待省级初审"):  # the province's sheet comes later
        sheets.save_sheet(case_id=case.pk, actor=cast.reviewer)
    with pytest.raises(NotAllowed):
        sheets.save_sheet(case_id=case.pk, actor=cast.officer)
    sheet, created = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    assert created and sheet.system == system and sheet.result["draft_system"] is True
    with pytest.raises(InvalidPayload):
        sheets.update_sheet(case_id=case.pk, actor=cast.applicant, sheet_id=sheet.pk, inputs={"no_such_input": 1})
    with pytest.raises(InvalidPayload):  # the applicant enters data; the engine scores
        sheets.update_sheet(case_id=case.pk, actor=cast.applicant, sheet_id=sheet.pk, entries={"1": {"score": "1"}})
    case.refresh_from_db()  # 办法 第十二条: submitted once the creation period has ended
    clock.move_to(datetime.datetime.combine(case.creation_end + datetime.timedelta(days=1), datetime.time(9),
                                            tzinfo=SHANGHAI))
    with pytest.raises(GuardFailed, match="数据不全"):
        sheets.submit_sheet(case_id=case.pk, actor=cast.applicant, sheet_id=sheet.pk)
    document = case.documents.first()
    sheet = sheets.update_sheet(case_id=case.pk, actor=cast.applicant, sheet_id=sheet.pk, inputs=_jsonable(data),
                                entries={"1": {"explanation": "见统计公报", "evidence": [document.pk]}})
    # 99, not 100: the draft's 指标 24 items reach only 3 of its 4 points (a flagged finding, kept as the seed has it).
    assert sheet.total_score == D(99) and sheet.context["region"] == "east"
    entry = sheet.entries.get(number=1)
    assert entry.explanation == "见统计公报" and list(entry.evidence.all()) == [document]
    assert sheet.result["indicators"][0]["items"][0]["detail"]  # every point explained
    sheet = sheets.submit_sheet(case_id=case.pk, actor=cast.applicant, sheet_id=sheet.pk)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.passed is True
    assessment = SelfAssessment.objects.filter(case=case).latest("recorded_at", "pk")
    assert (assessment.total_score, assessment.passed) == (D(99), True)
    assert "按草稿指标体系“网络市场监管与服务示范区创建评估指标体系(征求意见稿)”评分" in assessment.summary
    # Another self-assessment is a new sheet; the submitted one is kept as it was.
    again, created = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    assert created and again.attempt == 2 and again.inputs == sheet.inputs
    assert again.entries.get(number=1).explanation == "见统计公报"


def test_self_assessment_is_refused_outside_its_states(evaluated, cast):
    case, _experts = evaluated
    with pytest.raises(IllegalTransition):
        sheets.save_sheet(case_id=case.pk, actor=cast.applicant)


def test_the_version_stays_bound_once_a_sheet_is_submitted(evaluated, cast, systems):
    case, (first, second, _third) = evaluated
    expert_scores(case, first, scores_with(systems["draft-current"]))
    RuleSet.objects.filter(pk=case.rule_set_id).update(indicator_system_code="2022")
    case.refresh_from_db()
    assert sheets.system_for_case(case).code == "draft-current"
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=second)
    assert sheet.system.code == "draft-current"


def test_pre_review_sheet_while_the_application_is_with_the_province(systems, cast, call, clock):
    case = drive(new_case(cast, call), State.EVALUATION_APPLIED, cast, clock)
    with pytest.raises(IllegalTransition):
        sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    sheet, created = sheets.save_sheet(case_id=case.pk, actor=cast.reviewer,
                                       entries={"1": {"score": "1", "explanation": "数据比对一致"}})
    assert created and sheet.stage == SheetStage.PRE_REVIEW and sheet.entries.get(number=1).score == D(1)


# ------------------------------------------------------------------------------------------------ who sees what
def test_experts_see_only_their_own_sheets_and_assigned_cases(evaluated, cast, other_cast, call, systems):
    case, (first, second, _third) = evaluated
    mine, _ = sheets.save_sheet(case_id=case.pk, actor=first)
    theirs, _ = sheets.save_sheet(case_id=case.pk, actor=second)
    api = client_for(first)
    listed = api.get(f"/api/cases/{case.pk}/score-sheets/").json()
    assert [s["id"] for s in listed] == [mine.pk]
    assert api.get(f"/api/cases/{case.pk}/score-sheets/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/cases/{case.pk}/score-sheets/{theirs.pk}/conflict/", {"has_conflict": False},
                    format="json").status_code == 404
    with pytest.raises(NotFound):
        sheets.submit_sheet(case_id=case.pk, actor=first, sheet_id=theirs.pk)
    other = new_case(other_cast, call)
    assert api.get(f"/api/cases/{other.pk}/score-sheets/").status_code == 404
    stranger = expert("expert-unassigned")
    assert client_for(stranger).get(f"/api/cases/{case.pk}/score-sheets/").status_code == 404


def test_applicants_do_not_see_expert_sheets(evaluated, cast, other_cast):
    case, (first, *_rest) = evaluated
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=first)
    api = client_for(cast.applicant)
    assert api.get(f"/api/cases/{case.pk}/score-sheets/").json() == []
    assert api.get(f"/api/cases/{case.pk}/score-sheets/{sheet.pk}/").status_code == 404
    assert client_for(cast.reviewer).get(f"/api/cases/{case.pk}/score-sheets/{sheet.pk}/").status_code == 404
    assert client_for(other_cast.applicant).get(f"/api/cases/{case.pk}/score-sheets/").status_code == 404
    assert client_for(cast.applicant).post(f"/api/cases/{case.pk}/score-sheets/finalise/", {},
                                           format="json").status_code == 403


def test_the_sheet_list_takes_the_same_number_of_queries_for_one_sheet_or_many(evaluated, cast, systems):
    case, experts = evaluated
    api = client_for(cast.officer)
    url = f"/api/cases/{case.pk}/score-sheets/"
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=experts[0])
    document = case.documents.first()
    sheets.declare_conflict(case_id=case.pk, actor=experts[0], sheet_id=sheet.pk, has_conflict=False)
    sheets.update_sheet(case_id=case.pk, actor=experts[0], sheet_id=sheet.pk,
                        entries={"1": {"evidence": [document.pk]}})
    with CaptureQueriesContext(connection) as one:
        assert len(api.get(url).json()) == 1
    for person in experts[1:]:
        expert_scores(case, person, scores_with(systems["draft-current"]))
    with CaptureQueriesContext(connection) as three:
        body = api.get(url).json()
    assert len(body) == 3 and body[0]["entries"][0]["evidence"] == [document.pk]
    assert len(three) == len(one)


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_change_a_submitted_sheet(evaluated, systems):
    from django.db import DatabaseError, transaction

    from evaluation.models import SheetEntry

    case, (first, *_rest) = evaluated
    sheet = expert_scores(case, first, scores_with(systems["draft-current"]))
    for change in (lambda: ScoreSheet.objects.filter(pk=sheet.pk).update(total_score=D(1)),
                   lambda: SheetEntry.objects.filter(sheet=sheet).update(explanation="改"),
                   lambda: SheetEntry.objects.filter(sheet=sheet).delete(),
                   lambda: SheetEntry.objects.bulk_create([SheetEntry(sheet=sheet, number=99, points=D(1))])):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert ScoreSheet.objects.get(pk=sheet.pk).total_score == D(100)


@pytest.mark.django_db
def test_a_self_assessment_is_drafted_during_creation_but_submitted_only_after_it_ends(cast, call, clock, systems):
    """办法 第十二条 创建期满: the sheet may be prepared during creation; submitting it opens the day after the period."""
    from cases.errors import GuardFailed

    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    case.refresh_from_db()
    clock.move_to(datetime.datetime.combine(case.creation_end, datetime.time(23, 59), tzinfo=SHANGHAI))
    with pytest.raises(GuardFailed) as refusal:
        sheets.submit_sheet(case_id=case.pk, actor=cast.applicant, sheet_id=sheet.pk)
    opens = case.creation_end + datetime.timedelta(days=1)
    assert "办法 第十二条" in str(refusal.value.message) and str(opens) in str(refusal.value.message)
    assert ScoreSheet.objects.get(pk=sheet.pk).status == "draft"


@pytest.mark.django_db
def test_under_the_trial_measures_a_self_assessment_may_be_submitted_during_creation(cast, trial_clock, systems):
    """试行办法 第十条 条件成熟的: any day of the creation period."""
    from cases.journeys import _assessment_years, _self_assess_by_sheet

    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    years = _assessment_years()
    _data, benchmarks, _context = samples.full_marks(systems["2022"].spec(), years=(years[0] - 1, *years))
    for key, series in benchmarks.items():
        for year, value in series.items():
            services.set_national_figure(key=key, label=key, year=year, value=value, source="测试", is_demo=True)
    assert case.rule_set.code == "trial-2022" and timezone.localdate() <= case.creation_end
    sheet = _self_assess_by_sheet(case, cast)
    assert sheet.status == "submitted"


def test_samr_may_conclude_not_passed_on_a_passing_score_with_reasons_but_never_passed_on_a_failing_one(
        evaluated, cast, systems):
    """办法 第十四条 综合考虑: the indicator rule is necessary, not sufficient."""
    case, experts = evaluated
    for person in experts:
        expert_scores(case, person, scores_with(systems["draft-current"]))
    with pytest.raises(InvalidPayload) as refusal:
        sheets.finalise(case_id=case.pk, actor=cast.officer, **weigh(False))
    assert "reasons" in refusal.value.extra["errors"]
    final = sheets.finalise(case_id=case.pk, actor=cast.officer, reasons="区域引领带动作用不足", **weigh(False))
    result = EvaluationResult.objects.get(case=case)
    assert (final.passed, result.passed, result.rule_passed) == (False, False, True)
    assert result.weighing["regional_role"] == "区域引领带动作用：……" and result.reasons == "区域引领带动作用不足"
    entry = case.audit_entries.filter(name="finalise_score_sheets").get()
    assert entry.data["rule_passed"] is True and entry.data["passed"] is False


def test_a_failing_score_can_never_be_concluded_passed(evaluated, cast, systems):
    case, experts = evaluated
    for person in experts:
        expert_scores(case, person, scores_with(systems["draft-current"], {"G1": 20}))
    with pytest.raises(GuardFailed, match="办法 第十四条"):
        sheets.finalise(case_id=case.pk, actor=cast.officer, **weigh(True))
    assert not EvaluationResult.objects.filter(case=case).exists()
