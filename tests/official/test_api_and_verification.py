"""The API and pages of official documents: scope, the public lists, printouts, verification by number and hash."""
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from cases.journeys import create_case_for, drive
from cases.workflow import State
from official.models import DocumentKind, OfficialDocument
from tests.official.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def in_publicity(cast, call, clock):
    return drive(create_case_for(cast, call), State.IN_PUBLICITY, cast, clock)


def test_the_case_lists_its_documents_for_those_in_scope_only(in_publicity, cast, other_cast):
    answer = _client(cast.applicant).get(f"/api/cases/{in_publicity.pk}/official-documents/")
    assert answer.status_code == 200
    kinds = [d["kind"] for d in answer.json()]
    assert kinds == ["recommendation", "approval", "pre_review", "evaluation_report", "notice"]
    first = answer.json()[0]
    assert set(first) >= {"kind", "number", "title", "issued_at", "sha256", "issuer", "file"}
    assert _client(other_cast.applicant).get(f"/api/cases/{in_publicity.pk}/official-documents/").status_code == 404
    assert _client(other_cast.reviewer).get(f"/api/cases/{in_publicity.pk}/official-documents/").status_code == 404


def test_a_case_document_is_served_in_scope_and_the_notice_to_anyone(in_publicity, cast, other_cast, read_file):
    approval = OfficialDocument.objects.get(case=in_publicity, kind=DocumentKind.APPROVAL)
    notice = OfficialDocument.objects.get(kind=DocumentKind.NOTICE)
    answer = _client(cast.reviewer).get(f"/api/official-documents/{approval.pk}/file/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert hashlib.sha256(answer.content).hexdigest() == approval.sha256
    assert _client(other_cast.reviewer).get(f"/api/official-documents/{approval.pk}/file/").status_code == 404
    assert _client().get(f"/api/official-documents/{approval.pk}/file/").status_code == 404
    public = _client().get(f"/api/official-documents/{notice.pk}/file/?download=1")
    assert public.status_code == 200 and public["Content-Disposition"].startswith("attachment")
    assert public.content == read_file(notice)


def test_verification_says_yes_for_the_real_copy_and_no_for_a_changed_one(in_publicity, read_file):
    notice = OfficialDocument.objects.get(kind=DocumentKind.NOTICE)
    data = read_file(notice)
    answer = _client().get("/api/public/documents/verify/", {"number": notice.number,
                                                             "sha256": hashlib.sha256(data).hexdigest()})
    assert answer.status_code == 200
    body = answer.json()
    assert body["genuine"] is True and body["number"] == notice.number and body["title"] == notice.title
    assert body["issuer"] == notice.issuer_name and body["issued_at"]
    changed = data.replace(b"%%EOF", b"%%EOF\n% changed")
    answer = _client().get("/api/public/documents/verify/", {"number": notice.number,
                                                             "sha256": hashlib.sha256(changed).hexdigest()})
    assert answer.json() == {"genuine": False, "number": notice.number, "issuer": None, "issued_at": None,
                             "title": None, "superseded": False, "replaced_by": None, "replaces": None}
    assert _client().get("/api/public/documents/verify/", {"number": notice.number, "sha256": "xyz"}).status_code == 400


def test_the_verification_page_hashes_the_uploaded_pdf_on_the_server(client, in_publicity, read_file):
    approval = OfficialDocument.objects.get(kind=DocumentKind.APPROVAL)
    data = read_file(approval)
    page = client.post("/documents/verify/", {"number": approval.number,
                                               "file": SimpleUploadedFile("a.pdf", data, "application/pdf")})
    assert page.status_code == 200 and b'data-genuine="true"' in page.content
    assert approval.title.encode() in page.content
    page = client.post("/documents/verify/", {"number": approval.number,
                                               "file": SimpleUploadedFile("a.pdf", data + b" ", "application/pdf")})
    assert b'data-genuine="false"' in page.content
    page = client.post("/documents/verify/", {"number": approval.number})
    assert page.status_code == 400 and approval.number.encode() in page.content  # keeps what was typed


def test_printouts_render_in_scope(in_publicity, cast, other_cast):
    for kind, title in [("application-form", "创建申请表"), ("evaluation-application", "评估申请表"),
                        ("self-assessment-report", "自评报告")]:
        answer = _client(cast.applicant).get(f"/api/cases/{in_publicity.pk}/printouts/{kind}/")
        assert answer.status_code == 200, kind
        text = pdf_text(answer.content)
        assert title in text and "杭州市" in text
    assert "张工" in pdf_text(_client(cast.applicant).get(
        f"/api/cases/{in_publicity.pk}/printouts/application-form/").content)
    assert _client(other_cast.applicant).get(
        f"/api/cases/{in_publicity.pk}/printouts/application-form/").status_code == 404
    assert _client(cast.applicant).get(f"/api/cases/{in_publicity.pk}/printouts/nonsense/").status_code == 404


def test_the_case_page_shows_the_documents_panel_with_a_fixed_number_of_queries(client, in_publicity, cast,
                                                                                 django_assert_max_num_queries):
    client.force_login(cast.applicant)
    with django_assert_max_num_queries(80):
        page = client.get(f"/cases/{in_publicity.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="official-documents"' in html
    for document in OfficialDocument.objects.all():
        assert document.number in html
