"""The applicant's pages: start a case under an open call, 《创建申请表》 as versioned drafts and their diff,
materials with a kept file, return reasons, the evaluation application — scope (another city's applicant gets 404)
and forms that keep what was typed when they fail."""
import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import ApplicationForm
from cases.journeys import act, drive
from cases.models import Case
from cases.workflow import State
from documents.models import Document, PendingUpload
from tests.factories import CallFactory, new_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

FORM = {
    "figures_year": "2025", "resident_population": "1252.20", "gdp": "21860.00",
    "platform_economy": "平台经济基础：规划与政策", "ecommerce_sales": "31000", "online_retail_sales": "11000.50",
    "online_business_count": "120000", "business_count": "1600000", "platform_count": "45",
    "supervision_and_service": "监管体制机制健全", "online_complaints": "8200", "odr_enterprise_count": "900",
    "innovation": "沙盒监管", "contact_name": "张三", "contact_unit": "市场监管局网监处", "contact_phone": "0571-87000000",
    "contact_email": "zhang@example.cn",
}


def pdf(name="x.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# ── start a case ───────────────────────────────────────────────────────────────────────────────────────────
def test_applicant_starts_a_case_under_the_open_call(client, cast, call):
    CallFactory(title="已截止的通知", opens_on=datetime.date(2025, 3, 1), submission_deadline=datetime.date(2025, 5, 31),
                recommendation_deadline=datetime.date(2025, 6, 30), year=2025)
    client.force_login(cast.applicant)
    page = client.get(reverse("case-new")).content.decode()
    assert call.title in page and "已截止的通知" not in page
    response = client.post(reverse("case-new"), {"call": str(call.pk), "title": "杭州市示范区创建申请"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("application-form", args=[case.pk])
    assert case.call == call and case.creation_object == cast.applicant.organisation.creation_object
    assert 'data-testid="live-case"' in client.get(reverse("case-new")).content.decode()


def test_starting_without_a_call_keeps_the_title_and_says_what_is_missing(client, cast, call):
    client.force_login(cast.applicant)
    response = client.post(reverse("case-new"), {"title": "我写的名称"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "我写的名称" in page and "请选择市场监管总局的申报通知" in page
    assert not Case.objects.exists()


def test_only_applicants_start_cases(client, cast, call):
    client.force_login(cast.reviewer)
    assert client.get(reverse("case-new")).status_code == 403
    assert client.post(reverse("case-new"), {"call": str(call.pk), "title": "x"}).status_code == 403


def test_case_list_offers_a_new_application_to_applicants_only(client, cast, call):
    client.force_login(cast.applicant)
    assert 'data-testid="new-case-link"' in client.get(reverse("case-list")).content.decode()
    client.force_login(cast.reviewer)
    assert 'data-testid="new-case-link"' not in client.get(reverse("case-list")).content.decode()


# ── the application form ──────────────────────────────────────────────────────────────────────────────────
def test_form_is_saved_in_sections_as_versions_and_the_api_reads_the_same_fields(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    page = client.get(reverse("application-form", args=[case.pk])).content.decode()
    for section in ("基本情况", "办法 第六条（一）", "办法 第六条（二）", "办法 第六条（三）", "联系人"):
        assert section in page
    assert 'maxlength="2000"' in page and "最多 2000 字" in page  # the limit is shown before submit
    assert client.post(reverse("application-form", args=[case.pk]), FORM).status_code == 302
    client.post(reverse("application-form", args=[case.pk]), {**FORM, "platform_count": "46", "innovation": "触发式监管"})
    assert list(case.application_forms.order_by("version").values_list("platform_count", flat=True)) == [45, 46]
    api = client.get(f"/api/cases/{case.pk}/").json()["application_form"]
    assert api["version"] == 2 and api["platform_count"] == 46 and api["online_business_count"] == 120000
    assert api["contact_unit"] == "市场监管局网监处"


def test_api_saves_the_new_fields_too(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    body = {**{k: v for k, v in FORM.items()}, "platform_count": 7}
    response = client.patch(f"/api/cases/{case.pk}/", {"application_form": body}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert ApplicationForm.objects.get(case=case).platform_count == 7
    too_long = {**body, "innovation": "长" * 2001}
    response = client.patch(f"/api/cases/{case.pk}/", {"application_form": too_long}, content_type="application/json")
    assert response.status_code == 400 and "innovation" in response.json()["errors"]["application_form"]


def test_a_failed_form_keeps_every_value_and_marks_the_fields(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    bad = {**FORM, "contact_phone": "abc", "online_business_count": "2000000", "innovation": "我的创新举措"}
    response = client.post(reverse("application-form", args=[case.pk]), bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "我的创新举措" in page and 'value="abc"' in page and 'value="2000000"' in page
    assert "请填写有效的电话号码" in page
    assert "网络经营主体数量不能多于经营主体总数" in page
    assert not ApplicationForm.objects.exists()


def test_inline_validation_answers_one_field(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    url = reverse("application-form-validate", args=[case.pk])
    response = client.post(url, {**FORM, "contact_phone": "x"}, HTTP_HX_REQUEST="true",
                           HTTP_HX_TRIGGER_NAME="contact_phone")
    assert response.status_code == 200 and "请填写有效的电话号码" in response.content.decode()
    response = client.post(url, FORM, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="contact_phone")
    assert 'id="feedback-contact_phone"' in response.content.decode() and "电话" not in response.content.decode()
    assert not ApplicationForm.objects.exists()


def test_the_diff_marks_the_changed_fields(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    client.post(reverse("application-form", args=[case.pk]), FORM)
    client.post(reverse("application-form", args=[case.pk]), {**FORM, "platform_count": "50", "contact_name": "李四"})
    page = client.get(reverse("application-form-version", args=[case.pk, 2])).content.decode()
    assert 'data-field="platform_count" data-changed="1"' in page
    assert 'data-field="contact_name" data-changed="1"' in page
    assert 'data-field="gdp" data-changed="0"' in page
    assert "修改了 2 项" in page
    first = client.get(reverse("application-form-version", args=[case.pk, 1])).content.decode()
    assert "这是第一版" in first
    assert client.get(reverse("application-form-version", args=[case.pk, 9])).status_code == 404


def test_the_province_reads_the_versions_but_cannot_edit(client, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(cast.reviewer)
    response = client.get(reverse("application-form", args=[case.pk]))
    assert response.status_code == 302 and response["Location"].endswith("/v1/")
    assert client.get(response["Location"]).status_code == 200
    assert client.post(reverse("application-form", args=[case.pk]), FORM).status_code == 403


def test_a_submitted_form_is_read_only_for_the_applicant(client, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(cast.applicant)
    response = client.get(reverse("application-form", args=[case.pk]))
    assert response.status_code == 302
    assert client.post(reverse("application-form", args=[case.pk]), FORM).status_code == 403


def test_another_citys_applicant_gets_404_on_every_page(client, cast, other_cast, call, clock):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    client.post(reverse("application-form", args=[case.pk]), FORM)
    client.force_login(other_cast.applicant)
    for url in (reverse("application-form", args=[case.pk]), reverse("application-form-version", args=[case.pk, 1]),
                reverse("case-material-upload", args=[case.pk]), reverse("evaluation-application", args=[case.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("application-form", args=[case.pk]), FORM).status_code == 404
    assert client.post(reverse("application-form-validate", args=[case.pk]), FORM).status_code == 404
    assert client.post(reverse("case-material-upload", args=[case.pk]),
                       {"kind": "creation_plan", "file": pdf()}).status_code == 404
    assert client.post(reverse("evaluation-application", args=[case.pk]), {}).status_code == 404
    assert not Document.objects.exists() and not PendingUpload.objects.exists()


# ── materials ─────────────────────────────────────────────────────────────────────────────────────────────
def test_the_case_page_names_the_kinds_the_submit_still_needs(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="applicant-panel"' in page and 'data-testid="material-form"' in page
    assert "申请材料不全：缺少申请表、创建方案" in page
    assert 'data-kind="creation_plan" class="table-warning"' in page
    client.force_login(cast.officer)
    assert 'data-testid="applicant-panel"' not in client.get(reverse("case-detail", args=[case.pk])).content.decode()


def test_uploads_the_three_kinds_and_then_submits(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    client.post(reverse("application-form", args=[case.pk]), FORM)
    for kind in ("application_form", "creation_plan", "supporting"):
        response = client.post(reverse("case-material-upload", args=[case.pk]),
                               {"kind": kind, "title": f"{kind} 材料", "file": pdf()})
        assert response.status_code == 302 and response["Location"].endswith("#materials")
    assert sorted(case.documents.values_list("kind", flat=True)) == ["application_form", "creation_plan",
                                                                      "supporting"]
    case.refresh_from_db()
    response = client.post(reverse("case-move", args=[case.pk, "submit"]), {"version": str(case.version)})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


def test_a_file_chosen_in_a_failed_form_is_kept_and_used_next_time(client, cast, call,
                                                                   django_capture_on_commit_callbacks):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    url = reverse("case-material-upload", args=[case.pk])
    response = client.post(url, {"kind": "", "title": "创建方案正式稿", "file": pdf("方案.pdf")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "已上传：方案.pdf，无需重新选择" in page and "创建方案正式稿" in page
    pending = PendingUpload.objects.get()
    assert pending.user == cast.applicant and pending.case == case
    with django_capture_on_commit_callbacks(execute=True):  # the kept file goes once the upload has committed
        response = client.post(url, {"kind": "creation_plan", "title": "", "pending": str(pending.pk)})
    assert response.status_code == 302
    document = case.documents.get()
    assert document.title == "方案.pdf" and document.kind == "creation_plan" and document.size == len(PDF)
    assert not PendingUpload.objects.exists()


def test_a_kept_file_is_only_its_users(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    client.post(reverse("case-material-upload", args=[case.pk]), {"kind": "", "file": pdf()})
    pending = PendingUpload.objects.get()
    from tests.factories import UserFactory

    colleague = UserFactory(username="colleague", role=cast.applicant.role, organisation=cast.applicant.organisation)
    client.force_login(colleague)
    response = client.post(reverse("case-material-upload", args=[case.pk]),
                           {"kind": "creation_plan", "pending": str(pending.pk)})
    assert response.status_code == 400 and "请选择要上传的材料文件" in response.content.decode()
    assert not case.documents.exists()


def test_a_refused_format_is_not_kept(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    response = client.post(reverse("case-material-upload", args=[case.pk]),
                           {"kind": "creation_plan", "file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")})
    assert response.status_code == 400
    assert "文件内容不是可接受的格式" in response.content.decode()
    assert not PendingUpload.objects.exists() and not case.documents.exists()


def test_return_reasons_are_shown_and_the_applicant_corrects_and_resubmits(client, cast, call, clock):
    case = drive(new_case(cast, call), State.RETURNED, cast, clock)
    client.force_login(cast.applicant)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="return-reasons"' in page and "演示：理由说明" in page
    client.post(reverse("application-form", args=[case.pk]), FORM)
    assert client.post(reverse("case-material-upload", args=[case.pk]),
                       {"kind": "creation_plan", "file": pdf("新方案.pdf")}).status_code == 302
    case.refresh_from_db()
    assert client.post(reverse("case-move", args=[case.pk, "resubmit"]),
                       {"version": str(case.version)}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.SUBMITTED


# ── the evaluation application ────────────────────────────────────────────────────────────────────────────
def _creating(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    first, _ = __import__("cases.deadlines", fromlist=["x"]).evaluation_window(case)
    clock.move_to(datetime.datetime.combine(first, datetime.time(10, 0),
                                            tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    return case


def test_evaluation_application_page_names_what_is_missing_and_keeps_the_round(client, cast, call, clock):
    from cases.journeys import _open_round

    case = _creating(cast, call, clock)
    round_ = _open_round(case, cast, clock)
    client.force_login(cast.applicant)
    url = reverse("evaluation-application", args=[case.pk])
    page = client.get(url).content.decode()
    assert "评估申请材料不全：缺少评估申请表、自评报告" in page and round_.title in page
    case.refresh_from_db()
    response = client.post(url, {"round": str(round_.pk), "version": str(case.version)})
    assert response.status_code == 409
    assert f'value="{round_.pk}" selected' in response.content.decode()
    for kind in ("evaluation_application", "self_assessment_report"):
        response = client.post(reverse("case-material-upload", args=[case.pk]),
                               {"kind": kind, "file": pdf(), "next": url})
        assert response["Location"] == url
    from evaluation.services import record_self_assessment

    record_self_assessment(case_id=case.pk, actor=cast.applicant, total_score=Decimal("90"), passed=True)
    case.refresh_from_db()
    response = client.post(url, {"round": str(round_.pk), "version": str(case.version)})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.EVALUATION_APPLIED and case.evaluation_round == round_


def test_re_evaluation_offers_only_the_next_round(client, cast, call, clock):
    case = drive(new_case(cast, call), State.AWAITING_RE_EVALUATION, cast, clock)
    client.force_login(cast.applicant)
    page = client.get(reverse("evaluation-application", args=[case.pk])).content.decode()
    assert "再次申请评估" in page
    assert case.evaluation_round.title not in page.split('name="round"')[1].split("</select>")[0]


def test_evaluation_page_is_for_applicants(client, cast, call, clock):
    case = _creating(cast, call, clock)
    client.force_login(cast.reviewer)
    assert client.get(reverse("evaluation-application", args=[case.pk])).status_code == 403


def test_the_version_page_costs_the_same_queries_however_many_versions(client, cast, call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = new_case(cast, call)
    client.force_login(cast.applicant)
    for n in range(2):
        client.post(reverse("application-form", args=[case.pk]), {**FORM, "platform_count": str(n)})
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("application-form-version", args=[case.pk, 2]))
    for n in range(4):
        client.post(reverse("application-form", args=[case.pk]), {**FORM, "platform_count": str(10 + n)})
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("application-form-version", args=[case.pk, 6]))
    assert len(six.captured_queries) == len(two.captured_queries)


@pytest.mark.parametrize("field,value", [
    ("gdp", "1" * 40), ("gdp", "1e400"), ("resident_population", "-1"), ("ecommerce_sales", "NaN"),
    ("online_retail_sales", "0.001"), ("platform_count", str(10 ** 30)), ("figures_year", "99999"),
])
def test_extreme_figures_are_a_400_on_the_page_and_in_the_api_and_nothing_is_saved(client, cast, call, field, value):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    assert client.post(reverse("application-form", args=[case.pk]), {**FORM, field: value}).status_code == 400
    response = client.patch(f"/api/cases/{case.pk}/", {"application_form": {**FORM, field: value}},
                            content_type="application/json")
    assert response.status_code == 400 and field in response.json()["errors"]["application_form"]
    assert not ApplicationForm.objects.exists()
