"""The evidence and readiness pages and API (issue 9 items 4, 5, 9): scope, forms that keep what was typed, the
API contract, and a fixed number of queries whatever the number of entries."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cases.journeys import _assessment_years
from creation import evidence

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_the_office_adds_a_figure_on_the_indicator_page_and_readiness_shows_it(creating, cast):
    client = client_for(cast.applicant)
    page = client.get(f"/cases/{creating.pk}/creation/evidence/3/")
    assert page.status_code == 200 and "打分标准" in page.content.decode()
    answer = client.post(f"/cases/{creating.pk}/creation/evidence/3/",
                         {"form": "figure", "figure-key": "online_traders", "figure-value": "30",
                          "figure-source": "市场监管局登记系统"})
    assert answer.status_code == 302
    client.post(f"/cases/{creating.pk}/creation/evidence/3/",
                {"form": "figure", "figure-key": "market_entities", "figure-value": "100",
                 "figure-source": "市场监管局登记系统"})
    readiness = client.get(f"/cases/{creating.pk}/creation/readiness/")
    assert readiness.status_code == 200
    assert 'id="readiness-chart-data"' in readiness.content.decode()


def test_a_refused_figure_keeps_what_was_typed(creating, cast):
    client = client_for(cast.applicant)
    answer = client.post(f"/cases/{creating.pk}/creation/evidence/3/",
                         {"form": "figure", "figure-key": "online_traders", "figure-value": "许多",
                          "figure-source": "登记系统"})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert 'value="许多"' in body and "登记系统" in body


def test_api_evidence_and_readiness_answer_the_contract(creating, cast):
    client = client_for(cast.applicant)
    created = client.post(f"/api/cases/{creating.pk}/evidence/",
                          {"number": 3, "key": "online_traders", "value": "30", "source": "登记系统"}, format="json")
    assert created.status_code == 201, created.json()
    fixed = client.post(f"/api/cases/{creating.pk}/evidence/",
                        {"corrects": created.json()["id"], "value": "40", "source": "登记系统（更正）"}, format="json")
    assert fixed.status_code == 201 and fixed.json()["corrects"] == created.json()["id"]
    listed = client.get(f"/api/cases/{creating.pk}/evidence/").json()
    rows = {r["id"]: r for r in listed["results"]}
    assert rows[created.json()["id"]]["corrected"] and not rows[created.json()["id"]]["current"]
    assert rows[fixed.json()["id"]]["current"]
    bad = client.post(f"/api/cases/{creating.pk}/evidence/", {"number": 3, "key": "online_traders", "value": "x",
                                                               "source": "s"}, format="json")
    assert bad.status_code == 400 and bad.json()["detail"]
    answer = client.get(f"/api/cases/{creating.pk}/readiness/?history=true").json()
    assert {"total", "points", "passes", "groups", "indicators", "suggestions"} <= set(answer)
    assert {"name", "score", "points", "rate", "threshold"} <= set(answer["groups"][0])
    assert {"number", "score", "points", "missing"} <= set(answer["indicators"][0])
    assert {"indicator", "points_gained", "action", "unit"} <= set(answer["suggestions"][0])
    assert answer["history"]


def test_the_province_and_samr_read_but_do_not_write(creating, cast):
    for reader in (cast.reviewer, cast.officer):
        client = client_for(reader)
        assert client.get(f"/api/cases/{creating.pk}/readiness/").status_code == 200
        assert client.get(f"/cases/{creating.pk}/creation/readiness/").status_code == 200
        refused = client.post(f"/api/cases/{creating.pk}/evidence/",
                              {"number": 3, "key": "online_traders", "value": "30", "source": "s"}, format="json")
        assert refused.status_code == 403
        assert b"figure-form" not in client.get(f"/cases/{creating.pk}/creation/evidence/3/").content


def test_another_city_and_the_expert_get_404(creating, cast, other_cast):
    for outsider in (other_cast.applicant, other_cast.reviewer, cast.expert):
        client = client_for(outsider)
        assert client.get(f"/api/cases/{creating.pk}/evidence/").status_code in (403, 404)
        assert client.get(f"/cases/{creating.pk}/creation/readiness/").status_code == 404


def test_a_liaison_sees_and_enters_only_their_indicators(units, creating, cast):
    client = client_for(units["commerce_liaison"])
    assert client.get(f"/cases/{creating.pk}/creation/evidence/3/").status_code == 200
    assert client.get(f"/cases/{creating.pk}/creation/evidence/10/").status_code == 404
    refused = client.post(f"/api/cases/{creating.pk}/evidence/",
                          {"number": 10, "key": "i10_1", "value": "1", "source": "s"}, format="json")
    assert refused.status_code == 404
    evidence.add_evidence(case_id=creating.pk, actor=cast.applicant, number=10, key="i10_1", value="1", source="s")
    listed = client.get(f"/api/cases/{creating.pk}/evidence/").json()
    assert all(r["number"] <= 5 for r in listed["results"])
    answer = client.get(f"/api/cases/{creating.pk}/readiness/").json()
    assert {i["number"] for i in answer["indicators"]} == {1, 2, 3, 4, 5}
    assert all(s["indicator"] <= 5 for s in answer["suggestions"])
    # every existing case page stays a 404 for them
    assert client.get(f"/api/cases/{creating.pk}/").status_code in (403, 404)


def test_lists_and_pages_use_a_fixed_number_of_queries(creating, cast):
    client = client_for(cast.applicant)
    years = _assessment_years()

    def counts():
        out = []
        for url in (f"/api/cases/{creating.pk}/evidence/", f"/api/cases/{creating.pk}/readiness/",
                    f"/cases/{creating.pk}/creation/evidence/", f"/cases/{creating.pk}/creation/evidence/1/",
                    f"/cases/{creating.pk}/creation/readiness/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    evidence.add_evidence(case_id=creating.pk, actor=cast.applicant, number=1, key="online_retail_sales",
                          year=years[0], value="100", source="s")
    few = counts()
    for n in range(6):
        evidence.add_evidence(case_id=creating.pk, actor=cast.applicant, number=1, key="online_retail_sales",
                              year=years[1], value=str(101 + n), source="s")
        evidence.add_evidence(case_id=creating.pk, actor=cast.applicant, number=12, key="i12_1", value="0.5",
                              source="s")
    assert counts() == few



def test_an_attachment_is_uploaded_through_the_api_and_read_in_scope_only(units, creating, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client = client_for(units["market_liaison"])
    created = client.post(f"/api/cases/{creating.pk}/evidence/",
                          {"number": 10, "item": "i10_1", "note": "直播电商基地建设情况",
                           "file": SimpleUploadedFile("基地.pdf", pdf, content_type="application/pdf")},
                          format="multipart")
    assert created.status_code == 201, created.json()
    document = created.json()["document"]
    assert created.json()["unit"] == "市市场监管局"
    url = f"/cases/{creating.pk}/creation/evidence/documents/{document}/"
    assert client.get(url).status_code == 200
    assert client_for(cast.reviewer).get(url).status_code == 200
    assert client_for(units["commerce_liaison"]).get(url).status_code == 404  # indicator 10 is not theirs
