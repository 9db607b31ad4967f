"""Experience reports and supervision in a real browser (办法 第十九条、第二十条、第二十二条), under the 2022 trial
measures: the zone's office submits a typical experience with an attachment, the province forwards it from its
queue, SAMR publishes it with the attachment, and the public finds it on the portal; SAMR records a supervision
visit and cites it in a 约谈 on ground （三） — shown on the zone page and on the visit; nothing of the visit on the
public pages."""
import os

import pytest
from playwright.sync_api import expect

from cases.journeys import drive
from cases.workflow import State
from designation.models import Sanction
from tests.deadlines.conftest import trial_clock
from tests.factories import new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOTS = os.environ.get("EXPERIENCE_SCREENSHOTS")  # a folder: also save screenshots of each page there

__all__ = ["trial_clock"]


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def trial_zone(site, cast, trial_clock):
    """杭州市, designated in 2023 under the 2022 trial measures (made through the real services)."""
    return drive(new_case(cast), State.DESIGNATED, cast, trial_clock)


def test_experience_forwarded_published_and_read_and_a_visit_cited_in_an_interview(page, browser, site, login_as,
                                                                                   cast, trial_zone, tmp_path):
    zone = trial_zone
    attachment = tmp_path / "经验材料.pdf"
    attachment.write_bytes(PDF)

    # The zone's office submits a typical experience (试行办法 第十九条: to the province first).
    login_as(page, cast.applicant.username)
    page.goto(f"{site}/cases/{zone.pk}/creation/experience/")
    page.get_by_role("button", name="报送").click()  # empty: refused, nothing lost
    expect(page.get_by_test_id("field-error").first).to_contain_text("请填写标题")
    page.get_by_label("标题").fill("“浙里办”网络交易信用监管经验")
    page.get_by_label("正文").fill("以信用分级分类为抓手，推动平台企业落实主体责任（演示）。")
    page.locator("input[name=file]").set_input_files(str(attachment))
    shot(page, "city-submit")
    page.get_by_role("button", name="报送").click()
    expect(page.locator(".alert-success")).to_contain_text("待省级市场监管部门审核")
    expect(page.get_by_test_id("experience-report")).to_contain_text("待省级报送")

    # The province forwards it from its queue.
    province = browser.new_context(locale="zh-CN").new_page()
    login_as(province, cast.reviewer.username)
    province.locator("nav").get_by_test_id("nav-experience").click()
    province.get_by_test_id("experience-queue").get_by_role("link", name="“浙里办”网络交易信用监管经验").click()
    province.get_by_label("审核意见（可选）").fill("经审核，同意报送。")
    province.get_by_role("button", name="审核通过，报送总局").click()
    expect(province.locator(".alert-success")).to_contain_text("已审核并报送")
    expect(province.get_by_test_id("experience-report")).to_contain_text("已报总局")

    # SAMR publishes it, with the attachment.
    samr = browser.new_context(locale="zh-CN").new_page()
    login_as(samr, cast.officer.username)
    samr.locator("nav").get_by_test_id("nav-experience").click()
    samr.get_by_test_id("experience-queue").get_by_role("link", name="“浙里办”网络交易信用监管经验").click()
    samr.get_by_label("同时公开附件").check()
    shot(samr, "samr-publish")
    samr.get_by_role("button", name="在公众页面发布").click()
    expect(samr.locator(".alert-success")).to_contain_text("已在公众页面发布")
    expect(samr.get_by_test_id("experience-report")).to_contain_text("已公开发布")

    # The public finds it on the portal.
    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(f"{site}/")
    visitor.locator("nav").get_by_role("link", name="公示公告").click()
    visitor.get_by_role("link", name="典型经验").click()
    expect(visitor.get_by_test_id("public-experiences")).to_contain_text("杭州市")
    visitor.get_by_role("link", name="“浙里办”网络交易信用监管经验").click()
    expect(visitor.get_by_test_id("public-experience")).to_contain_text("信用分级分类")
    shot(visitor, "public-experience")
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="附件：").click(modifiers=["Alt"])
    assert download.value.path().read_bytes() == PDF

    # SAMR records a supervision visit (第二十二条), then cites it in a 约谈 on ground （三）.
    samr.get_by_role("link", name="督促指导").first.click()
    samr.get_by_label("发现问题").fill("网络交易监测工作明显下滑，投诉处置超期（演示）。")
    samr.get_by_label("整改要求").fill("一个月内完成整改并报告。")
    samr.get_by_role("button", name="记录").click()
    expect(samr.locator(".alert-success")).to_contain_text("督促指导已记录")
    samr.get_by_test_id("sanction-link").click()
    samr.get_by_label("约谈").check()
    samr.get_by_label("情形（第二十二条）").select_option("decline")
    samr.get_by_label("事实与理由").fill("督导发现工作明显下滑，予以约谈（演示）。")
    samr.locator("input[name=visits]").first.check()
    shot(samr, "samr-interview")
    samr.get_by_role("button", name="提交").click()
    expect(samr.locator(".alert-success")).to_contain_text("约谈")
    expect(samr.get_by_test_id("sanction-visit")).to_contain_text("网络交易监测工作明显下滑")
    assert Sanction.objects.get().visits.count() == 1
    samr.get_by_role("link", name="督导记录").click()
    expect(samr.get_by_test_id("cited-by")).to_contain_text("约谈所依据")

    # The city sees the visit and reports its follow-up; nothing of it reaches the public.
    page.get_by_role("link", name="督促指导").first.click()
    page.get_by_label("整改情况").fill("已完成整改（演示）。")
    page.get_by_role("button", name="报告整改完成").click()
    expect(page.locator(".alert-success")).to_contain_text("整改情况已报告")
    visitor.goto(f"{site}/public/zones/")
    expect(visitor.locator("body")).not_to_contain_text("网络交易监测工作明显下滑")


def test_under_the_current_measures_a_creating_city_reports_straight_to_samr_in_english(page, browser, site,
                                                                                         login_as, cast, call, clock):
    """办法 第十九条: a city still creating reports to SAMR, the province informed; the pages read in English."""
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    english = {"locale": "en-GB", "viewport": {"width": 1366, "height": 900}}
    city = browser.new_context(**english).new_page()
    login_as(city, cast.applicant.username)
    city.get_by_role("button", name="English").click()
    city.goto(f"{site}/cases/{case.pk}/creation/experience/")
    city.get_by_label("Title").fill("Live-commerce supervision (DEMO)")
    city.get_by_label("Text").fill("How the city supervises live-commerce platforms (DEMO).")
    city.get_by_role("button", name="Submit").click()
    expect(city.locator(".alert-success")).to_contain_text("Experience reported to SAMR; the province is informed.")
    expect(city.get_by_test_id("experience-report")).to_contain_text("With SAMR")
    shot(city, "city-current-en")

    province = browser.new_context(locale="zh-CN").new_page()
    login_as(province, cast.reviewer.username)
    province.locator("nav").get_by_test_id("nav-experience").click()
    expect(province.get_by_test_id("experience-informed")).to_contain_text("Live-commerce supervision (DEMO)")

    login_as(page, cast.officer.username)
    page.locator("nav").get_by_test_id("nav-experience").click()
    page.get_by_test_id("experience-queue").get_by_role("link", name="Live-commerce supervision (DEMO)").click()
    page.get_by_role("button", name="在公众页面发布").click()
    expect(page.locator(".alert-success")).to_contain_text("已在公众页面发布")
    city.goto(f"{site}/public/experiences/")
    expect(city.get_by_test_id("public-experiences")).to_contain_text("Live-commerce supervision (DEMO)")
    shot(city, "public-list-en")
