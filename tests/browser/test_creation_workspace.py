"""The creation workspace in Chromium (issue #9, part 11): the city's office opens the workspace from its case page,
imports the plan from the XLSX workbook (a unit named but not registered: first the error with its sheet, row and
column, then the import with “自动新增未登记的单位”), opens a liaison login for 市市场监管局; the liaison signs in,
finds the task due soon on the home page and records progress with a new status."""
import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from cases.journeys import drive
from cases.workflow import State
from creation import xlsx
from indicators.services import load_seed_systems
from tests.conftest import START
from tests.factories import CallFactory, cast_for, new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def creating(site):
    with time_machine.travel(START, tick=False) as clock:
        load_seed_systems()
        cast = cast_for("330100")
        case = drive(new_case(cast, CallFactory()), State.CREATING, cast, clock)
    return case


def _workbook():
    from django.utils import timezone

    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    return xlsx.build_workbook(
        goals="建立成熟的网络市场集聚发展模式（浏览器测试）",
        phases=[(1, "启动部署", today - 30 * day, today + 30 * day, ""),
                (2, "组织实施", today + 31 * day, today + 300 * day, "")],
        tasks=[(1, "加强数字化监管", "联动网络市场智慧监管平台", "启动部署", "市市场监管局", "市发改委", today + 10 * day),
               (2, "鼓励电商产业集聚发展", "", "组织实施", "市发改委", "市商务局、市经信局", today + 200 * day)],
        responsibilities=[(7, "", "市市场监管局", "市发改委"), (1, "", "市商务局", "")])


def test_office_imports_the_plan_and_a_liaison_reports_progress(page, site, login_as, creating):
    case = creating
    login_as(page, "applicant-330100")
    page.goto(f"{site}/cases/{case.pk}/")
    page.get_by_test_id("creation-workspace-link").click()
    expect(page.get_by_test_id("no-plan")).to_be_visible()
    page.get_by_test_id("nav-plan").click()

    workbook = {"name": "创建工作方案.xlsx", "mimeType": xlsx.CONTENT_TYPE, "buffer": _workbook()}
    page.locator("[data-testid=import-form] input[type=file]").set_input_files(workbook)
    page.locator("[data-testid=import-form] button[type=submit]").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("任务分工 第2行 E列：单位“市市场监管局”不存在")
    page.screenshot(path="test-results/creation-import-errors.png", full_page=True)

    page.locator("[data-testid=import-form] input[type=file]").set_input_files(workbook)
    page.get_by_label("自动新增未登记的单位").check()
    page.locator("[data-testid=import-form] button[type=submit]").click()
    expect(page.get_by_test_id("plan-version")).to_have_attribute("data-version", "1")
    expect(page.get_by_test_id("responsibility-table")).to_contain_text("市市场监管局")

    page.get_by_test_id("nav-units").click()
    unit = page.locator("[data-testid=unit][data-unit='市市场监管局']")
    unit.get_by_test_id("add-liaison").click()
    form = unit.get_by_test_id("liaison-form")
    form.get_by_label("登录用户名").fill("liaison-scj")
    form.get_by_label("姓名").fill("王联络")
    form.get_by_label("初始密码").fill("Qz7-workbench-2026")
    form.locator("button[type=submit]").click()
    expect(unit.get_by_test_id("liaison")).to_contain_text("liaison-scj")

    page.context.clear_cookies()
    login_as(page, "liaison-scj", "Qz7-workbench-2026")
    queue = page.locator("[data-queue=my_tasks_due]")
    expect(queue).to_contain_text("加强数字化监管")
    expect(page.locator("main")).not_to_contain_text("鼓励电商产业集聚发展")  # another unit's task
    queue.get_by_role("link").first.click()
    form = page.get_by_test_id("progress-form")
    form.get_by_label("进展情况").fill("已接入国家网络交易监管平台，建立网络经营主体库。")
    form.get_by_label("任务状态").select_option("in_progress")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("progress-note")).to_contain_text("已接入国家网络交易监管平台")
    expect(page.get_by_test_id("task-status").first).to_have_attribute("data-status", "in_progress")
    page.get_by_role("link", name="概览").click()
    expect(page.get_by_test_id("my-unit")).to_have_text("市市场监管局")
    page.screenshot(path="test-results/creation-liaison-hub.png", full_page=True)
