"""Corrections (issue #11 point 4): a new numbered document naming the one it replaces, issued by the organisation
that issued the original, with the reason; the original stays stored unchanged and verifies as genuine but
superseded. And each expert's score sheet, issued as a numbered document when the expert submits it."""
import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.journeys import create_case_for, drive
from cases.workflow import State
from official.models import DocumentKind, OfficialDocument
from tests.factories import expert
from tests.official.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _correct(user, document, reason="演示：批复中的创建期限有误，现予更正。"):
    return _client(user).post(f"/api/official-documents/{document.pk}/corrections/", {"reason": reason},
                              format="json")


@pytest.fixture
def creating(cast, call, clock):
    return drive(create_case_for(cast, call), State.CREATING, cast, clock)


def _verify(document_number, data):
    return _client().get("/api/public/documents/verify/",
                         {"number": document_number, "sha256": hashlib.sha256(data).hexdigest()}).json()


def test_the_issuer_corrects_a_document_the_old_one_stays_and_verifies_as_superseded(creating, cast, read_file):
    original = OfficialDocument.objects.get(case=creating, kind=DocumentKind.APPROVAL)
    original_data = read_file(original)
    answer = _correct(cast.officer, original)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["number"] == "市监网监〔2026〕2号" and body["replaces"] == original.number  # gapless: the next
    corrected = OfficialDocument.objects.get(pk=body["id"])
    assert corrected.replaces_id == original.pk and corrected.kind == original.kind
    assert corrected.issuer_id == original.issuer_id and corrected.case_id == creating.pk
    data = read_file(corrected)
    text = pdf_text(data).replace("\n", "")
    assert "更正说明" in text and original.number in text and "创建期限有误" in text
    assert corrected.number in text and "同意浙江省杭州市创建" in text  # the content, rendered again from the records
    # The original is as it was: same row, same file, same hash.
    again = OfficialDocument.objects.get(pk=original.pk)
    assert (again.number, again.sha256) == (original.number, original.sha256) and read_file(again) == original_data
    # Verification: the original is genuine but superseded; the correction names what it replaces.
    old = _verify(original.number, original_data)
    assert old["genuine"] is True and old["superseded"] is True and old["replaced_by"] == corrected.number
    assert {"genuine", "number", "issuer", "issued_at", "title"} <= set(old)  # the contract's fields stay
    new = _verify(corrected.number, data)
    assert new["genuine"] is True and new["superseded"] is False and new["replaces"] == original.number
    # The audit entry: the new document's number, issuer and hash (matching the stored file), and the old one's.
    entry = creating.audit_entries.get(name="correct_official_document")
    assert entry.comment == "演示：批复中的创建期限有误，现予更正。" and entry.actor_id == cast.officer.pk
    recorded = entry.data["official_document"]
    assert recorded["number"] == corrected.number and recorded["issuer"] == corrected.issuer_name
    assert recorded["sha256"] == hashlib.sha256(data).hexdigest() == corrected.sha256
    assert entry.data["replaces"] == {"id": original.pk, "number": original.number, "sha256": original.sha256}


def test_the_reason_is_required_and_a_refusal_takes_no_number(creating, cast):
    original = OfficialDocument.objects.get(case=creating, kind=DocumentKind.APPROVAL)
    answer = _correct(cast.officer, original, reason="   ")
    assert answer.status_code == 400 and "reason" in answer.json()["errors"]
    assert not OfficialDocument.objects.filter(replaces=original).exists()
    assert not creating.audit_entries.filter(name="correct_official_document").exists()
    assert _correct(cast.officer, original).json()["number"] == "市监网监〔2026〕2号"


def test_only_officers_of_the_issuing_organisation_correct(creating, cast, other_cast):
    approval = OfficialDocument.objects.get(case=creating, kind=DocumentKind.APPROVAL)
    letter = OfficialDocument.objects.get(case=creating, kind=DocumentKind.RECOMMENDATION)
    assert _correct(cast.reviewer, approval).status_code == 403  # SAMR's document, the province's reviewer
    assert _correct(cast.applicant, approval).status_code == 403
    assert _correct(cast.expert, approval).status_code in (403, 404)
    assert _correct(other_cast.reviewer, letter).status_code == 404  # another province's: outside the scope
    assert _correct(cast.officer, letter).status_code == 403  # the province's letter, SAMR's officer
    assert _client().post(f"/api/official-documents/{letter.pk}/corrections/", {"reason": "x"}).status_code in (401, 403)
    answer = _correct(cast.reviewer, letter, reason="演示：排序有误。")
    assert answer.status_code == 201 and answer.json()["number"] == "浙市监网函〔2026〕2号"
    assert answer.json()["issuer"] == letter.issuer_name
    assert OfficialDocument.objects.filter(replaces__isnull=False).count() == 1


def test_a_document_is_corrected_once_and_then_its_correction_is(creating, cast):
    original = OfficialDocument.objects.get(case=creating, kind=DocumentKind.APPROVAL)
    first = _correct(cast.officer, original).json()
    again = _correct(cast.officer, original)
    assert again.status_code == 409 and first["number"] in again.json()["detail"]
    second = _correct(cast.officer, OfficialDocument.objects.get(pk=first["id"]), reason="演示：再次更正。")
    assert second.status_code == 201 and second.json()["number"] == "市监网监〔2026〕3号"
    listed = _client(cast.applicant).get(f"/api/cases/{creating.pk}/official-documents/").json()
    assert [d["number"] for d in listed if d["kind"] == "approval"] == [original.number, first["number"],
                                                                        second.json()["number"]]


def test_the_notice_is_corrected_for_its_list_and_the_public_get_the_correction(cast, call, clock, read_file):
    case = drive(create_case_for(cast, call), State.IN_PUBLICITY, cast, clock)
    notice = OfficialDocument.objects.get(kind=DocumentKind.NOTICE)
    answer = _correct(cast.officer, notice, reason="演示：公示期表述有误。")
    assert answer.status_code == 201
    corrected = OfficialDocument.objects.get(pk=answer.json()["id"])
    assert corrected.listing_id == notice.listing_id and corrected.case_id is None
    text = pdf_text(read_file(corrected)).replace("\n", "")
    assert "杭州市" in text and "更正说明" in text and notice.number in text
    assert case.audit_entries.get(name="correct_official_document").data["official_document"]["id"] == corrected.pk
    page = _client().get(reverse("public-notice", args=[notice.listing_id]))
    html = page.content.decode()
    assert corrected.number in html and reverse("api-official-document-file", args=[corrected.pk]) in html
    assert _client().get(f"/api/official-documents/{corrected.pk}/file/").status_code == 200  # public as well


def test_the_correction_page_asks_the_reason_keeps_what_was_typed_and_issues(client, creating, cast):
    original = OfficialDocument.objects.get(case=creating, kind=DocumentKind.APPROVAL)
    url = reverse("official-correct", args=[original.pk])
    client.force_login(cast.officer)
    page = client.get(url)
    assert page.status_code == 200 and original.number in page.content.decode()
    assert 'data-testid="correct-form"' in page.content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and not OfficialDocument.objects.filter(replaces=original).exists()
    too_long = client.post(url, {"reason": "长" * 1001})
    assert too_long.status_code == 400 and ("长" * 1001) in too_long.content.decode()  # kept as typed
    done = client.post(url, {"reason": "演示：更正。"})
    assert done.status_code == 302 and done["Location"] == reverse("case-detail", args=[creating.pk])
    corrected = OfficialDocument.objects.get(replaces=original)
    detail = client.get(done["Location"]).content.decode()
    assert corrected.number in detail and "已被" in detail
    assert 'data-testid="correct-superseded"' in client.get(url).content.decode()


def test_the_correction_page_is_the_issuers_only(client, creating, cast, other_cast):
    original = OfficialDocument.objects.get(case=creating, kind=DocumentKind.APPROVAL)
    url = reverse("official-correct", args=[original.pk])
    client.force_login(cast.applicant)
    assert client.get(url).status_code == 200 and 'data-testid="correct-form"' not in client.get(url).content.decode()
    assert client.post(url, {"reason": "演示"}).status_code == 403
    client.force_login(other_cast.applicant)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert not OfficialDocument.objects.filter(replaces=original).exists()


def test_the_case_panel_offers_the_correction_to_the_issuer_only(client, creating, cast):
    client.force_login(cast.officer)
    html = client.get(reverse("case-detail", args=[creating.pk])).content.decode()
    approval = OfficialDocument.objects.get(case=creating, kind=DocumentKind.APPROVAL)
    assert reverse("official-correct", args=[approval.pk]) in html
    letter = OfficialDocument.objects.get(case=creating, kind=DocumentKind.RECOMMENDATION)
    assert reverse("official-correct", args=[letter.pk]) not in html
    client.force_login(cast.reviewer)
    html = client.get(reverse("case-detail", args=[creating.pk])).content.decode()
    assert reverse("official-correct", args=[letter.pk]) in html
    assert reverse("official-correct", args=[approval.pk]) not in html


def test_each_expert_sheet_is_a_numbered_document_issued_when_submitted(cast, call, clock, read_file):
    cast.more_experts = (expert("expert-2"),)
    case = drive(create_case_for(cast, call), State.EVALUATION_PASSED, cast, clock, sheets=True)
    sheets = list(OfficialDocument.objects.filter(case=case, kind=DocumentKind.SCORE_SHEET).order_by("sequence"))
    year = sheets[0].year
    assert [d.number for d in sheets] == [f"市监网监评表〔{year}〕1号", f"市监网监评表〔{year}〕2号"]
    entries = case.audit_entries.filter(name="submit_score_sheet", data__official_document__isnull=False)
    assert sorted(e.data["official_document"]["id"] for e in entries) == [d.pk for d in sheets]
    for document in sheets:
        entry = next(e for e in entries if e.data["official_document"]["id"] == document.pk)
        data = read_file(document)
        assert entry.data["official_document"]["sha256"] == hashlib.sha256(data).hexdigest() == document.sha256
        text = pdf_text(data).replace("\n", "")
        assert "专家评分表" in text and document.number in text and "杭州市" in text
        assert str(entry.actor) in text  # the expert's name
    # The applicant does not see the experts' sheets before the report; SAMR's officer does.
    def kinds(user):
        return [d["kind"] for d in _client(user).get(f"/api/cases/{case.pk}/official-documents/").json()]

    assert kinds(cast.officer).count("score_sheet") == 2
    assert kinds(cast.expert).count("score_sheet") == 1  # their own
    assert "score_sheet" not in kinds(cast.applicant) and "score_sheet" not in kinds(cast.reviewer)
    theirs = next(d for d in sheets if d.issued_by_id != cast.expert.pk)
    assert _client(cast.expert).get(f"/api/official-documents/{theirs.pk}/file/").status_code == 404
    assert _client(cast.applicant).get(f"/api/official-documents/{theirs.pk}/file/").status_code == 404
    assert _client(cast.officer).get(f"/api/official-documents/{theirs.pk}/file/").status_code == 200
