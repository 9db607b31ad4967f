"""The dashboards (dashboards/): the aggregates count the cases (and only those in scope), every list downloads as an
XLSX that reads back the same, the pages are for their role only (deny by default), take a fixed number of queries
however many cases, and speak Chinese and English. The case page's score chart shows each stage's group scores
against the pass line, to those who may see the sheets."""
import datetime
import io

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cases.journeys import Cast, drive
from cases.models import Case
from cases.workflow import State
from dashboards import selectors
from dashboards.scores import case_scores
from tests.conftest import START
from tests.factories import applicant_for, expert, new_case

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _chinese():
    # Selectors called directly word their labels in the active language: Chinese, whatever a request left behind.
    with translation.override("zh-hans"):
        yield


def cast_of(code, base):
    """A cast for another city: its own applicant, the reviewer of its province, the same officer and expert."""
    from tests.factories import reviewer_for

    return Cast(applicant=applicant_for(code), reviewer=reviewer_for(code[:2] + "0000"), officer=base.officer,
                expert=base.expert)


@pytest.fixture
def programme(cast, other_cast, call, clock):
    """浙江省: 杭州 creating, 宁波 submitted, 温州 a draft (the city's alone)."""
    ningbo = cast_of("330200", cast)
    return {
        "hangzhou": drive(new_case(cast, call), State.CREATING, cast, clock),
        "ningbo": drive(new_case(ningbo, call), State.SUBMITTED, ningbo, clock),
        "wenzhou": new_case(cast_of("330300", cast), call),
    }


def drive_together(pairs, clock):
    """[(draft, cast, state)] → the cases, in that order: every case is first taken as far as the recommendation
    (the call's deadlines bind those moves), then each goes on to its state (which moves the clock on)."""
    from cases.journeys import PATHS, act

    cases = []
    for case, people, state in pairs:
        path = PATHS[State(state)]
        head = path[:2] if path[:2] == PATHS[State.RECOMMENDED] else path
        for name in head:
            case = act(case, name, people, clock)
        cases.append((case, people, path[len(head):]))
    done = []
    for case, people, rest in cases:
        for name in rest:
            case = act(case, name, people, clock)
        done.append(Case.objects.get(pk=case.pk))
    return done


def counts(table):
    """{row name: total} of a crosstab."""
    return {str(row[0]): row[-1] for row in table.rows}


# ── the aggregates ────────────────────────────────────────────────────────────────────────────────────────────────
def test_cases_by_stage_and_province_add_up_to_the_cases(programme, cast, other_cast, call, clock):
    nanjing = drive(new_case(other_cast, call), State.RECOMMENDED, other_cast, clock)
    table = selectors.stage_by_province(cast.officer)
    assert table.footer[-1] == Case.objects.count() == 4
    assert counts(table) == {"浙江省": 3, "江苏省": 1}
    labels = [str(c.label) for c in table.columns]
    zhejiang = next(r for r in table.rows if r[0] == "浙江省")
    assert zhejiang[labels.index(str(State.CREATING.label))] == 1
    assert zhejiang[labels.index(str(State.SUBMITTED.label))] == 1
    assert zhejiang[labels.index(str(State.DRAFT.label))] == 1
    jiangsu = next(r for r in table.rows if r[0] == "江苏省")
    assert jiangsu[labels.index(str(State.RECOMMENDED.label))] == 1 and nanjing.state == State.RECOMMENDED
    # The chart draws exactly the table: one series per state column, one bar per province.
    assert table.chart["categories"] == ["江苏省", "浙江省"]  # by GB/T 2260 code
    assert [s["name"] for s in table.chart["series"]] == labels[1:-1]
    assert sum(sum(s["data"]) for s in table.chart["series"]) == 4


def test_pipeline_per_call_and_per_round(programme, cast, call, clock):
    table = selectors.pipeline_by_call(cast.officer)
    assert counts(table) == {call.title: 3}
    assert table.footer[-1] == Case.objects.filter(call=call).count()
    rounds = selectors.pipeline_by_round(cast.officer)
    assert rounds.rows == []  # nobody has applied for evaluation yet
    case = programme["hangzhou"]
    case = drive_on(case, ["apply_for_evaluation"], cast, clock)
    rounds = selectors.pipeline_by_round(cast.officer)
    assert counts(rounds) == {case.evaluation_round.title: 1}


def drive_on(case, moves, cast, clock):
    from cases.journeys import act

    for name in moves:
        case = act(case, name, cast, clock)
    return Case.objects.get(pk=case.pk)


def test_deadlines_at_risk_are_those_of_the_next_30_days(programme, cast, call):
    # 宁波's application awaits the province's review, due by the call's recommendation deadline (办法 第八条).
    # 温州's draft must reach the province by the call's submission deadline (办法 第七条).
    due, submission = call.recommendation_deadline, call.submission_deadline
    table, found = selectors.deadlines_at_risk(cast.officer, today=due - datetime.timedelta(days=30))
    assert [(row[0], row[3], row[4], row[5]) for row in table.rows] == [
        ("温州市", "创建申请报送截止", submission, 0), ("宁波市", "省级初审报送截止", due, 30)]
    table, found = selectors.deadlines_at_risk(cast.officer, today=due - datetime.timedelta(days=29))
    assert [row[0] for row in table.rows] == ["宁波市"]  # 温州's has passed: no longer "at risk" but missed
    table, found = selectors.deadlines_at_risk(cast.officer, today=submission - datetime.timedelta(days=31))
    assert table.rows == []
    table, found = selectors.deadlines_at_risk(cast.officer, today=due)
    assert [row[5] for row in table.rows] == [0]  # the last day itself is still at risk
    summary = selectors.deadline_summary(found, today=due)
    assert summary.footer == ["合计", 1, 0, 1]
    # The province sees its cities' deadlines, never a draft's (the city's alone).
    table, _found = selectors.deadlines_at_risk(cast.reviewer, today=due - datetime.timedelta(days=30))
    assert [row[0] for row in table.rows] == ["宁波市"]


def test_zones_by_region_count_designated_and_revoked(cast, other_cast, call, clock):
    suzhou_cast = cast_of("320500", other_cast)
    nanjing, suzhou, _hangzhou = drive_together([
        (new_case(other_cast, call), other_cast, State.DESIGNATED),
        (new_case(suzhou_cast, call), suzhou_cast, State.REVOKED),
        (new_case(cast, call), cast, State.CREATING)], clock)
    summary, zones = selectors.zones_by_region(cast.officer)
    east = next(r for r in summary.rows if r[0] == "东部")
    assert east[1:] == [1, 1, 2]
    assert summary.footer == ["合计", 1, 1, 2]
    assert [r[0] for r in summary.rows] == ["东部", "中部", "西部", "东北"]
    by_city = {row[0]: row for row in zones.rows}
    assert by_city["南京市"][3] == "已认定" and by_city["南京市"][4] == nanjing.designated_on
    assert by_city["苏州市"][3] == "已取消资格" and by_city["苏州市"][5] is not None
    assert by_city["苏州市"][6]  # the ground (办法 第二十二条)
    assert suzhou.state == State.REVOKED


def test_a_province_sees_only_its_cities(programme, cast, other_cast, call, clock):
    drive(new_case(other_cast, call), State.SUBMITTED, other_cast, clock)
    table = selectors.cities_by_stage(cast.reviewer)
    cities = " ".join(row[2] for row in table.rows)
    assert "杭州市" in cities and "宁波市" in cities
    assert "南京市" not in cities
    assert "温州市" not in cities  # a draft is the city's alone (办法 第八条)
    assert table.footer[1] == 2
    other = selectors.cities_by_stage(other_cast.reviewer)
    assert [row[2] for row in other.rows] == ["南京市"]
    # SAMR's tables in a reviewer's hands would also be scoped (cases_visible_to), but the page is SAMR's only.
    assert selectors.stage_by_province(cast.reviewer).footer[-1] == 2


def test_recommendation_list_and_late_items(cast, call, clock):
    hangzhou = drive(new_case(cast, call), State.RECOMMENDED, cast, clock)
    ningbo_cast = cast_of("330200", cast)
    ningbo = drive(new_case(ningbo_cast, call), State.SUBMITTED, ningbo_cast, clock)
    table = selectors.recommendation_list(cast.reviewer)
    assert [(row[0], row[1], row[2], str(row[4])) for row in table.rows] == [("杭州市", call.title, 1, "已推荐")]
    assert table.rows[0][5] == hangzhou.preliminary_reviews.get().reviewed_at.date()
    late = selectors.late_items(cast.reviewer, today=call.recommendation_deadline + datetime.timedelta(days=3))
    assert [(row[0], row[4]) for row in late.rows] == [("宁波市", 3)]
    assert ningbo.state == State.SUBMITTED
    assert selectors.late_items(cast.reviewer, today=call.recommendation_deadline).rows == []


# ── the pages ─────────────────────────────────────────────────────────────────────────────────────────────────────
def test_samr_dashboard_page_has_charts_tables_and_downloads(client, programme, cast):
    client.force_login(cast.officer)
    response = client.get(reverse("samr-dashboard"))
    assert response.status_code == 200
    assert [(str(label), value) for label, value, _tone, _href in response.context["kpis"]] == [
        ("创建案件总数", 3), ("创建中", 1), ("现有示范区", 0), ("30 天内到期的期限", 0)]
    html = response.content.decode()
    assert "echarts.min.js" in html and "js/charts.js" in html
    assert 'data-chart="chart-data-stage-by-province"' in html and 'id="chart-data-stage-by-province"' in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    for key in ("stage-by-province", "pipeline-by-call", "pipeline-by-round", "deadlines-by-kind",
                "deadlines-at-risk", "zones-by-region", "zones"):
        assert reverse("samr-dashboard-export", args=[key]) in html
    assert "<script>" not in html and " style=" not in html  # CSP: no inline script or style


def test_province_dashboard_page(client, programme, cast):
    client.force_login(cast.reviewer)
    response = client.get(reverse("province-dashboard"))
    assert response.status_code == 200
    assert [(str(label), value) for label, value, _tone, _href in response.context["kpis"]] == [
        ("已提交的创建案件", 2), ("待初审", 1), ("已推荐城市", 1), ("逾期事项", 0)]  # 杭州 was recommended
    html = response.content.decode()
    assert "浙江省示范区创建工作数据看板" in html
    assert "杭州市" in html and "南京市" not in html
    for key in ("cities-by-stage", "recommendations", "late-items"):
        assert reverse("province-dashboard-export", args=[key]) in html


def test_xlsx_reads_back_with_chinese_headers_dates_and_widths(client, cast, other_cast, call, clock):
    nanjing = drive(new_case(other_cast, call), State.DESIGNATED, other_cast, clock)
    client.force_login(cast.officer)
    response = client.get(reverse("samr-dashboard-export", args=["zones"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("城市", "省级单位", "地区", "状态", "认定日期", "取消日期", "取消情形")
    assert rows[1][:4] == ("南京市", "江苏省", "东部", "已认定")
    assert isinstance(rows[1][4], datetime.datetime) and rows[1][4].date() == nanjing.designated_on
    assert sheet.cell(row=2, column=5).number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].width >= 8 and sheet.freeze_panes == "A2"
    response = client.get(reverse("samr-dashboard-export", args=["stage-by-province"]))
    crosstab = load_workbook(io.BytesIO(response.content)).active
    values = list(crosstab.iter_rows(values_only=True))
    assert values[0][0] == "省级单位" and values[-1][0] == "合计" and values[-1][-1] == Case.objects.count()


def test_xlsx_headers_follow_the_language(client, cast, programme):
    client.force_login(cast.reviewer)
    client.cookies.load({"django_language": "en"})
    response = client.get(reverse("province-dashboard-export", args=["cities-by-stage"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert next(sheet.iter_rows(values_only=True)) == ("Stage", "Cases", "City")


@pytest.mark.parametrize("role", ["applicant", "expert", "reviewer"])
def test_samr_dashboard_is_samr_only(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("samr-dashboard")).status_code == 403
    assert client.get(reverse("samr-dashboard-export", args=["zones"])).status_code == 403


@pytest.mark.parametrize("role", ["applicant", "expert", "officer"])
def test_province_dashboard_is_the_provinces_only(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("province-dashboard")).status_code == 403
    assert client.get(reverse("province-dashboard-export", args=["late-items"])).status_code == 403


def test_visitors_are_sent_to_login_and_unknown_lists_are_404(client, cast):
    for url in (reverse("samr-dashboard"), reverse("province-dashboard")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(cast.officer)
    assert client.get(reverse("samr-dashboard-export", args=["nothing"])).status_code == 404
    assert client.post(reverse("samr-dashboard")).status_code == 405


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    import os
    if os.environ.get("SHOW_QUERIES"):
        print(url, *[q["sql"][:300] for q in captured.captured_queries], sep="\n")
    return len(captured)


def test_query_counts_do_not_grow_with_the_cases(client, cast, other_cast, call, clock):
    # One case per group first (a city under review, a recommended one, a zone), then several per group.
    casts = {code: cast_of(code, cast if code.startswith("33") else other_cast)
             for code in ("330200", "330300", "330400", "330500", "320200", "320500")}
    drive_together([(new_case(cast, call), cast, State.SUBMITTED),
                    (new_case(casts["330400"], call), casts["330400"], State.RECOMMENDED),
                    (new_case(other_cast, call), other_cast, State.DESIGNATED)], clock)
    client.force_login(cast.officer)
    samr_one = _queries(client, reverse("samr-dashboard"))
    client.force_login(cast.reviewer)
    province_one = _queries(client, reverse("province-dashboard"))
    clock.move_to(START)  # the other cities apply under the same call, each with its own dated history
    more = ("330200", "330300", "330500", "320200", "320500")
    drafts = {code: new_case(casts[code], call) for code in more}
    drive_together([(drafts["330200"], casts["330200"], State.SUBMITTED),
                    (drafts["330300"], casts["330300"], State.SUBMITTED),
                    (drafts["330500"], casts["330500"], State.RECOMMENDED),
                    (drafts["320200"], casts["320200"], State.DESIGNATED),
                    (drafts["320500"], casts["320500"], State.REVOKED)], clock)
    client.force_login(cast.officer)
    assert _queries(client, reverse("samr-dashboard")) == samr_one
    client.force_login(cast.reviewer)
    assert _queries(client, reverse("province-dashboard")) == province_one


def test_pages_in_english(client, cast, programme):
    client.cookies.load({"django_language": "en"})
    client.force_login(cast.officer)
    html = client.get(reverse("samr-dashboard")).content.decode()
    assert "Programme dashboard" in html and "Download XLSX" in html
    client.force_login(cast.reviewer)
    html = client.get(reverse("province-dashboard")).content.decode()
    assert "Late items" in html


# ── the case page's score chart ───────────────────────────────────────────────────────────────────────────────────
@pytest.fixture
def scored(cast, call, clock):
    cast.more_experts = (expert("expert-2"),)
    return drive(new_case(cast, call), State.EVALUATION_PASSED, cast, clock, sheets=True)


def test_case_scores_side_by_side_against_the_pass_line(scored, cast):
    table = case_scores(scored, cast.officer)
    labels = [str(c.label) for c in table.columns]
    assert labels[:3] == ["一级指标", "分值", "合格线"]
    assert labels[3] == "创建对象自评" and labels[-1] == "评估结果"
    assert len([label for label in labels if label.startswith("专家")]) == 2
    final = scored.score_sheets.get(stage="final")
    assert table.footer[-1] == final.total_score
    groups = final.result["groups"]
    assert [row[0] for row in table.rows] == [g["name"] for g in groups]
    assert [str(row[2]) for row in table.rows] == [g["required"] for g in groups]
    line = table.chart["series"][-1]
    assert line["line"] and line["name"] == "合格线"


def test_each_role_sees_only_the_scores_it_may(scored, cast):
    # The applicant: their self-assessment; the province: self-assessment (and its pre-review, none here);
    # an expert: only their own sheet, never another expert's (evaluation.sheets.sheets_visible_to).
    applicant = [str(c.label) for c in case_scores(scored, cast.applicant).columns][3:]
    assert applicant == ["创建对象自评"]
    reviewer = [str(c.label) for c in case_scores(scored, cast.reviewer).columns][3:]
    assert reviewer == ["创建对象自评"]
    mine = [str(c.label) for c in case_scores(scored, cast.expert).columns][3:]
    assert mine == ["专家评分（本人）"]


def test_case_page_shows_the_chart_and_its_table(client, scored, cast):
    client.force_login(cast.officer)
    with CaptureQueriesContext(connection):
        html = client.get(reverse("case-detail", args=[scored.pk])).content.decode()
    assert 'data-testid="case-scores"' in html and 'id="chart-data-case-scores"' in html
    assert "合格线" in html and 'scope="row"' in html
    client.force_login(cast.expert)
    html = client.get(reverse("case-detail", args=[scored.pk])).content.decode()
    section = html.split('data-testid="case-scores"', 1)[1].split("</section>", 1)[0]
    assert "专家评分（本人）" in section and "expert-2" not in section and "评估结果" not in section


def test_no_score_chart_before_any_sheet_is_submitted(client, cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    client.force_login(cast.officer)
    assert 'data-testid="case-scores"' not in client.get(reverse("case-detail", args=[case.pk])).content.decode()


def test_case_scores_take_one_query_however_many_sheets(scored, cast, django_assert_num_queries):
    for person, columns in ((cast.officer, 4), (cast.applicant, 1)):  # 4 sheets (self, 2 experts, result), 1 sheet
        with django_assert_num_queries(1):
            table = case_scores(scored, person)
        assert len(table.columns) == 3 + columns


def test_case_scores_download_as_xlsx_within_scope(client, scored, cast, other_cast):
    url = reverse("case-scores-export", args=[scored.pk])
    client.force_login(cast.officer)
    response = client.get(url)
    assert response.status_code == 200 and "attachment;" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("一级指标", "分值", "合格线", "创建对象自评") and rows[0][-1] == "评估结果"
    assert rows[-1][0] == "总分" and rows[-1][-1] == float(scored.score_sheets.get(stage="final").total_score)
    client.force_login(cast.expert)
    rows = list(load_workbook(io.BytesIO(client.get(url).content)).active.iter_rows(values_only=True))
    assert rows[0][3:] == ("专家评分（本人）",)
    client.force_login(other_cast.reviewer)  # another province: the case does not exist for them
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_no_scores_no_download(client, cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    client.force_login(cast.officer)
    assert client.get(reverse("case-scores-export", args=[case.pk])).status_code == 404
    assert client.get(reverse("case-scores-export", args=[999999])).status_code == 404
