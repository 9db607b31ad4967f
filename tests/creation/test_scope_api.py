"""Scope of the creation workspace (issue #9, part 2 and 11): the office manages, a unit's liaison sees and works
only their own unit's tasks, another city's case and every existing case page are a 404 for them."""
import pytest
from rest_framework.test import APIClient

from creation.models import Plan, PlanRevision, Task

from .conftest import simple_plan


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_liaison_sees_only_their_units_tasks(ws):
    t1, t2, t3 = simple_plan(ws)
    base = f"/api/cases/{ws.case.pk}/plan/tasks/"
    scj = api(ws.liaison_scj).get(base).json()
    assert [t["number"] for t in scj] == [1, 2]  # lead of 1, co-unit of 2
    county = api(ws.liaison_county).get(base).json()
    assert [t["number"] for t in county] == [2, 3]
    assert api(ws.liaison_scj).get(f"{base}{t3.pk}/").status_code == 404  # another unit's task
    assert api(ws.liaison_scj).patch(f"{base}{t3.pk}/", {"status": "done"}, format="json").status_code == 404
    assert api(ws.liaison_county).get(f"{base}{t1.pk}/").status_code == 404
    assert len(api(ws.office).get(base).json()) == 3


@pytest.mark.django_db
def test_liaison_records_progress_and_status_on_their_task_only(ws):
    t1, t2, t3 = simple_plan(ws)
    url = f"/api/cases/{ws.case.pk}/plan/tasks/{t2.pk}/"
    answer = api(ws.liaison_scj).patch(url, {"status": "in_progress", "progress": "已召开联席会议", "version": 1},
                                       format="json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "in_progress" and body["progress"][0]["unit"] == "市市场监管局"
    assert body["version"] == 2
    stale = api(ws.liaison_county).patch(url, {"status": "done", "version": 1}, format="json")
    assert stale.status_code == 409
    # a liaison may not change the definition
    refused = api(ws.liaison_scj).patch(url, {"title": "改名", "version": 2}, format="json")
    assert refused.status_code == 403
    assert Task.objects.get(pk=t2.pk).title == "开展协同监管"


@pytest.mark.django_db
def test_liaison_sees_nothing_of_another_citys_case_nor_the_case_pages(ws, other_ws, client):
    simple_plan(other_ws)
    for path in (f"/api/cases/{other_ws.case.pk}/plan/tasks/", f"/api/cases/{other_ws.case.pk}/plan/",
                 f"/api/cases/{other_ws.case.pk}/units/"):
        assert api(ws.liaison_scj).get(path).status_code == 404
    assert api(ws.office).get(f"/api/cases/{other_ws.case.pk}/units/").status_code == 404
    # the existing case pages and API stay a 404 for a liaison, even their own city's case
    assert api(ws.liaison_scj).get(f"/api/cases/{ws.case.pk}/").status_code in (403, 404)
    client.force_login(ws.liaison_scj)
    assert client.get(f"/cases/{ws.case.pk}/").status_code == 404
    assert client.get(f"/cases/{ws.case.pk}/creation/").status_code == 200
    assert client.get(f"/cases/{other_ws.case.pk}/creation/").status_code == 404
    assert client.get(f"/cases/{ws.case.pk}/creation/units/").status_code == 404
    assert client.get(f"/cases/{ws.case.pk}/creation/plan/").status_code == 404


@pytest.mark.django_db
def test_retired_unit_loses_access(ws):
    simple_plan(ws)
    from creation import services

    services.change_unit(case_id=ws.case.pk, actor=ws.office, unit_id=ws.county.pk, active=False)
    from accounts.models import User

    fresh = User.objects.get(pk=ws.liaison_county.pk)  # as a new request loads them
    assert api(fresh).get(f"/api/cases/{ws.case.pk}/plan/tasks/").status_code == 404


@pytest.mark.django_db
def test_office_manages_readers_read(ws):
    simple_plan(ws)
    case = ws.case.pk
    reviewer, officer = ws.cast.reviewer, ws.cast.officer
    for reader in (reviewer, officer):
        assert api(reader).get(f"/api/cases/{case}/plan/tasks/").status_code == 200
        assert len(api(reader).get(f"/api/cases/{case}/units/").json()) == 2
        assert api(reader).post(f"/api/cases/{case}/units/", {"name": "市商务局"}, format="json").status_code == 403
        assert api(reader).post(f"/api/cases/{case}/plan/tasks/", {"title": "x", "lead_unit": ws.scj.pk},
                                format="json").status_code == 403
    assert api(ws.liaison_scj).post(f"/api/cases/{case}/units/", {"name": "市商务局"}, format="json").status_code == 403
    created = api(ws.office).post(f"/api/cases/{case}/units/", {"name": "市商务局"}, format="json")
    assert created.status_code == 201
    assert api(ws.cast.expert).get(f"/api/cases/{case}/units/").status_code == 403


@pytest.mark.django_db
def test_liaison_creation_validates_the_password(ws):
    url = f"/api/cases/{ws.case.pk}/units/{ws.scj.pk}/liaisons/"
    weak = api(ws.office).post(url, {"username": "weak", "name": "甲", "password": "12345678"}, format="json")
    assert weak.status_code == 400 and "password" in weak.json()["errors"]
    taken = api(ws.office).post(url, {"username": "liaison-scj", "name": "甲", "password": "Strong-pass-77"},
                                format="json")
    assert taken.status_code == 400 and "username" in taken.json()["errors"]
    ok = api(ws.office).post(url, {"username": "scj-2", "name": "乙", "password": "Strong-pass-77"}, format="json")
    assert ok.status_code == 201
    assert api(ws.liaison_scj).post(url, {"username": "scj-3", "name": "丙", "password": "Strong-pass-77"},
                                    format="json").status_code == 403


@pytest.mark.django_db
def test_every_definition_change_is_a_new_version_with_a_snapshot(ws):
    t1, t2, t3 = simple_plan(ws)
    plan = Plan.objects.get(case=ws.case)
    assert plan.version == 4  # created, three tasks
    assert list(PlanRevision.objects.filter(plan=plan).values_list("number", flat=True)) == [4, 3, 2, 1]
    url = f"/api/cases/{ws.case.pk}/plan/"
    stale = api(ws.office).post(url, {"goals": "新目标", "version": 3}, format="json")
    assert stale.status_code == 409
    fresh = api(ws.office).post(url, {"goals": "新目标", "version": 4}, format="json")
    assert fresh.status_code == 201 and fresh.json()["version"] == 5
    edited = api(ws.office).patch(f"/api/cases/{ws.case.pk}/plan/tasks/{t3.pk}/",
                                  {"lead_unit": ws.scj.pk, "version": 1}, format="json")
    assert edited.status_code == 200
    revisions = api(ws.office).get(f"/api/cases/{ws.case.pk}/plan/revisions/").json()
    assert revisions[0]["number"] == 6
    assert revisions[0]["snapshot"]["tasks"][2]["lead_unit"] == "市市场监管局"
    assert revisions[1]["snapshot"]["tasks"][2]["lead_unit"] == "临安区"
    # a status change is not a definition change
    api(ws.office).patch(f"/api/cases/{ws.case.pk}/plan/tasks/{t1.pk}/", {"status": "done"}, format="json")
    assert Plan.objects.get(case=ws.case).version == 6


@pytest.mark.django_db
def test_responsibility_for_an_indicator_of_the_cases_version(ws):
    simple_plan(ws)
    url = f"/api/cases/{ws.case.pk}/plan/responsibilities/"
    ok = api(ws.office).post(url, {"number": "7", "lead_unit": ws.scj.pk, "co_units": [ws.county.pk]}, format="json")
    assert ok.status_code == 201
    assert api(ws.office).post(url, {"number": "99", "lead_unit": ws.scj.pk}, format="json").status_code == 400
    mine = api(ws.liaison_county).get(f"/api/cases/{ws.case.pk}/plan/").json()["responsibilities"]
    assert [r["number"] for r in mine] == ["7"]
    api(ws.office).post(url, {"number": "8", "lead_unit": ws.scj.pk}, format="json")
    assert [r["number"] for r in api(ws.liaison_county).get(f"/api/cases/{ws.case.pk}/plan/").json()
            ["responsibilities"]] == ["7"]


@pytest.mark.django_db
def test_progress_with_attachments_through_the_api(ws):
    from django.core.files.uploadedfile import SimpleUploadedFile

    t1, t2, t3 = simple_plan(ws)
    url = f"/api/cases/{ws.case.pk}/plan/tasks/{t1.pk}/progress/"
    pdf = SimpleUploadedFile("说明.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    ok = api(ws.liaison_scj).post(url, {"text": "已接入", "status": "in_progress", "files": [pdf]}, format="multipart")
    assert ok.status_code == 201, ok.content
    assert len(ok.json()["attachments"]) == 1
    exe = SimpleUploadedFile("说明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = api(ws.liaison_scj).post(url, {"text": "再报", "files": [exe]}, format="multipart")
    assert refused.status_code == 400
    assert api(ws.liaison_county).post(url, {"text": "越权"}, format="multipart").status_code == 404
    assert api(ws.cast.reviewer).post(url, {"text": "省局"}, format="multipart").status_code == 403
    empty = api(ws.cast.reviewer).patch(f"/api/cases/{ws.case.pk}/plan/tasks/{t1.pk}/", {}, format="json")
    assert empty.status_code == 400
