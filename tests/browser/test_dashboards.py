"""The dashboards in Chromium: SAMR opens its dashboard from the nav, sees the charts drawn on their canvas, switches
a chart to the table behind it and downloads a list as XLSX; the province opens its own from its home page; on a case
page the group scores of every stage are drawn against the pass line, with the table one click away."""
import dataclasses
import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import expect

from cases.journeys import act, drive
from cases.workflow import State
from tests.factories import CallFactory, applicant_for, cast_for, expert, new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
SHOTS = "/tmp/wp"


@pytest.fixture
def world(site):
    """浙江省: 宁波市 submitted (its 初审 late by the end), 杭州市 evaluated through score sheets and passed."""
    from cases.journeys import Cast

    with time_machine.travel(START, tick=True) as clock:
        cast = cast_for("330100")
        cast.more_experts = (expert("expert-2"),)
        call = CallFactory()
        ningbo_cast = Cast(applicant=applicant_for("330200"), reviewer=cast.reviewer, officer=cast.officer)
        ningbo = act(new_case(ningbo_cast, call), "submit", ningbo_cast, clock)
        hangzhou = drive(new_case(cast, call), State.EVALUATION_PASSED, cast, clock, sheets=True)
        yield dataclasses.make_dataclass("World", ["cast", "call", "hangzhou", "ningbo"])(cast, call, hangzhou, ningbo)


def drawn_pixels(page, selector):
    """How many pixels of the chart's canvas ECharts has painted."""
    return page.evaluate("""selector => {
        const canvas = document.querySelector(selector + ' canvas');
        if (!canvas) { return 0; }
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { painted += 1; } }
        return painted;
    }""", selector)


def see_chart_then_table(page, key):
    panel = page.locator(f"[data-panel='{key}']")
    chart = panel.get_by_test_id("chart")
    expect(chart).to_have_attribute("data-chart-ready", "1")
    assert drawn_pixels(page, f"[data-panel='{key}'] [data-testid=chart]") > 1000
    table = panel.get_by_test_id("dash-table")
    expect(table).to_be_hidden()
    panel.get_by_test_id("show-table").click()
    expect(table).to_be_visible()
    expect(chart).to_be_hidden()
    panel.get_by_test_id("show-chart").click()
    expect(chart).to_be_visible()
    return panel


def download(page, panel):
    with page.expect_download() as info:
        panel.get_by_test_id("xlsx").click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return list(load_workbook(io.BytesIO(handle.read())).active.iter_rows(values_only=True))


def test_samr_reads_the_programme_at_a_glance(page, login_as, world):
    login_as(page, "officer")
    page.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("网络市场监管与服务示范区创建工作数据看板")
    panel = see_chart_then_table(page, "stage-by-province")
    panel.get_by_test_id("show-table").click()
    table = panel.get_by_test_id("dash-table")
    expect(table.locator("caption")).to_have_text("各省创建案件分阶段统计（件）")
    expect(table.locator("tbody th[scope=row]")).to_have_text(["浙江省"])
    expect(table.locator("tfoot td").last).to_have_text("2")
    see_chart_then_table(page, "pipeline-by-call")
    see_chart_then_table(page, "zones-by-region")
    page.screenshot(path=f"{SHOTS}/dashboard-samr.png", full_page=True)
    rows = download(page, panel)
    assert rows[0][0] == "省级单位" and rows[1][0] == "浙江省" and rows[-1][-1] == 2
    # The desk links to the dashboard too.
    page.goto(page.url.replace("/samr/dashboard/", "/samr/"))
    page.get_by_test_id("desk-dashboard").click()
    expect(page.locator("[data-panel='deadlines-at-risk']")).to_be_visible()


def test_the_province_reads_its_cities_and_late_items(page, login_as, world):
    login_as(page, "reviewer-330000")
    page.get_by_test_id("home-dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("浙江省示范区创建工作数据看板")
    panel = see_chart_then_table(page, "cities-by-stage")
    panel.get_by_test_id("show-table").click()
    expect(panel.locator("tbody th[scope=row]")).to_have_text(["待省级初审", "评估合格，待公示"])
    late = page.locator("[data-panel='late-items']")
    expect(late.locator("tbody tr")).to_have_count(1)
    expect(late.locator("tbody th")).to_contain_text("宁波市")
    page.screenshot(path=f"{SHOTS}/dashboard-province.png", full_page=True)
    rows = download(page, late)
    assert rows[0] == ("城市", "案件编号", "事项", "截止日", "逾期天数")
    assert rows[1][0] == "宁波市" and isinstance(rows[1][3], datetime.datetime) and rows[1][4] > 0
    recommended = download(page, page.locator("[data-panel='recommendations']"))
    assert [row[0] for row in recommended[1:]] == ["杭州市"]


def test_the_case_page_draws_each_stages_scores_against_the_pass_line(page, login_as, world, site):
    login_as(page, "officer")
    page.goto(f"{site}/cases/{world.hangzhou.pk}/")
    section = page.get_by_test_id("case-scores")
    section.scroll_into_view_if_needed()
    chart = section.get_by_test_id("chart")
    expect(chart).to_have_attribute("data-chart-ready", "1")
    assert drawn_pixels(page, "[data-testid=case-scores] [data-testid=chart]") > 1000
    section.get_by_test_id("show-table").click()
    table = section.get_by_test_id("dash-table")
    expect(table).to_be_visible()
    headers = table.locator("thead th")
    expect(headers.first).to_have_text("一级指标")
    expect(headers.nth(2)).to_have_text("合格线")
    expect(headers.last).to_have_text("评估结果")
    expect(table.locator("thead th", has_text="专家")).to_have_count(2)
    section.screenshot(path=f"{SHOTS}/case-scores.png")
    rows = download(page, section)
    assert rows[0][:3] == ("一级指标", "分值", "合格线") and rows[-1][0] == "总分"
    # An expert sees their own sheet only.
    page.context.clear_cookies()
    login_as(page, "expert-2")
    page.goto(f"{site}/cases/{world.hangzhou.pk}/")
    section = page.get_by_test_id("case-scores")
    section.get_by_test_id("show-table").click()
    expect(section.locator("thead th", has_text="专家")).to_have_text(["专家评分（本人）"])
