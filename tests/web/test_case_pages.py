"""The browser pages for cases: scope, moves through the page, refusals that keep what the user typed."""
import pytest
from django.urls import reverse

from accounts.models import Organisation, OrganisationKind, Role
from cases.journeys import drive
from cases.models import Case
from cases.services import create_case
from cases.workflow import State
from regions.models import CreationObject
from tests.factories import UserFactory, applicant_for, new_case

pytestmark = pytest.mark.django_db


def detail_url(case):
    return reverse("case-detail", args=[case.pk])


def move_url(case, name):
    return reverse("case-move", args=[case.pk, name])


def test_anonymous_visitor_is_sent_to_login(client, cast, call):
    case = new_case(cast, call)
    for url in (reverse("case-list"), detail_url(case)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    response = client.post(move_url(case, "submit"), {"comment": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Case.objects.get(pk=case.pk).state == State.DRAFT


def test_home_and_login_pages_render_for_anyone(client):
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert reverse("login") in home.content.decode() and "/api/docs/" in home.content.decode()
    assert client.get(reverse("login")).status_code == 200


def test_failed_login_keeps_the_username(client, cast):
    response = client.post(reverse("login"), {"username": cast.applicant.username, "password": "wrong"})
    assert response.status_code == 200
    assert f'value="{cast.applicant.username}"' in response.content.decode()


def test_navbar_names_the_user_role_and_organisation(client, cast, call):
    client.force_login(cast.reviewer)
    page = client.get(reverse("case-list")).content.decode()
    assert "省级审核人员" in page
    assert cast.reviewer.organisation.name in page


def test_reviewer_list_shows_only_cases_of_their_province(client, cast, other_cast, call, clock):
    ours = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    theirs = drive(new_case(other_cast, call), State.SUBMITTED, other_cast, clock)
    draft = create_case(actor=applicant_for("330200"), title="草稿中的创建申请", call=call)  # 宁波市, 浙江省
    client.force_login(cast.reviewer)
    page = client.get(reverse("case-list")).content.decode()
    assert ours.reference in page
    assert theirs.reference not in page
    assert draft.reference not in page  # a draft reaches the province only when submitted
    # Asking for the other province by filter does not widen the scope.
    page = client.get(reverse("case-list"), {"province": "320000"}).content.decode()
    assert theirs.reference not in page


def test_officer_list_filters_by_state_and_province(client, cast, other_cast, call, clock):
    submitted = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    draft = new_case(other_cast, call)
    client.force_login(cast.officer)
    page = client.get(reverse("case-list"), {"state": "submitted"}).content.decode()
    assert submitted.reference in page and draft.reference not in page
    page = client.get(reverse("case-list"), {"province": "320000"}).content.decode()
    assert draft.reference in page and submitted.reference not in page


def test_case_of_another_province_is_not_found(client, cast, other_cast, call):
    theirs = new_case(other_cast, call)
    client.force_login(cast.reviewer)
    assert client.get(detail_url(theirs)).status_code == 404
    client.force_login(cast.applicant)
    assert client.get(detail_url(theirs)).status_code == 404


def test_move_on_a_case_out_of_scope_is_not_found_and_changes_nothing(client, cast, other_cast, call, clock):
    theirs = drive(new_case(other_cast, call), State.SUBMITTED, other_cast, clock)
    client.force_login(cast.reviewer)
    response = client.post(move_url(theirs, "return_for_correction"), {"comment": "越权"})
    assert response.status_code == 404
    assert Case.objects.get(pk=theirs.pk).state == State.SUBMITTED


def test_detail_shows_header_documents_moves_and_history(client, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(cast.reviewer)
    response = client.get(detail_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert case.reference in page and "杭州" in page and "浙江省" in page
    assert case.rule_set.title in page
    assert "创建方案" in page  # the uploaded plan is listed
    assert move_url(case, "return_for_correction") in page and move_url(case, "recommend") in page
    assert "提交创建申请" in page  # the history entry for the applicant's submission
    assert cast.applicant.organisation.name in page


def test_reviewer_returns_a_case_through_the_page_and_it_appears_in_the_history(client, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(cast.reviewer)
    response = client.post(move_url(case, "return_for_correction"),
                           {"comment": "创建方案缺少任务分工，请补正", "version": case.version})
    assert response.status_code == 302 and response["Location"] == detail_url(case)
    case.refresh_from_db()
    assert case.state == State.RETURNED
    entry = case.audit_entries.order_by("-sequence").first()
    assert (entry.name, entry.actor, entry.comment) == (
        "return_for_correction", cast.reviewer, "创建方案缺少任务分工，请补正")
    page = client.get(detail_url(case)).content.decode()
    assert "创建方案缺少任务分工，请补正" in page
    assert "已执行“退回补正”" in page


def test_refused_move_keeps_the_typed_comment_and_shows_why(client, cast, call):
    case = new_case(cast, call)  # a draft without its application form: the submit guard fails
    client.force_login(cast.applicant)
    response = client.post(move_url(case, "submit"), {"comment": "请审核我市的申请", "version": case.version})
    assert response.status_code == 409
    page = response.content.decode()
    assert "请审核我市的申请</textarea>" in page
    assert 'data-testid="move-error"' in page
    assert response.context["move_forms"][0].error
    assert Case.objects.get(pk=case.pk).state == State.DRAFT


def test_invalid_payload_marks_the_field_and_keeps_the_other_input(client, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(cast.reviewer)
    # 办法 第八条: the current measures require a rank when recommending.
    response = client.post(move_url(case, "recommend"), {"comment": "综合排名第一", "rank": "", "version": case.version})
    assert response.status_code == 400
    page = response.content.decode()
    assert "综合排名第一</textarea>" in page
    assert "现行办法要求省级择优推荐，请填写推荐排序。" in page
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_move_with_a_stale_version_is_refused(client, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(cast.reviewer)
    response = client.post(move_url(case, "return_for_correction"), {"comment": "旧页面", "version": case.version - 1})
    assert response.status_code == 409
    assert "旧页面</textarea>" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_move_of_another_role_is_refused_on_the_page(client, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(cast.applicant)
    response = client.post(move_url(case, "recommend"), {"rank": "1"})
    assert response.status_code == 403
    assert 'data-testid="page-error"' in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_htmx_refusal_swaps_only_the_move_form(client, cast, call):
    case = new_case(cast, call)
    client.force_login(cast.applicant)
    response = client.post(move_url(case, "submit"), {"comment": "htmx 说明"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith("<div") and "<html" not in page
    assert "htmx 说明</textarea>" in page and 'id="move-submit"' in page


def test_htmx_success_redirects_the_browser(client, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(cast.reviewer)
    response = client.post(move_url(case, "return_for_correction"), {"comment": "补正"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == detail_url(case)
    assert Case.objects.get(pk=case.pk).state == State.RETURNED


def test_documents_download_only_in_scope(client, cast, other_cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    document = case.documents.first()
    url = reverse("case-document", args=[case.pk, document.pk])
    client.force_login(cast.reviewer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(other_cast.reviewer)
    assert client.get(url).status_code == 404


def _make_cases(n, call):
    for obj in CreationObject.objects.order_by("code").filter(cases__isnull=True)[:n]:
        org, _ = Organisation.objects.get_or_create(creation_object=obj, defaults={
            "kind": OrganisationKind.CREATION_OBJECT, "name": f"{obj}人民政府"})
        user = UserFactory(username=f"a{obj.code}", role=Role.APPLICANT, organisation=org)
        create_case(actor=user, title="创建", call=call)


def test_list_page_uses_a_fixed_number_of_queries(client, cast, call, django_assert_max_num_queries):
    client.force_login(cast.officer)
    _make_cases(1, call)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("case-list")).status_code == 200
    _make_cases(9, call)
    assert Case.objects.count() == 10
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("case-list"))
    assert len(response.context["page"].object_list) == 10


@pytest.mark.django_db
def test_case_page_shows_its_deadlines_with_days_left(client, cast, call, clock):
    from cases.journeys import drive
    from cases.workflow import State

    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(cast.reviewer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="deadlines"' in page
    assert "2026-06-30" in page  # the call's recommendation deadline


@pytest.mark.django_db
def test_list_pages_paginate_and_keep_their_filters(client, cast, call):
    from notifications.models import Notification

    Notification.objects.bulk_create(
        [Notification(recipient=cast.officer, event="demo", subject=f"通知 {n}") for n in range(45)])
    client.force_login(cast.officer)
    page = client.get("/notifications/?unread=1").content.decode()
    assert "第 1 / " in page and "page=2" in page and "unread=1" in page
    second = client.get("/notifications/?unread=1&page=2").content.decode()
    assert "第 2 / " in second and "上一页" in second
    assert "第 1 / 1 页" not in client.get("/cases/").content.decode()  # one page: no pager at all
