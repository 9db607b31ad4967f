"""The smallest journey: an anonymous visitor is sent to the login page, signs in and lands on the home page."""
import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_visitor_signs_in_and_reaches_home(page, site, login_as):
    UserFactory(username="officer-browser")
    page.goto(f"{site}/")
    page.locator("nav").get_by_role("link", name="登录").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator("h1")).to_contain_text("登录")

    login_as(page, "officer-browser")
    expect(page).to_have_url(f"{site}/")
    expect(page.locator("nav")).to_contain_text("officer-browser")


def test_anonymous_visitor_of_a_private_page_is_sent_to_login_and_back(page, site, login_as):
    UserFactory(username="officer-browser")
    page.goto(f"{site}/cases/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/cases/"))
    page.locator("input[name=username]").fill("officer-browser")
    page.locator("input[name=password]").fill("demo-pass-2026")
    page.locator("form[action$='/login/'] button[type=submit]").click()
    expect(page).to_have_url(f"{site}/cases/")


def test_wrong_password_stays_on_login_page_with_a_message(page, site, login_as):
    UserFactory(username="officer-browser")
    login_as(page, "officer-browser", password="wrong")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator(".alert-danger")).to_be_visible()
