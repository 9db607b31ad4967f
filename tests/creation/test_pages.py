"""The workspace's pages: the hub and the task list in a fixed number of queries, the forms keep what was typed, a
liaison's home page lists their unit's tasks due soon, the revisions page shows the diff."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from creation import services, xlsx
from creation.models import Task, TaskProgress

from .conftest import simple_plan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _more_tasks(ws, n):
    for i in range(n):
        services.create_task(case_id=ws.case.pk, actor=ws.office, title=f"任务{i}", lead_unit=ws.scj.pk,
                             co_units=[ws.county.pk], phase=2, due_on=datetime.date(2026, 3, 20))


def _count(fn):
    with CaptureQueriesContext(connection) as queries:
        response = fn()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_hub_and_task_list_take_a_fixed_number_of_queries(ws, client):
    simple_plan(ws)
    api = APIClient()
    counts = []
    for extra in (0, 8):
        _more_tasks(ws, extra)
        row = []
        for user in (ws.office, ws.liaison_scj, ws.cast.officer):
            client.force_login(user)
            row.append(_count(lambda: client.get(f"/cases/{ws.case.pk}/creation/")))
            row.append(_count(lambda: client.get(f"/cases/{ws.case.pk}/creation/tasks/")))
            api.force_authenticate(user)
            row.append(_count(lambda: api.get(f"/api/cases/{ws.case.pk}/plan/tasks/")))
        counts.append(row)
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_hub_shows_the_liaisons_own_tasks_and_is_read_only_for_readers(ws, client):
    simple_plan(ws)
    client.force_login(ws.liaison_county)
    page = client.get(f"/cases/{ws.case.pk}/creation/").content.decode()
    assert "临安区" in page and "开展协同监管" in page and "助力共同富裕" in page and "加强数字化监管" not in page
    client.force_login(ws.cast.reviewer)
    page = client.get(f"/cases/{ws.case.pk}/creation/").content.decode()
    assert 'data-testid="read-only"' in page and "加强数字化监管" in page
    assert 'data-testid="import-form"' not in client.get(f"/cases/{ws.case.pk}/creation/plan/").content.decode()
    assert client.post(f"/cases/{ws.case.pk}/creation/units/", {"name": "市商务局", "kind": "department"}).status_code == 400


@pytest.mark.django_db
def test_the_case_page_links_to_the_workspace(ws, client):
    client.force_login(ws.office)
    page = client.get(f"/cases/{ws.case.pk}/").content.decode()
    assert f'href="/cases/{ws.case.pk}/creation/"' in page


@pytest.mark.django_db
def test_unit_and_liaison_forms_keep_what_was_typed(ws, client):
    client.force_login(ws.office)
    refused = client.post(f"/cases/{ws.case.pk}/creation/units/", {"name": "市市场监管局", "kind": "department"})
    assert refused.status_code == 400 and "已存在" in refused.content.decode()
    prefix = f"l{ws.scj.pk}"
    weak = client.post(f"/cases/{ws.case.pk}/creation/units/{ws.scj.pk}/liaisons/",
                       {f"{prefix}-username": "new-liaison", f"{prefix}-name": "张三", f"{prefix}-password": "123"})
    assert weak.status_code == 400
    assert 'value="new-liaison"' in weak.content.decode()
    ok = client.post(f"/cases/{ws.case.pk}/creation/units/{ws.scj.pk}/liaisons/",
                     {f"{prefix}-username": "new-liaison", f"{prefix}-name": "张三",
                      f"{prefix}-password": "Strong-pass-77"})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_liaison_reports_progress_with_an_attachment_on_the_page(ws, client):
    t1, t2, t3 = simple_plan(ws)
    client.force_login(ws.liaison_scj)
    page = client.get(f"/cases/{ws.case.pk}/creation/tasks/{t1.pk}/").content.decode()
    assert 'data-testid="progress-form"' in page and 'data-testid="task-edit-form"' not in page
    answer = client.post(f"/cases/{ws.case.pk}/creation/tasks/{t1.pk}/progress/",
                         {"text": "平台已接入", "status": "in_progress", "version": 1,
                          "file": SimpleUploadedFile("接入说明.pdf", PDF, content_type="application/pdf")})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    note = TaskProgress.objects.get(task=t1)
    assert note.unit == ws.scj and note.attachments.get().kind == "creation_evidence"
    assert Task.objects.get(pk=t1.pk).status == "in_progress"
    assert client.get(f"/cases/{ws.case.pk}/creation/tasks/{t3.pk}/").status_code == 404
    assert client.post(f"/cases/{ws.case.pk}/creation/tasks/{t3.pk}/progress/",
                       {"text": "x", "status": "done"}).status_code == 404


@pytest.mark.django_db
def test_the_liaisons_home_page_lists_their_tasks_due_soon(ws, client):
    simple_plan(ws)
    client.force_login(ws.liaison_scj)
    page = client.get("/").content.decode()
    assert 'data-queue="my_tasks_due"' in page and "加强数字化监管" in page
    assert "助力共同富裕" not in page  # another unit's task


@pytest.mark.django_db
def test_the_revisions_page_shows_the_diff_between_two_versions(ws, client):
    t1, t2, t3 = simple_plan(ws)
    services.update_task(case_id=ws.case.pk, actor=ws.office, task_id=t3.pk, lead_unit=ws.scj.pk)
    client.force_login(ws.office)
    page = client.get(f"/cases/{ws.case.pk}/creation/plan/revisions/?a=4&b=5").content.decode()
    assert 'data-testid="diff"' in page and "临安区" in page and "lead_unit" in page


@pytest.mark.django_db
def test_the_import_page_lists_the_errors_and_keeps_the_option(ws, client):
    client.force_login(ws.office)
    data = xlsx.build_workbook(tasks=[(1, "升级公共服务", "", "", "市数局", "", None)])
    page = client.post(f"/cases/{ws.case.pk}/creation/plan/import/",
                       {"file": SimpleUploadedFile("p.xlsx", data), "create_units": ""})
    assert page.status_code == 400
    assert "任务分工 第2行 E列：单位“市数局”不存在" in page.content.decode()
    done = client.post(f"/cases/{ws.case.pk}/creation/plan/import/",
                       {"file": SimpleUploadedFile("p.xlsx", data), "create_units": "on"})
    assert done.status_code == 302


@pytest.mark.django_db
def test_office_renames_and_retires_a_unit_on_the_page(ws, client):
    from creation.models import Unit

    prefix = f"u{ws.county.pk}"
    url = f"/cases/{ws.case.pk}/creation/units/{ws.county.pk}/"
    client.force_login(ws.cast.reviewer)
    assert client.post(url, {f"{prefix}-name": "临安区（新）", f"{prefix}-kind": "county"}).status_code == 400
    client.force_login(ws.office)
    taken = client.post(url, {f"{prefix}-name": "市市场监管局", f"{prefix}-kind": "county", f"{prefix}-active": "on"})
    assert taken.status_code == 400 and 'value="市市场监管局"' in taken.content.decode()
    done = client.post(url, {f"{prefix}-name": "临安区（新）", f"{prefix}-kind": "county"})  # active unticked: retired
    assert done.status_code == 302
    unit = Unit.objects.get(pk=ws.county.pk)
    assert unit.name == "临安区（新）" and not unit.active


def test_a_liaisons_notification_opens_the_workspace_not_the_case_page(ws, client):
    """Every case page is a 404 for a liaison: their notices link to the creation workspace instead."""
    from notifications.models import Notification

    Notification.objects.create(recipient=ws.liaison_scj, case=ws.case, event="test", subject="任务即将到期")
    Notification.objects.create(recipient=ws.office, case=ws.case, event="test", subject="任务即将到期")
    client.force_login(ws.liaison_scj)
    page = client.get("/notifications/").content.decode()
    assert f'href="/cases/{ws.case.pk}/creation/"' in page
    assert f'href="/cases/{ws.case.pk}/"' not in page
    assert client.get(f"/cases/{ws.case.pk}/creation/").status_code == 200
    client.force_login(ws.office)
    assert f'href="/cases/{ws.case.pk}/"' in client.get("/notifications/").content.decode()
