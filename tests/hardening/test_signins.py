"""Issue #12: sign-ins are locked out per account and per address after repeated failures, on the login page and
the API alike; API tokens are hashed, expire and can be revoked; every sign-in is audited."""
import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import officer

LIMIT = 5


@pytest.fixture
def person(db):
    return officer("officer")


def token_attempt(client, username, password, ip="10.0.0.1"):
    return client.post("/api/auth/token/", {"username": username, "password": password}, format="json",
                       REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_the_api_locks_an_account_after_repeated_failures_even_with_the_right_password(person):
    client = APIClient()
    for _ in range(LIMIT - 1):
        assert token_attempt(client, "officer", "wrong").status_code == 400
    locked = token_attempt(client, "officer", "wrong")
    assert locked.status_code == 429 and locked.json()["code"] == "locked"
    assert "15 分钟" in locked.json()["detail"] and locked["Retry-After"] == "900"
    # From another address too: the account itself is locked.
    assert token_attempt(client, "officer", "demo-pass-2026", ip="10.9.9.9").status_code == 429
    assert AccessFailureLog.objects.filter(username="officer").count() >= LIMIT


@pytest.mark.django_db
def test_an_address_trying_many_accounts_is_locked(person):
    client = APIClient()
    for n in range(LIMIT):
        token_attempt(client, f"nobody{n}", "guess", ip="10.0.0.66")
    assert token_attempt(client, "officer", "demo-pass-2026", ip="10.0.0.66").status_code == 429
    assert token_attempt(client, "officer", "demo-pass-2026", ip="10.0.0.67").status_code == 200


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_escape_the_lockout(person):
    client = APIClient()
    for n in range(LIMIT):
        client.post("/api/auth/token/", {"username": f"x{n}", "password": "guess"}, format="json",
                    REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    response = client.post("/api/auth/token/", {"username": "officer", "password": "demo-pass-2026"}, format="json",
                           REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="8.8.8.8")
    assert response.status_code == 429


@pytest.mark.django_db
def test_the_login_page_locks_out_too_and_says_when_to_try_again(person, client):
    for _ in range(LIMIT - 1):
        response = client.post("/login/", {"username": "officer", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post("/login/", {"username": "officer", "password": "wrong"})
    assert response.status_code == 429
    assert "15 分钟后再试" in response.content.decode()
    assert client.post("/login/", {"username": "officer", "password": "demo-pass-2026"}).status_code == 429


@pytest.mark.django_db
def test_a_successful_sign_in_is_audited_and_clears_the_failures(person, client):
    token_attempt(APIClient(), "officer", "wrong")
    response = token_attempt(APIClient(), "officer", "demo-pass-2026")
    assert response.status_code == 200 and set(response.json()) == {"token", "expiry"}
    assert AccessLog.objects.filter(username="officer").exists()
    assert not AccessAttempt.objects.filter(username="officer").exists()
    client.post("/login/", {"username": "officer", "password": "demo-pass-2026"})
    assert AccessLog.objects.filter(username="officer").count() == 2


@pytest.mark.django_db
def test_tokens_expire(person, settings):
    token = token_attempt(APIClient(), "officer", "demo-pass-2026").json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/cases/").status_code == 200
    AuthToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    response = api.get("/api/cases/")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_logout_revokes_the_token_and_logout_all_every_token(person):
    first = token_attempt(APIClient(), "officer", "demo-pass-2026").json()["token"]
    second = token_attempt(APIClient(), "officer", "demo-pass-2026").json()["token"]
    one, two = APIClient(), APIClient()
    one.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    two.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert one.post("/api/auth/logout/").status_code == 204
    assert one.get("/api/cases/").status_code == 401
    assert two.get("/api/cases/").status_code == 200
    third = token_attempt(APIClient(), "officer", "demo-pass-2026").json()["token"]
    assert two.post("/api/auth/logout-all/").status_code == 204
    three = APIClient()
    three.credentials(HTTP_AUTHORIZATION=f"Token {third}")
    assert three.get("/api/cases/").status_code == 401 and two.get("/api/cases/").status_code == 401


@pytest.mark.django_db
def test_tokens_are_stored_only_as_a_hash_and_the_admin_never_shows_them(person, admin_client):
    token = token_attempt(APIClient(), "officer", "demo-pass-2026").json()["token"]
    stored = AuthToken.objects.get()
    assert token not in (stored.digest, stored.token_key) and not hasattr(stored, "key")
    assert "rest_framework.authtoken" not in __import__("django.conf").conf.settings.INSTALLED_APPS
    for model in admin.site._registry:
        if model is AuthToken:
            page = admin_client.get("/admin/knox/authtoken/")
            assert page.status_code == 200 and token not in page.content.decode()


@pytest.mark.django_db
def test_the_sign_in_audit_is_read_only_and_tokens_can_only_be_revoked_in_the_admin(person, admin_client):
    token_attempt(APIClient(), "officer", "wrong")
    token_attempt(APIClient(), "officer", "demo-pass-2026")
    log = AccessLog.objects.get(username="officer")
    failure = AccessFailureLog.objects.get(username="officer")
    assert admin_client.get(f"/admin/axes/accesslog/{log.pk}/delete/").status_code == 403
    assert admin_client.get(f"/admin/axes/accessfailurelog/{failure.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/knox/authtoken/add/").status_code == 403
    token = AuthToken.objects.get()
    assert admin_client.post(f"/admin/knox/authtoken/{token.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not AuthToken.objects.exists()
