"""文号 gapless per issuer, kind and year, also when two acts issue at once; an issued document never changes."""
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from cases.errors import DomainError
from cases.journeys import create_case_for, drive, prepare
from cases.services import perform_transition
from cases.workflow import State
from official.models import DocumentKind, ImmutableDocumentError, NumberingRule, OfficialDocument
from official.numbering import rule_for


@pytest.mark.django_db
def test_numbering_rules_are_data_per_issuer_and_kind():
    from regions.models import Province

    assert NumberingRule.objects.get(issuer_kind="samr", kind="approval").format(year=2026, n=12) == "市监网监〔2026〕12号"
    zhejiang = NumberingRule.objects.get(province=Province.objects.get(code="330000"), kind="recommendation")
    assert zhejiang.format(year=2026, n=3) == "浙市监网函〔2026〕3号"
    assert NumberingRule.objects.filter(issuer_kind="province", kind="recommendation").count() == Province.objects.count()
    announcement = NumberingRule.objects.get(issuer_kind="samr", kind="announcement")
    assert announcement.format(year=2026, n=1) == "市场监管总局公告2026年第1号"
    # The prefixes of one issuer differ by kind, so a 文号 names one document.
    samr = NumberingRule.objects.filter(issuer_kind="samr").values_list("prefix", flat=True)
    assert len(set(samr)) == len(samr)


@pytest.mark.django_db
def test_an_issuer_without_a_rule_still_gets_unique_readable_numbers(cast):
    NumberingRule.objects.filter(issuer_kind="samr", kind="sanction").delete()
    rule = rule_for(cast.officer.organisation, DocumentKind.SANCTION)
    assert rule.format(year=2026, n=1) == f"{cast.officer.organisation.name}动态管理决定〔2026〕1号"


@pytest.mark.django_db
def test_an_issued_document_refuses_to_change(cast, call, clock):
    case = drive(create_case_for(cast, call), State.CREATING, cast, clock)
    document = OfficialDocument.objects.get(case=case, kind=DocumentKind.APPROVAL)
    document.title = "改过的标题"
    with pytest.raises(ImmutableDocumentError):
        document.save()
    with pytest.raises(ImmutableDocumentError):
        document.delete()


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("sql", ["UPDATE official_officialdocument SET sha256 = 'x'",
                                 "DELETE FROM official_officialdocument"])
def test_postgresql_refuses_to_change_an_issued_document(sql, cast, call, clock):
    drive(create_case_for(cast, call), State.CREATING, cast, clock)
    before = list(OfficialDocument.objects.values_list("pk", "sha256"))
    with pytest.raises(DatabaseError, match="never changed"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert list(OfficialDocument.objects.values_list("pk", "sha256")) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_issued_at_once_take_consecutive_numbers_with_no_gap(cast, other_cast, call, clock):
    first = drive(create_case_for(cast, call), State.RECOMMENDED, cast, clock)
    second = drive(create_case_for(other_cast, call), State.RECOMMENDED, other_cast, clock)
    payloads = {case.pk: prepare(case, "approve_creation", cast, clock) for case in (first, second)}
    barrier = threading.Barrier(2)
    outcomes = []

    def run(case_id):
        try:
            barrier.wait()
            perform_transition(case_id=case_id, name="approve_creation", actor=cast.officer,
                               payload=payloads[case_id])
            outcomes.append("issued")
        except DomainError as error:  # pragma: no cover — would fail the assertion below
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(case.pk,)) for case in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == ["issued", "issued"]
    numbers = sorted(OfficialDocument.objects.filter(kind=DocumentKind.APPROVAL).values_list("sequence", flat=True))
    assert numbers == [1, 2]
    assert set(OfficialDocument.objects.filter(kind=DocumentKind.APPROVAL).values_list("number", flat=True)) == {
        "市监网监〔2026〕1号", "市监网监〔2026〕2号"}


@pytest.mark.django_db
def test_numbers_run_per_issuer_and_kind(cast, other_cast, call, clock):
    drive(create_case_for(cast, call), State.CREATING, cast, clock)
    drive(create_case_for(other_cast, call), State.CREATING, other_cast, clock)
    recommendations = dict(OfficialDocument.objects.filter(kind=DocumentKind.RECOMMENDATION)
                           .values_list("issuer__province__code", "number"))
    # Each province's bureau numbers its own letters from 1; SAMR's approvals run 1, 2.
    assert recommendations == {"330000": "浙市监网函〔2026〕1号", "320000": "苏市监网函〔2026〕1号"}
    assert sorted(OfficialDocument.objects.filter(kind=DocumentKind.APPROVAL).values_list("sequence", flat=True)) == [1, 2]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_corrections_of_one_document_at_once_issue_one_and_leave_no_gap(cast, call, clock):
    from official.services import correct

    case = drive(create_case_for(cast, call), State.CREATING, cast, clock)
    original = OfficialDocument.objects.get(case=case, kind=DocumentKind.APPROVAL)
    barrier = threading.Barrier(2)
    outcomes = []

    def run(reason):
        try:
            barrier.wait()
            outcomes.append(correct(actor=cast.officer, document_id=original.pk, reason=reason).number)
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f"演示：更正{i}。",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "市监网监〔2026〕2号"]  # the second waited, then found it corrected
    assert OfficialDocument.objects.filter(replaces=original).count() == 1
    assert case.audit_entries.filter(name="correct_official_document").count() == 1
    # No number was lost: the next document of the kind takes 3.
    corrected = OfficialDocument.objects.get(replaces=original)
    assert correct(actor=cast.officer, document_id=corrected.pk, reason="演示：再次更正。").number == "市监网监〔2026〕3号"
