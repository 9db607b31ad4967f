"""Role × scope over every case endpoint: another city or province cannot see or touch a case (404), a role
that may not act gets 403, an admin sees no cases, an anonymous caller must authenticate (401)."""
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from cases.journeys import drive
from cases.workflow import State
from evaluation.services import assign_expert
from indicators import samples
from indicators.models import IndicatorSystem
from indicators.services import load_seed_systems, set_national_figure
from tests.factories import UserFactory, applicant_for, expert, new_case, reviewer_for

# who → expected status per endpoint, for a 杭州市 case under SAMR evaluation with `expert` assigned.
IN, OUT = "in", "out"
PEOPLE = {
    "applicant": IN, "applicant_same_province": OUT, "applicant_other_province": OUT, "reviewer": IN,
    "reviewer_other_province": OUT, "officer": IN, "expert": IN, "expert_unassigned": OUT,
}


@pytest.fixture
def world(cast, call, clock):
    case = drive(new_case(cast, call), State.UNDER_EVALUATION, cast, clock)
    assign_expert(case_id=case.pk, actor=cast.officer, expert=cast.expert)
    admin = UserFactory(username="admin", role="admin", organisation__kind="admin", organisation__name="平台管理")
    people = {
        "applicant": cast.applicant, "applicant_same_province": applicant_for("330200"),
        "applicant_other_province": applicant_for("320100"), "reviewer": cast.reviewer,
        "reviewer_other_province": reviewer_for("320000"), "officer": cast.officer, "expert": cast.expert,
        "expert_unassigned": expert("expert2"), "admin": admin, "anonymous": None,
    }
    return case, people


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def expected(who, in_scope_status, role_ok=True):
    if who == "anonymous":
        return 401
    if who == "admin":
        return 403
    if PEOPLE[who] == OUT:
        return 404
    return in_scope_status if role_ok else 403


READS = ["", "transitions/", "history/", "documents/"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(PEOPLE) + ["admin", "anonymous"])
@pytest.mark.parametrize("path", READS)
def test_reads_are_scoped(world, who, path):
    case, people = world
    response = client_for(people[who]).get(f"/api/cases/{case.pk}/{path}")
    assert response.status_code == expected(who, 200), response.content


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(PEOPLE) + ["admin", "anonymous"])
def test_list_shows_only_cases_in_scope(world, who):
    case, people = world
    response = client_for(people[who]).get("/api/cases/")
    if who in ("admin", "anonymous"):
        assert response.status_code == expected(who, 200)
        return
    ids = [row["id"] for row in response.json()["results"]]
    assert (case.pk in ids) == (PEOPLE[who] == IN)


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(PEOPLE) + ["admin", "anonymous"])
def test_moves_are_scoped_and_role_checked(world, who):
    case, people = world
    response = client_for(people[who]).post(f"/api/cases/{case.pk}/transitions/pass_evaluation/", {}, format="json")
    # The officer may make the move but no passing result is recorded yet: 409 with the reason.
    assert response.status_code == expected(who, 409, role_ok=who == "officer"), response.content
    if response.status_code >= 400 and who != "anonymous":
        assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(PEOPLE) + ["admin", "anonymous"])
def test_edits_are_scoped_and_role_checked(world, who):
    case, people = world
    response = client_for(people[who]).patch(f"/api/cases/{case.pk}/", {"title": "改"}, format="json")
    # The applicant may edit, but not after submission: 409.
    assert response.status_code == expected(who, 409, role_ok=who == "applicant"), response.content


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(PEOPLE) + ["admin", "anonymous"])
def test_uploads_are_scoped_and_role_checked(world, who):
    case, people = world
    upload = SimpleUploadedFile("补充材料.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    response = client_for(people[who]).post(f"/api/cases/{case.pk}/documents/",
                                            {"kind": "supporting", "title": "补充材料", "file": upload})
    assert response.status_code == expected(who, 201, role_ok=who == "applicant"), response.content


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(PEOPLE) + ["admin", "anonymous"])
def test_assigning_experts_is_for_samr_officers_only(world, who):
    case, people = world
    response = client_for(people[who]).post(f"/api/cases/{case.pk}/experts/", {"expert": "expert2"}, format="json")
    if who == "anonymous":
        assert response.status_code == 401
    elif who != "officer":
        assert response.status_code == 403  # the endpoint is for SAMR officers: refused before any lookup
    else:
        assert response.status_code == 201


@pytest.mark.django_db
def test_a_case_walks_from_draft_to_designation_through_the_api(cast, call, clock):
    """The demo logins' path, all over HTTP with token auth (issue #2's 'done when'), scored with sheets."""
    load_seed_systems()
    import datetime

    from knox.models import AuthToken

    def api(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
        return client

    applicant, reviewer, officer = api(cast.applicant), api(cast.reviewer), api(cast.officer)
    case = applicant.post("/api/cases/", {"title": "杭州市示范区创建", "call": call.pk}, format="json").json()
    url = f"/api/cases/{case['id']}/"
    form = {"contact_name": "张工", "contact_phone": "0571-1", "platform_economy": "…", "supervision_and_service": "…",
            "innovation": "…"}
    assert applicant.patch(url, {"application_form": form, "version": case["version"]}, format="json").status_code == 200
    plan = SimpleUploadedFile("创建方案.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert applicant.post(url + "documents/", {"kind": "creation_plan", "title": "创建方案", "file": plan}).status_code == 201

    def move(client, name, **payload):
        response = client.post(url + f"transitions/{name}/", payload, format="json")
        assert response.status_code == 200, response.json()
        return response.json()

    options = {t["name"]: t for t in applicant.get(url + "transitions/").json()}
    assert options["submit"]["allowed"] and options["withdraw"]["comment_required"]
    move(applicant, "submit")
    move(reviewer, "recommend", rank=1)
    state = move(officer, "approve_creation", creation_end="2026-12-31")
    assert state["creation_end"] == "2026-12-31"
    clock.move_to(datetime.datetime(2027, 1, 5, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    # Tokens live a working day (API_TOKEN_HOURS): after the creation period everyone signs in again.
    applicant, reviewer, officer = api(cast.applicant), api(cast.reviewer), api(cast.officer)
    for kind in ("evaluation_application", "self_assessment_report"):
        f = SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4", content_type="application/pdf")
        assert applicant.post(url + "documents/", {"kind": kind, "title": kind, "file": f}).status_code == 201
    # The self-assessment is a score sheet the engine scores from the city's data (full marks here).
    # The years it scores are the case's (创建期内: the creation period's), never typed.
    years = applicant.get(url + "score-sheets/years/").json()
    assert years["years"] == [2026] and years["basis"] == "creation_period" and years["override"] is None
    data, benchmarks, context = samples.full_marks(IndicatorSystem.objects.get(code="draft-current").spec(),
                                                   years=(2025, 2026))
    for key, series in benchmarks.items():
        for year, value in series.items():
            set_national_figure(key=key, label=key, year=year, value=value, source="测试", is_demo=True)
    sheet = applicant.post(url + "score-sheets/", {}, format="json").json()
    changed = applicant.patch(url + f"score-sheets/{sheet['id']}/",  # echoing the case's years back is harmless
                              {"inputs": json.loads(json.dumps(data, default=str)), "context": {"years": [2026]}},
                              format="json")
    assert changed.status_code == 200, changed.json()
    assert applicant.post(url + f"score-sheets/{sheet['id']}/submit/", {}, format="json").status_code == 200
    # 办法 第十二条: the application belongs to a round SAMR has opened.
    evaluation_round = officer.post("/api/rounds/", {
        "title": "2027年度示范区评估批次", "document_number": "市监网监〔2027〕1号", "opens_on": "2027-01-05",
        "closes_on": "2027-02-28", "indicator_system": "draft-current"}, format="json")
    assert evaluation_round.status_code == 201, evaluation_round.json()
    assert applicant.get("/api/rounds/").json()["results"][0]["title"] == "2027年度示范区评估批次"
    move(applicant, "apply_for_evaluation", round=evaluation_round.json()["id"])
    move(reviewer, "forward_evaluation", documents_checked=True, data_compared=True, site_checked=True)
    assert officer.post(url + "experts/", {"expert": cast.expert.username}, format="json").status_code == 201
    expert = api(cast.expert)
    sheet = expert.post(url + "score-sheets/", {}, format="json").json()
    assert expert.post(url + f"score-sheets/{sheet['id']}/conflict/", {"has_conflict": False},
                       format="json").status_code == 200
    scores = {str(e["number"]): {"score": str(e["points"]), "explanation": "核实"} for e in
              expert.get(url + f"score-sheets/{sheet['id']}/").json()["entries"]}
    scores["1"]["score"] = "1.5"  # one indicator short of full marks
    assert expert.patch(url + f"score-sheets/{sheet['id']}/", {"entries": scores}, format="json").status_code == 200
    assert expert.post(url + f"score-sheets/{sheet['id']}/submit/", {}, format="json").status_code == 200
    final = officer.post(url + "score-sheets/finalise/", {
        "weighing": {"representativeness": "代表性", "regional_role": "区域引领", "platform_results": "平台经济"},
        "conclusion": "passed"}, format="json")
    assert final.status_code in (200, 201), final.json()
    move(officer, "pass_evaluation")
    notice = move(officer, "publish_notice", first_day="2027-01-06")
    assert notice["state"] == "in_publicity"
    clock.move_to(datetime.datetime(2027, 1, 21, 0, 0, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    applicant, officer = api(cast.applicant), api(cast.officer)
    move(officer, "close_notice")
    final = move(officer, "designate")
    assert final["state"] == "designated"
    from evaluation.models import EvaluationResult

    assert EvaluationResult.objects.get(case_id=case["id"]).total_score == Decimal("98.5")
    history = applicant.get(url + "history/").json()
    transitions = [e["name"] for e in history if e["kind"] == "transition"]
    assert transitions == ["submit", "recommend", "approve_creation", "apply_for_evaluation", "forward_evaluation",
                           "pass_evaluation", "publish_notice", "close_notice", "designate"]
    assert history[-1]["article"] == "办法 第十六条"
