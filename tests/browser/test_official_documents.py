"""Official documents in a real browser (issue #11): SAMR's officer corrects the approval of creation from the case
page — refused without a reason, issued with one — and a visitor's check of the old copy says genuine but
superseded; the province and the expert download the documents their acts issued from the pages where they acted."""
import hashlib
import io
import os

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.journeys import create_case_for, drive
from cases.workflow import State
from official.models import DocumentKind, OfficialDocument
from tests.factories import expert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("OFFICIAL_SCREENSHOTS")  # a folder: also save screenshots of each page there


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _saved(download):
    with open(download.value.path(), "rb") as handle:
        return handle.read()


def _text(data):
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def test_the_officer_corrects_the_approval_and_the_old_copy_verifies_as_superseded(page, site, login_as, cast,
                                                                                    call, clock):
    case = drive(create_case_for(cast, call), State.CREATING, cast, clock)
    original = OfficialDocument.objects.get(case=case, kind=DocumentKind.APPROVAL)
    with original.file.open("rb") as handle:
        original_data = handle.read()

    login_as(page, cast.officer.username)
    page.goto(f"{site}/cases/{case.pk}/")
    panel = page.get_by_test_id("official-documents")
    expect(panel).to_contain_text(original.number)
    panel.get_by_test_id("official-correct").click()
    expect(page.get_by_test_id("correct-original")).to_contain_text(original.number)
    page.get_by_role("button", name="印发更正文件").click()  # no reason: refused, nothing issued
    expect(page.get_by_test_id("field-error")).to_be_visible()
    assert not OfficialDocument.objects.filter(replaces=original).exists()
    page.get_by_label("更正事由").fill("演示：批复所载创建期限有误，现予更正。")
    shot(page, "official-correct")
    page.get_by_role("button", name="印发更正文件").click()
    corrected = OfficialDocument.objects.get(replaces=original)
    expect(page.locator(".alert-success")).to_contain_text(corrected.number)
    panel = page.get_by_test_id("official-documents")
    expect(panel).to_contain_text(f"已被 {corrected.number} 更正")
    shot(page, "official-case-panel-corrected")

    # Anyone checks the old copy: genuine, but superseded by the correction.
    page.goto(f"{site}/documents/verify/")
    page.get_by_label("文号").fill(original.number)
    page.get_by_label("公文 PDF 文件").set_input_files(
        files=[{"name": "copy.pdf", "mimeType": "application/pdf", "buffer": original_data}])
    page.get_by_role("button", name="核验").click()
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-genuine", "true")
    expect(result).to_have_attribute("data-superseded", "true")
    expect(page.get_by_test_id("verify-superseded")).to_contain_text(corrected.number)
    shot(page, "official-verify-superseded")


def test_the_province_and_the_expert_download_what_their_acts_issued(page, site, login_as, cast, call, clock):
    cast.more_experts = (expert("expert-2"),)
    case = drive(create_case_for(cast, call), State.EVALUATION_PASSED, cast, clock, sheets=True)
    letter = OfficialDocument.objects.get(case=case, kind=DocumentKind.RECOMMENDATION)

    # The province's reviewer, on the recommendation list page where the letter was issued.
    login_as(page, cast.reviewer.username)
    page.goto(f"{site}/review/recommendations/{call.pk}/")
    issued = page.get_by_test_id("act-documents")
    expect(issued).to_contain_text(letter.number)
    shot(page, "official-recommendation-list")
    with page.expect_download() as download:
        issued.get_by_test_id("issued-document-download").click()
    data = _saved(download)
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    assert letter.number in _text(data) and "杭州市" in _text(data)

    # The expert, on their own score sheet's page.
    page.context.clear_cookies()
    login_as(page, cast.expert.username)
    sheet_document = OfficialDocument.objects.get(case=case, kind=DocumentKind.SCORE_SHEET, issued_by=cast.expert)
    from evaluation.models import ScoreSheet

    sheet = ScoreSheet.objects.get(case=case, stage="expert", assignment__expert=cast.expert)
    page.goto(f"{site}/cases/{case.pk}/score-sheets/{sheet.pk}/")
    issued = page.get_by_test_id("act-documents")
    expect(issued).to_contain_text(sheet_document.number)
    expect(issued.get_by_test_id("issued-document")).to_have_count(1)  # theirs, not the other expert's
    shot(page, "official-expert-sheet")
    with page.expect_download() as download:
        issued.get_by_test_id("issued-document-download").click()
    data = _saved(download)
    assert hashlib.sha256(data).hexdigest() == sheet_document.sha256
    assert "专家评分表" in _text(data) and sheet_document.number in _text(data)


def test_the_officer_corrects_the_announcement_and_the_public_download_the_correction(page, site, login_as, cast,
                                                                                      call, clock):
    """A 认定公告 is corrected by a 更正公告 of the year: the officer issues it from the case page, the visitor finds it
    on the public announcements page naming the announcement it corrects, with the city, and downloads it."""
    case = drive(create_case_for(cast, call), State.DESIGNATED, cast, clock)
    original = OfficialDocument.objects.get(kind=DocumentKind.ANNOUNCEMENT)

    login_as(page, cast.officer.username)
    page.goto(f"{site}/cases/{case.pk}/")
    row = page.get_by_test_id("official-documents").get_by_role("row").filter(has_text=original.number)
    row.get_by_test_id("official-correct").click()
    expect(page.get_by_test_id("correct-announcement")).to_be_visible()
    page.get_by_label("更正事由").fill("演示：公告所载认定依据有误，现予更正。")
    page.get_by_role("button", name="印发更正文件").click()
    corrected = OfficialDocument.objects.get(replaces=original)
    expect(page.locator(".alert-success")).to_contain_text(corrected.number)
    expect(page.get_by_test_id("correct-superseded")).to_contain_text(corrected.number)
    shot(page, "official-announcement-corrected")

    page.context.clear_cookies()
    page.goto(f"{site}/public/announcements/")
    card = page.locator(f"#announcement-{corrected.announcement_id}")
    expect(card.get_by_test_id("correction-announcement")).to_contain_text(f"更正公告 {corrected.announcement.number}")
    expect(card.get_by_test_id("corrects")).to_contain_text(str(original.announcement.number))
    expect(card).to_contain_text(case.creation_object.name)
    expect(page.locator(f"#announcement-{original.announcement_id}").get_by_test_id("corrected-by")).to_be_visible()
    shot(page, "public-announcements-corrected")
    with page.expect_download() as download:
        card.get_by_test_id("official-document-download").click()
    data = _saved(download)
    assert hashlib.sha256(data).hexdigest() == corrected.sha256
    text = _text(data)
    assert "更正说明" in text and original.number in text and "杭州市" in text
