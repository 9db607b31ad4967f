"""Issue #12: uploads are served only through views that check scope, are checked by their bytes, and a file
written by a refused or rolled-back act does not stay behind."""
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

from cases.journeys import drive
from cases.workflow import State
from documents.models import Document
from tests.factories import new_case

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _zip(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
    return client


def files_on_disk(settings):
    root = settings.MEDIA_ROOT
    return sorted(os.path.join(d, n) for d, _, names in os.walk(root) for n in names)


def upload(client, case, kind, name, data, **extra):
    return client.post(f"/api/cases/{case.pk}/documents/",
                       {"kind": kind, "title": extra.get("title", name), "file": SimpleUploadedFile(name, data)},
                       format="multipart")


@pytest.mark.django_db
@pytest.mark.parametrize("name,data", [
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # an EXE renamed .pdf
    ("page.pdf", b"<html><script>alert(1)</script></html>"),
    ("image.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("empty.pdf", b""),
    ("fake.docx", b"PK\x03\x04 not really a zip"),
])
def test_files_that_are_not_an_accepted_format_are_refused_by_their_bytes(cast, call, clock, settings, name, data):
    case = new_case(cast, call)
    response = upload(token_client(cast.applicant), case, "creation_plan", name, data)
    assert response.status_code == 400 and "file" in response.json()["errors"], response.content
    if data:  # (an empty file is refused as empty)
        assert "PDF" in response.json()["errors"]["file"][0]
    assert not Document.objects.exists() and files_on_disk(settings) == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind,name,data,fmt", [
    ("creation_plan", "方案.pdf", PDF, "pdf"),
    ("creation_plan", "方案.docx", _zip("[Content_Types].xml", "word/document.xml"), "docx"),
    ("creation_plan", "方案.ofd", _zip("OFD.xml", "Doc_0/Document.xml"), "ofd"),
    ("application_form", "scan.png", PNG, "png"),
    ("supporting", "数据.xlsx", _zip("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
])
def test_accepted_formats_are_kept_under_a_name_of_ours(cast, call, clock, kind, name, data, fmt):
    case = new_case(cast, call)
    response = upload(token_client(cast.applicant), case, kind, name, data)
    assert response.status_code == 201, response.content
    document = Document.objects.get()
    assert document.content_format == fmt and document.file.name.endswith("." + {"jpeg": "jpg"}.get(fmt, fmt))
    assert name not in document.file.name


@pytest.mark.django_db
def test_a_spreadsheet_is_not_a_creation_plan(cast, call, clock):
    case = new_case(cast, call)
    response = upload(token_client(cast.applicant), case, "creation_plan", "plan.xlsx",
                      _zip("[Content_Types].xml", "xl/workbook.xml"))
    assert response.status_code == 400


@pytest.mark.django_db
def test_files_are_served_only_through_views_that_check_scope(cast, other_cast, call, clock, client):
    case = new_case(cast, call)
    response = upload(token_client(cast.applicant), case, "creation_plan", "方案.pdf", PDF)
    link = response.json()["file"]
    assert link.startswith("http://testserver/api/documents/")
    document = Document.objects.get()
    # The file itself is never at a public media URL, in any mode.
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert APIClient().get(link).status_code == 401
    assert token_client(other_cast.applicant).get(link).status_code == 404
    served = token_client(cast.applicant).get(link)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert served["Content-Type"] == "application/pdf" and served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline")
    assert "sandbox" in served["Content-Security-Policy"]
    assert token_client(cast.applicant).get(link + "?download=1")["Content-Disposition"].startswith("attachment")
    client.force_login(other_cast.applicant)
    assert client.get(f"/cases/{case.pk}/documents/{document.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_refused_upload_leaves_no_file_behind(cast, call, clock, settings):
    case = drive(new_case(cast, call), State.WITHDRAWN, cast, clock) if False else new_case(cast, call)
    api = token_client(cast.reviewer)  # a reviewer may not upload an application form
    assert upload(api, case, "application_form", "a.pdf", PDF).status_code in (403, 404)
    too_long = upload(token_client(cast.applicant), case, "creation_plan", "a.pdf", PDF, title="题" * 201)
    assert too_long.status_code == 400
    assert files_on_disk(settings) == [] and not Document.objects.exists()


@pytest.mark.django_db
def test_a_refused_annual_report_leaves_no_file_behind(cast, call, clock, settings):
    case = drive(new_case(cast, call), State.DESIGNATED, cast, clock)
    before = files_on_disk(settings)
    # Under the current measures there is no dated annual report: the act is refused after the upload ran.
    response = token_client(cast.applicant).post(f"/api/cases/{case.pk}/annual-reports/", {
        "year": 2025, "summary": "……", "file": SimpleUploadedFile("r.pdf", PDF)}, format="multipart")
    assert response.status_code in (400, 409)
    assert files_on_disk(settings) == before


@pytest.mark.django_db
def test_orphans_left_by_a_dead_process_are_swept(cast, call, clock, settings):
    case = new_case(cast, call)
    upload(token_client(cast.applicant), case, "creation_plan", "方案.pdf", PDF)
    orphan = os.path.join(settings.MEDIA_ROOT, "cases", str(case.pk), "creation_plan", "dead-worker.pdf")
    with open(orphan, "wb") as f:
        f.write(PDF)
    os.utime(orphan, (0, 0))
    call_command("sweep_orphan_files", "--minutes", "60", stdout=io.StringIO())
    assert not os.path.exists(orphan)
    assert os.path.exists(Document.objects.get().file.path)
