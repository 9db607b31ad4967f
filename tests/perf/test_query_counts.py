"""Every page of issue 13 makes the same number of queries whatever the number of rows it shows: measured at 1,
10 and 50 rows (cases on the lists and home pages, history entries on the case page, notice lists on the public
pages). The rows are made directly in the tables — the pages' reads are under test here, not the moves (those
have their own tests)."""
import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role
from cases.models import AuditEntry, Case
from cases.services import create_case
from cases.workflow import State
from publicity.models import Notice, NoticeList
from regions.models import CreationObject
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROWS = (1, 10, 50)
# The states the rows cycle through: each shows on some role's queue (cases.queues) and needs no other record.
STATES = [State.SUBMITTED, State.RETURNED, State.RECOMMENDED, State.CREATING]


def make_cases(total, call, province="330000"):
    """Cases up to ``total`` in the province's cities (and then others'), in the STATES in turn."""
    have = Case.objects.count()
    free = CreationObject.objects.filter(cases__isnull=True).select_related("province")
    # the province's own cities first, so its provincial reviewer sees them
    objects = sorted(free, key=lambda o: (o.province.code != province, o.code))[:max(total - have, 0)]
    today = timezone.localdate()
    for index, obj in enumerate(objects, start=have):
        organisation, _ = Organisation.objects.get_or_create(creation_object=obj, defaults={
            "kind": OrganisationKind.CREATION_OBJECT, "name": f"{obj}人民政府（测试）"})
        user = UserFactory(username=f"perf-{obj.code}", role=Role.APPLICANT, organisation=organisation)
        case = create_case(actor=user, title="创建（测试）", call=call)
        state = STATES[index % len(STATES)]
        fields = {"state": state, "submitted_at": timezone.now()}
        if state == State.CREATING:
            fields.update(creation_start=today, creation_end=today.replace(year=today.year + 2))
        Case.objects.filter(pk=case.pk).update(**fields)
    assert Case.objects.count() == total


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who, url", [
    ("officer", "/cases/"),
    ("reviewer", "/cases/"),
    ("officer", "/api/cases/?page_size=50"),
    ("officer", "/"),
    ("reviewer", "/"),
    ("applicant", "/"),
    ("expert", "/"),
])
def test_lists_and_home_pages_make_a_fixed_number_of_queries(cast, call, who, url):
    client = signed_in(getattr(cast, who))
    counts = []
    for rows in ROWS:
        make_cases(rows, call)
        counts.append(count(client, url))
    # One row is in one state only: the queues whose cases are all absent skip their query (Django makes none for
    # `IN ()`), so it may make fewer; from 10 rows on every state is there and the count no longer moves.
    assert counts[0] <= counts[1] == counts[2], dict(zip(ROWS, counts))


def test_the_case_page_makes_a_fixed_number_of_queries_however_long_its_history(cast, call):
    case = create_case(actor=cast.applicant, title="创建（测试）", call=call)
    client = signed_in(cast.officer)
    counts = []
    for rows in ROWS:
        have = AuditEntry.objects.filter(case=case).count()
        AuditEntry.objects.bulk_create([
            AuditEntry(case=case, sequence=sequence, kind=AuditEntry.Kind.ACTION, name="note", label="记录（测试）",
                       from_state=State.DRAFT, to_state=State.DRAFT, actor=cast.applicant, actor_name="经办人（测试）",
                       role=Role.APPLICANT, organisation=cast.applicant.organisation, organisation_name="测试",
                       case_version=1)
            for sequence in range(have + 1, rows + 1)])
        counts.append(count(client, f"/cases/{case.pk}/"))
    assert len(set(counts)) == 1, dict(zip(ROWS, counts))
    # The case, its documents, its history and attachments, the panels' reads, each once (16 before the duplicates
    # — the documents three times, the case twice — were removed).
    assert counts[0] <= 12, counts


@pytest.mark.parametrize("url", ["/public/notices/", "/api/public/notices/", "/public/notices/?archive=1"])
def test_the_public_notice_lists_make_a_fixed_number_of_queries(cast, call, url, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # measure the reads
    today = timezone.localdate()
    archive = "archive" in url
    first, last = (today - datetime.timedelta(days=30), today - datetime.timedelta(days=16)) if archive else (
        today - datetime.timedelta(days=1), today + datetime.timedelta(days=13))
    counts = []
    for rows in ROWS:
        make_cases(rows, call)
        for case in Case.objects.filter(notices__isnull=True):
            Case.objects.filter(pk=case.pk).update(state=State.IN_PUBLICITY)
            listing = NoticeList.objects.create(text="公示（测试）", first_day=first, last_day=last,
                                                published_by=cast.officer)
            Notice.objects.create(listing=listing, case=case, summary="评估情况（测试）", first_day=first,
                                  last_day=last, published_by=cast.officer)
        counts.append(count(Client(), url))
    assert len(set(counts)) == 1, dict(zip(ROWS, counts))
    # The case, its documents, its history and attachments, the panels' reads, each once (16 before the duplicates
    # — the documents three times, the case twice — were removed).
    assert counts[0] <= 12, counts
