"""The creation period's evidence in the browser (issue 9 items 4, 5, 7): the city's office enters a figure on
the indicator's page, sees the predicted score change on the readiness page, and opens the self-assessment
already filled from the evidence."""
import os

import pytest
from playwright.sync_api import expect

from cases.journeys import _assessment_years, drive
from cases.workflow import State
from indicators import samples, services
from indicators.models import IndicatorSystem
from tests.deadlines.conftest import trial_clock
from tests.factories import new_case

__all__ = ["trial_clock"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("DEMOZONE_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_office_enters_evidence_sees_readiness_change_and_opens_a_prefilled_self_assessment(
        page, site, login_as, cast, trial_clock):
    services.load_seed_systems()
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    years = _assessment_years()
    spec = IndicatorSystem.objects.get(code="2022").spec()
    _data, benchmarks, _context = samples.full_marks(spec, years=(years[0] - 1, *years))
    for key, series in benchmarks.items():
        for year, value in series.items():
            services.set_national_figure(key=key, label=key, year=year, value=value, source="测试", is_demo=True)
    login_as(page, cast.applicant.username)

    page.goto(f"{site}/cases/{case.pk}/creation/readiness/")
    expect(page.get_by_test_id("readiness-total")).to_contain_text("0 ")
    page.goto(f"{site}/cases/{case.pk}/creation/evidence/")
    page.get_by_role("link", name="3. ").first.click()
    expect(page.get_by_test_id("criteria")).to_contain_text("网络交易经营者")

    form = page.get_by_test_id("figure-form")
    form.get_by_label("数据项").select_option("online_traders")
    form.get_by_label("数值").fill("30")
    form.get_by_label("数据来源").fill("市场监管局登记系统")
    form.get_by_test_id("save-figure").click()
    expect(page.locator("tr[data-key=online_traders] td.value")).to_have_text("30")
    form = page.get_by_test_id("figure-form")
    form.get_by_label("数据项").select_option("market_entities")
    form.get_by_label("数值").fill("许多")
    form.get_by_label("数据来源").fill("市场监管局登记系统")
    form.get_by_test_id("save-figure").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("数值有误")
    form = page.get_by_test_id("figure-form")
    expect(form.get_by_label("数值")).to_have_value("许多")  # what was typed is kept
    form.get_by_label("数值").fill("100")
    form.get_by_test_id("save-figure").click()
    expect(page.locator("tr[data-key=market_entities] td.value")).to_have_text("100")
    shot(page, "evidence-indicator")

    # a correction: a new entry naming the old one, the old one kept
    page.locator("tr[data-entry]").filter(has_text="网络交易经营者数量").locator("[data-testid^=correct-]").click()
    expect(page.locator("#add-heading")).to_contain_text("更正记录")
    form = page.get_by_test_id("figure-form")
    form.get_by_label("数值").fill("20")
    form.get_by_test_id("save-figure").click()
    expect(page.get_by_test_id("history")).to_contain_text("已更正")

    page.get_by_role("link", name="达标预测").first.click()
    expect(page.get_by_test_id("readiness-total")).not_to_have_text("0 / 100")
    expect(page.get_by_test_id("suggestions")).to_contain_text("比值需达到")
    expect(page.locator("#readiness-chart canvas")).to_have_count(1)
    shot(page, "readiness")

    page.goto(f"{site}/cases/{case.pk}/")
    page.get_by_role("button", name="填写“创建对象自评”评分表").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("input[name='in:market_entities']")).to_have_value("100")
    expect(page.locator("input[name='in:online_traders']")).to_have_value("20")  # the correction counts
    expect(page.get_by_test_id("open-plan-tasks")).to_have_count(0)  # no structured plan yet: nothing to list
    shot(page, "sheet-prefilled")

    page.goto(f"{site}/cases/{case.pk}/creation/readiness/")
    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_role("heading", name="Suggestions (by points gained)")).to_be_visible()
    expect(page.get_by_test_id("suggestions")).to_contain_text("must reach")
    shot(page, "readiness-en")
