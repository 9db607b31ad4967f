"""Correcting a 认定公告 (issue #11 point 4): a correction of an announcement is a new announcement of the year (更正公告)
— the next announcement number, listing the original's cities, opening with the 更正说明 — that names the document it
replaces; the original stays stored unchanged and verifies as superseded; every reader shows the correction."""
import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.journeys import create_case_for, drive
from cases.workflow import State
from designation.models import Announcement
from official.models import DocumentKind, OfficialDocument
from tests.official.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _correct(user, document, reason="演示：公告中的认定依据表述有误，现予更正。"):
    return _client(user).post(f"/api/official-documents/{document.pk}/corrections/", {"reason": reason},
                              format="json")


@pytest.fixture
def designated(cast, call, clock):
    return drive(create_case_for(cast, call), State.DESIGNATED, cast, clock)


def _verify(number, data):
    return _client().get("/api/public/documents/verify/",
                         {"number": number, "sha256": hashlib.sha256(data).hexdigest()}).json()


def test_the_announcement_is_corrected_by_a_new_announcement_of_the_year(designated, cast, read_file):
    original = OfficialDocument.objects.get(kind=DocumentKind.ANNOUNCEMENT)
    original_data = read_file(original)
    first = original.announcement
    answer = _correct(cast.officer, original)
    assert answer.status_code == 201, answer.content
    corrected = OfficialDocument.objects.get(pk=answer.json()["id"])
    assert answer.json()["replaces"] == original.number and corrected.replaces_id == original.pk
    # The next announcement number of the year, a new announcement that corrects the first one.
    correction = corrected.announcement
    assert correction.pk != first.pk and correction.corrects_id == first.pk and correction.original_id == first.pk
    assert (correction.year, correction.sequence) == (first.year, first.sequence + 1)
    assert corrected.kind == DocumentKind.ANNOUNCEMENT and corrected.sequence == correction.sequence
    assert corrected.number != original.number and str(correction.sequence) in corrected.number
    # The designations stay with the original announcement.
    assert list(first.designations.values_list("case_id", flat=True)) == [designated.pk]
    assert not correction.designations.exists()
    text = pdf_text(read_file(corrected)).replace("\n", "")
    assert "更正说明" in text and original.number in text and original.title in text and "认定依据表述有误" in text
    assert "杭州市" in text and corrected.number in text
    # The original is unchanged, genuine but superseded.
    again = OfficialDocument.objects.get(pk=original.pk)
    assert (again.sha256, read_file(again)) == (original.sha256, original_data)
    old = _verify(original.number, original_data)
    assert old["genuine"] is True and old["superseded"] is True and old["replaced_by"] == corrected.number
    new = _verify(corrected.number, read_file(corrected))
    assert new["genuine"] is True and new["superseded"] is False and new["replaces"] == original.number
    # The audit entry on the city: the new document's number and hash, the replaced one's.
    entry = designated.audit_entries.get(name="correct_official_document")
    assert entry.data["official_document"]["number"] == corrected.number
    assert entry.data["official_document"]["sha256"] == corrected.sha256
    assert entry.data["replaces"]["number"] == original.number


def test_a_correction_of_a_correction_follows_the_chain_to_the_original_cities(designated, cast, read_file):
    original = OfficialDocument.objects.get(kind=DocumentKind.ANNOUNCEMENT)
    first = _correct(cast.officer, original).json()
    refused = _correct(cast.officer, original)
    assert refused.status_code == 409 and first["number"] in refused.json()["detail"]
    second = _correct(cast.officer, OfficialDocument.objects.get(pk=first["id"]), reason="演示：再次更正。")
    assert second.status_code == 201, second.content
    latest = OfficialDocument.objects.get(pk=second.json()["id"])
    assert latest.announcement.corrects_id == OfficialDocument.objects.get(pk=first["id"]).announcement_id
    assert latest.announcement.original_id == original.announcement_id
    assert latest.announcement.sequence == original.announcement.sequence + 2  # gapless
    text = pdf_text(read_file(latest)).replace("\n", "")
    assert "杭州市" in text and first["number"] in text
    assert designated.audit_entries.filter(name="correct_official_document").count() == 2
    # The case's documents: the original, both corrections.
    listed = _client(cast.officer).get(f"/api/cases/{designated.pk}/official-documents/").json()
    listed = listed["results"] if isinstance(listed, dict) else listed
    numbers = [d["number"] for d in listed if d["kind"] == "announcement"]
    assert numbers == [original.number, first["number"], latest.number]


def test_only_samr_officers_correct_the_announcement(designated, cast):
    original = OfficialDocument.objects.get(kind=DocumentKind.ANNOUNCEMENT)
    assert _correct(cast.reviewer, original).status_code == 403
    assert not OfficialDocument.objects.filter(replaces=original).exists()
    assert Announcement.objects.count() == 1  # no number taken


def test_the_public_page_and_api_show_the_correction_with_its_cities(designated, cast):
    original = OfficialDocument.objects.get(kind=DocumentKind.ANNOUNCEMENT)
    corrected = OfficialDocument.objects.get(pk=_correct(cast.officer, original).json()["id"])
    first, correction = original.announcement, corrected.announcement
    html = _client().get(reverse("public-announcements")).content.decode()
    assert f"更正公告 {correction.number}" in html and f"更正认定公告 {first.number}" in html
    assert f"已由更正公告 {correction.number} 更正" in html
    # Both cards list the city and offer the document in force (the correction), never the superseded one.
    assert html.count(reverse("public-zone", args=[designated.pk])) == 2
    assert reverse("api-official-document-file", args=[corrected.pk]) in html
    assert reverse("api-official-document-file", args=[original.pk]) not in html
    body = _client().get("/api/public/announcements/").json()
    rows = body["results"] if isinstance(body, dict) else body
    by_number = {r["number"]: r for r in rows}
    assert by_number[str(correction.number)]["corrects"] == str(first.number)
    assert by_number[str(first.number)]["corrected_by"] == str(correction.number)
    assert all(r["cities"] for r in rows)  # never an announcement with no cities
    assert _client().get(f"/api/official-documents/{corrected.pk}/file/").status_code == 200


def test_the_public_page_costs_the_same_queries_however_many_corrections(designated, cast):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert _client().get(reverse("public-announcements")).status_code == 200
        return len(queries)

    document = OfficialDocument.objects.get(kind=DocumentKind.ANNOUNCEMENT)
    document = OfficialDocument.objects.get(pk=_correct(cast.officer, document).json()["id"])
    one = count()
    for reason in ("演示：再次更正。", "演示：第三次更正。"):
        document = OfficialDocument.objects.get(pk=_correct(cast.officer, document, reason=reason).json()["id"])
    assert count() == one


def test_the_correction_page_issues_the_correction_of_the_announcement(client, designated, cast):
    original = OfficialDocument.objects.get(kind=DocumentKind.ANNOUNCEMENT)
    url = reverse("official-correct", args=[original.pk])
    client.force_login(cast.officer)
    page = client.get(url).content.decode()
    assert 'data-testid="correct-form"' in page and 'data-testid="correct-announcement"' in page
    done = client.post(url, {"reason": "演示：更正。"})
    assert done.status_code == 302
    corrected = OfficialDocument.objects.get(replaces=original)
    after = client.get(done["Location"]).content.decode()
    assert corrected.number in after and 'data-testid="correct-superseded"' in after
    # SAMR's zone page offers the document in force.
    zone = client.get(reverse("samr-zone", args=[designated.pk])).content.decode()
    assert reverse("api-official-document-file", args=[corrected.pk]) in zone
    assert reverse("api-official-document-file", args=[original.pk]) not in zone


def test_the_public_zone_page_shows_the_correction_with_the_document_in_force(designated, cast):
    original = OfficialDocument.objects.get(kind=DocumentKind.ANNOUNCEMENT)
    page = _client().get(reverse("public-zone", args=[designated.pk])).content.decode()
    assert reverse("api-official-document-file", args=[original.pk]) in page  # the announcement's own, until corrected
    corrected = OfficialDocument.objects.get(pk=_correct(cast.officer, original).json()["id"])
    from django.core.cache import cache

    cache.clear()
    page = _client().get(reverse("public-zone", args=[designated.pk])).content.decode()
    assert 'data-testid="zone-correction"' in page
    assert f"更正公告 {corrected.announcement.number}" in page and f"更正认定公告 {original.announcement.number}" in page
    assert reverse("api-official-document-file", args=[corrected.pk]) in page
    assert reverse("api-official-document-file", args=[original.pk]) not in page


@pytest.mark.django_db(transaction=True)
def test_two_corrections_of_one_announcement_at_once_issue_one_and_leave_no_gap(cast, call, clock):
    import threading

    from django.db import connections

    from cases.errors import DomainError
    from official.services import correct

    drive(create_case_for(cast, call), State.DESIGNATED, cast, clock)
    original = OfficialDocument.objects.get(kind=DocumentKind.ANNOUNCEMENT)
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
    corrected = OfficialDocument.objects.get(replaces=original)
    assert sorted(outcomes) == sorted(["conflict", corrected.number])  # the second waited, found it corrected
    first = original.announcement.sequence
    assert sorted(Announcement.objects.values_list("sequence", flat=True)) == [first, first + 1]  # no number lost
    again = correct(actor=cast.officer, document_id=corrected.pk, reason="演示：再次更正。")
    assert again.announcement.sequence == first + 2


def test_the_portal_front_page_shows_the_correction_with_its_cities(designated, cast):
    original = OfficialDocument.objects.get(kind=DocumentKind.ANNOUNCEMENT)
    corrected = OfficialDocument.objects.get(pk=_correct(cast.officer, original).json()["id"])
    html = _client().get(reverse("public-portal")).content.decode()
    assert f"更正公告 {corrected.announcement.number}" in html
    assert html.count(designated.creation_object.name) >= 2  # the city under the correction and the original
