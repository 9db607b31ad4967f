"""The score sheet pages (evaluation/views.py): experts declare, score and submit through the browser; a submitted
sheet is read-only; scope is a 404; a refused submit keeps what was typed; the officer's finalise page; the sheet
page takes a fixed number of queries for both seed systems."""
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.journeys import drive
from cases.models import Case
from cases.workflow import State
from evaluation import sheets
from evaluation.models import EvaluationResult, ScoreSheet, SheetStage, SheetStatus
from evaluation.services import assign_expert
from indicators import selectors, services
from indicators.models import IndicatorSystem
from tests.conftest import SHANGHAI
from tests.factories import expert, new_case

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def systems(db):
    services.load_seed_systems()
    return {s.code: s for s in IndicatorSystem.objects.all()}


@pytest.fixture
def evaluated(systems, cast, call, clock):
    """A case under the current measures (the 25-indicator draft) under SAMR evaluation, two experts assigned."""
    case = drive(new_case(cast, call), State.UNDER_EVALUATION, cast, clock)
    experts = [cast.expert, expert("expert-2")]
    for person in experts:
        assign_expert(case_id=case.pk, actor=cast.officer, expert=person)
    return case, experts


def sheet_url(case, sheet, action=""):
    name = f"score-sheet-{action}" if action else "score-sheet"
    return reverse(name, args=[case.pk, sheet.pk])


def full_scores(system, factor=D(1)):
    return {ind.number: (ind.points * factor).quantize(D("0.01")) for ind in selectors.compiled_system(system).indicators}


def open_sheet(client, case):
    response = client.post(reverse("score-sheet-open", args=[case.pk]))
    assert response.status_code == 302, response
    return ScoreSheet.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def score_form(scores, explanation="核实无误"):
    data = {}
    for number, value in scores.items():
        data[f"score:{number}"] = str(value)
        data[f"explanation:{number}"] = explanation
    return data


def scored_by(client, case, person, scores):
    client.force_login(person)
    sheet = open_sheet(client, case)
    client.post(sheet_url(case, sheet, "conflict"), {"has_conflict": "no"})
    response = client.post(sheet_url(case, sheet, "submit"), score_form(scores))
    assert response.status_code == 302, response.content.decode()[:2000]
    return ScoreSheet.objects.get(pk=sheet.pk)


# ------------------------------------------------------------------------------------------------ expert flow
def test_expert_declares_no_conflict_scores_and_submits_through_the_pages(client, evaluated, systems):
    case, (first, _second) = evaluated
    client.force_login(first)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert reverse("score-sheet-open", args=[case.pk]) in page  # the case page offers the expert's sheet
    sheet = open_sheet(client, case)
    page = client.get(sheet_url(case, sheet)).content.decode()
    assert 'data-testid="conflict-form"' in page and 'name="score:1"' not in page  # declare before scoring
    assert "指标说明及打分标准" in page and "<details" in page
    response = client.post(sheet_url(case, sheet, "conflict"), {"has_conflict": "no"})
    assert response.status_code == 302
    page = client.get(sheet_url(case, sheet)).content.decode()
    assert 'name="score:1"' in page and 'data-testid="conflict-form"' not in page
    # htmx save: the sheet is rendered again in place with the new totals.
    scores = full_scores(systems["draft-current"], D("0.9"))
    response = client.post(sheet_url(case, sheet, "save"), score_form(scores), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="sheet-body"' in page and 'data-testid="total">90 / 100' in page
    response = client.post(sheet_url(case, sheet, "submit"), {})
    assert response.status_code == 302 and response["Location"] == reverse("case-detail", args=[case.pk])
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED and sheet.total_score == D(90)
    assert sheet.entries.get(number=1).explanation == "核实无误"
    assert {"declare_conflict", "submit_score_sheet"} <= set(case.audit_entries.values_list("name", flat=True))


def test_a_conflicted_expert_cannot_score(client, evaluated):
    case, (first, _second) = evaluated
    client.force_login(first)
    sheet = open_sheet(client, case)
    refused = client.post(sheet_url(case, sheet, "conflict"), {"has_conflict": "yes", "statement": ""})
    assert refused.status_code == 400 and "存在利益冲突时须说明情况" in refused.content.decode()
    client.post(sheet_url(case, sheet, "conflict"), {"has_conflict": "yes", "statement": "曾参与该市创建方案编制"})
    page = client.get(sheet_url(case, sheet)).content.decode()
    assert 'data-testid="conflict-declared"' in page and 'name="score:1"' not in page
    response = client.post(sheet_url(case, sheet, "save"), {"score:1": "1"})
    assert response.status_code == 403
    assert "不能为该案件评分" in response.content.decode()
    assert ScoreSheet.objects.get(pk=sheet.pk).entries.get(number=1).override is None


def test_a_submitted_sheet_is_read_only(client, evaluated, systems):
    case, (first, _second) = evaluated
    sheet = scored_by(client, case, first, full_scores(systems["draft-current"]))
    page = client.get(sheet_url(case, sheet)).content.decode()
    assert 'data-testid="read-only"' in page
    assert 'name="score:' not in page and 'name="explanation:' not in page and "confirm-submit" not in page
    response = client.post(sheet_url(case, sheet, "save"), {"score:1": "0"})
    assert response.status_code == 409 and "已于" in response.content.decode()
    assert ScoreSheet.objects.get(pk=sheet.pk).entries.get(number=1).score == sheet.entries.get(number=1).score


def test_sheets_out_of_scope_are_not_found(client, evaluated, other_cast, call):
    case, (first, second) = evaluated
    client.force_login(first)
    mine = open_sheet(client, case)
    client.force_login(second)
    assert client.get(sheet_url(case, mine)).status_code == 404  # another expert's sheet
    assert client.post(sheet_url(case, mine, "conflict"), {"has_conflict": "no"}).status_code == 404
    client.force_login(other_cast.reviewer)  # another province's reviewer
    assert client.get(sheet_url(case, mine)).status_code == 404
    assert client.post(reverse("score-sheet-open", args=[case.pk])).status_code == 404
    client.force_login(expert("expert-unassigned"))
    assert client.get(sheet_url(case, mine)).status_code == 404
    assert client.get(reverse("score-sheet-finalise", args=[case.pk])).status_code == 404
    client.force_login(first)  # only officers reach the finalise page
    assert client.get(reverse("score-sheet-finalise", args=[case.pk])).status_code == 404
    assert ScoreSheet.objects.get(pk=mine.pk).has_conflict is None


def test_a_refused_submit_keeps_the_typed_values(client, evaluated, systems):
    case, (first, _second) = evaluated
    client.force_login(first)
    sheet = open_sheet(client, case)
    client.post(sheet_url(case, sheet, "conflict"), {"has_conflict": "no"})
    response = client.post(sheet_url(case, sheet, "submit"),
                           {"score:1": "1.5", "explanation:1": "市场监管局提供了统计公报", "explanation:2": "待补材料"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "还有指标未评分" in page and 'data-testid="sheet-error"' in page
    assert 'value="1.5"' in page and "市场监管局提供了统计公报</textarea>" in page and "待补材料</textarea>" in page
    assert 'data-testid="entry-error-2"' in page  # the unscored indicators are marked
    assert ScoreSheet.objects.get(pk=sheet.pk).status == SheetStatus.DRAFT
    # An invalid score is refused without saving anything, and is shown again as typed.
    response = client.post(sheet_url(case, sheet, "save"), {"score:2": "99", "explanation:2": "超出分值"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="99"' in page and "超出分值</textarea>" in page and 'data-testid="entry-error-2"' in page
    assert ScoreSheet.objects.get(pk=sheet.pk).entries.get(number=2).explanation == "待补材料"


def test_officer_finalises_and_the_case_page_then_offers_pass_evaluation(client, evaluated, systems, cast):
    case, (first, second) = evaluated
    system = systems["draft-current"]
    big = next(ind for ind in selectors.compiled_system(system).indicators if ind.points >= 4)
    scores = full_scores(system)
    scored_by(client, case, first, scores)
    scored_by(client, case, second, {**scores, big.number: big.points - 3})
    client.force_login(cast.officer)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert reverse("score-sheet-finalise", args=[case.pk]) in page
    page = client.get(reverse("score-sheet-finalise", args=[case.pk])).content.decode()
    assert f'data-divergent="{big.number}"' in page and first.username in page and "expert-2" in page
    refused = client.post(reverse("score-sheet-finalise", args=[case.pk]),
                          {"aggregation": "median", "divergence_margin": "-1"})
    assert refused.status_code == 400 and 'value="-1"' in refused.content.decode()
    weighing = {"weighing.representativeness": "东部副省级城市，具代表性", "weighing.regional_role": "带动长三角",
                "weighing.platform_results": "平台经济质效突出"}
    # 办法 第十四条: without a conclusion the form comes back, keeping the weighing typed so far.
    refused = client.post(reverse("score-sheet-finalise", args=[case.pk]),
                          {"aggregation": "mean", "divergence_margin": "2", **weighing})
    assert refused.status_code == 400 and "带动长三角" in refused.content.decode()
    response = client.post(reverse("score-sheet-finalise", args=[case.pk]),
                           {"aggregation": "mean", "divergence_margin": "2", **weighing, "conclusion": "passed",
                            "version": Case.objects.get(pk=case.pk).version})
    assert response.status_code == 302, response.content.decode()[:3000]
    final = ScoreSheet.objects.get(case=case, stage=SheetStage.FINAL)
    assert final.total_score == D("98.50") and final.passed is True
    assert [d["number"] for d in final.divergent] == [big.number]
    assert EvaluationResult.objects.get(case=case).passed is True
    assert EvaluationResult.objects.get(case=case).weighing["regional_role"] == "带动长三角"
    response = client.get(reverse("case-detail", args=[case.pk]))
    form = next(f for f in response.context["move_forms"] if f.name == "pass_evaluation")
    assert form.allowed
    page = response.content.decode()
    assert reverse("score-sheet", args=[case.pk, final.pk]) in page
    assert reverse("score-sheet-finalise", args=[case.pk]) not in page  # once per round
    page = client.get(reverse("score-sheet", args=[case.pk, final.pk])).content.decode()
    assert "专家评分分歧较大的指标" in page and 'data-testid="read-only"' in page
    assert 'data-testid="weighing"' in page and "带动长三角" in page and "区域引领带动作用" in page


def test_applicant_self_assessment_inputs_are_kept_and_scored(client, systems, cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    client.force_login(cast.applicant)
    sheet = open_sheet(client, case)
    page = client.get(sheet_url(case, sheet)).content.decode()
    # The years are the case's (办法 附件 “创建期内”: the creation period 2026-03-02 – 2029-03-01), not a field.
    assert 'name="years"' not in page and "2026年、2027年、2028年、2029年" in page
    assert 'name="in:ecommerce_transactions:2025"' in page
    assert 'name="score:1"' not in page  # the applicant enters data; the engine scores
    response = client.post(sheet_url(case, sheet, "save"), {
        "inputs-shown": "1", "in:ecommerce_transactions:2025": "100", "in:ecommerce_transactions:2026": "130",
        "in:ecommerce_transactions:2027": "170", "in:d4_1": "1"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.context["years"] == [2026, 2027, 2028, 2029]
    assert sheet.inputs["ecommerce_transactions"] == {"2025": "100", "2026": "130", "2027": "170"}
    page = client.get(sheet_url(case, sheet)).content.decode()
    assert 'value="170"' in page and 'data-testid="explanation-1"' in page
    refused = client.post(sheet_url(case, sheet, "submit"), {"inputs-shown": "1", "in:d4_2": "0.5"})
    assert refused.status_code == 409 and "数据不全" in refused.content.decode()
    assert 'value="0.5"' in refused.content.decode()


# ------------------------------------------------------------------------------------------------ queries
TRIAL_START = datetime.datetime(2023, 4, 10, 10, 0, tzinfo=SHANGHAI)
# Session, user, organisation, case, sheet + entries + evidence, the version's groups + indicators + items, the
# case's documents (editable form only), the navbar's unread count — whatever the number of indicators.
QUERIES = 13


@pytest.mark.parametrize("code", ["draft-current", "2022"])
def test_the_sheet_page_takes_a_fixed_number_of_queries(client, systems, cast, call, clock, code,
                                                        django_assert_max_num_queries):
    if code == "2022":
        clock.move_to(TRIAL_START)
    case = drive(new_case(cast, None if code == "2022" else call), State.UNDER_EVALUATION, cast, clock)
    assign_expert(case_id=case.pk, actor=cast.officer, expert=cast.expert)
    client.force_login(cast.expert)
    sheet = open_sheet(client, case)
    client.post(sheet_url(case, sheet, "conflict"), {"has_conflict": "no"})
    assert sheet.system.code == code and sheet.entries.count() == {"draft-current": 25, "2022": 41}[code]
    document = case.documents.first()
    client.post(sheet_url(case, sheet, "save"), {"evidence-shown:1": "1", "evidence:1": str(document.pk)})
    with django_assert_max_num_queries(QUERIES):  # the editable form
        page = client.get(sheet_url(case, sheet)).content.decode()
    assert page.count('name="score:') == sheet.entries.count()
    scored_by(client, case, cast.expert, full_scores(systems[code]))
    with django_assert_max_num_queries(QUERIES):  # read-only, submitted
        assert client.get(sheet_url(case, sheet)).status_code == 200
    client.force_login(cast.officer)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(sheet_url(case, sheet)).status_code == 200


# ------------------------------------------------------------------------------------------------ the demo
def test_seed_demo_with_sheets_leaves_every_demo_case_in_its_state(db):
    from cases.management.commands.seed_demo import DEMO_CASES

    call_command("seed_demo", "--sheets", stdout=io.StringIO())
    states = dict(Case.objects.values_list("creation_object__code", "state"))
    assert {code: states.get(code) for _state, code, *_ in DEMO_CASES} == \
        {code: state for state, code, *_ in DEMO_CASES}
    # The evaluated cases carry a submitted self-assessment sheet and expert sheets with a final result.
    for state in (State.EVALUATION_PASSED, State.AWAITING_RE_EVALUATION, State.DESIGNATED, State.EVALUATION_FAILED):
        code = next(c for s, c, *_ in DEMO_CASES if s == state)
        case = Case.objects.get(creation_object__code=code)
        stages = set(case.score_sheets.filter(status=SheetStatus.SUBMITTED).values_list("stage", flat=True))
        assert stages == {"self_assessment", "expert", "final"}, (state, stages)
        finals = case.score_sheets.filter(stage=SheetStage.FINAL).order_by("round")
        assert [f.passed for f in finals][-1] is (state in (State.EVALUATION_PASSED, State.DESIGNATED))
        assert case.score_sheets.filter(stage=SheetStage.EXPERT).values("author").distinct().count() == 2
