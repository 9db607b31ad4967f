"""Error pages with DEBUG off: branded, in the user's language, with a way home; API paths answer in JSON."""
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def test_unknown_page_is_the_branded_404_in_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "返回首页" in body and 'data-testid="error-page"' in body
    assert "Using the URLconf" not in body  # never the framework's debug list


def test_404_in_english_when_the_user_chose_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/no-such-page/").content.decode()
    assert 'lang="en"' in body and "Page not found" in body and "Back to the home page" in body


def test_api_404_stays_json(client):
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_csrf_failure_is_the_branded_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()


def test_server_error_page_renders_without_a_request_context(rf):
    from demozone.errors import server_error

    response = server_error(rf.get("/cases/"))
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()
    assert server_error(rf.get("/api/cases/")).status_code == 500
