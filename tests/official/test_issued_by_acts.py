"""Each act that ends in a document issues it: numbered, stored once, its SHA-256 in the act's audit entry."""
import hashlib

import pytest

from cases.journeys import create_case_for, drive
from cases.workflow import State
from official.models import DocumentKind, OfficialDocument
from tests.official.conftest import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


def test_approval_of_creation_is_numbered_and_names_the_city_and_period(cast, call, clock, read_file):
    case = drive(create_case_for(cast, call), State.CREATING, cast, clock)
    document = OfficialDocument.objects.get(case=case, kind=DocumentKind.APPROVAL)
    assert document.number == "市监网监〔2026〕1号"
    data = read_file(document)
    text = pdf_text(data)
    assert "市场监管总局关于同意" in text and "杭州市" in text and "批复" in text
    assert "市监网监〔2026〕1号" in text
    assert f"{case.creation_start.year}年{case.creation_start.month}月{case.creation_start.day}日" in text
    assert all(pdf_fonts(data).values()) and pdf_fonts(data)
    entry = case.audit_entries.get(name="approve_creation")
    assert entry.data["official_document"]["sha256"] == hashlib.sha256(data).hexdigest() == document.sha256
    assert entry.data["official_document"]["number"] == document.number
