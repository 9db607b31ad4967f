"""The provincial reviewer in Chromium (办法 第八条、第十三条): reads a submitted case's 申请表 and its changes, opens a
PDF material in the browser, returns the case with reasons; orders two cities in the province's recommendation
list and submits it, and finds each city's rank in its history."""
import dataclasses
import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from applications.services import save_application_form
from cases.journeys import drive
from cases.services import perform_transition
from cases.workflow import State
from documents.services import upload_document
from tests.factories import CallFactory, applicant_for, cast_for, new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
SHOTS = "/tmp/wp"


@pytest.fixture
def world(site):
    """浙江省's reviewer with 杭州市 and 宁波市 applying in one call; the clock runs from a day the call is open."""
    with time_machine.travel(START, tick=True) as clock:
        cast = cast_for("330100")
        call = CallFactory()
        yield dataclasses.make_dataclass("World", ["cast", "call", "clock"])(cast, call, clock)


def one_page_pdf(text="Demo material"):
    """A small but real one-page PDF, so the browser's viewer has a page to show."""
    from django.core.files.base import ContentFile

    stream = f"BT /F1 24 Tf 40 100 Td ({text}) Tj ET".encode()
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 400 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
               b"<</Length %d>>stream\n%s\nendstream" % (len(stream), stream),
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer<</Size 6/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    return ContentFile(out, name="material.pdf")


def save_form(case, cast, **changes):
    fields = dict(contact_name="张工", contact_phone="0571-00000000", platform_economy="平台经济发展规划与支持政策",
                  supervision_and_service="网络市场监管体制机制", innovation="监管与服务创新举措",
                  online_retail_sales=Decimal("1234.50"))
    save_application_form(case_id=case.pk, actor=cast.applicant, **{**fields, **changes})


def test_reviewer_reads_form_and_changes_opens_a_pdf_and_returns_with_reasons(page, site, login_as, world):
    cast, clock = world.cast, world.clock
    case = new_case(cast, world.call)
    save_form(case, cast)
    case = drive(case, State.RETURNED, cast)
    clock.shift(3600)
    save_form(case, cast, online_retail_sales=Decimal("1600.00"), innovation="监管与服务创新举措：信用分级分类监管")
    upload_document(case_id=case.pk, actor=cast.applicant, kind="supporting", title="网络零售额统计证明",
                    file=one_page_pdf("Online retail sales 2025"))
    perform_transition(case_id=case.pk, name="resubmit", actor=cast.applicant)

    login_as(page, cast.reviewer.username)
    page.get_by_role("link", name="创建案件", exact=True).first.click()
    page.get_by_test_id("case-row").filter(has_text=case.reference).get_by_role("link").first.click()
    panel = page.get_by_test_id("review-panel")
    expect(panel).to_contain_text("较第 1 版修改 2 项")
    page.screenshot(path=f"{SHOTS}/case-zh.png", full_page=True)

    panel.get_by_test_id("read-application-form").click()
    expect(page.locator("h1")).to_contain_text("《创建申请表》")
    expect(page.get_by_test_id("diff-summary")).to_contain_text("与第 1 版相比，修改了 2 项")
    changed = page.locator("[data-changed]")
    expect(changed).to_have_count(2)
    expect(page.locator("[data-field=innovation] ins.diff")).to_have_text("：信用分级分类监管")
    expect(page.locator("[data-field=online_retail_sales] del.diff")).to_have_text("1234.50")
    page.screenshot(path=f"{SHOTS}/form-zh.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/form-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("link", name=case.reference).click()
    panel = page.get_by_test_id("review-panel")
    panel.get_by_role("link", name="网络零售额统计证明").click()
    expect(page.get_by_test_id("material-title")).to_have_text("网络零售额统计证明")
    frame = page.get_by_test_id("material-frame")
    expect(frame).to_be_visible()
    page.screenshot(path=f"{SHOTS}/material-zh.png", full_page=True)
    # The frame's file answers inline as a PDF (the browser shows it; nothing is saved).
    answer = page.request.get(site + frame.get_attribute("src"))
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("inline")
    with page.context.expect_page() as opened:
        page.get_by_test_id("open-inline").click()
    pdf_page = opened.value
    pdf_page.wait_for_load_state()
    assert re.search(rf"/cases/{case.pk}/documents/\d+/$", pdf_page.url)
    pdf_page.close()

    page.get_by_role("link", name=case.reference).click()
    reasons = page.locator("#move-return_for_correction textarea[name=comment]")
    expect(reasons).to_have_attribute("required", "")  # a return needs reasons (the server says so too)
    page.locator("#move-return_for_correction textarea[name=comment]").fill("网络零售额数据来源未注明，请补充统计部门证明。")
    page.locator("#move-return_for_correction").get_by_role("button", name="退回补正").click()
    expect(page.locator("[data-state]").first).to_have_text("退回补正")
    expect(page.get_by_test_id("history")).to_contain_text("网络零售额数据来源未注明")


def test_reviewer_orders_two_cities_and_submits_the_list_and_the_ranks_show_in_history(page, site, login_as, world):
    cast, clock = world.cast, world.clock
    hangzhou = drive(new_case(cast, world.call), State.SUBMITTED, cast)
    clock.shift(60)
    ningbo_cast = dataclasses.replace(cast, applicant=applicant_for("330200"))
    ningbo = drive(new_case(ningbo_cast, world.call), State.SUBMITTED, ningbo_cast)

    login_as(page, cast.reviewer.username)
    page.get_by_test_id("nav-recommendations").click()
    page.get_by_role("link", name=world.call.title).click()
    entries = page.get_by_test_id("list-entry")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("杭州市")
    page.get_by_role("button", name="上移 宁波市").click()  # htmx swaps the list in place
    expect(page.get_by_test_id("list-entry").nth(0)).to_contain_text("宁波市")
    expect(page.get_by_test_id("list-entry").nth(0).locator(".rank-badge")).to_have_text("1")
    page.screenshot(path=f"{SHOTS}/list-zh.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/list-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})

    page.locator("#list-comment").fill("按综合条件择优推荐")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit-list").click()
    expect(page.locator(".alert-success")).to_contain_text("已按顺序推荐 2 个城市")
    recommended = page.get_by_test_id("recommended")
    expect(recommended.locator("li").nth(0)).to_contain_text("宁波市")
    expect(recommended.locator("li").nth(0)).to_contain_text("推荐排序第 1 位")
    expect(recommended.locator("li").nth(1)).to_contain_text("杭州市")

    recommended.get_by_role("link", name="杭州市").click()
    expect(page.get_by_test_id("audit-rank")).to_have_text("推荐排序：第 2 位")
    expect(page.get_by_test_id("history")).to_contain_text("按综合条件择优推荐")
    page.go_back()
    recommended.get_by_role("link", name="宁波市").click()
    expect(page.get_by_test_id("audit-rank")).to_have_text("推荐排序：第 1 位")
    assert ningbo.pk != hangzhou.pk

    # In English, at 1366 px and on a phone.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("audit-rank")).to_have_text("Recommendation rank: 1")
    page.get_by_test_id("nav-recommendations").click()
    page.get_by_role("link", name=world.call.title).click()
    expect(page.get_by_test_id("recommended")).to_contain_text("ranked 1")
    page.screenshot(path=f"{SHOTS}/list-en.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/list-en-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
