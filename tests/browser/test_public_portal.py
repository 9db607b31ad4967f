"""Every public page as a visitor reads it, in Chinese and in English, on a desktop and on a phone: the portal, the
running and past notices, a notice with its objection form, the zones (designated and revoked) and a zone's page,
the announcements. The language switch is on every page; the pages fit a 390 px phone without sideways scrolling.
Set PUBLICITY_SCREENSHOTS to a folder to keep a screenshot of each."""
import dataclasses
import datetime
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.journeys import PATHS, act, drive
from cases.models import Case
from cases.workflow import State
from tests.factories import CallFactory, applicant_for, new_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PUBLICITY_SCREENSHOTS")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def world(site, cast, call, clock):
    """杭州市 designated, 温州市 designated then revoked (one round), and later 宁波市's notice running."""
    casts = [dataclasses.replace(cast, applicant=applicant_for(code)) for code in ("330100", "330300")]
    cases = [new_case(who, call) for who in casts]
    for move in PATHS[State.DESIGNATED]:
        for case, who in zip(cases, casts):
            act(Case.objects.get(pk=case.pk), move, who, clock)
    wenzhou = act(Case.objects.get(pk=cases[1].pk), "revoke", casts[1], clock)
    today = timezone.localdate()
    later = CallFactory(year=today.year, opens_on=today, submission_deadline=today + datetime.timedelta(days=60),
                        recommendation_deadline=today + datetime.timedelta(days=90))
    ningbo_cast = dataclasses.replace(cast, applicant=applicant_for("330200"))
    ningbo = drive(new_case(ningbo_cast, later), State.IN_PUBLICITY, ningbo_cast, clock)
    return {"hangzhou": Case.objects.get(pk=cases[0].pk), "wenzhou": wenzhou, "ningbo": ningbo,
            "listing": ningbo.notices.get().listing}


def visit(page, url, name, *, phone=False):
    page.goto(url)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    if phone:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_every_public_page_reads_in_chinese_and_in_english(browser, site, world, phone):
    size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    page = browser.new_context(locale="zh-CN", viewport=size).new_page()
    listing, wenzhou = world["listing"], world["wenzhou"]
    suffix = "-phone" if phone else ""
    pages = [("/", "portal"), ("/public/notices/", "notices"), ("/public/notices/?archive=1", "archive"),
             (f"/public/notices/{listing.pk}/", "notice"), ("/public/zones/", "zones"),
             (f"/public/zones/{wenzhou.pk}/", "zone"), ("/public/announcements/", "announcements")]

    # Chinese by default.
    visit(page, f"{site}/", f"zh-portal{suffix}", phone=phone)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("public-notice")).to_contain_text("宁波市")
    expect(page.get_by_test_id("zone-counts")).to_contain_text("现有示范区 1 个")
    expect(page.get_by_test_id("zone-counts")).to_contain_text("被取消资格 1 个")
    for path, name in pages[1:]:
        visit(page, f"{site}{path}", f"zh-{name}{suffix}", phone=phone)
        expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_test_id("announcement").filter(has_text="杭州市")).to_have_count(1)

    # The switch, as a person uses it; the language then holds on every public page.
    page.goto(f"{site}/public/zones/")
    if phone:
        page.locator("nav .navbar-toggler").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Online-market supervision and service demonstration zones")
    expect(page.locator("[data-testid=zones] [data-status=revoked]")).to_contain_text("Designation revoked")
    for path, name in pages:
        visit(page, f"{site}{path}", f"en-{name}{suffix}", phone=phone)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        # Every word of the page's own is English: what is left in Chinese is the published data (names, text).
        chrome = page.evaluate("""() => {
            const clone = document.body.cloneNode(true);
            clone.querySelectorAll('[data-testid=notice-text], [data-testid=zones] strong, h1, h2 a, table td,'
              + ' .pre-wrap, [data-testid=public-notice] p, [data-testid=announcement] p, [data-act] a,'
              + ' [data-testid=revocation-ground], [data-act=revocation], [data-testid=zones] .text-body-secondary,'
              + ' option, .card-body .small, [data-testid=official-document], h3 a, footer').forEach(n => n.remove());
            return clone.innerText;
        }""")
        data = ["简体中文", wenzhou.sanctions.get(kind="revoke").ground_text, "浙江省"]  # its own name; the law; a place
        assert [line for line in chrome.splitlines() if CJK.search(line) and not any(d in line for d in data)] == [], name
