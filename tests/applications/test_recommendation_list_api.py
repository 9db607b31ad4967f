"""办法 第八条 择优推荐 through the API: the province's list for a call, moved and submitted together."""
import dataclasses

import pytest
from rest_framework.test import APIClient

from applications.models import PreliminaryReview
from cases.journeys import drive
from cases.workflow import State
from tests.factories import applicant_for, new_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def ningbo(cast):
    return dataclasses.replace(cast, applicant=applicant_for("330200"))


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_reviewer_reorders_and_submits_the_list(cast, ningbo, call, clock):
    first = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    clock.shift(60)
    second = drive(new_case(ningbo, call), State.SUBMITTED, ningbo, clock)
    api = api_as(cast.reviewer)
    url = f"/api/calls/{call.pk}/recommendation-list/"
    body = api.get(url).json()
    assert [(e["id"], e["rank"]) for e in body["entries"]] == [(first.pk, 1), (second.pk, 2)]
    body = api.post(url + "moves/", {"case": second.pk, "direction": "up"}, format="json").json()
    assert [e["id"] for e in body["entries"]] == [second.pk, first.pk]
    stale = api.post(url + "submit/", {"order": [first.pk, second.pk]}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert not PreliminaryReview.objects.exists()
    response = api.post(url + "submit/", {"order": [second.pk, first.pk], "comment": "择优"}, format="json")
    assert response.status_code == 200, response.json()
    assert [(r["id"], r["rank"]) for r in response.json()["recommended"]] == [(second.pk, 1), (first.pk, 2)]
    assert response.json()["entries"] == []


def test_the_list_api_is_the_province_reviewer_s_alone(cast, other_cast, call, clock):
    drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    url = f"/api/calls/{call.pk}/recommendation-list/"
    assert api_as(other_cast.reviewer).get(url).status_code == 404
    for outsider in (cast.officer, cast.applicant, cast.expert):
        assert api_as(outsider).get(url).status_code == 403
    bad = api_as(cast.reviewer).post(url + "moves/", {"case": "x", "direction": "sideways"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"case", "direction"}
