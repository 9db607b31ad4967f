"""The whole journeys in Chromium (issue 7 item 7): each person signs in on the login page and then clicks only
what a person clicks — links, buttons, form fields. The set-up makes the people, the call for applications, the
evaluation round and the national figures (what an admin or SAMR enters elsewhere); after it nothing is written
to the database by the test. Time is moved with time-machine only where the law makes days pass (the end of the
creation period, the 15-day notice, the annual report's year).

1. Under the current measures (办法, 2025): a blank draft → 申请表 and materials → submit → returned with reasons
   → corrected and resubmitted → recommended in the province's ranked list → approved with a creation period →
   self-assessment sheet and the evaluation application → the province's pre-review → two experts assigned, both
   score → SAMR finalises → pass → notice with its text → a public objection, verified not upheld → notice closed
   → designation → annual report → warning → revocation after its confirmation.
2. Under the 2022 trial measures (试行办法): application → recommendation → approval → the evaluation application
   during creation → pre-review → expert scoring → pass → notice → designation.

A failed test leaves a screenshot under test-results/ (pytest-playwright's --screenshot=only-on-failure, set in
pyproject.toml's addopts)."""
import datetime
import re
import time
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, captcha_answer
from tests.factories import CallFactory, cast_for, expert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
PDF = b"%PDF-1.4\n%journey\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TIMES = {}  # journey name -> seconds, printed at the end of the session


def at(day, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def pdf_file(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


class People:
    """One browser context per sign-in: a person opens the start page, signs in and clicks on from there."""

    def __init__(self, new_context, site):
        self.new_context, self.site, self.page = new_context, site, None

    def sign_in(self, username):
        if self.page is not None:
            self.page.context.close()
        page = self.new_context().new_page()  # pytest-playwright's: screenshots on failure
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm buttons ask before acting
        page.goto(f"{self.site}/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("form[action$='/login/'] button[type=submit]").click()
        expect(page.locator("h1")).to_contain_text("待办")
        self.page = page
        return page

    def visitor(self):
        page = self.new_context().new_page()
        page.set_viewport_size({"width": 390, "height": 844})  # on a phone
        page.goto(f"{self.site}/")
        return page


def open_case(page, reference):
    """From anywhere: the navbar's 创建案件, then the case in the list."""
    page.locator("#nav-main").get_by_role("link", name="创建案件", exact=True).click()
    page.get_by_test_id("case-row").filter(has_text=reference).get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text(reference)


def state_is(page, state, label=None):
    badge = page.locator("[data-state]").first
    expect(badge).to_have_attribute("data-state", state)
    if label:
        expect(badge).to_have_text(label)


def history_has(page, text):
    expect(page.get_by_test_id("history")).to_contain_text(text)


def next_step_has(page, text):
    expect(page.get_by_test_id("next-step")).to_contain_text(text)


def upload(page, kind_label, name):
    form = page.get_by_test_id("material-form")
    form.get_by_label("材料类别").select_option(label=kind_label)
    form.locator("input[type=file]").set_input_files(pdf_file(name))
    form.get_by_role("button", name="上传").click()
    expect(page.locator(".alert-success")).to_contain_text(name)


def fill_application_form(page, platforms):
    page.get_by_label("数据年度").fill("2025")
    page.get_by_label("常住人口（万人）").fill("1252.2")
    page.get_by_label("地区生产总值（亿元）").fill("21860")
    page.get_by_label("平台经济基础").fill("平台经济发展规划、支持政策和产业规模。")
    page.get_by_label("网络零售额（亿元）").fill("11000.5")
    page.get_by_label("网络经营主体数量（户）").fill("120000")
    page.get_by_label("经营主体总数（户）").fill("1600000")
    page.get_by_label("网络交易平台数量（家）").fill(str(platforms))
    page.get_by_label("网络市场监管与服务工作").fill("监管体制机制健全。")
    page.get_by_label("监管与服务创新能力").fill("沙盒监管、触发式监管。")
    page.locator("#id_contact_name").fill("张三")
    page.get_by_label("联系电话").fill("0571-87000000")


def fill_sheet_inputs(page, data):
    """The self-assessment's figures, typed field by field (yearly figures one box per year)."""
    for key, value in data.items():
        if isinstance(value, dict):
            for year, amount in value.items():
                box = page.locator(f'[name="in:{key}:{year}"]')
                if box.count():
                    box.fill(str(amount))
            continue
        box = page.locator(f'[name="in:{key}"]')
        if not box.count():
            continue  # asked at another indicator's row
        if isinstance(value, bool):
            box.select_option("true" if value else "false")
        elif isinstance(value, (list, tuple)):
            box.fill("\n".join(str(v) for v in value))
        else:
            box.fill(str(value))


def submit_sheet(page):
    page.get_by_role("button", name="提交评分表").click()
    page.get_by_test_id("confirm-submit").click()
    expect(page.get_by_role("alert").filter(has_text="评分表已提交并锁定")).to_be_visible()


def expert_scores(people, username, reference, factor):
    """An assigned expert: the home queue's case, the sheet, no conflict, a score for every indicator, submit."""
    page = people.sign_in(username)
    page.locator('[data-testid="queue"][data-queue="to_score"]').get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text(reference)
    expect(page.get_by_test_id("next-step")).to_contain_text("请声明利益冲突情况")
    page.get_by_role("button", name=re.compile("填写“专家评分”评分表|填写.*评分表")).click()
    page.get_by_label("本人与该创建对象不存在利益冲突").check()
    page.get_by_role("button", name="提交声明").click()
    expect(page.get_by_text("声明与该创建对象无利益冲突")).to_be_visible()
    scores = page.locator('input[name^="score:"]')
    for i in range(scores.count()):
        box = scores.nth(i)
        points = Decimal(box.get_attribute("max"))
        box.fill(str((points * factor).quantize(Decimal("0.01"))))
    page.get_by_role("button", name="保存并重新计分").click()
    expect(page.get_by_role("status").filter(has_text="评分表已保存")).to_be_visible()
    submit_sheet(page)


def rule_set_on(day):
    from rulesets.selectors import rule_set_in_force

    return rule_set_in_force(day)


def national_figures(system, years):
    """What the admin enters on the admin pages: the national figures the indicators compare with."""
    from indicators import samples
    from indicators.services import set_national_figure

    data, benchmarks, _context = samples.full_marks(system.spec(), years=years)
    for key, series in benchmarks.items():
        for year, value in series.items():
            set_national_figure(key=key, label=key, year=year, value=value, source="国家统计局（测试）")
    return data


@pytest.fixture
def timed(request):
    started = time.monotonic()
    yield
    TIMES[request.node.name] = time.monotonic() - started
    print(f"\n{request.node.name}: {TIMES[request.node.name]:.1f} s")


def test_current_measures_journey_from_a_blank_draft_to_revocation(new_context, site, timed):
    from evaluation.services import open_round
    from indicators.models import IndicatorSystem
    from indicators.services import load_seed_systems

    people = People(new_context, site)
    with time_machine.travel(at(datetime.date(2026, 3, 2), 10), tick=True) as clock:
        # Set-up: the people, the call (open from 1 March 2026), the evaluation round SAMR opens for 2027, the
        # indicator systems and the national figures.
        cast = cast_for("330100")
        expert("expert-2")
        call = CallFactory(title="关于开展2026年度示范区创建申报工作的通知（旅程）")
        load_seed_systems()
        system = IndicatorSystem.objects.filter(code=rule_set_on(datetime.date(2026, 3, 2)).indicator_system_code).get()
        data = national_figures(system, (2025, 2026))
        round_ = open_round(actor=cast.officer, title="2027年第一批示范区评估", document_number="市监网监〔2026〕40号",
                            opens_on=datetime.date(2027, 1, 4), closes_on=datetime.date(2027, 3, 31),
                            indicator_system=system)

        # 1. The applicant starts a case from a blank draft under the open call.
        page = people.sign_in(cast.applicant.username)
        page.locator("#nav-main").get_by_role("link", name="创建案件", exact=True).click()
        page.get_by_test_id("new-case-link").click()
        page.get_by_label(re.compile(call.title)).check()
        page.get_by_role("button", name="创建草稿").click()
        expect(page.locator("h1")).to_contain_text("创建申请表")
        fill_application_form(page, platforms=45)
        page.get_by_test_id("save-form").click()
        expect(page.locator(".alert-success")).to_contain_text("第 1 版")
        breadcrumb = page.locator("nav[aria-label=breadcrumb]")
        reference_link = breadcrumb.get_by_role("link", name=re.compile(r"\d{4}-330100"))
        reference = reference_link.inner_text().strip()
        reference_link.click()
        state_is(page, "draft", "草稿")
        expect(page.get_by_test_id("still-needed")).to_contain_text("创建方案")
        upload(page, "申请表（盖章扫描件）", "申请表盖章扫描件.pdf")
        upload(page, "创建方案", "创建方案.pdf")
        upload(page, "相关材料", "其他材料.pdf")
        expect(page.get_by_test_id("still-needed")).to_have_count(0)
        page.locator("#move-submit").get_by_role("button", name="提交创建申请").click()
        state_is(page, "submitted")
        history_has(page, "提交创建申请")
        next_step_has(page, "等待省级初审")

        # 2. The province reads the application and returns it with reasons.
        clock.shift(3600)
        page = people.sign_in(cast.reviewer.username)
        open_case(page, reference)
        next_step_has(page, "您可以办理：")
        next_step_has(page, "退回补正")
        page.get_by_test_id("review-panel").get_by_test_id("read-application-form").click()
        expect(page.locator("h1")).to_contain_text("《创建申请表》")
        page.get_by_role("link", name=reference).click()
        page.locator("#move-return_for_correction textarea[name=comment]").fill("网络零售额数据来源未注明，请补充统计部门证明。")
        page.locator("#move-return_for_correction").get_by_role("button", name="退回补正").click()
        state_is(page, "returned", "退回补正")
        history_has(page, "网络零售额数据来源未注明")

        # 3. The applicant reads the reasons, corrects the form, adds the proof and resubmits.
        clock.shift(3600)
        page = people.sign_in(cast.applicant.username)
        open_case(page, reference)
        expect(page.get_by_test_id("return-reasons")).to_contain_text("网络零售额数据来源未注明")
        state_is(page, "returned", "退回补正")
        next_step_has(page, "补正后重新提交")
        page.get_by_test_id("edit-application-form").click()
        page.get_by_label("网络零售额（亿元）").fill("11200.0")
        page.get_by_test_id("save-form").click()
        expect(page.locator(".alert-success")).to_contain_text("第 2 版")
        page.locator("nav[aria-label=breadcrumb]").get_by_role("link", name=reference).click()
        upload(page, "相关材料", "网络零售额统计证明.pdf")
        page.locator("#move-resubmit").get_by_role("button", name="补正后重新提交").click()
        state_is(page, "submitted")
        history_has(page, "补正后重新提交")

        # 4. The province puts the city in its ranked list for the call and submits the list.
        clock.shift(3600)
        page = people.sign_in(cast.reviewer.username)
        page.get_by_test_id("nav-recommendations").click()
        page.get_by_role("link", name=call.title).click()
        expect(page.get_by_test_id("list-entry")).to_have_count(1)
        page.locator("#list-comment").fill("条件成熟，予以推荐")
        page.get_by_test_id("submit-list").click()
        expect(page.locator(".alert-success")).to_contain_text("已按顺序推荐 1 个城市")
        page.get_by_test_id("recommended").get_by_role("link", name="杭州市").click()
        state_is(page, "recommended")
        expect(page.get_by_test_id("audit-rank")).to_have_text("推荐排序：第 1 位")

        # 5. SAMR approves from the provinces' lists, with a creation period to the end of 2026.
        clock.shift(3600)
        page = people.sign_in(cast.officer.username)
        page.get_by_test_id("nav-samr").click()
        page.get_by_role("link", name=call.title).click()
        row = page.locator("[data-province='330000']").locator("[id^=case-]").first
        row.get_by_label("创建期届满日").fill("2026-12-31")
        row.get_by_role("button", name="同意创建").click()
        expect(page.locator(".alert-success")).to_contain_text("已同意")
        open_case(page, reference)
        state_is(page, "creating")
        history_has(page, "同意创建")
        next_step_has(page, "创建期")

        # 6. The creation period ends; in the round SAMR opened the applicant self-assesses and applies.
        clock.move_to(at(datetime.date(2027, 1, 5), 9))
        page = people.sign_in(cast.applicant.username)
        open_case(page, reference)
        next_step_has(page, "评估")
        page.get_by_test_id("evaluation-application-link").click()
        page.get_by_role("button", name="填写或继续自评评分表").click()
        fill_sheet_inputs(page, data)
        page.get_by_role("button", name="保存并重新计分").click()
        expect(page.get_by_role("status").filter(has_text="评分表已保存")).to_be_visible()
        submit_sheet(page)
        page.get_by_test_id("evaluation-application-link").click()
        expect(page.get_by_test_id("self-assessment")).to_contain_text("自评合格")
        upload(page, "评估申请表", "评估申请表.pdf")
        upload(page, "自评报告", "自评报告.pdf")
        page.locator("#apply-round").select_option(str(round_.pk))
        page.get_by_test_id("apply-submit").click()
        state_is(page, "evaluation_applied")
        history_has(page, "提交评估申请")

        # 7. The province's pre-review: the three checks, forwarded to SAMR.
        clock.shift(3600)
        page = people.sign_in(cast.reviewer.username)
        open_case(page, reference)
        page.get_by_test_id("open-pre-review").click()
        expect(page.get_by_test_id("evaluation-materials")).to_contain_text("自评报告")
        for check in ("资料审查", "数据比对", "实地核查"):
            page.get_by_label(check).check()
        page.locator("#pr-comment").fill("材料齐全，数据一致，经实地核查，初审合格。")
        page.get_by_role("button", name="评估初审合格，报送总局").click()
        state_is(page, "under_evaluation")
        history_has(page, "材料齐全，数据一致")

        # 8. SAMR assigns two experts.
        clock.shift(3600)
        page = people.sign_in(cast.officer.username)
        open_case(page, reference)
        next_step_has(page, "请分配评估专家")
        page.get_by_role("link", name="专家指派").click()
        page.locator("#expert-expert").check()
        page.locator("#expert-expert-2").check()
        page.get_by_role("button", name="指派", exact=True).click()
        expect(page.locator(".alert-success")).to_contain_text("已指派评估专家")

        # 9. Both experts declare no conflict, score every indicator and submit.
        expert_scores(people, "expert", reference, Decimal("0.90"))
        expert_scores(people, "expert-2", reference, Decimal("0.95"))

        # 10. SAMR forms the result (办法 第十四条 综合考虑) and passes the city.
        page = people.sign_in(cast.officer.username)
        open_case(page, reference)
        page.get_by_role("link", name="汇总专家评分，形成评估结果").click()
        page.get_by_label("代表性").fill("东部地区平台经济代表城市。")
        page.get_by_label("区域引领带动作用").fill("对长三角地区示范带动作用明显。")
        page.get_by_label("平台经济发展质效").fill("平台经济规模和质量居全国前列。")
        page.get_by_label("合格", exact=True).check()
        page.get_by_role("button", name="形成评估结果").click()
        expect(page.locator(".alert-success")).to_be_visible()
        open_case(page, reference)
        page.locator("#move-pass_evaluation").get_by_role("button").click()
        state_is(page, "evaluation_passed")
        history_has(page, "评估合格")
        next_step_has(page, "发布公示")

        # 11. SAMR publishes the notice with its text.
        page.locator("#nav-main").get_by_role("link", name="公示与认定").click()
        expect(page.get_by_test_id("awaiting-notice")).to_contain_text("杭州市")
        page.get_by_role("link", name="发布公示名单").click()
        page.get_by_label("公示内容（向社会公布）").fill("现将2027年第一批网络市场监管与服务示范区建议名单予以公示，接受社会监督。")
        page.get_by_role("button", name="发布公示").click()
        expect(page.locator(".alert-success")).to_contain_text("公示已发布")
        notice_page = page

        # 12. A member of the public reads the notice and objects.
        visitor = people.visitor()
        visitor.locator("nav .navbar-toggler").click()
        visitor.locator("nav").get_by_role("link", name="公示公告").click()
        visitor.get_by_role("link", name="查看全文并提出异议").click()
        expect(visitor.get_by_test_id("notice-text")).to_contain_text("接受社会监督")
        visitor.get_by_label("异议所涉城市").select_option(label="杭州市")
        visitor.get_by_label("异议人").fill("王某")
        visitor.get_by_label("联系方式").fill("13800000000")
        visitor.get_by_label("异议内容").fill("杭州市申报的网络零售额数据与统计公报不一致。")
        visitor.get_by_label("验证码").fill(captcha_answer(visitor))  # what the visitor reads in the image
        visitor.get_by_role("button", name="提交异议").click()
        expect(visitor.locator("h1")).to_have_text("异议已收到")
        receipt = visitor.get_by_test_id("receipt").inner_text().strip()
        visitor.context.close()

        # 13. SAMR verifies the objection as not upheld.
        notice_page.reload()
        objection = notice_page.get_by_test_id("objection")
        expect(objection).to_contain_text(receipt)
        objection.get_by_label("异议不成立").check()
        objection.get_by_label("核实意见").fill("经核实，申报数据与统计部门出具的证明一致，异议不成立。")
        objection.get_by_role("button", name="记录核实结果").click()
        expect(notice_page.get_by_test_id("verification")).to_contain_text("异议不成立")

        # 14. The 15 days pass; SAMR closes the notice and designates the city.
        clock.move_to(at(datetime.date(2027, 2, 15), 9))
        page = people.sign_in(cast.officer.username)
        page.locator("#nav-main").get_by_role("link", name="公示与认定").click()
        page.get_by_test_id("running-notices").get_by_role("link", name=round_.title).click()
        page.get_by_role("button", name="结束杭州市的公示").click()
        expect(page.locator(".alert-success")).to_contain_text("杭州市 公示期满，待认定。")
        page.get_by_role("link", name="去认定").first.click()
        page.get_by_label("公告内容（向社会公布）").fill("认定杭州市为网络市场监管与服务示范区。")
        page.get_by_role("button", name="认定并发布公告").click()
        expect(page.locator(".alert-success")).to_contain_text("已认定并发布认定公告")
        open_case(page, reference)
        state_is(page, "designated")
        history_has(page, "认定为示范区")

        # 15. The designated zone: the applicant sees it; the current measures date no annual report (办法 第十九条
        # asks for experience summaries, not a report by 31 March as 试行办法 第十八条 did), so none is asked for.
        clock.move_to(at(datetime.date(2028, 3, 1), 9))
        page = people.sign_in(cast.applicant.username)
        open_case(page, reference)
        state_is(page, "designated")
        next_step_has(page, "已认定为示范区")
        expect(page.get_by_test_id("annual-report-form")).to_have_count(0)

        # 16. SAMR warns the zone, then revokes it after the confirmation.
        clock.shift(3600)
        page = people.sign_in(cast.officer.username)
        page.locator("#nav-main").get_by_role("link", name="公示与认定").click()
        page.get_by_role("link", name="示范区动态管理").click()
        page.get_by_test_id("samr-zones").get_by_role("link", name="杭州市").click()
        page.get_by_label("警示").check()
        page.get_by_label(re.compile("情形")).select_option(index=1)
        ground = page.get_by_label(re.compile("情形")).locator("option:checked").inner_text().strip()
        page.get_by_label("事实与理由").fill("督促指导中发现工作明显下滑。")
        page.get_by_role("button", name="提交").click()
        expect(page.get_by_test_id("sanctions")).to_contain_text(ground)
        page.get_by_label("取消示范区资格").check()
        page.get_by_label(re.compile("情形")).select_option(label=ground)
        page.get_by_label("事实与理由").fill("警示后仍未整改，不再具备示范引领作用。")
        page.get_by_role("button", name="提交").click()
        expect(page.locator("h1")).to_have_text("确认取消示范区称号？")
        page.get_by_role("button", name="确认取消示范区资格").click()
        state_is(page, "revoked")
        page.get_by_role("link", name=reference).click()
        expect(page.get_by_test_id("history-ground").first).to_contain_text(ground)
        history_has(page, "取消示范区资格")
        next_step_has(page, "本案件已结束")
        page.context.close()


def test_trial_measures_journey_from_application_to_designation_and_annual_report(new_context, site, timed):
    """试行办法 (2022): no call and no ranked list; the evaluation is applied for during creation (第十条), with
    no evaluation round; after the designation the zone reports on its year by 31 March (第十八条)."""
    from indicators.models import IndicatorSystem
    from indicators.services import load_seed_systems

    people = People(new_context, site)
    with time_machine.travel(at(datetime.date(2023, 3, 1), 10), tick=True) as clock:
        cast = cast_for("330100")
        load_seed_systems()
        rules = rule_set_on(datetime.date(2023, 3, 1))
        assert rules.code == "trial-2022"
        system = IndicatorSystem.objects.filter(code=rules.indicator_system_code).get()
        data = national_figures(system, (2021, 2022, 2023))

        # 1. The applicant starts a case (no call under the trial measures), fills the form, uploads, submits.
        page = people.sign_in(cast.applicant.username)
        page.locator("#nav-main").get_by_role("link", name="创建案件", exact=True).click()
        page.get_by_test_id("new-case-link").click()
        page.get_by_role("button", name="创建草稿").click()
        expect(page.locator("h1")).to_contain_text("创建申请表")
        fill_application_form(page, platforms=45)
        page.get_by_test_id("save-form").click()
        expect(page.locator(".alert-success")).to_contain_text("第 1 版")
        breadcrumb = page.locator("nav[aria-label=breadcrumb]")
        reference_link = breadcrumb.get_by_role("link", name=re.compile(r"\d{4}-330100"))
        reference = reference_link.inner_text().strip()
        reference_link.click()
        upload(page, "申请表（盖章扫描件）", "申请表盖章扫描件.pdf")
        upload(page, "创建方案", "创建方案.pdf")
        page.locator("#move-submit").get_by_role("button", name="提交创建申请").click()
        state_is(page, "submitted")
        history_has(page, "提交创建申请")

        # 2. The province recommends it to SAMR from the case page (试行办法 第七条: no ranks).
        clock.shift(3600)
        page = people.sign_in(cast.reviewer.username)
        open_case(page, reference)
        page.locator("#move-recommend").get_by_role("button", name="推荐报送总局").click()
        state_is(page, "recommended")
        history_has(page, "推荐报送总局")

        # 3. SAMR approves with a creation period of two years (第八条).
        clock.move_to(at(datetime.date(2023, 7, 3), 9))
        page = people.sign_in(cast.officer.username)
        open_case(page, reference)
        approve = page.locator("#move-approve_creation")
        approve.get_by_label("创建期届满日").fill("2025-07-02")
        approve.get_by_role("button", name="同意创建").click()
        state_is(page, "creating")
        history_has(page, "同意创建")

        # 4. 条件成熟 during creation: the self-assessment sheet and the evaluation application (第十条).
        clock.move_to(at(datetime.date(2024, 3, 4), 9))
        page = people.sign_in(cast.applicant.username)
        open_case(page, reference)
        page.get_by_test_id("evaluation-application-link").click()
        page.get_by_role("button", name="填写或继续自评评分表").click()
        fill_sheet_inputs(page, data)
        page.get_by_role("button", name="保存并重新计分").click()
        expect(page.get_by_role("status").filter(has_text="评分表已保存")).to_be_visible()
        submit_sheet(page)
        page.get_by_test_id("evaluation-application-link").click()
        expect(page.get_by_test_id("self-assessment")).to_contain_text("自评合格")
        upload(page, "评估申请表", "评估申请表.pdf")
        upload(page, "自评报告", "自评报告.pdf")
        expect(page.locator("#apply-round")).to_have_count(0)  # no evaluation rounds under the trial measures
        page.get_by_test_id("apply-submit").click()
        state_is(page, "evaluation_applied")
        history_has(page, "提交评估申请")

        # 5. The province's pre-review (第十一条).
        clock.shift(3600)
        page = people.sign_in(cast.reviewer.username)
        open_case(page, reference)
        page.get_by_test_id("open-pre-review").click()
        for check in ("资料审查", "数据比对", "实地核查"):
            page.get_by_label(check).check()
        page.locator("#pr-comment").fill("初审合格。")
        page.get_by_role("button", name="评估初审合格，报送总局").click()
        state_is(page, "under_evaluation")

        # 6. SAMR assigns an expert, who scores; SAMR forms the result and passes the city (第十二条).
        clock.shift(3600)
        page = people.sign_in(cast.officer.username)
        open_case(page, reference)
        page.get_by_role("link", name="专家指派").click()
        page.locator("#expert-expert").check()
        page.get_by_role("button", name="指派", exact=True).click()
        expect(page.locator(".alert-success")).to_contain_text("已指派评估专家")
        expert_scores(people, "expert", reference, Decimal("0.90"))
        page = people.sign_in(cast.officer.username)
        open_case(page, reference)
        page.get_by_role("link", name="汇总专家评分，形成评估结果").click()
        expect(page.get_by_test_id("weighing")).to_have_count(0)  # no 综合考虑 in 试行办法 第十二条: the scores decide
        page.get_by_role("button", name="形成评估结果").click()
        expect(page.locator(".alert-success")).to_be_visible()
        open_case(page, reference)
        page.locator("#move-pass_evaluation").get_by_role("button").click()
        state_is(page, "evaluation_passed")

        # 7. The 15-day notice (第十三条), nobody objects; SAMR closes it and designates (第十四条).
        page.locator("#nav-main").get_by_role("link", name="公示与认定").click()
        page.get_by_test_id("awaiting-notice").get_by_role("link", name=re.compile("发布.*公示")).first.click()
        page.get_by_label("公示内容（向社会公布）").fill("杭州市示范区创建评估合格，现予公示，接受社会监督。")
        page.get_by_role("button", name="发布公示").click()
        expect(page.locator(".alert-success")).to_contain_text("公示已发布")
        notice_url_path = page.url
        clock.move_to(at(datetime.date(2024, 4, 8), 9))
        page = people.sign_in(cast.officer.username)
        page.locator("#nav-main").get_by_role("link", name="公示与认定").click()
        page.get_by_test_id("running-notices").get_by_role("link").first.click()
        assert page.url == notice_url_path
        page.get_by_role("button", name="结束杭州市的公示").click()
        expect(page.locator(".alert-success")).to_contain_text("杭州市 公示期满，待认定。")
        page.get_by_role("link", name="去认定").first.click()
        page.get_by_label("公告内容（向社会公布）").fill("认定杭州市为网络市场监管与服务示范区。")
        page.get_by_role("button", name="认定并发布公告").click()
        expect(page.locator(".alert-success")).to_contain_text("已认定并发布认定公告")
        open_case(page, reference)
        state_is(page, "designated")
        history_has(page, "认定为示范区")

        # 8. By 31 March next year the zone reports on 2024, after the confirmation (第十八条).
        clock.move_to(at(datetime.date(2025, 3, 3), 9))
        page = people.sign_in(cast.applicant.username)
        open_case(page, reference)
        form = page.get_by_test_id("annual-report-form")
        form.get_by_label("报告年度").select_option("2024")
        form.get_by_label("年度工作情况").fill("2024年度示范区建设工作情况。")
        form.locator("input[type=file]").set_input_files(pdf_file("2024年度工作情况报告.pdf"))
        form.get_by_role("button", name="下一步：确认报送内容").click()
        expect(page.get_by_test_id("annual-report-confirm")).to_contain_text("报送后不能修改或撤回")
        expect(page.get_by_test_id("confirm-year")).to_have_text("2024")
        page.get_by_test_id("confirm-annual-report").click()
        expect(page.locator("[data-testid=annual-reports] [data-year='2024']")).to_have_attribute(
            "data-status", "submitted")
        page.context.close()
