"""The public pages and APIs are kept in the cache until an act publishes something (issue 13, publicity/cache.py):
a second reader costs no query; a published notice list, a decided objection, a closed notice show at once; each
language its own copy; a page with the objection form gives every visitor their own CSRF token; a signed-in user
is never served a shared copy; with the cache down the pages still serve."""
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publicity import cache as public_cache
from publicity.services import decide_objection, file_objection_on_list
from tests.web.test_publicity_pages import listing, passed_pair, publish_notice_list  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["public-notices", "public-zones", "public-announcements", "api-public-notices", "api-public-zones",
                "api-public-announcements"]


def queries_for(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response, len(queries)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_a_second_reader_is_served_from_the_cache_without_a_query(client, listing, name):
    url = reverse(name)
    first, _ = queries_for(client, url)
    second, count = queries_for(Client(), url)
    assert count == 0 and second["X-Public-Cache"] == "hit"
    assert without_tokens(second) == without_tokens(first) and second["Content-Type"] == first["Content-Type"]


def without_tokens(response):
    """The page less its CSRF token (every visitor has their own: base.html's htmx header and forms)."""
    text = response.content.decode()
    for token in set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)):
        text = text.replace(token, "")
    return text


def test_a_published_notice_list_shows_at_once(client, cast, passed_pair, django_capture_on_commit_callbacks):
    hangzhou, ningbo = passed_pair
    before = client.get(reverse("public-notices")).content.decode()
    assert "杭州市" not in before
    with django_capture_on_commit_callbacks(execute=True):
        publish_notice_list(round_id=hangzhou.evaluation_round_id, actor=cast.officer, cases=[hangzhou.pk],
                            text="现将建议名单予以公示（测试）")
    after = Client().get(reverse("public-notices"))
    assert "X-Public-Cache" not in after and "杭州市" in after.content.decode()
    assert "杭州市" in Client().get(reverse("api-public-notices")).content.decode()


def test_a_decided_objection_and_any_write_to_what_is_shown_make_the_copy_stale(client, cast, passed_pair, listing):
    hangzhou, _ = passed_pair
    url = reverse("public-notices")
    client.get(url)
    assert Client().get(url)["X-Public-Cache"] == "hit"
    objection = file_objection_on_list(listing_id=listing.pk, case_id=hangzhou.pk, name="公众", contact="138",
                                       content="数据存疑")
    assert "X-Public-Cache" not in Client().get(url)
    assert Client().get(url)["X-Public-Cache"] == "hit"
    decide_objection(objection_id=objection.pk, actor=cast.officer, upheld=False, decision="经核实，不成立")
    assert "X-Public-Cache" not in Client().get(url)


def test_each_language_has_its_own_copy(client, listing):
    url = reverse("public-notices")
    chinese = without_tokens(client.get(url))
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english = without_tokens(english_client.get(url))
    assert english != chinese and 'lang="en"' in english and 'lang="zh-hans"' in chinese
    again = Client()
    again.cookies["django_language"] = "en"
    cached = again.get(url)
    assert cached["X-Public-Cache"] == "hit" and without_tokens(cached) == english
    api_en = Client().get(reverse("api-public-notices"), HTTP_ACCEPT_LANGUAGE="en")
    api_zh = Client().get(reverse("api-public-notices"))
    assert api_en["Content-Language"] == "en" and api_zh["Content-Language"] == "zh-hans"


def test_the_notice_page_is_never_shared_each_visitor_has_their_own_captcha_and_token(passed_pair, listing,
                                                                                      captcha_test_mode):
    """The notice page carries the objection form: a shared copy would hand every visitor the same captcha
    challenge, spent by the first objection. So it is rendered for each visitor, never kept."""
    hangzhou, _ = passed_pair
    url = reverse("public-notice", args=[listing.pk])
    visitors = []
    for _ in range(3):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(url)
        html = page.content.decode()
        assert "X-Public-Cache" not in page and public_cache.CSRF_MARKER not in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        challenge = re.search(r'name="captcha_0" value="([^"]+)"', html).group(1)
        visitors.append((visitor, token, challenge))
    assert len({token for _, token, _ in visitors}) == 3 and len({c for *_, c in visitors}) == 3
    visitor, token, challenge = visitors[-1]
    answer = visitor.post(url, {"csrfmiddlewaretoken": token, "case": hangzhou.pk, "name": "公众",
                                "contact": "13800000000", "content": "数据存疑（测试）",
                                "captcha_0": challenge, "captcha_1": "PASSED"})
    assert answer.status_code == 200 and "回执" in answer.content.decode()
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(reverse("public-zones"))
    refused = stranger.post(url, {"csrfmiddlewaretoken": visitors[0][1], "case": hangzhou.pk, "name": "公众",
                                  "contact": "13800000000", "content": "数据存疑（测试）"})
    assert refused.status_code == 403


def test_a_signed_in_user_never_gets_or_leaves_a_shared_copy(client, cast, listing):
    url = reverse("public-notices")
    client.force_login(cast.officer)
    mine = client.get(url)
    assert "X-Public-Cache" not in mine and "X-Public-Cache" not in client.get(url)
    anonymous = Client().get(url)
    assert "X-Public-Cache" not in anonymous and cast.officer.username not in anonymous.content.decode()


def test_a_post_is_never_cached(client, passed_pair, listing):
    url = reverse("public-notice", args=[listing.pk])
    client.get(url)
    answer = client.post(url, {"case": "", "name": "", "contact": "", "content": ""})
    assert answer.status_code == 400 and "X-Public-Cache" not in answer


def test_with_the_cache_down_the_pages_still_serve(client, settings, listing):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    for name in ["public-notices", "public-zones", "api-public-notices"]:
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("public-notice", args=[listing.pk])).status_code == 200
    public_cache.bump()  # never raises


def test_a_visitor_with_a_waiting_message_gets_a_fresh_page(client, listing):
    url = reverse("public-notices")
    client.get(url)
    visitor = Client()
    visitor.cookies["messages"] = "waiting"
    assert "X-Public-Cache" not in visitor.get(url)
