"""The notice, the objection and the designation in a real browser (办法 第十五条、第十六条、第二十二条): SAMR publishes
the round's list, a member of the public objects on the notice page and keeps the receipt, SAMR verifies the
objection as not upheld with reasons, closes the notice, designates the cities in a numbered announcement, then
warns one zone and revokes it after the confirmation — the ground in the case history, the zone marked revoked on
the public list."""
import dataclasses
import datetime
import hashlib
import io
import os
import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.journeys import PATHS, act
from cases.models import Case
from cases.workflow import State
from designation.models import Sanction
from official.models import OfficialDocument
from publicity.models import Objection
from tests.browser.conftest import captcha_answer
from tests.conftest import SHANGHAI
from tests.factories import applicant_for, new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
SHOTS = os.environ.get("PUBLICITY_SCREENSHOTS")  # a folder: also save screenshots of each page there


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def passed_pair(site, cast, call, clock):
    """杭州市 and 宁波市, both passed in one evaluation round (made through the real services)."""
    casts = [dataclasses.replace(cast, applicant=applicant_for(code)) for code in ("330100", "330200")]
    cases = [new_case(who, call) for who in casts]
    for move in PATHS[State.EVALUATION_PASSED]:
        for case, who in zip(cases, casts):
            act(Case.objects.get(pk=case.pk), move, who, clock)
    return tuple(Case.objects.get(pk=c.pk) for c in cases)


def test_notice_objection_designation_warning_and_revocation(page, browser, site, login_as, cast, clock,
                                                             passed_pair):
    hangzhou, ningbo = passed_pair

    # SAMR publishes the round's notice list.
    login_as(page, cast.officer.username)
    page.locator("nav").get_by_role("link", name="公示与认定").click()
    expect(page.get_by_test_id("awaiting-notice")).to_contain_text("杭州市")
    shot(page, "samr-hub")
    page.get_by_role("link", name="发布公示名单").click()
    expect(page.get_by_test_id("notice-period")).to_contain_text("公示期 15 天")
    expect(page.get_by_label("杭州市")).to_be_checked()
    expect(page.get_by_label("宁波市")).to_be_checked()
    page.get_by_role("button", name="发布公示").click()  # without the text: refused, the choice kept
    expect(page.get_by_test_id("field-error")).to_contain_text("请填写公示内容")
    page.get_by_label("公示内容（向社会公布）").fill("现将2026年度网络市场监管与服务示范区建议名单予以公示，接受社会监督。")
    shot(page, "samr-publish")
    page.get_by_role("button", name="发布公示").click()
    expect(page.locator(".alert-success")).to_contain_text("公示已发布")
    expect(page.get_by_test_id("notice-city")).to_have_count(2)
    notice_url = page.url

    # A member of the public opens the site: the front page is the portal, with the running notice on it.
    visitor = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    visitor.goto(f"{site}/")
    expect(visitor.get_by_test_id("public-notice")).to_contain_text("杭州市、宁波市")
    expect(visitor.get_by_test_id("public-notice")).to_contain_text("还有 14 天")
    shot(visitor, "public-portal-phone")
    visitor.locator("nav .navbar-toggler").click()
    visitor.locator("nav").get_by_role("link", name="公示公告").click()
    expect(visitor.get_by_test_id("public-notice")).to_contain_text("杭州市、宁波市")
    shot(visitor, "public-notices-phone")
    visitor.get_by_role("link", name="查看全文并提出异议").click()
    expect(visitor.get_by_test_id("notice-text")).to_contain_text("接受社会监督")
    # The issued 公示 (official/) is there to download, with its number; the saved copy is that PDF.
    notice_document = OfficialDocument.objects.get(listing__isnull=False)
    expect(visitor.get_by_test_id("official-document")).to_contain_text(notice_document.number)
    with visitor.expect_download() as download:
        visitor.get_by_test_id("official-document-download").click()
    saved = download.value.path()
    with open(saved, "rb") as pdf:
        content = pdf.read()
    assert hashlib.sha256(content).hexdigest() == notice_document.sha256
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert notice_document.number in text and "宁波市" in text
    visitor.get_by_label("异议所涉城市").select_option(label="宁波市")
    visitor.get_by_label("异议人").fill("王某")
    visitor.get_by_label("联系方式").fill("13800000000")
    visitor.get_by_label("电子邮箱（选填，用于接收回执）").fill("wang@example.cn")
    visitor.get_by_label("异议内容").fill("宁波市申报的网络零售额数据与统计公报不一致。")
    visitor.get_by_label("附件（选填）").set_input_files(
        [{"name": "对比截图.png", "mimeType": "image/png", "buffer": PNG}])
    # The captcha image is the app's own; a misread is refused, what was typed stays, and a new image comes.
    expect(visitor.get_by_test_id("captcha-image")).to_have_js_property("complete", True)
    assert visitor.get_by_test_id("captcha-image").evaluate("img => img.naturalWidth") > 0
    visitor.get_by_label("验证码").fill(captcha_answer(visitor)[::-1] + "Q")  # a misread: not the image's letters
    visitor.get_by_role("button", name="提交异议").click()
    expect(visitor.get_by_test_id("field-error")).to_contain_text("验证码不正确")
    expect(visitor.get_by_label("异议内容")).to_have_value("宁波市申报的网络零售额数据与统计公报不一致。")
    expect(visitor.get_by_label("异议人")).to_have_value("王某")
    assert not Objection.objects.exists()
    visitor.get_by_role("button", name="看不清，换一张").click()
    expect(visitor.get_by_label("验证码")).to_be_focused()
    visitor.get_by_label("附件（选填）").set_input_files(
        [{"name": "对比截图.png", "mimeType": "image/png", "buffer": PNG}])
    visitor.get_by_label("验证码").fill(captcha_answer(visitor))  # what the visitor reads in the image
    shot(visitor, "public-notice-phone")
    visitor.get_by_role("button", name="提交异议").click()
    expect(visitor.locator("h1")).to_have_text("异议已收到")
    receipt = Objection.objects.get().receipt
    expect(visitor.get_by_test_id("receipt")).to_have_text(receipt)
    expect(visitor.get_by_test_id("receipt-emailed")).to_be_visible()
    assert [m.to for m in mail.outbox] == [["wang@example.cn"]] and receipt in mail.outbox[0].body
    shot(visitor, "public-receipt-phone")

    # SAMR reads it and decides it not upheld, with reasons.
    page.goto(notice_url)
    objection = page.get_by_test_id("objection")
    expect(objection).to_contain_text("宁波市申报的网络零售额数据与统计公报不一致。")
    expect(objection).to_contain_text(receipt)
    expect(objection.get_by_test_id("objection-attachments")).to_contain_text("对比截图.png")
    objection.get_by_label("异议不成立").check()
    objection.get_by_label("核实意见").fill("经核实，申报数据与统计部门出具的证明一致，异议不成立。")
    objection.get_by_role("button", name="记录核实结果").click()
    expect(page.get_by_test_id("verification")).to_contain_text("异议不成立")
    expect(page.get_by_test_id("verification")).to_contain_text("经核实，申报数据与统计部门出具的证明一致")

    # The 15 days pass; the officer closes both cities' notices and designates them.
    last_day = ningbo.notices.get().last_day
    clock.move_to(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(9), tzinfo=SHANGHAI))
    login_as(page, cast.officer.username)  # a fortnight later: signed in afresh
    page.goto(notice_url)
    page.get_by_role("button", name="结束杭州市的公示").click()
    expect(page.locator(".alert-success")).to_contain_text("杭州市 公示期满，待认定。")
    page.get_by_role("button", name="结束宁波市的公示").click()
    shot(page, "samr-notice")
    page.get_by_role("link", name="去认定").first.click()
    page.get_by_label("公告内容（向社会公布）").fill("认定杭州市、宁波市为网络市场监管与服务示范区。")
    shot(page, "samr-designate")
    page.get_by_role("button", name="认定并发布公告").click()
    expect(page.locator(".alert-success")).to_contain_text("已认定并发布认定公告")
    expect(page.get_by_test_id("samr-zones")).to_contain_text("宁波市")

    # The visitor sees both cities appear on the list of zones, with the day of designation.
    visitor.goto(f"{site}/")
    visitor.get_by_role("link", name="查看示范区名单").click()
    designated = visitor.locator("[data-testid=zones] [data-status=designated]")
    expect(designated).to_have_count(2)
    expect(visitor.get_by_test_id("zones")).to_contain_text("宁波市")
    expect(visitor.get_by_test_id("zones")).to_contain_text(f"认定日期：{Case.objects.get(pk=ningbo.pk).designated_on}")

    # A warning, then the revocation with its confirmation.
    ground = ningbo.rule_set.sanction_grounds["decline"]
    page.get_by_role("link", name="宁波市").click()
    page.get_by_label("警示").check()
    page.get_by_label("情形（第二十二条）").select_option(label=ground)
    page.get_by_label("事实与理由").fill("督促指导中发现工作明显下滑。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("sanctions")).to_contain_text(ground)
    page.get_by_label("取消示范区资格").check()
    page.get_by_label("情形（第二十二条）").select_option(label=ground)
    page.get_by_label("事实与理由").fill("警示后仍未整改，不再具备示范引领作用。")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("h1")).to_have_text("确认取消示范区称号？")
    expect(page.get_by_test_id("confirm-city")).to_contain_text("宁波市")
    expect(page.get_by_test_id("confirm-ground")).to_have_text(ground)
    expect(page.get_by_test_id("confirm-article")).to_have_text(ningbo.rule_set.article("revoke"))
    assert Case.objects.get(pk=ningbo.pk).state == State.DESIGNATED  # nothing happens before the confirmation
    shot(page, "samr-revoke-confirm")
    page.get_by_role("button", name="确认取消示范区资格").click()
    expect(page.locator("[data-state]").first).to_have_attribute("data-state", "revoked")
    assert [s.kind for s in Sanction.objects.order_by("pk")] == ["warn", "revoke"]

    # The ground is in the case history; the public list keeps the zone, marked revoked.
    page.get_by_role("link", name=ningbo.reference).click()
    expect(page.get_by_test_id("history-ground").first).to_contain_text(ground)
    visitor.goto(f"{site}/public/zones/")
    revoked = visitor.locator("[data-testid=zones] [data-status=revoked]")
    expect(revoked).to_contain_text("宁波市")
    expect(revoked).to_contain_text("已取消示范区资格")
    expect(visitor.locator("[data-testid=zones] [data-status=designated]")).to_contain_text("杭州市")
    shot(visitor, "public-zones-phone")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    expect(visitor).to_have_url(re.compile(r"/public/zones/$"))
    # The zone's own page: its public acts, the revocation last, with the day and the ground.
    revoked.get_by_test_id("zone-link").click()
    expect(visitor.locator("h1")).to_have_text("宁波市")
    expect(visitor.get_by_test_id("revocation-ground")).to_contain_text(ground)
    expect(visitor.locator("[data-testid=zone-history] [data-act]")).to_have_count(3)
    expect(visitor.locator("[data-testid=zone-history] [data-act]").last).to_contain_text("取消示范区资格")
    shot(visitor, "public-zone-phone")
    visitor.go_back()

    # The same pages in English, for the officer at 1366 px and the visitor on the phone.
    visitor.locator("nav .navbar-toggler").click()
    visitor.get_by_role("button", name="English").click()
    expect(visitor.locator("h1")).to_have_text("Online-market supervision and service demonstration zones")
    expect(visitor.locator("[data-testid=zones] [data-status=revoked]")).to_contain_text("Designation revoked")
    shot(visitor, "public-zones-phone-en")
    page.get_by_role("button", name="English").click()
    page.goto(f"{site}/samr/zones/{ningbo.pk}/")
    expect(page.get_by_test_id("sanctions")).to_contain_text("Warning")
    shot(page, "samr-zone-en")
    page.goto(notice_url)
    shot(page, "samr-notice-en")
