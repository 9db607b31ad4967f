"""The public pages and APIs are kept in the cache until an act publishes something (issue 13, publicity/cache.py):
a second reader costs no query; a published notice list, a decided objection, a closed notice show at once; each
language its own copy; a page with the objection form gives every visitor their own CSRF token and captcha
challenge; the anonymous home page is kept, a signed-in user's never; a signed-in user is never served a shared
copy; reads from the cache count against the read limit; with the cache down the pages still serve."""
import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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


def captcha_key(html):
    return re.search(r'name="captcha_0" value="([^"]+)"', html).group(1)


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_notice_page_is_shared_but_each_visitor_gets_their_own_captcha_and_token(passed_pair, listing):
    """The notice page carries the objection form: the kept copy has markers for the CSRF token and the captcha
    challenge, and every visitor served from it gets their own token and a new challenge (one INSERT, no read)."""
    from captcha.models import CaptchaStore

    url = reverse("public-notice", args=[listing.pk])
    first = Client().get(url)
    assert "X-Public-Cache" not in first
    seen = [(csrf_token(first.content.decode()), captcha_key(first.content.decode()))]
    for _ in range(3):
        page, count = queries_for(Client(), url)
        html = page.content.decode()
        assert page["X-Public-Cache"] == "hit" and count == 1  # the new challenge's INSERT
        assert public_cache.CSRF_MARKER.decode() not in html and "__demozone_public_cache_captcha" not in html
        key = captcha_key(html)
        assert f"/captcha/image/{key}/" in html and CaptchaStore.objects.filter(hashkey=key).exists()
        seen.append((csrf_token(html), key))
    assert len({token for token, _ in seen}) == 4 and len({key for _, key in seen}) == 4
    # The same page apart from the visitor's token and challenge.
    assert (without_tokens(page).replace(seen[-1][1], "") ==
            without_tokens(first).replace(seen[0][1], ""))


def objection(token, key, answer, **fields):
    return {"csrfmiddlewaretoken": token, "name": "公众", "contact": "13800000000", "content": "数据存疑（测试）",
            "captcha_0": key, "captcha_1": answer, **fields}


def test_an_objection_from_a_cached_page_is_filed_and_its_challenge_cannot_be_used_again(passed_pair, listing):
    from captcha.models import CaptchaStore

    hangzhou, _ = passed_pair
    url = reverse("public-notice", args=[listing.pk])
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    assert page["X-Public-Cache"] == "hit"
    html = page.content.decode()
    token, key = csrf_token(html), captcha_key(html)
    answer = CaptchaStore.objects.get(hashkey=key).response  # what the image shows (tests/browser: captcha_answer)
    filed = visitor.post(url, objection(token, key, answer, case=hangzhou.pk))
    assert filed.status_code == 200 and "回执" in filed.content.decode() and "X-Public-Cache" not in filed
    assert not CaptchaStore.objects.filter(hashkey=key).exists()
    again = visitor.post(url, objection(token, key, answer, case=hangzhou.pk, content="第二件（测试）"))
    assert again.status_code == 400 and "验证码不正确" in again.content.decode()
    assert "第二件（测试）" in again.content.decode()  # what was typed is kept
    assert captcha_key(again.content.decode()) != key  # and a new challenge is shown
    assert key not in Client().get(url).content.decode()


def test_a_failed_objection_keeps_what_was_typed_and_is_never_kept(passed_pair, listing):
    hangzhou, _ = passed_pair
    url = reverse("public-notice", args=[listing.pk])
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(url).content.decode()
    failed = visitor.post(url, objection(csrf_token(html), captcha_key(html), "wrong", case=hangzhou.pk,
                                         content="我写的异议（测试）"))
    assert failed.status_code == 400 and "X-Public-Cache" not in failed
    assert "我写的异议（测试）" in failed.content.decode() and "验证码不正确" in failed.content.decode()
    fresh = Client().get(url)
    assert fresh["X-Public-Cache"] == "hit" and "我写的异议（测试）" not in fresh.content.decode()


def test_a_shown_challenge_that_cannot_be_cut_out_is_not_kept(client, monkeypatch, listing):
    """The safety net: a captcha image whose key is in no form field would be shared as it is — not kept."""
    monkeypatch.setattr(public_cache, "_CAPTCHA_FIELD", re.compile(rb"nothing-matches-this"))
    url = reverse("public-notice", args=[listing.pk])
    client.get(url)
    assert "X-Public-Cache" not in Client().get(url)


def test_the_anonymous_home_page_is_served_from_the_cache(client, listing):
    url = reverse("home")
    first, _ = queries_for(client, url)
    second, count = queries_for(Client(), url)
    assert "X-Public-Cache" not in first and second["X-Public-Cache"] == "hit" and count == 0
    assert without_tokens(second) == without_tokens(first) and "正在公示" in second.content.decode()
    assert "Cookie" in second["Vary"] and "Accept-Language" in second["Vary"]
    portal = reverse("public-portal")  # the same view at another path: its own copy
    assert "X-Public-Cache" not in Client().get(portal) and Client().get(portal)["X-Public-Cache"] == "hit"


def test_a_signed_in_users_home_page_is_never_shared(client, cast, listing):
    url = reverse("home")
    Client().get(url)
    assert Client().get(url)["X-Public-Cache"] == "hit"
    client.force_login(cast.officer)
    mine = client.get(url)
    assert "X-Public-Cache" not in mine and 'data-testid="queue"' in mine.content.decode()
    assert "X-Public-Cache" not in client.get(url)
    anonymous = Client().get(url).content.decode()
    assert 'data-testid="queue"' not in anonymous and cast.officer.username not in anonymous


def test_the_read_limit_holds_for_pages_served_from_the_cache(client, settings, listing):
    settings.PUBLIC_READ_RATE = "3/min"
    url = reverse("public-zones")
    answers = [client.get(url) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[1]["X-Public-Cache"] == "hit" and "Retry-After" in answers[3]


def test_a_stale_copy_is_replaced_by_the_next_reader(client, cast, passed_pair, listing):
    url = reverse("public-zones")
    client.get(url)
    public_cache.bump()
    assert "X-Public-Cache" not in Client().get(url)
    assert Client().get(url)["X-Public-Cache"] == "hit"


def test_the_cache_serves_on_redis_too(settings, listing):
    """get_many and the counter on the production backend (REDIS_URL, the test run's own database)."""
    import os

    from django.core.cache import cache

    if not os.environ.get("REDIS_URL"):
        pytest.skip("no REDIS_URL")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": os.environ["REDIS_URL"]}}
    cache.clear()
    try:
        for name, args in [("public-zones", []), ("public-notice", [listing.pk]), ("api-public-notices", [])]:
            url = reverse(name, args=args)
            first = Client().get(url)
            second = Client().get(url)
            assert "X-Public-Cache" not in first and second["X-Public-Cache"] == "hit", url
    finally:
        cache.clear()


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


@pytest.fixture
def made_ahead():
    """publicity.cache.challenges as it works outside a transaction (inside the tests' own transaction it makes each
    challenge as the form's widget does); emptied after the test (tests/conftest.py)."""
    public_cache.challenges.reset()
    return public_cache.challenges


@pytest.mark.django_db(transaction=True)
def test_under_load_challenges_are_made_a_few_at_a_time_each_for_one_visitor(passed_pair, listing, made_ahead):
    from captcha.models import CaptchaStore

    url = reverse("public-notice", args=[listing.pk])
    Client().get(url)
    keys, inserts = [], 0
    for _ in range(40):
        with CaptureQueriesContext(connection) as queries:
            page = Client().get(url)
        assert page["X-Public-Cache"] == "hit"
        inserts += sum(query["sql"].startswith("INSERT") for query in queries.captured_queries)
        keys.append(captcha_key(page.content.decode()))
    assert len(set(keys)) == 40 and CaptchaStore.objects.filter(hashkey__in=keys).count() == 40
    assert inserts <= 6  # batches of 1, 2, 4, 8, 16, 32 — not one write per reader
    store = CaptchaStore.objects.get(hashkey=keys[-1])
    assert store.response == store.challenge.lower() and len(store.response) == 4 and store.expiration > timezone.now()


@pytest.mark.django_db(transaction=True)
def test_a_challenge_made_ahead_is_not_handed_out_late_and_a_quiet_page_makes_one_at_a_time(made_ahead):
    from captcha.models import CaptchaStore

    first = made_ahead.take()
    assert made_ahead.size == 1 and not made_ahead.ready
    made_ahead.ready.append(("0" * 40, time.monotonic() - made_ahead.WAIT - 1))  # waited too long
    made_ahead.made_at -= made_ahead.QUICK + 1  # and the last batch was not used up quickly
    second = made_ahead.take()
    assert second not in (first, "0" * 40) and made_ahead.size == 1
    assert CaptchaStore.objects.filter(hashkey__in=[first, second]).count() == 2
