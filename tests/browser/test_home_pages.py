"""Each role signs in and finds on its home page what it has to do (待办): the right cases in the right groups,
with counts, last days and overdue days in red; a click leads to the case and its 下一步 panel. The lists read
on a 390 px phone without sideways scrolling, the English navbar fits on one line at 1366 px, and the case
list's filters work as a person uses them.

The cases are made through the real services at their own dates (cases.journeys, under a frozen clock); the
browser then runs at the real date, so deadlines of 2026 have passed and show as overdue."""
import datetime
import re

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.models import Organisation, OrganisationKind, Role
from cases.journeys import drive
from cases.workflow import State
from tests.conftest import START
from tests.factories import CallFactory, UserFactory, cast_for, new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(site):
    """杭州市 submitted (its province's review now overdue), 宁波市 recommended as 浙江省's first, 温州市 under SAMR
    evaluation with the expert assigned, and a draft of 湖州市 — each through the services at its own dates."""
    from evaluation.services import assign_expert
    from indicators.services import load_seed_systems

    with time_machine.travel(START, tick=False) as clock:
        load_seed_systems()
        hangzhou = cast_for("330100")
        call = CallFactory(title="关于开展2026年度示范区创建申报工作的通知（浏览器测试）")
        ningbo = cast_for("330200")
        wenzhou = cast_for("330300")
        huzhou = cast_for("330500")
        cases = {
            "submitted": drive(new_case(hangzhou, call), State.SUBMITTED, hangzhou, clock),
            "recommended": drive(new_case(ningbo, call), State.RECOMMENDED, ningbo, clock),
            "draft": new_case(huzhou, call),
        }
        evaluated = drive(new_case(wenzhou, call), State.UNDER_EVALUATION, wenzhou, clock)
        assign_expert(case_id=evaluated.pk, actor=wenzhou.officer, expert=wenzhou.expert)
        cases["evaluated"] = evaluated
    admin = UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True,
                        organisation=Organisation.objects.create(kind=OrganisationKind.ADMIN, name="平台管理（测试）"))
    return {"cases": cases, "hangzhou": hangzhou, "huzhou": huzhou, "admin": admin, "call": call}


def queue(page, key):
    return page.locator(f'[data-testid="queue"][data-queue="{key}"]')


def test_reviewer_sees_the_overdue_preliminary_review_in_red_and_opens_the_case(page, site, login_as, world):
    case = world["cases"]["submitted"]
    login_as(page, world["hangzhou"].reviewer.username)
    expect(page.locator("h1")).to_contain_text("待办")
    submitted = queue(page, "submitted")
    expect(submitted).to_have_attribute("data-count", "1")
    row = submitted.locator('[data-testid="queue-item"]')
    expect(row).to_have_count(1)
    expect(row).to_contain_text("杭州市")
    expect(row).to_contain_text(f"{world['call'].recommendation_deadline:%Y-%m-%d}")  # the last day, no range
    expect(row).to_contain_text("已逾期")
    expect(row).to_have_class(re.compile("table-danger"))
    expect(row.locator(".text-danger")).to_be_visible()  # overdue days in red
    expect(queue(page, "late")).to_have_attribute("data-count", "1")
    expect(page.locator('[data-testid="stage-counts"] [data-state="submitted"]')).to_have_attribute("data-count", "1")
    expect(page.locator('[data-testid="stage-counts"] [data-state="draft"]')).to_have_count(0)  # not the province's

    row.get_by_role("link", name="杭州市").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/#move-recommend$"))
    step = page.locator('[data-testid="next-step"]')
    expect(step).to_contain_text("您可以办理：退回补正、不予推荐。")  # the forwarding date has passed:
    expect(step).to_contain_text("“推荐报送总局”暂不能办理：已过省级初审报送截止日 2026-06-30")
    expect(step.locator('[data-testid="next-step-deadline"]')).to_have_class(re.compile("text-danger"))


def test_officer_sees_the_recommended_list_and_the_case_waiting_for_its_scores(page, site, login_as, world):
    login_as(page, world["hangzhou"].officer.username)
    listed = queue(page, f"recommended-{world['call'].pk}")
    expect(listed).to_contain_text("推荐名单：关于开展2026年度示范区创建申报工作的通知（浏览器测试）")
    expect(listed.locator('[data-testid="queue-item"]')).to_contain_text("宁波市")
    expect(listed.locator('[data-testid="queue-item"]')).to_contain_text("浙江省 第 1 名")
    expect(queue(page, "assign_experts")).to_have_attribute("data-count", "0")  # 温州市's expert is assigned
    expect(queue(page, "assign_experts")).to_contain_text("暂无待办")
    expect(queue(page, "finalise")).to_have_attribute("data-count", "0")  # nobody has scored yet
    counts = page.locator('[data-testid="stage-counts"]')
    for state in ("draft", "submitted", "recommended", "under_evaluation"):
        expect(counts.locator(f'[data-state="{state}"]')).to_have_attribute("data-count", "1")


def test_expert_sees_the_assignment_to_score(page, site, login_as, world):
    case = world["cases"]["evaluated"]
    login_as(page, "expert")
    to_score = queue(page, "to_score")
    expect(to_score).to_have_attribute("data-count", "1")
    to_score.get_by_role("link", name="温州市").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/#sheets-heading$"))
    expect(page.locator('[data-testid="next-step"]')).to_contain_text("请声明利益冲突情况")


def test_applicant_sees_their_case_and_what_is_missing_before_submitting(page, site, login_as, world):
    login_as(page, world["huzhou"].applicant.username)
    mine = page.locator('[data-testid="my-case"]')
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("湖州市")
    step = mine.locator('[data-testid="next-step"]')
    expect(step).to_contain_text("下一步为“提交创建申请”，尚需：")
    expect(step).to_contain_text("申请表")
    step.get_by_role("link", name="提交创建申请").click()
    expect(page).to_have_url(re.compile(r"#move-submit$"))


def test_admin_home_links_to_the_admin_tools(page, site, login_as, world):
    login_as(page, "admin")
    tools = page.locator('[data-testid="admin-tools"]')
    expect(tools).to_contain_text("全国基准数据")
    tools.get_by_role("link", name=re.compile("全国基准数据")).click()
    expect(page).to_have_url(re.compile(r"/admin/indicators/nationalfigure/"))


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_lists_read_on_a_390_px_phone_without_sideways_scrolling(page, site, login_as, world, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    login_as(page, world["hangzhou"].officer.username)
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / "home-phone-officer.png"), full_page=True)  # to look at when it fails
    page.goto(f"{site}/cases/")
    assert _no_sideways_scroll(page)
    row = page.locator('[data-testid="case-row"]').first
    # Stacked cards: each cell on its own line, under the row's first one.
    cells = row.locator("td")
    assert cells.nth(1).bounding_box()["y"] > cells.nth(0).bounding_box()["y"]
    page.goto(f"{site}/cases/{world['cases']['submitted'].pk}/")
    assert _no_sideways_scroll(page)


def test_english_navbar_fits_on_one_line_at_1366_px(page, site, login_as, world, tmp_path):
    login_as(page, world["hangzhou"].reviewer.username)
    page.locator("nav").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("To do")
    nav = page.locator("nav.navbar")
    height = nav.bounding_box()["height"]
    assert height < 70, f"the navbar wraps ({height}px)"
    tops = {round(box["y"]) for box in (el.bounding_box() for el in nav.locator(
        ".navbar-brand, .nav-link, form button, .navbar-text").all()) if box}
    assert max(tops) - min(tops) < 20, tops
    assert _no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / "home-en-1366.png"))


def test_case_list_filters_as_you_type_and_without_javascript_alike(page, site, login_as, world):
    login_as(page, world["hangzhou"].officer.username)
    page.goto(f"{site}/cases/")
    expect(page.locator('[data-testid="case-row"]')).to_have_count(4)
    page.locator("#filter-q").fill("宁波")
    expect(page.locator('[data-testid="case-row"]')).to_have_count(1)  # htmx: the results only
    expect(page).to_have_url(re.compile(r"q=%E5%AE%81%E6%B3%A2"))
    page.locator("#filter-q").fill("")
    page.locator("#filter-state").select_option("under_evaluation")
    expect(page.locator('[data-testid="case-row"]')).to_have_count(1)
    expect(page.locator('[data-testid="case-results"]')).to_contain_text("温州市")
    # The same form without JavaScript: a plain GET.
    context = page.context.browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.context.add_cookies(page.context.cookies())
    plain.goto(f"{site}/cases/?province=330000&q=%E6%B9%96%E5%B7%9E")
    expect(plain.locator('[data-testid="case-row"]')).to_have_count(1)
    expect(plain.locator('[data-testid="case-results"]')).to_contain_text("湖州市")
    context.close()
