"""Progress reports with reading receipts, unit self-checks and the acceptance check, the self-assessment guard
(办法 第十二条), their scope, the API and the pages (creation.reports, reports_api, reports_views)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from cases.errors import GuardFailed
from cases.models import AuditEntry
from creation import reports
from creation.models import Check, ProgressReport, ReportReceipt
from notifications.models import Notification
from tests.creation.reports_world import make_world
from tests.factories import UserFactory, reviewer_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(call, clock):
    return make_world(call, clock)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def reports_url(case):
    return f"/api/cases/{case.pk}/progress-reports/"


def checks_url(case):
    return f"/api/cases/{case.pk}/checks/"


def _submit(world, period="2026年第1季度"):
    return api(world.office).post(reports_url(world.case), {"period": period, "body": "完成了任务分解。"},
                                  format="json")


# ── progress reports ─────────────────────────────────────────────────────────────────────────────────────────
def test_the_office_submits_a_report_and_province_and_samr_are_told(world):
    response = _submit(world)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["period"] == "2026年第1季度" and body["receipts"] == []
    told = set(Notification.objects.filter(event="creation_progress_report").values_list("recipient__username",
                                                                                        flat=True))
    assert {world.cast.reviewer.username, world.cast.officer.username} <= told
    assert world.office.username not in told
    assert AuditEntry.objects.filter(case=world.case, name="creation_progress_report").exists()


def test_a_report_with_a_file_by_multipart_and_bad_input_is_a_400(world):
    client = api(world.office)
    response = client.post(reports_url(world.case), {"period": "2026年上半年", "body": "进展",
                                                     "file": SimpleUploadedFile("r.pdf", PDF)}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["document"]["url"].endswith(f"/creation/files/{response.json()['document']['id']}/")
    assert client.post(reports_url(world.case), {"period": " ", "body": "x"}, format="json").status_code == 400
    bad = client.post(reports_url(world.case), {"period": "p", "body": "x",
                                                "file": SimpleUploadedFile("r.pdf", b"MZ not a pdf")},
                      format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()["errors"]
    assert ProgressReport.objects.count() == 1  # nothing half-written


def test_receipts_once_per_organisation_and_the_office_sees_who_read_when(world):
    report_id = _submit(world).json()["id"]
    url = f"{reports_url(world.case)}{report_id}/"
    colleague = reviewer_for("330000", username="reviewer-2")
    assert api(world.cast.reviewer).get(url).status_code == 200
    assert api(colleague).get(url).status_code == 200  # same province: no second receipt
    assert api(world.cast.reviewer).get(url).status_code == 200
    assert api(world.cast.officer).get(url).status_code == 200
    assert ReportReceipt.objects.filter(report_id=report_id).count() == 2
    first = ReportReceipt.objects.get(report_id=report_id, organisation=world.cast.reviewer.organisation)
    assert first.reader == world.cast.reviewer  # the first reader of the organisation
    assert api(world.office).get(url).status_code == 200  # the office reading leaves no receipt
    rows = api(world.office).get(reports_url(world.case)).json()
    assert {r["organisation"] for r in rows[0]["receipts"]} == {
        world.cast.reviewer.organisation.name, world.cast.officer.organisation.name}


def test_listing_is_not_reading(world):
    _submit(world)
    rows = api(world.cast.reviewer).get(reports_url(world.case)).json()
    assert rows[0]["read_by_us"] is False and "body" not in rows[0]
    assert ReportReceipt.objects.count() == 0


def test_scope_of_progress_reports(world, other_cast, call, clock):
    report_id = _submit(world).json()["id"]
    other = make_world(call, clock, "320100", plan=False, prefix="o")
    assert api(other.cast.reviewer).get(reports_url(world.case)).status_code == 404  # another province
    assert api(other.office).get(f"{reports_url(world.case)}{report_id}/").status_code == 404
    assert api(other.office).post(reports_url(world.case), {"period": "x", "body": "y"},
                                  format="json").status_code == 404
    assert api(world.liaisons["market"]).get(reports_url(world.case)).status_code == 403
    assert api(world.cast.reviewer).post(reports_url(world.case), {"period": "x", "body": "y"},
                                         format="json").status_code == 403
    expert = UserFactory(username="an-expert", role=Role.SAMR_EXPERT)
    assert api(expert).get(reports_url(world.case)).status_code == 403
    assert APIClient().get(reports_url(world.case)).status_code == 401


def test_the_report_list_takes_the_same_queries_for_1_or_5_reports(world):
    counts = []
    for n in (1, 5):
        while ProgressReport.objects.count() < n:
            _submit(world, period=f"第{ProgressReport.objects.count()}期")
        for report in ProgressReport.objects.all():
            reports.read_progress_report(user=world.cast.reviewer, case=world.case, report_id=report.pk)
        with CaptureQueriesContext(connection) as queries:
            assert len(api(world.office).get(reports_url(world.case)).json()) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ── checks ───────────────────────────────────────────────────────────────────────────────────────────────────
def test_a_liaison_records_and_sees_only_its_own_units_self_check(world):
    market, county = world.liaisons["market"], world.liaisons["county"]
    response = api(market).post(checks_url(world.case), {"kind": "unit_self_check", "conclusion": "已完成自查。"},
                                format="json")
    assert response.status_code == 201, response.content
    assert response.json()["unit"] == world.units["market"].pk
    # a liaison cannot record for another unit
    refused = api(market).post(checks_url(world.case), {"kind": "unit_self_check", "unit": world.units["county"].pk,
                                                        "conclusion": "x"}, format="json")
    assert refused.status_code == 400
    assert api(market).post(checks_url(world.case), {"kind": "acceptance", "conclusion": "x"},
                            format="json").status_code == 403
    assert api(world.office).post(checks_url(world.case), {"kind": "unit_self_check", "unit": world.units["county"].pk,
                                                           "conclusion": "代县里记录。"}, format="json").status_code == 201
    assert [c["unit"] for c in api(market).get(checks_url(world.case)).json()] == [world.units["market"].pk]
    assert [c["unit"] for c in api(county).get(checks_url(world.case)).json()] == [world.units["county"].pk]
    assert len(api(world.office).get(checks_url(world.case)).json()) == 2
    assert len(api(world.cast.reviewer).get(checks_url(world.case)).json()) == 2
    assert AuditEntry.objects.filter(case=world.case, name="creation_unit_self_check").count() == 2


def test_acceptance_by_the_office_names_the_units_without_a_self_check(world):
    response = api(world.office).post(checks_url(world.case), {"kind": "acceptance", "conclusion": "验收合格。"},
                                      format="json")
    assert response.status_code == 201
    entry = AuditEntry.objects.get(case=world.case, name="creation_acceptance")
    assert set(entry.data["units_without_self_check"]) == {"市市场监管局", "某县人民政府"}
    assert api(world.cast.reviewer).post(checks_url(world.case), {"kind": "acceptance", "conclusion": "x"},
                                         format="json").status_code == 403


def test_scope_of_checks(world, call, clock):
    other = make_world(call, clock, "320100", plan=False, prefix="o")
    assert api(other.liaisons["market"]).get(checks_url(world.case)).status_code == 404
    refused = api(other.liaisons["market"]).post(checks_url(world.case), {"kind": "unit_self_check",
                                                                          "conclusion": "x"}, format="json")
    assert refused.status_code == 404
    assert api(other.cast.reviewer).get(checks_url(world.case)).status_code == 404


# ── the guard (办法 第十二条) ────────────────────────────────────────────────────────────────────────────────────
def test_a_case_with_a_plan_self_assesses_only_after_its_acceptance_check(world):
    from evaluation.sheets import save_sheet
    from indicators.services import load_seed_systems

    load_seed_systems()

    with pytest.raises(GuardFailed) as refused:
        save_sheet(case_id=world.case.pk, actor=world.office)
    assert "办法 第十二条" in str(refused.value.message)
    response = api(world.office).post(f"/api/cases/{world.case.pk}/score-sheets/", {}, format="json")
    assert response.status_code == 409 and "第十二条" in response.json()["detail"]
    reports.record_check(case_id=world.case.pk, actor=world.office, kind=Check.Kind.ACCEPTANCE, conclusion="验收合格")
    sheet, created = save_sheet(case_id=world.case.pk, actor=world.office)
    assert created


def test_a_case_without_a_plan_self_assesses_as_before(call, clock):
    from evaluation.sheets import save_sheet
    from indicators.services import load_seed_systems

    load_seed_systems()

    world = make_world(call, clock, plan=False)
    sheet, created = save_sheet(case_id=world.case.pk, actor=world.office)
    assert created


# ── milestones API ───────────────────────────────────────────────────────────────────────────────────────────
def test_milestones_api_shows_a_liaison_its_own_tasks(world):
    rows = api(world.liaisons["county"]).get(f"/api/cases/{world.case.pk}/milestones/").json()
    assert [r["title"] for r in rows if r["kind"] == "task"] == ["推进县域电商发展"]
    rows = api(world.office).get(f"/api/cases/{world.case.pk}/milestones/").json()
    assert len([r for r in rows if r["kind"] == "task"]) == 2 and not any(r["overdue"] for r in rows)


# ── pages ────────────────────────────────────────────────────────────────────────────────────────────────────
def test_pages_submit_keep_what_was_typed_and_read(world, client):
    client.force_login(world.office)
    url = reverse("creation-progress-reports", args=[world.case.pk])
    page = client.get(url)
    assert page.status_code == 200 and "报送进展报告" in page.content.decode()
    failed = client.post(url, {"period": "2026年第1季度", "body": ""})
    assert failed.status_code == 400 and "2026年第1季度" in failed.content.decode()
    done = client.post(url, {"period": "2026年第1季度", "body": "进展顺利"})
    assert done.status_code == 302
    client.force_login(world.cast.reviewer)
    read = client.get(done["Location"])
    assert read.status_code == 200 and "已记录本机构的阅读回执" in read.content.decode()
    assert ReportReceipt.objects.count() == 1
    client.force_login(world.liaisons["market"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("creation-checks", args=[world.case.pk])).status_code == 200
    assert client.get(reverse("creation-milestones", args=[world.case.pk])).status_code == 200


def test_home_queues_unread_reports_and_overdue_milestones(world, client, clock):
    import datetime

    from tests.conftest import SHANGHAI

    _submit(world)
    client.force_login(world.cast.reviewer)
    page = client.get("/").content.decode()
    assert 'data-queue="progress_reports_unread"' in page
    client.get(reverse("creation-progress-report", args=[world.case.pk, ProgressReport.objects.get().pk]))
    assert 'data-queue="progress_reports_unread"' not in client.get("/").content.decode()
    clock.move_to(datetime.datetime.combine(world.tasks[0].due_on + datetime.timedelta(days=1),
                                            datetime.time(10), tzinfo=SHANGHAI))
    client.force_login(world.office)
    page = client.get("/").content.decode()
    assert 'data-queue="creation_overdue"' in page and "完善网络市场监管机制" in page
    milestones_page = client.get(reverse("creation-milestones", args=[world.case.pk])).content.decode()
    assert 'data-overdue="1"' in milestones_page


def test_the_case_page_names_the_article_when_the_self_assessment_cannot_open(world, client):
    from indicators.services import load_seed_systems

    load_seed_systems()
    client.force_login(world.office)
    response = client.post(reverse("score-sheet-open", args=[world.case.pk]), follow=True)
    page = response.content.decode()
    assert "须先记录创建验收" in page and "办法 第十二条" in page


def test_an_attached_file_is_served_only_to_those_who_see_its_record(world, client):
    report = reports.submit_progress_report(case_id=world.case.pk, actor=world.office, period="p", body="b",
                                            file=SimpleUploadedFile("r.pdf", PDF))
    check = reports.record_check(case_id=world.case.pk, actor=world.liaisons["market"], kind="unit_self_check",
                                 conclusion="c", file=SimpleUploadedFile("c.pdf", PDF))
    report_file = reverse("creation-record-file", args=[world.case.pk, report.document_id])
    check_file = reverse("creation-record-file", args=[world.case.pk, check.document_id])
    for user, report_status, check_status in [(world.cast.reviewer, 200, 200), (world.office, 200, 200),
                                              (world.liaisons["market"], 404, 200),
                                              (world.liaisons["county"], 404, 404)]:
        client.force_login(user)
        assert client.get(report_file).status_code == report_status, user
        assert client.get(check_file).status_code == check_status, user


def test_checks_list_and_milestones_page_take_fixed_queries(world, client):
    from creation.models import Task

    counts = {"checks": [], "milestones": []}
    client.force_login(world.office)
    for n in (1, 4):
        while Check.objects.count() < n:
            reports.record_check(case_id=world.case.pk, actor=world.office, kind="unit_self_check",
                                 unit_id=world.units["county"].pk, conclusion="c")
        while Task.objects.count() < n + 2:
            Task.objects.create(plan=world.plan, number=Task.objects.count() + 1, title="t",
                                lead_unit=world.units["market"], phase=world.phases[0], due_on=world.tasks[0].due_on)
        with CaptureQueriesContext(connection) as queries:
            assert len(api(world.office).get(checks_url(world.case)).json()) == n
        counts["checks"].append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("creation-milestones", args=[world.case.pk])).status_code == 200
        counts["milestones"].append(len(queries))
    assert counts["checks"][0] == counts["checks"][1]
    assert counts["milestones"][0] == counts["milestones"][1]


def test_the_hub_panel_renders_for_the_office_a_reader_and_a_liaison(world, rf):
    from django.template.loader import render_to_string

    _submit(world)
    for user, expect_unread in [(world.office, False), (world.cast.reviewer, True),
                                (world.liaisons["market"], False)]:
        request = rf.get("/")
        request.user = user
        html = render_to_string("creation/reports/_hub_panel.html", {"case": world.case}, request=request)
        assert 'data-testid="reports-panel"' in html
        assert ('data-testid="hub-unread"' in html) == expect_unread
        assert ("/creation/reports/" in html) == (user != world.liaisons["market"])
