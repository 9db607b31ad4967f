"""List endpoints keep the same number of queries at 1, 10 and 30 rows."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Organisation, OrganisationKind, Role
from cases.services import create_case
from regions.models import CreationObject
from tests.factories import UserFactory


def make_cases(n, call):
    objects = CreationObject.objects.order_by("code").filter(cases__isnull=True)[:n]
    for obj in objects:
        org, _ = Organisation.objects.get_or_create(creation_object=obj, defaults={
            "kind": OrganisationKind.CREATION_OBJECT, "name": f"{obj}人民政府"})
        user = UserFactory(username=f"a{obj.code}", role=Role.APPLICANT, organisation=org)
        create_case(actor=user, title="创建", call=call)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.django_db
def test_case_list_query_count_does_not_grow_with_rows(cast, call):
    client = APIClient()
    client.force_authenticate(cast.officer)
    counts = []
    for total in (1, 10, 30):
        make_cases(total - CreationObject.objects.filter(cases__isnull=False).count(), call)
        queries, rows = count_queries(client, "/api/cases/?page_size=50")
        assert rows == total
        counts.append(queries)
    assert len(set(counts)) == 1, counts


@pytest.mark.django_db
def test_case_list_filters_by_state_province_and_rule_set(cast, other_cast, call):
    create_case(actor=cast.applicant, title="杭州", call=call)
    create_case(actor=other_cast.applicant, title="南京", call=call)
    client = APIClient()
    client.force_authenticate(cast.officer)
    assert client.get("/api/cases/?province=330000").json()["count"] == 1
    assert client.get("/api/cases/?province=320000&state=draft&rule_set=current").json()["count"] == 1
    assert client.get("/api/cases/?state=designated").json()["count"] == 0
    assert client.get("/api/cases/?state=nonsense").status_code == 400
