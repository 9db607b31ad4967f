"""SAMR's creation and evaluation pages in Chromium, clicking what an officer clicks: create a call for applications
and edit it before it opens; read two provinces' recommendation lists side by side, approve one city with a
creation period shorter than the maximum and reject another with reasons (办法 第七条至第九条); assign two experts
and replace the one who declared a conflict of interest (第十四条); open an evaluation round (第十二条)."""
import datetime
import re

import pytest
import time_machine
from playwright.sync_api import expect

from cases.journeys import drive
from cases.workflow import State
from tests.conftest import START
from tests.factories import CallFactory, cast_for, expert, new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer_world(site):
    """Made through the services at the tests' fixed dates (the browser then works at today's date): a call with
    杭州市 (浙江省) and 南京市 (江苏省) recommended, 温州市 under SAMR evaluation, and three experts."""
    with time_machine.travel(START, tick=False) as clock:
        call = CallFactory(title="2026年度示范区创建申报通知（浏览器测试）")
        hangzhou, nanjing, wenzhou = cast_for("330100"), cast_for("320100"), cast_for("330300")
        cases = {
            "hangzhou": drive(new_case(hangzhou, call), State.RECOMMENDED, hangzhou, clock),
            "nanjing": drive(new_case(nanjing, call), State.RECOMMENDED, nanjing, clock),
            "wenzhou": drive(new_case(wenzhou, call), State.UNDER_EVALUATION, wenzhou, clock),
        }
        expert("expert-2"), expert("expert-3")
    return call, cases, hangzhou.officer


def _today():
    from django.utils import timezone

    return timezone.localdate()  # Beijing time, as the pages reckon


def _day(offset):
    return (_today() + datetime.timedelta(days=offset)).isoformat()


def test_officer_runs_calls_lists_experts_and_rounds(page, site, login_as, officer_world):
    call, cases, officer = officer_world
    login_as(page, "officer")
    page.get_by_test_id("nav-samr").click()
    expect(page.locator("h1")).to_have_text("总局工作")

    # A call for applications, corrected before it opens (办法 第七条).
    page.get_by_role("link", name="发布申报通知").first.click()
    page.get_by_label("通知名称").fill("关于开展2027年度示范区创建申报工作的通知")
    page.get_by_label("文号").fill("市监网监〔2026〕30号")
    page.get_by_label("开始受理").fill(_day(30))
    page.get_by_label("创建对象报送截止日").fill(_day(90))
    page.get_by_label("省级推荐截止日").fill(_day(120))
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".alert-success")).to_contain_text("已发布申报通知")
    row = page.get_by_test_id("calls").locator("tr", has_text="2027年度")
    row.get_by_role("link", name="修改").click()
    page.get_by_label("创建对象报送截止日").fill(_day(80))
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator(".alert-success")).to_contain_text("已修改申报通知")
    expect(page.get_by_test_id("calls").locator("tr", has_text="2027年度")).to_contain_text(_day(80))

    # The provinces' lists side by side; approve 杭州市 for two years, reject 南京市 with reasons (第八条、第九条).
    page.get_by_test_id("calls").locator("tr", has_text=call.title).get_by_role("link", name="推荐名单").click()
    zhejiang, jiangsu = page.locator("[data-province='330000']"), page.locator("[data-province='320000']")
    expect(zhejiang).to_contain_text("杭州市")
    expect(zhejiang).to_contain_text("温州市")
    expect(jiangsu).to_contain_text("南京市")
    hangzhou = page.locator(f"#case-{cases['hangzhou'].pk}")
    end = (_today() + datetime.timedelta(days=2 * 365)).isoformat()  # two years, not the three allowed
    hangzhou.get_by_label("创建期届满日").fill(end)
    hangzhou.get_by_role("button", name="同意创建").click()
    expect(page.locator(".alert-success")).to_contain_text("已同意")
    expect(page.locator(f"#case-{cases['hangzhou'].pk}").get_by_test_id("decision")).to_contain_text(end)
    nanjing = page.locator(f"#case-{cases['nanjing'].pk}")
    nanjing.locator("summary", has_text="不同意创建").click()
    nanjing.get_by_label("不同意创建的理由").fill("平台经济基础与示范带动作用尚不突出")
    nanjing.get_by_role("button", name="不同意创建").click()
    expect(page.locator(f"#case-{cases['nanjing'].pk} [data-state]").first).to_have_text("未同意创建")

    # Two experts for 温州市; one declares a conflict and is replaced (第十四条).
    page.get_by_test_id("nav-samr").click()
    page.get_by_role("link", name=re.compile("温州市")).click()
    page.locator("#expert-expert").check()
    page.locator("#expert-expert-2").check()
    page.get_by_role("button", name="指派", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已指派评估专家")
    _declares_conflict(cases["wenzhou"], "expert-2", "本人曾参与温州市创建方案编制")
    page.reload()
    expect(page.get_by_test_id("assignments").locator("tr[data-expert='expert-2']")).to_contain_text(
        "本人曾参与温州市创建方案编制")
    form = page.get_by_test_id("replace-form")
    form.get_by_label("接替的专家").select_option("expert-3")
    form.get_by_role("button", name="改派").click()
    expect(page.locator(".alert-success")).to_contain_text("expert-3 接替 expert-2")
    expect(page.get_by_test_id("replaced-by")).to_contain_text("expert-3")

    # An evaluation round (第十二条).
    page.get_by_test_id("nav-samr").click()
    page.get_by_role("link", name="开启评估批次").click()
    page.get_by_label("批次名称").fill("2027年第一批示范区评估")
    page.get_by_label("受理开始日").fill(_day(10))
    page.get_by_label("受理截止日").fill(_day(40))
    page.get_by_label("评估指标体系版本").select_option("draft-current")
    page.get_by_role("button", name="开启", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已开启评估批次")
    expect(page.get_by_test_id("rounds")).to_contain_text("2027年第一批示范区评估")


def _declares_conflict(case, username, statement):
    """The expert's own act, on their sheet page elsewhere (evaluation/views.py): here through the service."""
    from accounts.models import User
    from evaluation import sheets

    person = User.objects.get(username=username)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=person)
    sheets.declare_conflict(case_id=case.pk, actor=person, sheet_id=sheet.pk, has_conflict=True, statement=statement)
