"""The signed-in home page (the work queue) and the case list's filters — with and without htmx."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.journeys import drive
from cases.workflow import State
from tests.factories import CallFactory, new_case

pytestmark = pytest.mark.django_db


def test_home_shows_the_reviewers_queue_with_counts_and_deadlines(client, cast, other_cast, call, clock):
    ours = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    theirs = drive(new_case(other_cast, call), State.SUBMITTED, other_cast, clock)
    client.force_login(cast.reviewer)
    page = client.get(reverse("home")).content.decode()
    assert 'data-queue="submitted" data-count="1"' in page
    assert f'data-case="{ours.pk}"' in page and f'data-case="{theirs.pk}"' not in page
    assert f"{call.recommendation_deadline:%Y-%m-%d}" in page and "还有 120 天" in page
    assert f'href="{reverse("case-detail", args=[ours.pk])}#move-recommend"' in page
    assert 'data-state="submitted" data-count="1"' in page


def test_home_for_anonymous_visitors_is_the_public_portal(client):
    page = client.get(reverse("home")).content.decode()
    assert "正在公示" in page and "示范区名单" in page and "法定环节" in page and 'data-testid="queue"' not in page


def test_applicants_home_says_the_next_step_of_their_case(client, cast, call, clock):
    drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(cast.applicant)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="my-case"' in page and "等待省级初审（办法 第八条）。" in page


def test_case_list_filters_by_call_and_text(client, cast, other_cast, call, clock):
    other_call = CallFactory(title="另一申报通知（测试）")
    hangzhou = new_case(cast, call, title="杭州市示范区创建")
    nanjing = new_case(other_cast, other_call, title="南京市示范区创建")
    client.force_login(cast.officer)
    page = client.get(reverse("case-list"), {"call": other_call.pk}).content.decode()
    assert nanjing.reference in page and hangzhou.reference not in page
    assert "另一申报通知（测试）" in page  # the call filter offers the calls in scope
    page = client.get(reverse("case-list"), {"q": "杭州"}).content.decode()
    assert hangzhou.reference in page and nanjing.reference not in page
    page = client.get(reverse("case-list"), {"q": "江苏 南京"}).content.decode()
    assert nanjing.reference in page and hangzhou.reference not in page
    page = client.get(reverse("case-list"), {"call": "x", "q": "x" * 500}).content.decode()  # bad input: no 500
    assert "没有符合条件的案件" in page


def test_case_list_with_htmx_returns_only_the_results(client, cast, other_cast, call, clock):
    hangzhou = new_case(cast, call)
    nanjing = new_case(other_cast, call)
    client.force_login(cast.officer)
    response = client.get(reverse("case-list"), {"province": "320000"}, HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="case-results")
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<div id="case-results"')
    assert "<html" not in page and nanjing.reference in page and hangzhou.reference not in page


def test_case_list_query_count_does_not_grow_with_rows(client, cast, other_cast, call, clock,
                                                        django_assert_max_num_queries):
    client.force_login(cast.officer)
    new_case(cast, call)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("case-list"))
    new_case(other_cast, call)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("case-list"))


def test_api_filters_cases_by_call_and_text(cast, other_cast, call, clock):
    other_call = CallFactory(title="另一申报通知（测试）")
    hangzhou = new_case(cast, call)
    nanjing = new_case(other_cast, other_call)
    api = APIClient()
    api.force_authenticate(cast.officer)
    refs = [c["reference"] for c in api.get("/api/cases/", {"call": other_call.pk}).json()["results"]]
    assert refs == [nanjing.reference]
    refs = [c["reference"] for c in api.get("/api/cases/", {"q": "杭州"}).json()["results"]]
    assert refs == [hangzhou.reference]
