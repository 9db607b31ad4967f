"""The applicant's journey in Chromium, clicking only what a person clicks: sign in, start a case under the open
SAMR call, fill in 《创建申请表》, save two versions and read the diff, upload the three materials (one of them after
a failed post that kept the file), submit; and after the province's return, read its reasons, correct and resubmit."""
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.journeys import create_case_for, drive
from cases.models import Case
from cases.workflow import State
from tests.factories import CallFactory, cast_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%browser\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_call():
    today = timezone.localdate()
    return CallFactory(title="关于开展示范区创建申报工作的通知（浏览器测试）", year=today.year,
                       opens_on=today - datetime.timedelta(days=10),
                       submission_deadline=today + datetime.timedelta(days=30),
                       recommendation_deadline=today + datetime.timedelta(days=60))


def pdf_file(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def fill_form(page, platform_count):
    page.get_by_label("数据年度").fill("2025")
    page.get_by_label("常住人口（万人）").fill("1252.2")
    page.get_by_label("地区生产总值（亿元）").fill("21860")
    page.get_by_label("平台经济基础").fill("平台经济发展规划、支持政策和产业规模。")
    page.get_by_label("网络零售额（亿元）").fill("11000.5")
    page.get_by_label("网络经营主体数量（户）").fill("120000")
    page.get_by_label("经营主体总数（户）").fill("1600000")
    page.get_by_label("网络交易平台数量（家）").fill(str(platform_count))
    page.get_by_label("网络市场监管与服务工作").fill("监管体制机制健全。")
    page.get_by_label("监管与服务创新能力").fill("沙盒监管、触发式监管。")
    page.locator("#id_contact_name").fill("张三")  # the label "联系人" is also the start of "联系人单位及职务"
    page.get_by_label("联系电话").fill("0571-87000000")


def upload(page, kind_label, name):
    form = page.get_by_test_id("material-form")
    form.get_by_label("材料类别").select_option(label=kind_label)
    form.locator("input[type=file]").set_input_files(pdf_file(name))
    form.get_by_role("button", name="上传").click()
    expect(page.locator(".alert-success")).to_contain_text(name)


def test_applicant_creates_fills_compares_uploads_and_submits(page, site, login_as):
    cast = cast_for("330100")
    call = open_call()
    login_as(page, cast.applicant.username)
    page.goto(f"{site}/cases/")
    page.get_by_test_id("new-case-link").click()
    page.get_by_label(re.compile(call.title)).check()
    page.get_by_role("button", name="创建草稿").click()
    expect(page.locator("h1")).to_contain_text("创建申请表")

    # Two versions, then the diff of the second against the first.
    # The limit shows before submit: the counter under each text field counts as one types.
    expect(page.locator("[data-counter-for=id_innovation]")).to_have_text("已输入 0 / 2000 字")
    fill_form(page, platform_count=45)
    expect(page.locator("[data-counter-for=id_innovation]")).to_have_text("已输入 11 / 2000 字")
    page.get_by_test_id("save-form").click()
    expect(page.locator(".alert-success")).to_contain_text("第 1 版")
    page.get_by_label("网络交易平台数量（家）").fill("46")
    page.get_by_test_id("save-form").click()
    expect(page.locator(".alert-success")).to_contain_text("第 2 版")
    page.get_by_test_id("versions-link").click()
    expect(page.get_by_test_id("diff-summary")).to_contain_text("修改了 1 项")
    expect(page.locator("tr[data-field=platform_count]")).to_have_class(re.compile("diff-changed"))
    expect(page.locator("tr[data-field=gdp]")).not_to_have_class(re.compile("diff-changed"))
    page.locator("nav[aria-label=breadcrumb]").get_by_role("link", name=re.compile(r"\d{4}-330100")).click()

    # The page names what the submission still needs; a post without a kind keeps the chosen file.
    expect(page.get_by_test_id("still-needed")).to_contain_text("创建方案")
    form = page.get_by_test_id("material-form")
    form.locator("input[type=file]").set_input_files(pdf_file("创建方案.pdf"))
    form.get_by_role("button", name="上传").click()
    expect(page.get_by_test_id("pending-upload")).to_contain_text("已上传：创建方案.pdf，无需重新选择")
    page.get_by_test_id("material-form").get_by_label("材料类别").select_option(label="创建方案")
    page.get_by_test_id("material-form").get_by_role("button", name="上传").click()
    expect(page.locator(".alert-success")).to_contain_text("创建方案.pdf")
    upload(page, "申请表（盖章扫描件）", "申请表盖章扫描件.pdf")
    upload(page, "相关材料", "其他材料.pdf")
    expect(page.get_by_test_id("still-needed")).to_have_count(0)

    page.locator("#move-submit").get_by_role("button", name="提交创建申请").click()
    expect(page.locator("[data-state]").first).to_have_attribute("data-state", "submitted")
    case = Case.objects.get()
    assert case.state == State.SUBMITTED and case.application_forms.count() == 2 and case.documents.count() == 3


def test_after_a_return_the_applicant_reads_the_reasons_corrects_and_resubmits(page, site, login_as):
    cast = cast_for("330100")
    call = open_call()
    case = drive(create_case_for(cast, call), State.RETURNED, cast)
    login_as(page, cast.applicant.username)
    page.goto(f"{site}/cases/")
    page.get_by_test_id("case-row").filter(has_text=case.reference).get_by_role("link", name="杭州市").click()
    expect(page.get_by_test_id("return-reasons")).to_contain_text("演示：理由说明")
    page.get_by_test_id("edit-application-form").click()
    page.get_by_label("网络交易平台数量（家）").fill("52")
    page.get_by_test_id("save-form").click()
    expect(page.locator(".alert-success")).to_contain_text("第 2 版")
    page.locator("nav[aria-label=breadcrumb]").get_by_role("link", name=case.reference).click()
    upload(page, "创建方案", "创建方案（补正）.pdf")
    page.locator("#move-resubmit").get_by_role("button", name="补正后重新提交").click()
    expect(page.locator("[data-state]").first).to_have_attribute("data-state", "submitted")
    case.refresh_from_db()
    assert case.state == State.SUBMITTED
