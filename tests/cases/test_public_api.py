"""The public reads notices and designated zones and files objections; SAMR verifies them."""
import datetime

import pytest
from rest_framework.test import APIClient

from cases.journeys import drive
from cases.workflow import State
from tests.conftest import SHANGHAI
from tests.factories import new_case


@pytest.mark.django_db
def test_public_sees_running_notices_and_files_an_objection_that_samr_verifies(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    public = APIClient()
    notices = public.get("/api/public/notices/").json()["results"]
    assert [(n["creation_object"], n["first_day"], n["last_day"]) for n in notices] == \
        [("杭州市", str(case.notices.get().first_day), str(case.notices.get().last_day))]
    bad = public.post(f"/api/public/notices/{notices[0]['id']}/objections/", {"name": "公众"}, format="json")
    assert bad.status_code == 400 and "content" in bad.json()["errors"]
    filed = public.post(f"/api/public/notices/{notices[0]['id']}/objections/",
                        {"name": "公众", "contact": "138", "content": "存在虚假宣传"}, format="json")
    assert filed.status_code == 201
    officer = APIClient()
    officer.force_authenticate(cast.officer)
    objections = officer.get(f"/api/cases/{case.pk}/objections/").json()
    assert [o["status"] for o in objections] == ["open"]
    applicant = APIClient()
    applicant.force_authenticate(cast.applicant)
    assert applicant.post(f"/api/objections/{objections[0]['id']}/decision/",
                          {"upheld": False, "decision": "x"}, format="json").status_code == 403
    decided = officer.post(f"/api/objections/{objections[0]['id']}/decision/",
                           {"upheld": False, "decision": "经核实不成立"}, format="json")
    assert decided.json()["status"] == "dismissed"
    assert case.audit_entries.filter(name__in=["objection_filed", "decide_objection"]).count() == 2


@pytest.mark.django_db
def test_objections_are_refused_after_the_notice_ends(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    notice = case.notices.get()
    clock.move_to(datetime.datetime.combine(notice.last_day + datetime.timedelta(days=1), datetime.time(0, 0, 1),
                                            tzinfo=SHANGHAI))
    response = APIClient().post(f"/api/public/notices/{notice.listing_id}/objections/",
                                {"name": "公众", "contact": "138", "content": "迟到的异议"}, format="json")
    assert response.status_code == 400
    assert str(notice.last_day) in response.json()["detail"]


@pytest.mark.django_db
def test_public_list_of_designated_zones(cast, call, clock):
    drive(new_case(cast, call), State.DESIGNATED, cast, clock)
    zones = APIClient().get("/api/public/zones/").json()["results"]
    assert [z["creation_object"] for z in zones] == ["杭州市"]


@pytest.mark.django_db
def test_samr_opens_calls_and_applicants_read_them(cast):
    officer, applicant = APIClient(), APIClient()
    officer.force_authenticate(cast.officer)
    applicant.force_authenticate(cast.applicant)
    body = {"title": "2027年度申报通知", "year": 2027, "opens_on": "2027-03-01", "submission_deadline": "2027-05-31",
            "recommendation_deadline": "2027-06-30"}
    assert applicant.post("/api/calls/", body, format="json").status_code == 403
    assert officer.post("/api/calls/", {**body, "submission_deadline": "2027-02-01"}, format="json").status_code == 400
    assert officer.post("/api/calls/", body, format="json").status_code == 201
    assert [c["title"] for c in applicant.get("/api/calls/").json()["results"]] == ["2027年度申报通知"]
