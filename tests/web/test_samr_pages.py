"""SAMR's pages for creation and evaluation (applications/samr_views.py, evaluation/web.py, deadlines/views.py): calls
(edit only before they open, also PATCH /api/calls/{id}/), the provinces' recommendation lists side by side with
approve (a shorter period allowed, never a longer one) and reject with reasons, expert assignment with the
conflict declarations and the replacement of a conflicted expert (also over the API), rounds, creation-period
extensions and the lapse queue. Only SAMR officers: others get a 403, or a 404 for a case outside their scope."""
import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from applications.models import ApplicationCall, CreationDecision
from cases.journeys import drive
from cases.workflow import State
from deadlines.models import CreationPeriodExtension
from evaluation.models import ExpertAssignment, Round
from evaluation import sheets
from indicators import services as indicator_services
from tests.conftest import SHANGHAI
from tests.factories import CallFactory, UserFactory, cast_for, expert, new_case

pytestmark = pytest.mark.django_db

D = datetime.date


def recommended(cast, call, clock):
    return drive(new_case(cast, call), State.RECOMMENDED, cast, clock)


# ── who may use the pages ────────────────────────────────────────────────────────────────────────────────────
SAMR_PAGES = ["samr-desk", "samr-calls", "samr-call-create", "samr-rounds", "samr-round-create", "samr-lapses"]


@pytest.mark.parametrize("name", SAMR_PAGES)
def test_samr_pages_are_for_officers_only(client, cast, name):
    client.force_login(cast.officer)
    assert client.get(reverse(name)).status_code == 200
    for person in (cast.applicant, cast.reviewer, cast.expert, UserFactory(username="admin-x", role=Role.ADMIN)):
        client.force_login(person)
        assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse(name)).status_code == 302  # to the login page


def test_case_tools_are_404_outside_scope_and_403_inside(client, cast, other_cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    for name in ("case-experts", "case-creation-extensions"):
        url = reverse(name, args=[case.pk])
        client.force_login(other_cast.reviewer)
        assert client.get(url).status_code == 404
        client.force_login(other_cast.applicant)
        assert client.get(url).status_code == 404
        client.force_login(cast.expert)  # not assigned: outside the expert's scope
        assert client.get(url).status_code == 404
        client.force_login(cast.reviewer)
        assert client.get(url).status_code == 403
        client.force_login(cast.applicant)
        assert client.get(url).status_code == 403
        assert client.post(reverse("case-creation-extend", args=[case.pk]),
                           {"new_end": "2030-01-01", "reason": "x"}).status_code == 403
        client.force_login(cast.officer)
        assert client.get(url).status_code == 200


# ── calls ────────────────────────────────────────────────────────────────────────────────────────────────────
CALL = {"title": "关于开展2027年度示范区创建申报工作的通知", "document_number": "市监网监〔2026〕9号", "year": "2027",
        "opens_on": "2026-04-01", "submission_deadline": "2026-05-31", "recommendation_deadline": "2026-06-30"}


def test_officer_creates_a_call_and_edits_it_before_it_opens(client, cast):
    client.force_login(cast.officer)
    response = client.post(reverse("samr-call-create"), CALL)
    assert response.status_code == 302
    call = ApplicationCall.objects.get(title=CALL["title"])
    assert call.created_by == cast.officer and call.opens_on == D(2026, 4, 1)
    page = client.get(reverse("samr-calls")).content.decode()
    assert CALL["title"] in page and reverse("samr-call-edit", args=[call.pk]) in page
    response = client.post(reverse("samr-call-edit", args=[call.pk]), {**CALL, "submission_deadline": "2026-05-20"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.submission_deadline == D(2026, 5, 20)


def test_a_call_with_dates_out_of_order_is_refused_and_keeps_what_was_typed(client, cast):
    client.force_login(cast.officer)
    response = client.post(reverse("samr-call-create"), {**CALL, "recommendation_deadline": "2026-05-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "日期须依次为" in page and CALL["title"] in page and 'value="2026-05-01"' in page
    assert not ApplicationCall.objects.filter(title=CALL["title"]).exists()


def test_a_call_cannot_be_edited_once_it_opened(client, cast, call):
    client.force_login(cast.officer)
    page = client.get(reverse("samr-call-edit", args=[call.pk])).content.decode()
    assert 'data-testid="call-locked"' in page
    response = client.post(reverse("samr-call-edit", args=[call.pk]), {**CALL, "opens_on": "2026-04-01"})
    assert response.status_code == 409
    assert "已于 2026-03-01 开始受理" in response.content.decode()
    call.refresh_from_db()
    assert call.opens_on == D(2026, 3, 1) and call.title != CALL["title"]


def test_api_patch_call_before_it_opens_and_refused_after(client, cast, call):
    future = CallFactory(opens_on=D(2026, 4, 1), submission_deadline=D(2026, 5, 31),
                         recommendation_deadline=D(2026, 6, 30))
    client.force_login(cast.reviewer)
    assert client.patch(f"/api/calls/{future.pk}/", {"title": "x"}, content_type="application/json").status_code == 403
    assert client.get(f"/api/calls/{future.pk}/").status_code == 200
    client.force_login(cast.officer)
    response = client.patch(f"/api/calls/{future.pk}/", {"submission_deadline": "2026-05-15"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["submission_deadline"] == "2026-05-15"
    response = client.patch(f"/api/calls/{future.pk}/", {"submission_deadline": "2026-07-15"},
                            content_type="application/json")
    assert response.status_code == 400  # after the recommendation deadline
    response = client.patch(f"/api/calls/{call.pk}/", {"title": "改名"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert client.patch("/api/calls/99999/", {"title": "x"}, content_type="application/json").status_code == 404


# ── the recommendation lists ─────────────────────────────────────────────────────────────────────────────────
@pytest.fixture
def lists(cast, other_cast, call, clock):
    """杭州市 (rank 1) and 温州市 (rank 2) of 浙江省, 南京市 (rank 1) of 江苏省, all recommended in the call."""
    wenzhou = cast_for("330300")
    return {"hangzhou": recommended(cast, call, clock), "wenzhou": recommended(wenzhou, call, clock),
            "nanjing": recommended(other_cast, call, clock)}


def test_lists_show_each_province_in_rank_order_with_key_figures(client, cast, call, lists):
    client.force_login(cast.officer)
    page = client.get(reverse("samr-call-recommendations", args=[call.pk])).content.decode()
    zhejiang = page[page.index('data-province="330000"'):]
    zhejiang = zhejiang[:zhejiang.index("</section>")]
    assert zhejiang.index("杭州市") < zhejiang.index("温州市")
    jiangsu = page[page.index('data-province="320000"'):]
    assert "南京市" in jiangsu[:jiangsu.index("</section>")]
    assert "1234.50" in page  # 网络零售额 from the 申请表
    assert reverse("case-detail", args=[lists["hangzhou"].pk]) in page
    assert page.count('data-testid="approve-form"') == 3


def test_lists_take_a_fixed_number_of_queries(client, cast, call, clock, django_assert_max_num_queries):
    recommended(cast, call, clock)
    client.force_login(cast.officer)
    url = reverse("samr-call-recommendations", args=[call.pk])
    with django_assert_max_num_queries(14) as one:
        client.get(url)
    for code in ("330300", "320100", "320200", "330400"):
        recommended(cast_for(code), call, clock)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count('data-testid="approve-form"') == 5


def test_officer_approves_a_shorter_creation_period(client, cast, call, lists):
    case = lists["hangzhou"]
    client.force_login(cast.officer)
    response = client.post(reverse("samr-call-decide", args=[call.pk, case.pk, "approve"]), {
        f"a{case.pk}-creation_start": "2026-03-02", f"a{case.pk}-creation_end": "2028-03-01",
        f"a{case.pk}-comment": "同意创建，创建期两年", "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.CREATING
    assert (case.creation_start, case.creation_end) == (D(2026, 3, 2), D(2028, 3, 1))
    assert CreationDecision.objects.get(case=case).comment == "同意创建，创建期两年"
    page = client.get(reverse("samr-call-recommendations", args=[call.pk])).content.decode()
    assert "创建期 2026-03-02 至 2028-03-01" in page


def test_a_period_longer_than_the_rule_sets_maximum_is_refused(client, cast, call, lists):
    case = lists["hangzhou"]
    client.force_login(cast.officer)
    response = client.post(reverse("samr-call-decide", args=[call.pk, case.pk, "approve"]), {
        f"a{case.pk}-creation_start": "2026-03-02", f"a{case.pk}-creation_end": "2029-03-02"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "创建期不得超过3年（最晚 2029-03-01）" in page and 'value="2029-03-02"' in page
    case.refresh_from_db()
    assert case.state == State.RECOMMENDED and case.creation_end is None


def test_officer_rejects_with_reasons_and_not_without(client, cast, call, lists):
    case = lists["nanjing"]
    client.force_login(cast.officer)
    url = reverse("samr-call-decide", args=[call.pk, case.pk, "reject"])
    assert client.post(url, {f"r{case.pk}-comment": ""}).status_code == 400
    assert client.post(url, {f"r{case.pk}-comment": "平台经济基础较弱"}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.NOT_APPROVED
    assert case.audit_entries.get(name="reject_creation").comment == "平台经济基础较弱"


def test_a_decision_on_a_case_of_another_call_is_a_404(client, cast, call, lists):
    other = CallFactory()
    client.force_login(cast.officer)
    case = lists["hangzhou"]
    response = client.post(reverse("samr-call-decide", args=[other.pk, case.pk, "reject"]), {f"r{case.pk}-comment": "x"})
    assert response.status_code == 404


# ── experts ──────────────────────────────────────────────────────────────────────────────────────────────────
@pytest.fixture
def under_evaluation(cast, call, clock):
    indicator_services.load_seed_systems()
    return drive(new_case(cast, call), State.UNDER_EVALUATION, cast, clock)


def declare(case, person, conflict, statement=""):
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=person)
    sheets.declare_conflict(case_id=case.pk, actor=person, sheet_id=sheet.pk, has_conflict=conflict,
                            statement=statement)


def test_officer_assigns_two_experts_and_replaces_one_who_declared_a_conflict(client, cast, under_evaluation):
    case = under_evaluation
    second, third = expert("expert-2"), expert("expert-3")
    client.force_login(cast.officer)
    page = client.get(reverse("case-experts", args=[case.pk])).content.decode()
    assert 'data-testid="no-experts"' in page and "expert-3" in page
    assert "在评 0 件" in page  # each expert's load of cases under evaluation
    response = client.post(reverse("case-experts-assign", args=[case.pk]), {"experts": ["expert", "expert-2"]})
    assert response.status_code == 302
    assert set(ExpertAssignment.objects.filter(case=case).values_list("expert__username", flat=True)) == {
        "expert", "expert-2"}
    declare(case, cast.expert, False)
    declare(case, second, True, "曾参与该市创建方案编制")
    page = client.get(reverse("case-experts", args=[case.pk])).content.decode()
    assert "曾参与该市创建方案编制" in page and "无利益冲突" in page and "在评 0 件" in page  # expert-3
    assert page.count('data-testid="replace-form"') == 1
    response = client.post(reverse("case-experts-replace", args=[case.pk]), {"replaces": "expert-2",
                                                                           "expert": "expert-3"})
    assert response.status_code == 302
    assert ExpertAssignment.objects.filter(case=case, expert=third, round=1).exists()
    entry = case.audit_entries.get(name="replace_expert")
    assert entry.data == {"expert": "expert-3", "replaces": "expert-2", "round": 1}
    assert entry.comment == "曾参与该市创建方案编制"
    page = client.get(reverse("case-experts", args=[case.pk])).content.decode()
    assert 'data-testid="replaced-by"' in page and 'data-testid="replace-form"' not in page


def test_an_expert_without_a_declared_conflict_cannot_be_replaced(client, cast, under_evaluation):
    case = under_evaluation
    expert("expert-3")
    client.force_login(cast.officer)
    client.post(reverse("case-experts-assign", args=[case.pk]), {"experts": ["expert"]})
    response = client.post(reverse("case-experts-replace", args=[case.pk]), {"replaces": "expert", "expert": "expert-3"})
    assert response.status_code == 409
    assert "未声明存在利益冲突" in response.content.decode()
    assert not ExpertAssignment.objects.filter(case=case, expert__username="expert-3").exists()


def test_assigning_nobody_is_a_400(client, cast, under_evaluation):
    client.force_login(cast.officer)
    response = client.post(reverse("case-experts-assign", args=[under_evaluation.pk]), {})
    assert response.status_code == 400 and "请选择一位评估专家" in response.content.decode()


def test_an_assigned_expert_cannot_open_the_assignment_page(client, cast, under_evaluation):
    client.force_login(cast.officer)
    client.post(reverse("case-experts-assign", args=[under_evaluation.pk]), {"experts": ["expert"]})
    client.force_login(cast.expert)
    assert client.get(reverse("case-experts", args=[under_evaluation.pk])).status_code == 403


def test_api_lists_declarations_and_replaces_a_conflicted_expert(client, cast, under_evaluation):
    case = under_evaluation
    expert("expert-2"), expert("expert-3")
    client.force_login(cast.officer)
    for name in ("expert", "expert-2"):
        assert client.post(f"/api/cases/{case.pk}/experts/", {"expert": name},
                           content_type="application/json").status_code == 201
    declare(case, ExpertAssignment.objects.get(case=case, expert__username="expert-2").expert, True, "亲属任职")
    rows = client.get(f"/api/cases/{case.pk}/experts/").json()
    assert [(r["expert"], r["has_conflict"], r["conflict_statement"]) for r in rows] == [
        ("expert", None, ""), ("expert-2", True, "亲属任职")]
    response = client.post(f"/api/cases/{case.pk}/experts/", {"expert": "expert-3", "replaces": "expert"},
                           content_type="application/json")
    assert response.status_code == 409
    response = client.post(f"/api/cases/{case.pk}/experts/", {"expert": "expert-3", "replaces": "expert-2"},
                           content_type="application/json")
    assert response.status_code == 201
    client.force_login(cast.reviewer)
    assert client.get(f"/api/cases/{case.pk}/experts/").status_code == 403


# ── rounds ───────────────────────────────────────────────────────────────────────────────────────────────────
def test_officer_opens_a_round_and_corrects_it(client, cast, clock):
    indicator_services.load_seed_systems()
    client.force_login(cast.officer)
    data = {"title": "2026年第二批评估", "document_number": "", "opens_on": "2026-04-01", "closes_on": "2026-04-30",
            "indicator_system": "draft-current"}
    assert client.post(reverse("samr-round-create"), data).status_code == 302
    round_ = Round.objects.get(title="2026年第二批评估")
    assert round_.indicator_system.code == "draft-current" and round_.created_by == cast.officer
    response = client.post(reverse("samr-round-edit", args=[round_.pk]), {**data, "closes_on": "2026-03-20"})
    assert response.status_code == 400  # closes before it opens
    assert client.post(reverse("samr-round-edit", args=[round_.pk]), {**data, "closes_on": "2026-05-15"}).status_code == 302
    round_.refresh_from_db()
    assert round_.closes_on == D(2026, 5, 15)
    clock.move_to(datetime.datetime(2026, 4, 2, 10, tzinfo=SHANGHAI))
    client.force_login(cast.officer)  # a new day, a new session
    page = client.get(reverse("samr-round-edit", args=[round_.pk])).content.decode()
    assert 'data-testid="round-opened"' in page
    # Once open only the title and 文号 change; the disabled days keep their value whatever is posted.
    response = client.post(reverse("samr-round-edit", args=[round_.pk]),
                           {**data, "title": "2026年第二批评估（更正）", "closes_on": "2026-06-30"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.title == "2026年第二批评估（更正）" and round_.closes_on == D(2026, 5, 15)
    assert "2026年第二批评估（更正）" in client.get(reverse("samr-rounds")).content.decode()


# ── creation-period extensions and lapse decisions ───────────────────────────────────────────────────────────
def test_officer_extends_a_creation_period(client, cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    client.force_login(cast.officer)
    url = reverse("case-creation-extend", args=[case.pk])
    response = client.post(url, {"new_end": str(case.creation_end - datetime.timedelta(days=1)), "reason": "x"})
    assert response.status_code == 400 and "延长后的届满日须晚于现届满日" in response.content.decode()
    response = client.post(url, {"new_end": "2029-12-31", "reason": "受灾影响创建进度"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.creation_end == D(2029, 12, 31)
    page = client.get(reverse("case-creation-extensions", args=[case.pk])).content.decode()
    assert "受灾影响创建进度" in page and "2029-12-31" in page


@pytest.fixture
def flagged(cast, other_cast, call, clock):
    from deadlines.services import lapse_expired_creations

    cases = [drive(new_case(c, call), State.CREATING, c, clock) for c in (cast, other_cast)]
    clock.move_to(datetime.datetime(2030, 4, 1, 10, tzinfo=SHANGHAI))  # past 期满 + the grace year
    assert lapse_expired_creations()["flagged"] == 2
    return cases


def test_lapse_queue_terminates_one_and_extends_another(client, cast, flagged):
    hangzhou, nanjing = flagged
    client.force_login(cast.officer)  # signed in after the clock moved
    page = client.get(reverse("samr-lapses")).content.decode()
    assert "杭州市" in page and "南京市" in page
    url = reverse("samr-lapse-decide", args=[hangzhou.pk, "terminate"])
    assert client.post(url, {f"t{hangzhou.pk}-comment": ""}).status_code == 400
    assert client.post(url, {f"t{hangzhou.pk}-comment": "创建期满未申请评估"}).status_code == 302
    response = client.post(reverse("samr-lapse-decide", args=[nanjing.pk, "extend"]),
                           {f"e{nanjing.pk}-new_end": "2030-06-30", f"e{nanjing.pk}-reason": "因故顺延"})
    assert response.status_code == 302
    hangzhou.refresh_from_db(), nanjing.refresh_from_db()
    assert hangzhou.state == State.LAPSED and nanjing.creation_end == D(2030, 6, 30)
    assert CreationPeriodExtension.objects.filter(case=nanjing).count() == 1
    assert 'data-testid="no-lapses"' in client.get(reverse("samr-lapses")).content.decode()
    # A case no longer due is not decided from the queue.
    assert client.post(url, {f"t{hangzhou.pk}-comment": "x"}).status_code == 404


def test_desk_counts_what_waits(client, cast, flagged):
    client.force_login(cast.officer)
    page = client.get(reverse("samr-desk")).content.decode()
    assert "2 个案件创建期满未申请评估" in page


def test_lapse_queue_and_desk_take_a_fixed_number_of_queries(client, cast, call, clock, flagged):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deadlines.services import lapse_expired_creations

    client.force_login(cast.officer)
    counts = {}
    for label in ("two", "three"):
        for name in ("samr-lapses", "samr-desk"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200
            counts[(label, name)] = len(queries)
        if label == "two":
            clock.move_to(datetime.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI))
            wenzhou = cast_for("330300")
            drive(new_case(wenzhou, call), State.CREATING, wenzhou, clock)
            clock.move_to(datetime.datetime(2030, 4, 2, 10, tzinfo=SHANGHAI))
            assert lapse_expired_creations()["flagged"] == 1
            client.force_login(cast.officer)
    assert counts[("two", "samr-lapses")] == counts[("three", "samr-lapses")]
    assert counts[("two", "samr-desk")] == counts[("three", "samr-desk")]
