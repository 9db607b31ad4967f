"""GET /api/cases/ builds its rows directly (cases.serializers.CaseListSerializer.to_representation, issue 13):
the answer is exactly DRF's field-by-field one, for every kind of row."""
import datetime

import pytest
from rest_framework import serializers

from cases.models import Case
from cases.serializers import CaseListSerializer
from cases.services import create_case
from cases.workflow import State

pytestmark = pytest.mark.django_db


def generic(case):
    return serializers.ModelSerializer.to_representation(CaseListSerializer(), case)


def test_the_direct_rows_are_drfs_rows(cast, other_cast, call):
    hangzhou = create_case(actor=cast.applicant, title="杭州（测试）", call=call)
    nanjing = create_case(actor=other_cast.applicant, title="南京（测试）", call=call)
    end = datetime.date(2028, 3, 1)
    Case.objects.filter(pk=nanjing.pk).update(
        state=State.CREATING, creation_start=datetime.date(2026, 3, 1), creation_end=end, lapse_flagged_for=end,
        submitted_at=datetime.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=datetime.timezone.utc),
        designated_on=datetime.date(2026, 5, 6), evaluation_failures=2)
    for case in Case.objects.select_related("creation_object__province", "rule_set", "call"):
        fast = CaseListSerializer(case).data
        assert list(fast) == CaseListSerializer.Meta.fields
        assert dict(fast) == generic(case)
        assert [type(v) for v in fast.values()] == [type(v) for v in generic(case).values()]
    assert CaseListSerializer(Case.objects.get(pk=nanjing.pk)).data["lapse_decision_due"] is True
    assert generic(hangzhou) == CaseListSerializer(hangzhou).data


def test_the_api_answers_the_same_rows(client, cast, call):
    create_case(actor=cast.applicant, title="杭州（测试）", call=call)
    client.force_login(cast.officer)
    rows = client.get("/api/cases/").json()["results"]
    assert rows == [generic(case) for case in Case.objects.order_by("-created_at", "-pk")]
