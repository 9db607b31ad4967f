"""The indicator-system API: who may read which versions, the full tree, and what-if scoring with explanations."""
import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from indicators import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    services.load_seed_systems()

    def make(role):
        client = APIClient()
        if role:
            client.force_authenticate(UserFactory(role=role))
        return client
    return make


def test_anonymous_callers_are_refused(client_for):
    assert client_for(None).get("/api/indicator-systems/").status_code in (401, 403)


def test_applicants_see_published_versions_only(client_for):
    client = client_for(Role.SAMR_EXPERT)
    codes = [s["code"] for s in client.get("/api/indicator-systems/").json()["results"]]
    assert codes == ["2022"]
    assert client.get("/api/indicator-systems/draft-current/").status_code == 404


def test_officers_also_see_drafts(client_for):
    codes = {s["code"] for s in client_for(Role.SAMR_OFFICER).get("/api/indicator-systems/").json()["results"]}
    assert codes == {"2022", "draft-current"}


def test_detail_has_the_tree_with_rules_and_their_inputs(client_for):
    body = client_for(Role.SAMR_OFFICER).get("/api/indicator-systems/2022/").json()
    first = body["groups"][0]["subgroups"][0]["indicators"][0]
    assert first["name"] == "网上零售额同比增速"
    assert first["items"][0]["rule"]["kind"] == "per_year_comparison"
    assert {"key": "national_online_retail_growth", "type": "yearly", "scope": "benchmark"} in \
        body["rule_inputs"]["1"][0]["inputs"]


def test_score_explains_points_and_reports_a_missing_benchmark_as_missing(client_for):
    client = client_for(Role.SAMR_OFFICER)
    payload = {"years": [2022, 2023], "region": "east",
               "inputs": {"online_retail_sales": {"2021": "100", "2022": "120", "2023": "150"},
                          "online_traders": 15, "market_entities": 100},
               "benchmarks": {"national_online_retail_growth": {"2022": "0.1"}}}
    body = client.post("/api/indicator-systems/2022/score/", payload, format="json").json()
    ind1, ind3 = body["indicators"][0], body["indicators"][2]
    assert (ind1["score"], ind1["status"], ind1["missing"]) == ("1", "missing", ["national_online_retail_growth[2023]"])
    assert ind3["score"] == "2" and "15.00%" in ind3["items"][0]["detail"]
    assert body["decision"] == "incomplete"


def test_score_rejects_a_malformed_request(client_for):
    response = client_for(Role.APPLICANT).post("/api/indicator-systems/2022/score/", {"inputs": {}}, format="json")
    assert response.status_code == 400
