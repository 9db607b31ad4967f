"""Browser tests: Debian's Chromium (/usr/bin/chromium, never a download) driven by pytest-playwright against
pytest-django's live server. Mark tests `browser`; they skip with the reason when Chromium is missing.
A failed test leaves a screenshot under test-results/ (pytest-playwright's --screenshot=only-on-failure)."""
import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "demo-pass-2026"

# Playwright's sync API runs an event loop in this thread; Django's async-safety check would then refuse the
# ORM calls the tests make to build their data. The live server itself runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) and shutil.which(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the reference data back after the previous test's flush."""
    from tests.conftest import reload_reference_data

    reload_reference_data()
    return live_server.url


@pytest.fixture
def login_as(site):
    """Sign in through the login page as a person would: type the name and password, press 登录."""

    def login(page, username, password=DEMO_PASSWORD):
        page.goto(f"{site}/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        page.locator("form[action$='/login/'] button[type=submit]").click()
        page.wait_for_load_state("domcontentloaded")
        return page

    return login


def captcha_answer(page):
    """The letters the captcha image shows (the store behind the form's hidden key): what a person reads."""
    from captcha.models import CaptchaStore

    return CaptchaStore.objects.get(hashkey=page.locator("input[name=captcha_0]").input_value()).response
