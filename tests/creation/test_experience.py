"""Experience reports (典型经验, 办法 第十九条、第二十条) and supervision visits (督促指导, 第二十二条) over the API:
the route is the case's rule set's — under the 2022 trial measures a zone's report goes to the province first, which
forwards it to SAMR; under the current ones straight to SAMR, the province informed — SAMR publishes, and the public
list shows published reports only (and an attachment only when SAMR published it). SAMR and the province record
visits, the city its follow-up. Another province is a 404, a unit liaison sees nothing, list queries are fixed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from cases.journeys import drive
from cases.models import Case
from cases.workflow import State
from creation.models import ExperienceReport, Liaison, SupervisionVisit, Unit
from notifications.models import Notification
from tests.deadlines.conftest import trial_clock
from tests.factories import UserFactory, new_case

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

__all__ = ["trial_clock"]


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def reports_url(case):
    return f"/api/cases/{case.pk}/experience-reports/"


def submit(user, case, **extra):
    return api(user).post(reports_url(case), {"title": "“一网通办”网络交易监管经验", "body": "做法与成效……", **extra},
                          format="json")


@pytest.fixture
def creating(cast, call, clock):
    """杭州市 creating under the current measures."""
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    assert case.rule_set.code == "current"
    return case


@pytest.fixture
def trial_zone(cast, trial_clock):
    """杭州市 designated under the 2022 trial measures."""
    case = drive(new_case(cast), State.DESIGNATED, cast, trial_clock)
    assert case.rule_set.code == "trial-2022"
    return case


def liaison_of(case):
    unit = Unit.objects.create(creation_object=case.creation_object, name="市商务局", created_by=case.created_by)
    user = UserFactory(username="liaison-shangwu", role=Role.MEMBER_LIAISON, organisation=case.created_by.organisation)
    Liaison.objects.create(user=user, unit=unit, created_by=case.created_by)
    return user


# ── routes per rule set ────────────────────────────────────────────────────────────────────────────────────────
def test_under_current_measures_a_creating_city_reports_straight_to_samr_and_the_province_is_informed(cast, creating):
    response = submit(cast.applicant, creating)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "with_samr" and body["province_informed_at"] and body["forwarded_at"] is None
    events = set(Notification.objects.values_list("recipient__role", "event"))
    assert (Role.SAMR_OFFICER, "experience_report_to_samr") in events
    assert (Role.PROVINCIAL_REVIEWER, "experience_report_to_samr") in events
    assert [r["title"] for r in api(cast.reviewer).get(reports_url(creating)).json()] == [body["title"]]
    entry = creating.audit_entries.get(name="experience_report_submitted")
    assert entry.data["route"] == "to_samr_province_informed"
    # nothing to forward under these measures
    forward = api(cast.reviewer).post(f"{reports_url(creating)}{body['id']}/forward/", {}, format="json")
    assert forward.status_code == 409


def test_under_the_2022_measures_the_province_forwards_before_samr_may_publish(cast, trial_zone):
    body = submit(cast.applicant, trial_zone).json()
    assert body["status"] == "with_province" and body["province_informed_at"] is None
    assert Notification.objects.filter(event="experience_report_to_province",
                                       recipient__role=Role.PROVINCIAL_REVIEWER).exists()
    publish_url = f"{reports_url(trial_zone)}{body['id']}/publish/"
    early = api(cast.officer).post(publish_url, {}, format="json")
    assert early.status_code == 409 and "第十九条" in early.json()["detail"]
    forward_url = f"{reports_url(trial_zone)}{body['id']}/forward/"
    assert api(cast.applicant).post(forward_url, {}, format="json").status_code == 403
    forwarded = api(cast.reviewer).post(forward_url, {"comment": "经审核，同意报送。"}, format="json")
    assert forwarded.status_code == 200 and forwarded.json()["status"] == "with_samr"
    assert trial_zone.audit_entries.get(name="experience_report_forwarded").comment == "经审核，同意报送。"
    published = api(cast.officer).post(publish_url, {}, format="json")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert api(cast.officer).post(publish_url, {}, format="json").status_code == 409


def test_under_the_2022_measures_a_city_still_creating_does_not_report(cast, trial_clock):
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    response = submit(cast.applicant, case)
    assert response.status_code == 409 and "示范区报送" in response.json()["detail"]
    assert not ExperienceReport.objects.exists()


def test_only_the_city_reports_only_the_province_forwards_only_samr_publishes(cast, creating):
    for user in (cast.reviewer, cast.officer):
        assert submit(user, creating).status_code == 403
    rid = submit(cast.applicant, creating).json()["id"]
    for user in (cast.applicant, cast.reviewer):
        assert api(user).post(f"{reports_url(creating)}{rid}/publish/", {}, format="json").status_code == 403
    assert api(cast.expert).get(reports_url(creating)).status_code == 403


def test_bad_input_is_a_400_naming_the_field(cast, creating):
    response = api(cast.applicant).post(reports_url(creating), {"title": "", "body": "x"}, format="json")
    assert response.status_code == 400 and "title" in response.json()["errors"]
    blank = api(cast.applicant).post(reports_url(creating), {"title": "  ", "body": "正文"}, format="json")
    assert blank.status_code == 400
    assert not ExperienceReport.objects.exists()


# ── scope ──────────────────────────────────────────────────────────────────────────────────────────────────────
def test_another_province_and_a_unit_liaison_see_nothing(cast, other_cast, creating):
    submit(cast.applicant, creating)
    for user in (other_cast.reviewer, other_cast.applicant):
        assert api(user).get(reports_url(creating)).status_code == 404
        assert api(user).get(f"/api/cases/{creating.pk}/supervision/").status_code == 404
    assert submit(other_cast.applicant, creating).status_code == 404
    visit = api(other_cast.reviewer).post(f"/api/cases/{creating.pk}/supervision/",
                                          {"visited_on": "2026-03-01", "findings": "x"}, format="json")
    assert visit.status_code == 404
    liaison = liaison_of(creating)
    assert api(liaison).get(reports_url(creating)).status_code in (403, 404)
    assert api(liaison).get(f"/api/cases/{creating.pk}/supervision/").status_code in (403, 404)


# ── publication and the public list ────────────────────────────────────────────────────────────────────────────
def test_the_public_list_shows_published_reports_only_and_a_public_attachment_only(cast, creating):
    with_file = api(cast.applicant).post(reports_url(creating), {
        "title": "公开附件的经验", "body": "正文一", "file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
        format="multipart")
    assert with_file.status_code == 201, with_file.content
    hidden_file = api(cast.applicant).post(reports_url(creating), {
        "title": "附件不公开的经验", "body": "正文二", "file": SimpleUploadedFile("b.pdf", PDF, "application/pdf")},
        format="multipart")
    unpublished = submit(cast.applicant, creating, title="未发布的经验").json()
    for rid, public in ((with_file.json()["id"], True), (hidden_file.json()["id"], False)):
        response = api(cast.officer).post(f"{reports_url(creating)}{rid}/publish/", {"attachment_public": public},
                                          format="json")
        assert response.status_code == 200
    listed = api().get("/api/public/experiences/").json()["results"]
    by_title = {row["title"]: row for row in listed}
    assert set(by_title) == {"公开附件的经验", "附件不公开的经验"}
    assert by_title["公开附件的经验"]["city"] == "杭州市" and by_title["公开附件的经验"]["body"] == "正文一"
    assert by_title["公开附件的经验"]["attachment"] and by_title["附件不公开的经验"]["attachment"] is None
    assert set(by_title["公开附件的经验"]) == {"id", "title", "city", "province", "date", "body", "attachment"}
    assert api().get(by_title["公开附件的经验"]["attachment"]).status_code == 200
    hidden = by_title["附件不公开的经验"]["id"]
    assert api().get(f"/public/experiences/{hidden}/attachment/").status_code == 404
    assert api().get(f"/api/public/experiences/{unpublished['id']}/").status_code == 404
    assert api().get(f"/public/experiences/{unpublished['id']}/").status_code == 404
    page = api().get("/public/experiences/").content.decode()
    assert "公开附件的经验" in page and "未发布的经验" not in page


def test_the_public_list_costs_the_same_queries_however_many_reports(cast, creating):
    def publish_one(n):
        rid = submit(cast.applicant, creating, title=f"经验 {n}").json()["id"]
        api(cast.officer).post(f"{reports_url(creating)}{rid}/publish/", {}, format="json")

    counts = []
    for total in (1, 6):
        while ExperienceReport.objects.filter(status="published").count() < total:
            publish_one(ExperienceReport.objects.count())
        for url in ("/api/public/experiences/", "/public/experiences/"):
            with CaptureQueriesContext(connection) as queries:
                assert api().get(url).status_code == 200
            counts.append((url, len(queries)))
    assert counts[:2] == counts[2:]


def test_case_lists_cost_the_same_queries_however_many_rows(cast, creating):
    counts = []
    for total in (1, 5):
        while ExperienceReport.objects.count() < total:
            submit(cast.applicant, creating)
        while SupervisionVisit.objects.count() < total:
            api(cast.officer).post(f"/api/cases/{creating.pk}/supervision/",
                                   {"visited_on": "2026-03-01", "findings": "问题"}, format="json")
        row = []
        for url in (reports_url(creating), f"/api/cases/{creating.pk}/supervision/"):
            with CaptureQueriesContext(connection) as queries:
                assert api(cast.reviewer).get(url).status_code == 200
            row.append(len(queries))
        counts.append(row)
    assert counts[0] == counts[1]


# ── supervision ────────────────────────────────────────────────────────────────────────────────────────────────
def test_the_province_records_a_visit_and_the_city_reports_its_follow_up(cast, creating, clock):
    url = f"/api/cases/{creating.pk}/supervision/"
    response = api(cast.reviewer).post(url, {"visited_on": "2026-03-02", "findings": "任务进度滞后",
                                             "follow_up": "一个月内补齐台账", "follow_up_due": "2026-04-02"},
                                       format="json")
    assert response.status_code == 201, response.content
    visit = response.json()
    assert visit["organisation"] == "浙江省市场监督管理局" and visit["follow_up_done_at"] is None
    assert Notification.objects.filter(event="supervision_visit_recorded", recipient__role=Role.APPLICANT).exists()
    assert Notification.objects.filter(event="supervision_visit_recorded", recipient__role=Role.SAMR_OFFICER).exists()
    follow = f"{url}{visit['id']}/follow-up/"
    assert api(cast.reviewer).post(follow, {"note": "x"}, format="json").status_code == 403
    assert api(cast.applicant).post(follow, {"note": ""}, format="json").status_code == 400
    done = api(cast.applicant).post(follow, {"note": "台账已补齐"}, format="json")
    assert done.status_code == 200 and done.json()["follow_up_done_at"] and done.json()["follow_up_note"] == "台账已补齐"
    assert api(cast.applicant).post(follow, {"note": "再次"}, format="json").status_code == 409
    assert creating.audit_entries.filter(name__in=["supervision_visit_recorded", "supervision_follow_up_done"]).count() == 2


def test_a_visit_is_refused_in_the_future_or_with_a_due_day_before_it(cast, creating):
    import datetime

    url = f"/api/cases/{creating.pk}/supervision/"
    today = timezone.localdate()
    tomorrow, last_month = today + datetime.timedelta(days=1), today - datetime.timedelta(days=30)
    future = api(cast.officer).post(url, {"visited_on": tomorrow.isoformat(), "findings": "x"}, format="json")
    assert future.status_code == 400 and "visited_on" in future.json()["errors"]
    early = api(cast.officer).post(url, {"visited_on": today.isoformat(), "findings": "x", "follow_up": "改",
                                         "follow_up_due": last_month.isoformat()}, format="json")
    assert early.status_code == 400 and "follow_up_due" in early.json()["errors"]
    for field, extreme in (("visited_on", "0001-01-01"), ("follow_up_due", "9999-12-31")):
        far = api(cast.officer).post(url, {"visited_on": today.isoformat(), "findings": "x", "follow_up": "改",
                                           field: extreme}, format="json")
        assert far.status_code == 400 and field in far.json()["errors"]
    assert api(cast.applicant).post(url, {"visited_on": "2026-03-01", "findings": "x"},
                                    format="json").status_code == 403
    assert not SupervisionVisit.objects.exists()


def test_supervision_findings_never_reach_the_public_pages(cast, creating):
    api(cast.officer).post(f"/api/cases/{creating.pk}/supervision/",
                           {"visited_on": "2026-03-01", "findings": "机密的发现问题"}, format="json")
    rid = submit(cast.applicant, creating).json()["id"]
    api(cast.officer).post(f"{reports_url(creating)}{rid}/publish/", {}, format="json")
    for url in ("/public/experiences/", f"/public/experiences/{rid}/", "/api/public/experiences/",
                "/public/zones/", "/api/public/zones/"):
        assert "机密的发现问题" not in api().get(url).content.decode()


# ── a sanction's ground （三） cites visits ───────────────────────────────────────────────────────────────────────
def test_a_sanction_on_ground_three_cites_the_zones_visits_and_no_other(cast, other_cast, call, clock):
    from cases.services import perform_transition
    from cases.errors import InvalidPayload
    from designation.models import Sanction

    zone = drive(new_case(cast, call), State.DESIGNATED, cast, clock)
    visit = api(cast.officer).post(f"/api/cases/{zone.pk}/supervision/",
                                   {"visited_on": timezone.localdate().isoformat(), "findings": "工作明显下滑"}, format="json").json()
    with pytest.raises(InvalidPayload):
        perform_transition(case_id=zone.pk, name="interview", actor=cast.officer,
                           payload={"ground": "fraud", "comment": "x", "visits": [visit["id"]]})
    with pytest.raises(InvalidPayload):
        perform_transition(case_id=zone.pk, name="interview", actor=cast.officer,
                           payload={"ground": "decline", "comment": "x", "visits": [visit["id"] + 999]})
    perform_transition(case_id=zone.pk, name="interview", actor=cast.officer,
                       payload={"ground": "decline", "comment": "约谈（测试）", "visits": [visit["id"]]})
    sanction = Sanction.objects.get()
    assert list(sanction.visits.values_list("pk", flat=True)) == [visit["id"]]
    assert zone.audit_entries.get(name="interview").data["visits"] == [visit["id"]]
    listed = api(cast.applicant).get(f"/api/cases/{zone.pk}/supervision/").json()
    assert listed[0]["cited_by"][0]["kind"] == "interview"
    assert Case.objects.get(pk=zone.pk).state == State.DESIGNATED



def test_the_transitions_api_takes_the_visits_a_warning_on_ground_three_relies_on(cast, call, clock):
    zone = drive(new_case(cast, call), State.DESIGNATED, cast, clock)
    visit = api(cast.reviewer).post(f"/api/cases/{zone.pk}/supervision/",
                                    {"visited_on": timezone.localdate().isoformat(), "findings": "下滑"}, format="json").json()
    url = f"/api/cases/{zone.pk}/transitions/warn/"
    wrong = api(cast.officer).post(url, {"ground": "major_incident", "comment": "x", "visits": [visit["id"]]},
                                   format="json")
    assert wrong.status_code == 400 and "visits" in wrong.json()["errors"]
    done = api(cast.officer).post(url, {"ground": "decline", "comment": "警示（测试）", "visits": [visit["id"]]},
                                  format="json")
    assert done.status_code == 200, done.content
    cited = api(cast.officer).get(f"/api/cases/{zone.pk}/supervision/").json()[0]["cited_by"]
    assert [c["kind"] for c in cited] == ["warn"]
