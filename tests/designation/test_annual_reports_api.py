"""Annual reports of zones designated under the 2022 trial measures (试行办法 第十八条: 每年3月底前): the zone's
applicant reports each year over the API or on the case page; in time by March 31 (Beijing time, inclusive),
late after it (with or without the sweep's flag first); the province and SAMR read them; other cities and
provinces see a 404, other roles a 403; the list costs the same number of queries however many years."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cases.journeys import drive
from cases.workflow import State
from deadlines import services as sweeps
from designation.models import AnnualReport
from notifications.models import Notification, Preference
from tests.deadlines.conftest import travel, trial_clock
from tests.factories import new_case

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

__all__ = ["trial_clock"]


@pytest.fixture
def zone(cast, trial_clock):
    """杭州市, designated in 2023 under the 2022 trial measures (the demo's trial-measures zone is made the same way)."""
    case = drive(new_case(cast), State.DESIGNATED, cast, trial_clock)
    assert case.rule_set.code == "trial-2022" and case.designated_on.year == 2023
    travel(trial_clock, D(2024, 1, 10))  # 2023 has ended: its report may be made (试行办法 第十八条)
    return case


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(case):
    return f"/api/cases/{case.pk}/annual-reports/"


def rows(user, case):
    response = api(user).get(url(case))
    assert response.status_code == 200, response.content
    return {row["year"]: row for row in response.json()}


def test_a_zone_owes_a_report_on_its_year_of_designation_by_march_31_of_the_next(cast, zone):
    row = rows(cast.applicant, zone)[2023]
    assert (row["due_on"], row["status"], row["late"], row["submitted_at"]) == ("2024-03-31", "open", False, None)


def test_a_report_on_march_31_is_in_time(cast, zone, trial_clock):
    travel(trial_clock, D(2024, 3, 31), hour=23)
    response = api(cast.applicant).post(url(zone), {"year": 2023, "summary": "2023 年度工作情况……"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["year"], body["status"], body["late"], body["summary"]) == (2023, "submitted", False,
                                                                               "2023 年度工作情况……")
    travel(trial_clock, D(2024, 4, 2))
    assert sweeps.flag_overdue_annual_reports()["flagged"] == 0
    assert rows(cast.reviewer, zone)[2023]["status"] == "submitted"
    assert zone.audit_entries.filter(name="annual_report_submitted").get().data["late"] is False


def test_a_report_after_march_31_is_late_even_before_the_sweep_flags_it(cast, zone, trial_clock):
    travel(trial_clock, D(2024, 4, 1), hour=0)
    response = api(cast.applicant).post(url(zone), {"year": 2023, "summary": "迟报"}, format="json")
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["late"]) == ("late", True)
    assert AnnualReport.objects.get(case=zone, year=2023).late
    assert zone.audit_entries.filter(name="annual_report_submitted").get().data["late"] is True
    assert sweeps.flag_overdue_annual_reports()["flagged"] == 0  # reported: nothing left to flag


def test_an_unreported_year_is_overdue_and_a_report_after_the_flag_stays_late(cast, zone, trial_clock):
    travel(trial_clock, D(2024, 4, 1), hour=0)
    assert rows(cast.officer, zone)[2023]["status"] == "overdue"  # shown overdue whether or not the sweep ran
    assert sweeps.flag_overdue_annual_reports()["flagged"] == 1
    row = rows(cast.officer, zone)[2023]
    assert row["status"] == "overdue" and row["overdue_flagged_at"] and row["days_left"] == -1
    assert set(rows(cast.officer, zone)) == {2023, 2024}  # the 2024 report is now running, due 2025-03-31
    response = api(cast.applicant).post(url(zone), {"year": 2023, "summary": "迟报"}, format="json")
    assert response.json()["status"] == "late"


def test_a_year_is_reported_once(cast, zone, trial_clock):
    client = api(cast.applicant)
    assert client.post(url(zone), {"year": 2023, "summary": "第一次"}, format="json").status_code == 201
    response = client.post(url(zone), {"year": 2023, "summary": "第二次"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert AnnualReport.objects.get(case=zone, year=2023).summary == "第一次"


def test_a_report_needs_text_or_a_document_and_a_year_the_zone_held_the_title(cast, zone):
    client = api(cast.applicant)
    response = client.post(url(zone), {"year": 2023, "summary": " "}, format="json")
    assert response.status_code == 400 and "summary" in response.json()["errors"]
    response = client.post(url(zone), {"year": 2022, "summary": "认定之前"}, format="json")
    assert response.status_code == 400 and "year" in response.json()["errors"]
    assert not AnnualReport.objects.exists()


def test_a_report_may_be_a_file_uploaded_with_it(cast, zone):
    response = api(cast.applicant).post(url(zone), {"year": 2023, "file": SimpleUploadedFile(
        "report.pdf", PDF, content_type="application/pdf")}, format="multipart")
    assert response.status_code == 201, response.content
    document = response.json()["document"]
    assert document["title"] == "2023 年度工作情况报告"
    assert zone.documents.get(pk=document["id"]).kind == "other"


def test_a_report_may_point_at_a_document_of_this_case_only(cast, other_cast, zone, trial_clock):
    other = drive(new_case(other_cast), State.SUBMITTED, other_cast, trial_clock)
    foreign = other.documents.first()
    response = api(cast.applicant).post(url(zone), {"year": 2023, "document": foreign.pk}, format="json")
    assert response.status_code == 400 and "document" in response.json()["errors"]
    own = zone.documents.first()
    response = api(cast.applicant).post(url(zone), {"year": 2023, "document": own.pk}, format="json")
    assert response.status_code == 201 and response.json()["document"]["id"] == own.pk


def test_province_and_samr_are_told_in_their_own_language(cast, zone):
    Preference.objects.create(user=cast.reviewer, language="en")
    api(cast.applicant).post(url(zone), {"year": 2023, "summary": "……"}, format="json")
    to_reviewer = Notification.objects.get(event="annual_report_submitted", recipient=cast.reviewer)
    to_officer = Notification.objects.get(event="annual_report_submitted", recipient=cast.officer)
    assert to_reviewer.language == "en" and "已报送" not in to_reviewer.subject and "2023" in to_reviewer.subject
    assert "已报送 2023 年度工作情况" in to_officer.subject


# ── who may ──────────────────────────────────────────────────────────────────────────────────────────────────
def test_other_cities_and_provinces_see_nothing(cast, other_cast, zone):
    for user in (other_cast.applicant, other_cast.reviewer):
        assert api(user).get(url(zone)).status_code == 404
    response = api(other_cast.applicant).post(url(zone), {"year": 2023, "summary": "冒名"}, format="json")
    assert response.status_code == 404
    assert not AnnualReport.objects.exists()


def test_the_province_and_samr_read_but_do_not_report(cast, zone):
    for user in (cast.reviewer, cast.officer):
        assert 2023 in rows(user, zone)
        response = api(user).post(url(zone), {"year": 2023, "summary": "代报"}, format="json")
        assert response.status_code == 403 and response.json()["code"] == "not_allowed"
    assert not AnnualReport.objects.exists()


def test_experts_and_anonymous_callers_are_refused(cast, zone):
    assert api(cast.expert).get(url(zone)).status_code == 403
    assert APIClient().get(url(zone)).status_code == 401


def test_zones_under_the_current_measures_have_no_dated_annual_report(cast, call, clock):
    case = drive(new_case(cast, call), State.DESIGNATED, cast, clock)
    assert api(cast.applicant).get(url(case)).json() == []
    response = api(cast.applicant).post(url(case), {"year": 2026, "summary": "……"}, format="json")
    assert response.status_code == 409 and "第十九条" in response.json()["detail"]


def test_the_list_takes_the_same_number_of_queries_for_one_year_and_for_four(cast, zone, trial_clock):
    client = api(cast.officer)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url(zone)).json()) == 1
    for year in (2023, 2024, 2025):
        travel(trial_clock, D(year + 1, 3, 1))
        api(cast.applicant).post(url(zone), {"year": year, "summary": f"{year} 年度"}, format="json")
    travel(trial_clock, D(2026, 4, 2))
    with CaptureQueriesContext(connection) as four:
        assert len(client.get(url(zone)).json()) == 4
    assert len(four.captured_queries) == len(one.captured_queries)


# ── the case page ────────────────────────────────────────────────────────────────────────────────────────────
def test_the_case_page_shows_the_reports_and_the_applicant_reports_there(client, cast, zone, trial_clock):
    travel(trial_clock, D(2024, 4, 1))
    client.force_login(cast.applicant)
    page = client.get(reverse("case-detail", args=[zone.pk])).content.decode()
    assert 'data-testid="annual-reports"' in page and 'data-status="overdue"' in page
    assert 'data-testid="annual-report-form"' in page
    response = client.post(reverse("case-annual-report", args=[zone.pk]), {
        "year": "2023", "summary": "页面报送", "confirm": "1",
        "file": SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-year="2023" data-status="late"' in page and "2023 年度工作情况报告" in page


def test_a_refused_report_on_the_page_keeps_what_was_typed(client, cast, zone):
    client.force_login(cast.applicant)
    api(cast.applicant).post(url(zone), {"year": 2023, "summary": "先报了"}, format="json")
    zone.refresh_from_db()
    response = client.post(reverse("case-annual-report", args=[zone.pk]),
                           {"year": "2023", "summary": "又写了一遍", "version": str(zone.version - 1), "confirm": "1"})
    assert response.status_code == 400  # 2023 is no longer open for a report
    assert "又写了一遍" in response.content.decode()
    response = client.post(reverse("case-annual-report", args=[zone.pk]), {"year": "2023", "summary": ""},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="annual-reports"' in response.content.decode()


def test_a_refusal_by_the_service_shows_its_message_and_keeps_the_text(client, cast, zone):
    client.force_login(cast.applicant)
    zone.refresh_from_db()
    response = client.post(reverse("case-annual-report", args=[zone.pk]),
                           {"year": "2023", "summary": "我的年度总结", "version": str(zone.version + 5), "confirm": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="annual-report-error"' in page and "我的年度总结" in page
    assert not AnnualReport.objects.exists()


def test_the_province_sees_the_section_without_a_form_and_cannot_post(client, cast, other_cast, zone):
    client.force_login(cast.reviewer)
    page = client.get(reverse("case-detail", args=[zone.pk])).content.decode()
    assert 'data-testid="annual-reports"' in page and 'data-testid="annual-report-form"' not in page
    client.force_login(other_cast.applicant)
    assert client.post(reverse("case-annual-report", args=[zone.pk]), {"year": "2023", "summary": "x"}
                       ).status_code == 404


def test_a_report_with_a_file_and_the_version_just_read_is_accepted(cast, zone):
    # The upload bumps the case's version; the client's token is checked before it, not after.
    version = zone.version
    response = api(cast.applicant).post(url(zone), {"year": 2023, "version": version, "file": SimpleUploadedFile(
        "report.pdf", PDF, content_type="application/pdf")}, format="multipart")
    assert response.status_code == 201, response.content
    stale = api(cast.applicant).post(url(zone), {"year": 2024, "version": version, "summary": "旧版本"},
                                     format="json")
    assert stale.status_code == 409


def test_a_year_is_reported_only_once_it_has_ended(cast, zone, trial_clock):
    # 试行办法 第十八条: 每年3月底前报送 — the year's work, after the year. On 23 November the year is still running.
    travel(trial_clock, D(2024, 11, 23))
    response = api(cast.applicant).post(url(zone), {"year": 2024, "summary": "年中报告"}, format="json")
    assert response.status_code == 400 and "year" in response.json()["errors"]
    assert "2024" in response.json()["detail"]
    assert not AnnualReport.objects.filter(case=zone, year=2024, submitted_at__isnull=False).exists()
    travel(trial_clock, D(2025, 1, 1))
    assert api(cast.applicant).post(url(zone), {"year": 2024, "summary": "全年报告"}, format="json").status_code == 201


def test_the_page_asks_for_confirmation_before_a_report_is_submitted(client, cast, zone,
                                                                      django_capture_on_commit_callbacks):
    from documents.models import PendingUpload

    client.force_login(cast.applicant)
    zone.refresh_from_db()
    response = client.post(reverse("case-annual-report", args=[zone.pk]), {
        "year": "2023", "summary": "确认前的总结", "version": str(zone.version),
        "file": SimpleUploadedFile("年报.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="annual-report-confirm"' in page and "确认前的总结" in page and "年报.pdf" in page
    assert not AnnualReport.objects.exists()  # nothing is submitted before the confirmation
    pending = PendingUpload.objects.get()
    # "返回修改" shows the form again with the text and the kept file.
    back = client.post(reverse("case-annual-report", args=[zone.pk]), {
        "year": "2023", "summary": "确认前的总结", "pending": str(pending.pk), "edit": "1"}).content.decode()
    assert "确认前的总结" in back and "已上传：年报.pdf，无需重新选择" in back
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("case-annual-report", args=[zone.pk]), {
            "year": "2023", "summary": "确认前的总结", "pending": str(pending.pk), "version": str(zone.version),
            "confirm": "1"})
    assert response.status_code == 302
    report = AnnualReport.objects.get()
    assert report.document is not None and report.document.size == len(PDF)
    assert not PendingUpload.objects.exists()


def test_only_the_zones_applicant_posts_a_report(client, cast, zone):
    client.force_login(cast.reviewer)
    assert client.post(reverse("case-annual-report", args=[zone.pk]), {"year": "2023", "summary": "x"}
                       ).status_code == 403
