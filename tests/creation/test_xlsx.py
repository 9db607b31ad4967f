"""The plan's workbook (issue #9, part 3 and 11): export → import gives the same plan; every error is reported with
its sheet, row and column, and nothing is written unless every row is good."""
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from creation import services, xlsx
from creation.models import Plan, Unit

from .conftest import simple_plan

D = datetime.date(2026, 4, 1)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(data, name="plan.xlsx"):
    return SimpleUploadedFile(name, data, content_type=xlsx.CONTENT_TYPE)


@pytest.mark.django_db
def test_export_then_import_gives_the_same_plan(ws):
    simple_plan(ws)
    services.set_responsibility(case_id=ws.case.pk, actor=ws.office, number="3", lead_unit=ws.scj.pk,
                                co_units=[ws.county.pk])
    plan = Plan.objects.get(case=ws.case)
    before = services.snapshot(plan)
    version_before = plan.version
    exported = api(ws.office).get(f"/api/cases/{ws.case.pk}/plan/workbook/")
    assert exported.status_code == 200 and exported["Content-Type"] == xlsx.CONTENT_TYPE
    answer = api(ws.office).post(f"/api/cases/{ws.case.pk}/plan/workbook/",
                                 {"file": upload(exported.content), "version": plan.version}, format="multipart")
    assert answer.status_code == 201, answer.content
    plan.refresh_from_db()
    assert answer.json()["version"] == plan.version == version_before  # the same plan: no new version
    assert services.snapshot(plan) == before
    assert answer.json()["created_units"] == []


@pytest.mark.django_db
def test_import_reports_every_error_with_sheet_row_and_column_and_writes_nothing(ws):
    data = xlsx.build_workbook(
        goals="目标",
        phases=[(1, "启动部署", D, D + datetime.timedelta(days=30), ""), (2, "组织实施", "2026-13-01", D, "")],
        tasks=[(1, "加强数字化监管", "", "启动部署", "市市场监管局", "", D),
               (2, "开展协同监管", "", "不存在的阶段", "市市场监管局", "临安区", "明天"),
               (3, "", "", "", "", "", None),
               (4, "升级公共服务", "", "", "市数局", "市市场监管局、市商务局", None)],
        responsibilities=[(1, "", "市市场监管局", ""), (99, "", "市市场监管局", "")])
    answer = api(ws.office).post(f"/api/cases/{ws.case.pk}/plan/workbook/", {"file": upload(data)},
                                 format="multipart")
    assert answer.status_code == 400
    cells = {(c["sheet"], c["row"], c["column"]) for c in answer.json()["cells"]}
    assert ("阶段安排", 3, "C") in cells  # 2026-13-01
    assert ("任务分工", 3, "D") in cells  # unknown phase
    assert ("任务分工", 3, "G") in cells  # 明天
    assert ("任务分工", 4, "B") in cells and ("任务分工", 4, "E") in cells  # no title, no lead
    assert ("指标责任分工", 3, "A") in cells  # indicator 99
    assert not Plan.objects.filter(case=ws.case).exists()
    # the unknown units are reported once the rows are well formed
    good_rows = xlsx.build_workbook(
        phases=[(1, "启动部署", D, D + datetime.timedelta(days=30), "")],
        tasks=[(1, "升级公共服务", "", "启动部署", "市数局", "市市场监管局、市商务局", D)],
        responsibilities=[(1, "", "市市场监管局", "")])
    answer = api(ws.office).post(f"/api/cases/{ws.case.pk}/plan/workbook/", {"file": upload(good_rows)},
                                 format="multipart")
    assert answer.status_code == 400
    texts = [c["text"] for c in answer.json()["cells"]]
    assert "任务分工 第2行 E列：单位“市数局”不存在" in texts[0]
    assert any(t.startswith("任务分工 第2行 F列：单位“市商务局”不存在") for t in texts)
    assert not Plan.objects.filter(case=ws.case).exists()
    # with the option, the import adds them
    answer = api(ws.office).post(f"/api/cases/{ws.case.pk}/plan/workbook/",
                                 {"file": upload(good_rows), "create_units": True}, format="multipart")
    assert answer.status_code == 201
    assert sorted(answer.json()["created_units"]) == ["市商务局", "市数局"]
    assert Unit.objects.get(name="市数局", creation_object=ws.case.creation_object).kind == "department"


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_is_a_400(ws):
    answer = api(ws.office).post(f"/api/cases/{ws.case.pk}/plan/workbook/",
                                 {"file": upload(b"%PDF-1.4 not a workbook")}, format="multipart")
    assert answer.status_code == 400 and "xlsx" in answer.json()["cells"][0]["text"]


@pytest.mark.django_db
def test_a_task_with_progress_cannot_be_dropped_by_an_import(ws):
    t1, t2, t3 = simple_plan(ws)
    services.add_progress(case_id=ws.case.pk, actor=ws.liaison_county, task_id=t3.pk, text="已启动")
    data = xlsx.build_workbook(phases=[], tasks=[(1, "加强数字化监管", "", "", "市市场监管局", "", None)])
    with pytest.raises(xlsx.WorkbookRefused) as refusal:
        xlsx.import_plan(case_id=ws.case.pk, actor=ws.office, data=data)
    assert "第 3 号任务已有进展记录" in str(refusal.value.cell_errors[0])


@pytest.mark.django_db
def test_the_template_lists_the_indicators_of_the_cases_version(ws):
    body = api(ws.office).get(f"/api/cases/{ws.case.pk}/plan/workbook/?template=1").content
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["创建目标", "阶段安排", "任务分工", "指标责任分工"]
    rows = list(book["指标责任分工"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 25 and rows[0][0] == 1
    assert api(ws.liaison_scj).get(f"/api/cases/{ws.case.pk}/plan/workbook/").status_code == 404
