"""Throttling that holds (issue #8 part 2): the public page and API count objections per real client address — the
socket's, unless TRUSTED_PROXY_COUNT proxies stand in front — so a client-written X-Forwarded-For buys nothing;
and with the cache unreachable the objection is still taken (fail open) and the failure logged."""
import logging

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.journeys import drive
from cases.workflow import State
from publicity.models import Objection
from publicity.throttle import ObjectionThrottle
from tests.conftest import CAPTCHA_PASSES
from tests.factories import new_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(cast, call, clock, monkeypatch, captcha_test_mode):
    monkeypatch.setattr(ObjectionThrottle, "rate", "2/hour")
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    return case, case.notices.get().listing


def data(case, n):
    return {"case": case.pk, "name": "公众", "contact": "138", "content": f"异议{n}"}


def page_post(client, listing, case, n, **meta):
    return client.post(reverse("public-notice", args=[listing.pk]), {**data(case, n), **CAPTCHA_PASSES}, **meta)


def api_post(listing, case, n, **meta):
    return APIClient().post(f"/api/public/notices/{listing.pk}/objections/", data(case, n), format="json", **meta)


def test_a_forged_forwarded_for_does_not_dodge_the_limit_on_the_page_or_the_api(client, notice, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    case, listing = notice
    socket = {"REMOTE_ADDR": "203.0.113.7"}
    assert page_post(client, listing, case, 1, HTTP_X_FORWARDED_FOR="1.1.1.1", **socket).status_code == 200
    assert api_post(listing, case, 2, HTTP_X_FORWARDED_FOR="2.2.2.2", **socket).status_code == 201
    # A new forged address each time: still the same socket, still limited — on the page and on the API.
    page = page_post(client, listing, case, 3, HTTP_X_FORWARDED_FOR="3.3.3.3", **socket)
    assert page.status_code == 429 and "秒后再试" in page.content.decode()
    assert api_post(listing, case, 4, HTTP_X_FORWARDED_FOR="4.4.4.4", **socket).status_code == 429
    # Another real address has its own count.
    assert api_post(listing, case, 5, REMOTE_ADDR="198.51.100.9").status_code == 201
    assert Objection.objects.count() == 3


def test_behind_one_trusted_proxy_the_address_it_saw_counts_not_what_the_client_wrote(client, notice, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    case, listing = notice
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # our proxy; it appends the address it saw
    for n, forged in enumerate(["1.1.1.1", "2.2.2.2"]):
        response = api_post(listing, case, n, HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7", **proxy)
        assert response.status_code == 201
    page = page_post(client, listing, case, 3, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7", **proxy)
    assert page.status_code == 429
    # Another citizen behind the same proxy is not held up by the first one's count.
    assert api_post(listing, case, 4, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy).status_code == 201


def test_with_the_cache_unreachable_the_objection_is_taken_and_the_failure_logged(client, notice, settings, caplog):
    case, listing = notice
    # A Redis nobody listens on: every counter read fails with a connection error.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0"}}
    with caplog.at_level(logging.ERROR, logger="publicity.throttle"):
        for n in range(3):  # past the 2/hour limit: nothing counts, nothing is refused
            assert page_post(client, listing, case, n).status_code == 200
            assert api_post(listing, case, 10 + n).status_code == 201
        assert client.get(reverse("public-notices")).status_code == 200
        assert APIClient().get("/api/public/zones/").status_code == 200
    assert Objection.objects.count() == 6
    assert "cache unreachable, objection let through" in caplog.text
    assert "cache unreachable, request let through" in caplog.text


def test_the_public_pages_and_api_reads_are_limited_per_address_too(client, settings, db):
    from publicity.throttle import PublicReadThrottle

    settings.PUBLIC_READ_RATE = "3/min"
    assert PublicReadThrottle().rate == "3/min"
    for _ in range(3):
        assert client.get(reverse("public-zones"), HTTP_X_FORWARDED_FOR=f"1.1.1.{_}").status_code == 200
    limited = client.get(reverse("public-notices"))
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0 and "秒后再试" in limited.content.decode()
    assert APIClient().get("/api/public/zones/").status_code == 429
    assert client.get(reverse("public-zones"), REMOTE_ADDR="198.51.100.9").status_code == 200


def test_an_objection_is_not_refused_by_the_read_limit(client, notice, settings):
    settings.PUBLIC_READ_RATE = "1/min"
    case, listing = notice
    assert client.get(reverse("public-zones")).status_code == 200
    assert client.get(reverse("public-zones")).status_code == 429
    assert page_post(client, listing, case, 1).status_code == 200  # the objection's own limit (2/hour) applies
    assert Objection.objects.count() == 1
