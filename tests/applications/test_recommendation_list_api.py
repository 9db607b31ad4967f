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


def test_the_submitted_form_and_its_changes_through_the_api(cast, other_cast, call, clock):
    from decimal import Decimal

    from applications.services import save_application_form
    from cases.services import perform_transition

    case = drive(new_case(cast, call), State.RETURNED, cast, clock)
    clock.shift(60)
    save_application_form(case_id=case.pk, actor=cast.applicant, contact_name="李工", contact_phone="0571-00000000",
                          platform_economy="平台经济发展规划与支持政策（演示数据）", supervision_and_service="网络市场监管体制机制（演示数据）",
                          innovation="监管与服务创新举措（演示数据）", online_retail_sales=Decimal("1234.50"))
    url = f"/api/cases/{case.pk}/review/application-form/"
    assert api_as(cast.reviewer).get(url).json()["version"] == 1  # the correction is the city's until resubmitted
    perform_transition(case_id=case.pk, name="resubmit", actor=cast.applicant)
    body = api_as(cast.reviewer).get(url).json()
    assert (body["version"], body["base"], body["changed"]) == (2, 1, ["contact_name"])
    assert [v["submissions"] for v in body["versions"]] == [[2], [1]]
    assert api_as(cast.reviewer).get(url + "?base=").json()["changed"] == []
    assert api_as(other_cast.reviewer).get(url).status_code == 404
    assert api_as(cast.applicant).get(url).status_code == 403
