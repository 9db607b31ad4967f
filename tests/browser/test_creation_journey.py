"""The creation period end to end in Chromium (issue #9, part 11: “a Chromium journey from plan import to a
prefilled self-assessment”): the city's office imports its plan from the XLSX workbook and opens a liaison login for
市市场监管局; the liaison finds their unit's indicator in the workspace, enters its figures with their source and
records the unit's self-check; the office cannot open the self-assessment before the acceptance check (办法
第十二条: against the plan), records it, and opens the self-assessment already filled from the liaison's figures,
with the plan's open tasks beside the scores."""
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.journeys import _assessment_years, drive
from cases.workflow import State
from creation import xlsx
from indicators import samples, services
from indicators.models import IndicatorSystem
from tests.deadlines.conftest import trial_clock
from tests.factories import new_case

__all__ = ["trial_clock"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Qz7-workbench-2026"


def _workbook():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    return xlsx.build_workbook(
        goals="建立成熟的网络市场集聚发展模式（浏览器测试）",
        phases=[(1, "启动部署", today - 30 * day, today + 30 * day, ""),
                (2, "组织实施", today + 31 * day, today + 300 * day, "")],
        tasks=[(1, "加强数字化监管", "联动网络市场智慧监管平台", "启动部署", "市市场监管局", "", today + 10 * day),
               (2, "鼓励电商产业集聚发展", "", "组织实施", "市商务局", "市市场监管局", today + 200 * day)],
        responsibilities=[(3, "", "市市场监管局", ""), (1, "", "市商务局", "")])


def test_from_plan_import_to_a_prefilled_self_assessment(page, site, login_as, cast, trial_clock):
    services.load_seed_systems()
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    years = _assessment_years()
    spec = IndicatorSystem.objects.get(code="2022").spec()
    _data, benchmarks, _context = samples.full_marks(spec, years=(years[0] - 1, *years))
    for key, series in benchmarks.items():
        for year, value in series.items():
            services.set_national_figure(key=key, label=key, year=year, value=value, source="测试", is_demo=True)

    # The office imports the plan and opens a liaison login for 市市场监管局.
    login_as(page, cast.applicant.username)
    page.goto(f"{site}/cases/{case.pk}/")
    page.get_by_test_id("creation-workspace-link").click()
    page.get_by_test_id("nav-plan").click()
    workbook = {"name": "创建工作方案.xlsx", "mimeType": xlsx.CONTENT_TYPE, "buffer": _workbook()}
    page.locator("[data-testid=import-form] input[type=file]").set_input_files(workbook)
    page.get_by_label("自动新增未登记的单位").check()
    page.locator("[data-testid=import-form] button[type=submit]").click()
    expect(page.get_by_test_id("plan-version")).to_have_attribute("data-version", "1")
    page.get_by_test_id("nav-units").click()
    unit = page.locator("[data-testid=unit][data-unit='市市场监管局']")
    unit.get_by_test_id("add-liaison").click()
    form = unit.get_by_test_id("liaison-form")
    form.get_by_label("登录用户名").fill("liaison-scj")
    form.get_by_label("姓名").fill("王联络")
    form.get_by_label("初始密码").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(unit.get_by_test_id("liaison")).to_contain_text("liaison-scj")

    # The liaison enters the figures of their unit's indicator and records the unit's self-check.
    page.context.clear_cookies()
    login_as(page, "liaison-scj", PASSWORD)
    page.goto(f"{site}/cases/{case.pk}/creation/")
    expect(page.get_by_test_id("my-unit")).to_have_text("市市场监管局")
    page.get_by_role("link", name="创建工作佐证").click()
    page.get_by_role("link", name="3. ").first.click()
    form = page.get_by_test_id("figure-form")
    form.get_by_label("数据项").select_option("market_entities")
    form.get_by_label("数值").fill("100")
    form.get_by_label("数据来源").fill("市场监管局登记系统")
    form.get_by_test_id("save-figure").click()
    expect(page.locator("tr[data-key=market_entities] td.value")).to_have_text("100")
    form = page.get_by_test_id("figure-form")
    form.get_by_label("数据项").select_option("online_traders")
    form.get_by_label("数值").fill("30")
    form.get_by_label("数据来源").fill("市场监管局登记系统")
    form.get_by_test_id("save-figure").click()
    expect(page.locator("tr[data-key=online_traders] td.value")).to_have_text("30")
    page.goto(f"{site}/cases/{case.pk}/creation/checks/")
    form = page.locator("[data-testid=check-form]")
    form.get_by_label("结论").fill("本单位牵头任务和负责指标均已完成自查。")
    form.get_by_role("button", name="记录").click()
    expect(page.locator("main")).to_contain_text("本单位牵头任务和负责指标均已完成自查。")

    # The office: no self-assessment before the acceptance check; then the sheet opens filled from the evidence.
    page.context.clear_cookies()
    login_as(page, cast.applicant.username)
    page.goto(f"{site}/cases/{case.pk}/")
    page.get_by_role("button", name="填写“创建对象自评”评分表").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("main")).to_contain_text("第十二条")
    page.goto(f"{site}/cases/{case.pk}/creation/checks/")
    expect(page.locator("[data-testid=acceptance-status]")).to_contain_text("尚未记录创建验收")
    form = page.locator("[data-testid=check-form]")
    form.get_by_text("创建验收", exact=True).click()
    form.get_by_label("结论").fill("经验收，创建任务基本完成，同意开展自评。")
    form.get_by_role("button", name="记录").click()
    expect(page.locator("[data-testid=acceptance-status]")).to_contain_text("可以开始自评")
    page.goto(f"{site}/cases/{case.pk}/")
    page.get_by_role("button", name="填写“创建对象自评”评分表").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("input[name='in:market_entities']")).to_have_value("100")
    expect(page.locator("input[name='in:online_traders']")).to_have_value("30")
    expect(page.get_by_test_id("open-plan-tasks")).to_contain_text("加强数字化监管")
    expect(page.get_by_test_id("open-plan-tasks")).to_contain_text("鼓励电商产业集聚发展")
