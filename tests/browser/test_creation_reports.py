"""The creation period's reports in Chromium, as people click through them: the office finds its overdue tasks on
its home page, opens the milestones, submits a progress report with an attachment; the province finds the unread
report on its home page and reads it (the receipt shows); a unit's liaison records its self-check; the office
records the acceptance check and sees who read its report when.

The case is made through the real services under a frozen clock (cases.journeys); the browser runs at the real
date, so the tasks' due dates are set relative to it."""
import datetime
import os

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import START
from tests.factories import CallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOTS = os.environ.get("SCREENSHOT_DIR")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def world(site):
    from creation.models import Task
    from tests.creation.reports_world import make_world

    with time_machine.travel(START, tick=False) as clock:
        call = CallFactory(title="关于开展2026年度示范区创建申报工作的通知（浏览器测试）")
        world = make_world(call, clock)
    today = timezone.localdate()  # the real day the browser runs on
    Task.objects.filter(pk=world.tasks[0].pk).update(due_on=today - datetime.timedelta(days=5))
    Task.objects.filter(pk=world.tasks[1].pk).update(due_on=today + datetime.timedelta(days=30))
    return world


def test_progress_report_receipt_self_check_and_acceptance(page, site, login_as, world):
    case = world.case
    # The office: its home page lists the overdue task; the click leads to the milestones, marked overdue.
    login_as(page, world.office.username)
    queue = page.locator("[data-queue=creation_overdue]")
    expect(queue).to_be_visible()
    expect(queue).to_contain_text("完善网络市场监管机制")
    queue.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="创建工作节点")).to_be_visible()
    expect(page.locator("[data-testid=task][data-overdue='1']")).to_have_count(1)
    expect(page.locator("[data-testid=task][data-overdue='1']")).to_contain_text("逾期")
    _shot(page, "milestones-office")

    # … submits a progress report with an attachment.
    page.get_by_role("link", name="进展报告").click()
    form = page.locator("[data-testid=progress-report-form]")
    form.get_by_label("报告期").fill("2026年第3季度")
    form.get_by_label("工作进展").fill("完成任务分解，召开联络员会议。")
    form.get_by_label("附件（可选）").set_input_files(
        files=[{"name": "进展报告.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    form.get_by_role("button", name="报送").click()
    expect(page.locator("[data-testid=report-body]")).to_contain_text("召开联络员会议")
    expect(page.locator("[data-testid=no-receipt]")).to_be_visible()
    _shot(page, "progress-report-office")

    # The province: the unread report is on its home page; opening it leaves the receipt.
    page.context.clear_cookies()
    login_as(page, world.cast.reviewer.username)
    unread = page.locator("[data-queue=progress_reports_unread]")
    expect(unread).to_contain_text("2026年第3季度")
    unread.get_by_role("link").first.click()
    expect(page.locator("[data-testid=receipt-created]")).to_be_visible()
    expect(page.locator("[data-testid=receipt]")).to_contain_text(world.cast.reviewer.organisation.name)
    expect(page.locator("[data-testid=report-file]")).to_be_visible()
    _shot(page, "progress-report-province")
    page.goto(f"{site}/")
    expect(page.locator("[data-queue=progress_reports_unread]")).to_have_count(0)

    # A unit's liaison records its self-check and sees only its own unit's.
    page.context.clear_cookies()
    login_as(page, world.liaisons["market"].username)
    page.goto(f"{site}/cases/{case.pk}/creation/checks/")
    form = page.locator("[data-testid=check-form]")
    form.get_by_label("结论").fill("本单位牵头任务均已完成自查。")
    form.get_by_role("button", name="记录").click()
    expect(page.locator("[data-testid=check]")).to_have_count(1)
    expect(page.locator("[data-testid=check]")).to_contain_text("市市场监管局")
    expect(page.locator("[data-testid=unit-status] li")).to_have_count(1)
    _shot(page, "checks-liaison")

    # The office records the acceptance check, and sees who read its report when.
    page.context.clear_cookies()
    login_as(page, world.office.username)
    page.goto(f"{site}/cases/{case.pk}/creation/milestones/")
    page.get_by_role("link", name="自查与验收").click()
    expect(page.locator("[data-testid=acceptance-status]")).to_contain_text("尚未记录创建验收")
    form = page.locator("[data-testid=check-form]")
    form.get_by_text("创建验收", exact=True).click()
    form.get_by_label("结论").fill("经验收，创建任务基本完成，同意开展自评。")
    form.get_by_role("button", name="记录").click()
    expect(page.locator("[data-testid=acceptance-status]")).to_contain_text("可以开始自评")
    expect(page.locator("[data-testid=check]")).to_have_count(2)
    _shot(page, "checks-office")
    page.get_by_role("link", name="进展报告").click()
    expect(page.locator("[data-testid=progress-report] [data-testid=receipt]")).to_contain_text(
        world.cast.reviewer.organisation.name)
    _shot(page, "progress-reports-office")
