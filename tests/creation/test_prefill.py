"""Self-assessment from the work (issue 9 item 7; 办法 第十二条): opening the sheet fills its inputs and evidence
from the evidence store, and its page shows the plan's tasks not completed."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from cases.journeys import _assessment_years
from creation import evidence, readiness
from creation.models import Check, Task
from evaluation import sheets

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_self_assessment_opens_filled_from_the_evidence(creating, cast):
    years = _assessment_years()
    add = evidence.add_evidence
    add(case_id=creating.pk, actor=cast.applicant, number=1, key="online_retail_sales", year=years[0], value="100",
        source="统计公报")
    first = add(case_id=creating.pk, actor=cast.applicant, number=3, key="online_traders", value="10", source="登记")
    add(case_id=creating.pk, actor=cast.applicant, number=3, corrects=first.pk, value="20", source="登记（更正）")
    add(case_id=creating.pk, actor=cast.applicant, number=3, key="market_entities", value="100", source="登记")
    doc = add(case_id=creating.pk, actor=cast.applicant, number=10, item="i10_1",
              file=SimpleUploadedFile("特色.pdf", PDF, content_type="application/pdf"))
    add(case_id=creating.pk, actor=cast.applicant, number=10, key="i10_1", value="1.5", source="自评")
    sheet, created = sheets.save_sheet(case_id=creating.pk, actor=cast.applicant)
    assert created
    assert sheet.inputs["online_traders"] == "20"  # the correction, not the corrected entry
    assert sheet.inputs["online_retail_sales"] == {str(years[0]): "100"}
    assert sheet.inputs["i10_1"] == "1.5"
    entry = sheet.entries.get(number=10)
    assert list(entry.evidence.values_list("pk", flat=True)) == [doc.document_id]
    # the sheet's score is readiness's score: the same inputs, the same engine
    assert sheet.total_score == readiness.score_inputs(
        creating, sheet.system, readiness.inputs_now(creating, sheet.system)).total


def test_the_sheet_page_shows_the_plans_tasks_not_completed(units, creating, cast):
    plan = units["plan"]
    Task.objects.create(plan=plan, number=1, title="建设网络交易监管平台", lead_unit=units["market"],
                        due_on=datetime.date(2024, 6, 30))
    Task.objects.create(plan=plan, number=2, title="完成电商统计监测", lead_unit=units["commerce"],
                        status=Task.Status.DONE)
    # A case with a structured plan opens its self-assessment after the acceptance check (creation.reports).
    Check.objects.create(case=creating, kind=Check.Kind.ACCEPTANCE, conclusion="同意开展自评", recorded_by=cast.applicant)
    sheet, _created = sheets.save_sheet(case_id=creating.pk, actor=cast.applicant)
    client = APIClient()
    client.force_login(cast.applicant)
    page = client.get(f"/cases/{creating.pk}/score-sheets/{sheet.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "建设网络交易监管平台" in body and "完成电商统计监测" not in body
    assert 'data-testid="open-plan-tasks"' in body
