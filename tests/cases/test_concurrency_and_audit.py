"""Two people acting on one case at once: exactly one wins. The audit trail cannot be changed, not even by SQL."""
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from cases.errors import Conflict, DomainError
from cases.journeys import drive, prepare
from cases.models import AuditEntry, Case
from cases.services import perform_transition
from cases.workflow import State
from tests.factories import new_case


@pytest.mark.django_db
def test_a_stale_version_token_is_refused_with_a_conflict(cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    stale = case.version
    perform_transition(case_id=case.pk, name="recommend", actor=cast.reviewer, payload={"rank": 1},
                       expected_version=stale)
    case = Case.objects.get(pk=case.pk)
    with pytest.raises(Conflict) as refusal:
        perform_transition(case_id=case.pk, name="approve_creation", actor=cast.officer, expected_version=stale)
    assert refusal.value.http_status == 409
    assert Case.objects.get(pk=case.pk).state == State.RECOMMENDED


@pytest.mark.django_db
def test_audit_entries_have_no_update_or_delete_path_in_the_admin(admin_client, cast, call, clock):
    from django.contrib import admin

    from cases.admin import AuditEntryAdmin

    model_admin = AuditEntryAdmin(AuditEntry, admin.site)
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)
    assert not model_admin.has_add_permission(None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_moves_one_wins_the_other_gets_a_conflict(cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    # Two reviewers' decisions on the same submitted case at the same moment: recommend vs return.
    moves = [("recommend", {"rank": 1}), ("return_for_correction", {"comment": "材料不全"})]
    barrier = threading.Barrier(2)
    outcomes = []

    def run(name, payload):
        try:
            barrier.wait()
            perform_transition(case_id=case.pk, name=name, actor=cast.reviewer, payload=payload)
            outcomes.append(("won", name))
        except DomainError as error:
            outcomes.append((error.http_status, name))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=move) for move in moves]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [name for result, name in outcomes if result == "won"]
    losers = [result for result, name in outcomes if result != "won"]
    assert len(winners) == 1 and losers == [409]
    case.refresh_from_db()
    assert case.state == {"recommend": State.RECOMMENDED, "return_for_correction": State.RETURNED}[winners[0]]
    assert case.audit_entries.filter(kind="transition").values_list("name", flat=True).last() == winners[0]
    assert case.audit_entries.filter(kind="transition").count() == 2  # submit + the winner only


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_identical_moves_happen_once(cast, call, clock):
    case = drive(new_case(cast, call), State.RECOMMENDED, cast, clock)
    prepare(case, "approve_creation", cast, clock)
    barrier = threading.Barrier(4)
    results = []

    def run():
        try:
            barrier.wait()
            perform_transition(case_id=case.pk, name="approve_creation", actor=cast.officer)
            results.append(200)
        except DomainError as error:
            results.append(error.http_status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409, 409, 409]
    assert case.creation_decisions.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("sql", ["UPDATE cases_auditentry SET comment = 'rewritten'",
                                 "DELETE FROM cases_auditentry",
                                 "UPDATE cases_auditattachment SET document_id = document_id",
                                 "DELETE FROM cases_auditattachment"])
def test_postgresql_refuses_to_change_the_audit_trail(sql, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    perform_transition(case_id=case.pk, name="return_for_correction", actor=cast.reviewer,
                       payload={"comment": "补正", "attachments": [case.documents.first().pk]})
    before = list(AuditEntry.objects.values_list("pk", "comment"))
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert list(AuditEntry.objects.values_list("pk", "comment")) == before


@pytest.mark.django_db
def test_the_version_may_come_as_an_if_match_header_and_nonsense_is_a_400(cast, call, clock):
    from rest_framework.test import APIClient

    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client = APIClient()
    client.force_authenticate(cast.reviewer)
    url = f"/api/cases/{case.pk}/transitions/recommend/"
    assert client.post(url, {"rank": 1}, format="json", HTTP_IF_MATCH="abc").status_code == 400
    assert client.post(url, {"rank": 1}, format="json", HTTP_IF_MATCH=f'"{case.version - 1}"').status_code == 409
    assert client.post(url, {"rank": 1}, format="json", HTTP_IF_MATCH=f'W/"{case.version}"').status_code == 200
