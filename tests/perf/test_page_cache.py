"""A signed-in user's repeat view is served from the cache while nothing has been committed to the database
(issue 13, demozone/pagecache.py): the second view costs no page query; any write — through a service, a queryset
update that sends no signal, or a row of another table — shows at once; users, sessions and tokens never share a
copy; a message waiting is shown; an expired token is refused though its copy is kept; the CSRF token is the
request's own; with the cache down pages still serve. PostgreSQL only (the snapshot is PostgreSQL's), with real
commits (transaction=True), as in production."""
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken

from cases.models import Case
from cases.services import update_case
from demozone import pagecache
from notifications.models import Notification
from tests.factories import new_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def signed_in(user, **defaults):
    client = Client(**defaults)
    client.force_login(user)
    return client


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(queries)


@pytest.fixture
def case(cast, call):
    return new_case(cast, call=call, title="杭州市示范区创建（缓存测试）")


def test_a_repeat_view_is_served_from_the_cache_and_any_write_shows_at_once(cast, case):
    client = signed_in(cast.applicant)
    url = reverse("case-detail", args=[case.pk])
    first, first_queries = get(client, url)
    second, queries = get(client, url)
    assert "X-Page-Cache" not in first and second["X-Page-Cache"] == "hit"
    assert queries < first_queries and queries <= 3  # the commit horizon, the session, the user
    assert second["Content-Type"] == first["Content-Type"]
    assert without_tokens(second) == without_tokens(first)

    update_case(case_id=case.pk, actor=cast.applicant, title="杭州市示范区创建（已改名）")  # a service's write
    after, _ = get(client, url)
    assert "X-Page-Cache" not in after and "已改名" in after.content.decode()

    Case.objects.filter(pk=case.pk).update(title="杭州市示范区创建（直接更新）")  # no signal is sent
    assert "直接更新" in get(client, url)[0].content.decode()

    assert get(client, url)[0]["X-Page-Cache"] == "hit"
    Notification.objects.create(recipient=cast.officer, subject="无关的一行（测试）", body="")  # another table
    assert "X-Page-Cache" not in get(client, url)[0]


def test_users_and_sessions_never_share_a_copy(cast, case):
    url = reverse("home")
    applicant, officer = signed_in(cast.applicant), signed_in(cast.officer)
    mine = get(applicant, url)[0].content.decode()
    theirs, _ = get(officer, url)
    assert "X-Page-Cache" not in theirs and theirs.content.decode() != mine
    assert cast.officer.username in theirs.content.decode() or cast.officer.get_full_name() in theirs.content.decode()
    second_session = signed_in(cast.applicant)
    assert "X-Page-Cache" not in get(second_session, url)[0]


def test_an_htmx_request_and_another_language_have_their_own_copies(cast, case):
    client = signed_in(cast.applicant)
    url = reverse("case-list")
    get(client, url)
    assert "X-Page-Cache" not in get(client, url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-table")[0]
    assert get(client, url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-table",
               HTTP_HX_CURRENT_URL="http://testserver/cases/?page=2")[0]["X-Page-Cache"] == "hit"
    client.cookies["django_language"] = "en"
    english, _ = get(client, url)
    assert "X-Page-Cache" not in english and 'lang="en"' in english.content.decode()


def test_a_served_copy_carries_the_requests_own_csrf_token(cast, case):
    client = signed_in(cast.applicant, enforce_csrf_checks=True)
    url = reverse("case-detail", args=[case.pk])
    get(client, url)
    hit, _ = get(client, url)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', hit.content.decode()).group(1)
    assert pagecache.CSRF_MARKER not in hit.content.decode()
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # accepted: signed out


def test_a_message_waiting_is_shown_not_a_kept_copy(cast, case):
    client = signed_in(cast.applicant)
    url = reverse("case-detail", args=[case.pk])
    get(client, url)
    client.cookies["messages"] = CookieStorage(RequestFactory().get("/"))._encode(
        [Message(constants.SUCCESS, "已保存（测试消息）")])
    shown, _ = get(client, url)
    assert "X-Page-Cache" not in shown and "已保存（测试消息）" in shown.content.decode()


def test_a_signed_out_session_gets_no_copy(cast, case):
    client = signed_in(cast.applicant)
    url = reverse("case-detail", args=[case.pk])
    get(client, url)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    stale = Client()
    stale.cookies["sessionid"] = cookie
    assert stale.get(url).status_code == 302  # to the sign-in page


def test_api_tokens_have_their_own_copies_and_an_expired_token_is_refused(cast, case, clock):
    url = reverse("api-cases")
    _, officer_token = AuthToken.objects.create(cast.officer)
    _, applicant_token = AuthToken.objects.create(cast.applicant)
    officer = {"HTTP_AUTHORIZATION": f"Token {officer_token}"}
    first, _ = get(Client(), url, **officer)
    second, queries = get(Client(), url, **officer)
    assert second["X-Page-Cache"] == "hit" and second.json() == first.json() and queries <= 3
    applicant, _ = get(Client(), url, HTTP_AUTHORIZATION=f"Token {applicant_token}")
    assert "X-Page-Cache" not in applicant
    clock.shift(11 * 3600 - 60)  # the 10-hour token has expired (the same day in Beijing, no write since)
    assert Client().get(url, **officer).status_code == 401


def test_inside_a_transaction_nothing_is_kept(cast, case):
    client = signed_in(cast.applicant)
    url = reverse("case-detail", args=[case.pk])
    with transaction.atomic():
        get(client, url)
        assert "X-Page-Cache" not in get(client, url)[0]


def test_with_the_cache_down_pages_still_serve(cast, case, monkeypatch):
    class Down:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down (test)")

        set = get

    monkeypatch.setattr(pagecache, "cache", Down())
    client = signed_in(cast.applicant)
    url = reverse("case-detail", args=[case.pk])
    assert "杭州市示范区创建" in get(client, url)[0].content.decode()
    assert "X-Page-Cache" not in get(client, url)[0]


def test_the_page_cache_can_be_turned_off(cast, case, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = signed_in(cast.applicant)
    url = reverse("case-detail", args=[case.pk])
    get(client, url)
    assert "X-Page-Cache" not in get(client, url)[0]


def without_tokens(response):
    text = response.content.decode()
    for token in set(pagecache._CSRF_TOKEN.findall(text)):
        text = text.replace(token, "")
    return text

