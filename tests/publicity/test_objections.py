"""办法 第十五条: anyone may object while a notice runs. Every accepted objection is stored with exactly one audit
entry, SAMR's notification and a receipt — together or not at all — however many arrive at once."""
import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from cases.journeys import drive
from cases.workflow import State
from notifications.models import Notification
from publicity.models import Objection
from tests.factories import new_case


def _running_notice(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    return case, case.notices.get()


@pytest.mark.django_db
def test_an_accepted_objection_gets_a_receipt_an_audit_entry_and_samr_is_told(cast, call, clock):
    case, notice = _running_notice(cast, call, clock)
    response = APIClient().post(f"/api/public/notices/{notice.listing_id}/objections/",
                                {"name": "公众", "contact": "13800000000", "content": "数据存疑"}, format="json")
    assert response.status_code == 201
    receipt = response.json()["receipt"]
    assert receipt and receipt in response.json()["detail"]
    objection = Objection.objects.get()
    assert objection.receipt == receipt
    entries = case.audit_entries.filter(name="objection_filed")
    assert [e.data["objection"] for e in entries] == [objection.pk]
    assert Notification.objects.filter(case=case, event="objection_filed", recipient=cast.officer).exists()


@pytest.mark.django_db
def test_a_refused_objection_is_not_stored(cast, call, clock):
    case, notice = _running_notice(cast, call, clock)
    clock.move_to(f"{notice.last_day.isoformat()}T23:59:00+08:00")
    clock.shift(120)  # the notice's last day is over (Asia/Shanghai)
    response = APIClient().post(f"/api/public/notices/{notice.listing_id}/objections/",
                                {"name": "公众", "contact": "138", "content": "迟到的异议"}, format="json")
    assert response.status_code == 400
    assert str(notice.first_day) in response.json()["detail"] and str(notice.last_day) in response.json()["detail"]
    assert not Objection.objects.exists()
    assert not case.audit_entries.filter(name="objection_filed").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_objections_at_once_are_all_accepted_each_with_exactly_one_audit_entry(cast, call, clock):
    case, notice = _running_notice(cast, call, clock)
    barrier = threading.Barrier(20)
    statuses = []

    def run(i):
        try:
            barrier.wait()
            response = APIClient().post(f"/api/public/notices/{notice.listing_id}/objections/",
                                        {"name": f"公众{i}", "contact": "138", "content": f"异议 {i}"}, format="json")
            statuses.append((response.status_code, response.json().get("receipt")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s for s, _ in statuses) == [201] * 20
    receipts = {r for _, r in statuses}
    assert len(receipts) == 20
    assert set(Objection.objects.values_list("receipt", flat=True)) == receipts
    filed = case.audit_entries.filter(name="objection_filed")
    assert sorted(e.data["objection"] for e in filed) == sorted(Objection.objects.values_list("pk", flat=True))
    sequences = list(case.audit_entries.values_list("sequence", flat=True).order_by("sequence"))
    assert sequences == list(range(1, len(sequences) + 1))
