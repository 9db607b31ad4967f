"""The provincial reviewer's pages (办法 第八条、第十三条): reading the 申请表 and its changes, the materials, the ordered
recommendation list per call, the evaluation pre-review. A province sees only its cities, and only from submission
on; anyone else gets a 404."""
import dataclasses
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications.models import PreliminaryReview
from applications.services import save_application_form
from cases.errors import GuardFailed
from cases.journeys import drive
from cases.models import AuditEntry, Case
from cases.services import perform_transition
from cases.workflow import State
from documents.services import upload_document
from tests.factories import applicant_for, new_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def ningbo(cast):
    return dataclasses.replace(cast, applicant=applicant_for("330200"))


@pytest.fixture
def wenzhou(cast):
    return dataclasses.replace(cast, applicant=applicant_for("330300"))


def form_url(case, **query):
    url = reverse("review-application-form", args=[case.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def save_form(case, cast, **changes):
    fields = dict(contact_name="张工", contact_phone="0571-00000000", platform_economy="平台经济发展规划与支持政策",
                  supervision_and_service="网络市场监管体制机制", innovation="监管与服务创新举措",
                  online_retail_sales=Decimal("1234.50"))
    return save_application_form(case_id=case.pk, actor=cast.applicant, **{**fields, **changes})


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return ContentFile(buffer.getvalue(), name="说明.docx")


# ── scope ─────────────────────────────────────────────────────────────────────────────────────────────────────────
def test_the_form_page_is_the_province_s_from_submission_on_and_no_one_else_s(client, cast, other_cast, call, clock):
    case = new_case(cast, call)
    save_form(case, cast)
    client.force_login(cast.reviewer)
    assert client.get(form_url(case)).status_code == 404  # a draft is the city's alone
    case = drive(case, State.SUBMITTED, cast, clock)
    assert client.get(form_url(case)).status_code == 200
    for outsider in (other_cast.reviewer, cast.applicant, cast.expert):
        client.force_login(outsider)
        assert client.get(form_url(case)).status_code == 404
    client.force_login(cast.officer)
    assert client.get(form_url(case)).status_code == 200


def test_material_viewer_and_pre_review_page_are_404_outside_the_scope(client, cast, other_cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    document = case.documents.first()
    material = reverse("review-material", args=[case.pk, document.pk])
    pre_review = reverse("review-pre-review", args=[case.pk])
    client.force_login(other_cast.reviewer)
    assert client.get(material).status_code == 404
    assert client.get(reverse("case-document", args=[case.pk, document.pk])).status_code == 404
    client.force_login(cast.applicant)
    assert client.get(material).status_code == 404
    client.force_login(cast.reviewer)
    assert client.get(material).status_code == 200
    assert client.get(pre_review).status_code == 404  # no evaluation application yet


# ── the 申请表 and its changes ─────────────────────────────────────────────────────────────────────────────────────
def test_the_reviewer_reads_the_submitted_version_and_not_the_correction_in_progress(client, cast, call, clock):
    case = new_case(cast, call)
    save_form(case, cast)
    case = drive(case, State.RETURNED, cast, clock)
    clock.shift(3600)
    save_form(case, cast, online_retail_sales=Decimal("1500.00"))  # version 2, while correcting
    client.force_login(cast.reviewer)
    page = client.get(form_url(case)).content.decode()
    assert "第 1 版" in page and "1234.50" in page and "1500" not in page

    clock.shift(3600)
    save_form(case, cast, online_retail_sales=Decimal("1600.00"), innovation="监管与服务创新举措：信用分级分类")
    perform_transition(case_id=case.pk, name="resubmit", actor=cast.applicant)
    page = client.get(form_url(case)).content.decode()
    # The resubmitted version 3 against version 1, the one the province read at the first submission.
    assert "第 3 版" in page and "与第 1 版相比，修改了 2 项" in page
    assert page.count('data-changed="1"') == 2
    assert '<ins class="diff">：信用分级分类</ins>' in page
    assert '<del class="diff">1234.50</del> → <ins class="diff">1600</ins>' in page
    # Any version against any earlier one.
    page = client.get(form_url(case, version=3, base=2)).content.decode()
    assert "与第 2 版相比，修改了 2 项" in page
    page = client.get(form_url(case, version=1)).content.decode()
    assert "这是第一个版本" in page


def test_the_case_page_names_the_changed_fields_and_the_materials(client, cast, call, clock):
    case = new_case(cast, call)
    save_form(case, cast)
    case = drive(case, State.RETURNED, cast, clock)
    clock.shift(60)
    save_form(case, cast, contact_phone="0571-11111111")
    perform_transition(case_id=case.pk, name="resubmit", actor=cast.applicant)
    client.force_login(cast.reviewer)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="review-panel"' in page
    assert "较第 1 版修改 1 项" in page and "联系电话" in page
    assert reverse("review-material", args=[case.pk, case.documents.first().pk]) in page
    client.force_login(cast.applicant)
    assert 'data-testid="review-panel"' not in client.get(reverse("case-detail", args=[case.pk])).content.decode()


# ── materials ─────────────────────────────────────────────────────────────────────────────────────────────────────
def test_a_pdf_is_framed_and_served_inline_and_a_word_file_downloads(client, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    pdf = case.documents.get(kind="creation_plan")
    client.force_login(cast.reviewer)
    page = client.get(reverse("review-material", args=[case.pk, pdf.pk])).content.decode()
    file_url = reverse("case-document", args=[case.pk, pdf.pk])
    assert f'<iframe class="material-frame border rounded bg-body" src="{file_url}"' in page
    served = client.get(file_url)
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("inline")
    assert client.get(file_url + "?download=1")["Content-Disposition"].startswith("attachment")

    perform_transition(case_id=case.pk, name="return_for_correction", actor=cast.reviewer, payload={"comment": "补充"})
    word = upload_document(case_id=case.pk, actor=cast.applicant, kind="supporting", title="说明", file=docx())
    page = client.get(reverse("review-material", args=[case.pk, word.pk])).content.decode()
    assert "material-frame" not in page and "请下载后阅读" in page
    assert client.get(reverse("case-document", args=[case.pk, word.pk]))["Content-Disposition"].startswith("attachment")


# ── the recommendation list ──────────────────────────────────────────────────────────────────────────────────────
def list_url(call):
    return reverse("review-recommendation-list", args=[call.pk])


def submitted(*casts, call, clock):
    cases = []
    for c in casts:
        cases.append(drive(new_case(c, call), State.SUBMITTED, c, clock))
        clock.shift(60)
    return cases


def order_on(page):
    import re

    return [int(pk) for pk in re.findall(r'data-testid="list-entry" data-case="(\d+)"', page)]


def test_the_list_orders_submitted_cities_and_moves_them(client, cast, ningbo, other_cast, call, clock):
    hangzhou, ningbo_case = submitted(cast, ningbo, call=call, clock=clock)
    drive(new_case(other_cast, call), State.SUBMITTED, other_cast, clock)  # 江苏省's city is not on 浙江省's list
    client.force_login(cast.reviewer)
    assert call.title in client.get(reverse("review-recommendation-calls")).content.decode()
    page = client.get(list_url(call)).content.decode()
    assert order_on(page) == [hangzhou.pk, ningbo_case.pk]
    move = reverse("review-recommendation-move", args=[call.pk])
    response = client.post(move, {"case": hangzhou.pk, "direction": "down"})
    assert response.status_code == 302
    assert order_on(client.get(list_url(call)).content.decode()) == [ningbo_case.pk, hangzhou.pk]
    # With htmx only the list comes back.
    response = client.post(move, {"case": hangzhou.pk, "direction": "up"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert order_on(response.content.decode()) == [hangzhou.pk, ningbo_case.pk]


def test_submitting_the_list_recommends_every_city_in_order_with_its_rank(client, cast, ningbo, wenzhou, call, clock):
    first, second, third = submitted(cast, ningbo, wenzhou, call=call, clock=clock)
    perform_transition(case_id=first.pk, name="recommend", actor=cast.reviewer, payload={"rank": 1})  # from the case
    client.force_login(cast.reviewer)
    client.post(reverse("review-recommendation-move", args=[call.pk]), {"case": third.pk, "direction": "up"})
    response = client.post(reverse("review-recommendation-submit", args=[call.pk]),
                           {"order": f"{third.pk},{second.pk}", "comment": "择优推荐"})
    assert response.status_code == 302
    ranks = dict(PreliminaryReview.objects.filter(outcome="recommend").values_list("case_id", "rank"))
    assert ranks == {first.pk: 1, third.pk: 2, second.pk: 3}
    assert set(Case.objects.filter(pk__in=[second.pk, third.pk]).values_list("state", flat=True)) == {State.RECOMMENDED}
    entry = AuditEntry.objects.get(case=third, name="recommend")
    assert entry.data["rank"] == 2 and entry.comment == "择优推荐"
    history = client.get(reverse("case-detail", args=[third.pk])).content.decode()
    assert "推荐排序：第 2 位" in history
    page = client.get(list_url(call)).content.decode()
    assert order_on(page) == [] and page.count("推荐排序第") == 3


def test_a_list_changed_meanwhile_is_refused_and_nothing_is_recommended(client, cast, ningbo, call, clock):
    first, second = submitted(cast, ningbo, call=call, clock=clock)
    client.force_login(cast.reviewer)
    response = client.post(reverse("review-recommendation-submit", args=[call.pk]),
                           {"order": f"{second.pk},{first.pk}", "comment": "意见保留"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "推荐名单已变化" in page and "意见保留" in page
    assert not PreliminaryReview.objects.exists()


def test_one_city_refused_refuses_the_whole_list(client, cast, ningbo, call, clock, monkeypatch):
    import cases.services

    first, second = submitted(cast, ningbo, call=call, clock=clock)
    real = cases.services.perform_transition

    def refuse_the_second(**kwargs):
        if kwargs["case_id"] == second.pk:
            raise GuardFailed("测试：条件不满足")
        return real(**kwargs)

    monkeypatch.setattr(cases.services, "perform_transition", refuse_the_second)
    client.force_login(cast.reviewer)
    response = client.post(reverse("review-recommendation-submit", args=[call.pk]), {"order": f"{first.pk},{second.pk}"})
    assert response.status_code == 409
    assert "宁波市" in response.content.decode() and "测试：条件不满足" in response.content.decode()
    assert Case.objects.get(pk=first.pk).state == State.SUBMITTED
    assert not PreliminaryReview.objects.exists() and not AuditEntry.objects.filter(name="recommend").exists()


def test_the_list_is_the_province_s_own(client, cast, other_cast, call, clock):
    ours = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(other_cast.reviewer)
    assert client.get(list_url(call)).status_code == 404  # no city of 江苏省 in this call
    drive(new_case(other_cast, call), State.SUBMITTED, other_cast, clock)
    assert ours.pk not in order_on(client.get(list_url(call)).content.decode())
    response = client.post(reverse("review-recommendation-move", args=[call.pk]), {"case": ours.pk, "direction": "up"})
    assert response.status_code == 302  # refused with a message, nothing moved
    for outsider in (cast.officer, cast.applicant, cast.expert):
        client.force_login(outsider)
        assert client.get(reverse("review-recommendation-calls")).status_code == 404
        assert client.get(list_url(call)).status_code == 404


def test_the_list_page_takes_a_fixed_number_of_queries(client, cast, ningbo, wenzhou, call, clock,
                                                       django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submitted(cast, call=call, clock=clock)
    client.force_login(cast.reviewer)
    client.get(list_url(call))
    with CaptureQueriesContext(connection) as one:
        client.get(list_url(call))
    submitted(ningbo, wenzhou, call=call, clock=clock)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(order_on(client.get(list_url(call)).content.decode())) == 3


# ── the evaluation pre-review ─────────────────────────────────────────────────────────────────────────────────────
@pytest.fixture
def applied(cast, call, clock):
    return drive(new_case(cast, call), State.EVALUATION_APPLIED, cast, clock)


def pre_review_url(case):
    return reverse("review-pre-review", args=[case.pk])


def test_the_pre_review_page_shows_the_evaluation_materials_and_the_three_checks(client, cast, other_cast, applied):
    client.force_login(cast.reviewer)
    page = client.get(pre_review_url(applied)).content.decode()
    for text in ("评估申请表（演示）", "自评报告（演示）", "资料审查", "数据比对", "实地核查", "自评总分 90.00 分",
                 "填写初审评分表", reverse("score-sheet-open", args=[applied.pk])):
        assert text in page
    assert 'data-testid="open-pre-review"' in client.get(reverse("case-detail", args=[applied.pk])).content.decode()
    client.force_login(cast.officer)
    page = client.get(pre_review_url(applied)).content.decode()
    assert "评估申请表（演示）" in page and 'data-testid="pre-review-form"' not in page
    assert client.post(pre_review_url(applied), {"move": "forward_evaluation", "documents_checked": "on"}
                       ).status_code == 403
    for outsider in (other_cast.reviewer, cast.applicant, cast.expert):
        client.force_login(outsider)
        assert client.get(pre_review_url(applied)).status_code == 404


def test_forwarding_needs_the_documents_checked_and_keeps_what_was_typed(client, cast, applied):
    client.force_login(cast.reviewer)
    response = client.post(pre_review_url(applied), {"move": "forward_evaluation", "data_compared": "on",
                                                     "comment": "数据一致"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "报送总局前须完成资料审查" in page and "数据一致" in page
    assert 'name="data_compared" id="pr-data_compared" checked' in page
    assert Case.objects.get(pk=applied.pk).state == State.EVALUATION_APPLIED

    response = client.post(pre_review_url(applied), {"move": "forward_evaluation", "documents_checked": "on",
                                                     "data_compared": "on", "site_checked": "on", "comment": "初审合格"})
    assert response.status_code == 302
    case = Case.objects.get(pk=applied.pk)
    assert case.state == State.UNDER_EVALUATION
    review = case.pre_reviews.get()
    assert (review.documents_checked, review.data_compared, review.site_checked) == (True, True, True)


def test_returning_the_evaluation_needs_reasons(client, cast, applied):
    client.force_login(cast.reviewer)
    response = client.post(pre_review_url(applied), {"move": "return_evaluation", "documents_checked": "on"})
    assert response.status_code == 400 and "须填写理由" in response.content.decode()
    response = client.post(pre_review_url(applied), {"move": "return_evaluation", "documents_checked": "on",
                                                     "comment": "自评报告缺少数据来源"})
    assert response.status_code == 302
    assert Case.objects.get(pk=applied.pk).state == State.EVALUATION_RETURNED
    page = client.get(pre_review_url(applied)).content.decode()
    assert "自评报告缺少数据来源" in page and 'data-testid="pre-review-form"' not in page


def test_the_calls_page_counts_each_call_s_cities_in_a_fixed_number_of_queries(client, cast, ningbo, call, clock,
                                                                               django_assert_max_num_queries):
    from tests.factories import CallFactory

    first, second = submitted(cast, ningbo, call=call, clock=clock)
    perform_transition(case_id=first.pk, name="recommend", actor=cast.reviewer, payload={"rank": 1})
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("review-recommendation-calls")).content.decode()
    assert "<td>1</td><td>1</td>" in page  # one awaiting the list, one recommended
    other_call = CallFactory()
    wenzhou = dataclasses.replace(cast, applicant=applicant_for("330300"))
    drive(new_case(wenzhou, other_call), State.SUBMITTED, wenzhou, clock)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("review-recommendation-calls")).content.decode()
    assert other_call.title in page and "<td>1</td><td>0</td>" in page
