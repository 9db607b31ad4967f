"""The role × scope matrix over every page that shows a case (#7): deny by default, and a case outside one's scope
is a 404 — never a 200, a 403 that confirms the case exists, or a 500. Every page is found from the URL
configuration, so a page added later is covered by itself."""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Organisation, OrganisationKind, Role
from cases.journeys import drive
from cases.workflow import State
from tests.factories import UserFactory, new_case

pytestmark = pytest.mark.django_db


def _case_pages(resolver=None, prefix=""):
    """(name, kwargs names) of every named page (not /api/) whose URL carries a case."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("api/") or str(entry.pattern).startswith("admin/"):
                continue
            yield from _case_pages(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name and "case_id" in entry.pattern.converters:
            yield entry.name, sorted(entry.pattern.converters)


CASE_PAGES = sorted(set((name, tuple(kwargs)) for name, kwargs in _case_pages()))

FILLERS = {"int": 1, "slug": "x", "str": "x", "path": "x"}


def _url(name, kwargs, case):
    """The page's address for ``case``; its other parts (a sheet, a document …) filled with a value of their type."""
    values = {}
    converters = dict(next(e for e in _all_patterns() if e.name == name).pattern.converters)
    for key in kwargs:
        if key == "case_id":
            values[key] = case.pk
        else:
            kind = type(converters[key]).__name__.lower().replace("converter", "")
            values[key] = FILLERS.get(kind, 1)
    return reverse(name, kwargs=values)


def _all_patterns(resolver=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _all_patterns(entry)
        else:
            yield entry


@pytest.fixture
def world(cast, other_cast, call, clock):
    case = drive(new_case(cast, call), State.UNDER_EVALUATION, cast, clock)
    admin = UserFactory(username="matrix-admin", role=Role.ADMIN,
                        organisation=Organisation.objects.create(kind=OrganisationKind.ADMIN, name="平台管理（测试）"))
    outsiders = {"another city's applicant": other_cast.applicant, "another province's reviewer": other_cast.reviewer,
                 "an expert not assigned": other_cast.expert, "an admin": admin}
    return case, outsiders


def test_every_case_page_is_found():
    names = {name for name, _kwargs in CASE_PAGES}
    assert {"case-detail", "application-form", "case-experts", "score-sheet"} <= names, names


@pytest.mark.parametrize("name,kwargs", CASE_PAGES, ids=[name for name, _kwargs in CASE_PAGES])
def test_a_case_outside_ones_scope_is_a_404_on_every_page(client, world, name, kwargs):
    case, outsiders = world
    url = _url(name, kwargs, case)
    nowhere = _url(name, kwargs, type(case)(pk=case.pk + 10_000))
    for who, user in outsiders.items():
        client.force_login(user)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status == 403:
                # A page of another role refuses the role before it looks for the case: the same answer for a case
                # that does not exist, so the 403 tells nothing about this one.
                assert getattr(client, method)(nowhere).status_code == 403, f"{who}: {method.upper()} {url}"
                continue
            assert status in (404, 405), f"{who}: {method.upper()} {url} → {status}"


def test_in_scope_the_same_case_page_opens(client, world, cast):
    case, _outsiders = world
    for user in (cast.applicant, cast.reviewer, cast.officer):
        client.force_login(user)
        assert client.get(reverse("case-detail", kwargs={"case_id": case.pk})).status_code == 200


def test_a_visitor_is_sent_to_sign_in_on_every_case_page(client, world):
    case, _outsiders = world
    for name, kwargs in CASE_PAGES:
        response = client.get(_url(name, kwargs, case))
        assert response.status_code in (302, 404, 405), (name, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"]
