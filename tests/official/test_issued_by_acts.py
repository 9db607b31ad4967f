"""Each act that ends in a document issues it: numbered, stored once, its SHA-256 in the act's audit entry; the PDF
reads as the document (title, 文号, names, dates) and carries its fonts."""
import datetime
import hashlib

import pytest

from cases.journeys import act, create_case_for, drive
from cases.workflow import State
from official.models import DocumentKind, OfficialDocument
from tests.factories import expert
from tests.official.conftest import pdf_fonts, pdf_text, pdfa_part

pytestmark = pytest.mark.django_db


def _cn(day):
    return f"{day.year}年{day.month}月{day.day}日"


def test_approval_of_creation_is_numbered_and_names_the_city_and_period(cast, call, clock, read_file):
    case = drive(create_case_for(cast, call), State.CREATING, cast, clock)
    document = OfficialDocument.objects.get(case=case, kind=DocumentKind.APPROVAL)
    assert document.number == "市监网监〔2026〕1号"
    data = read_file(document)
    text = pdf_text(data)
    assert "市场监管总局关于同意" in text and "杭州市" in text and "批复" in text
    assert "市监网监〔2026〕1号" in text
    assert _cn(case.creation_start) in text and _cn(case.creation_end) in text
    fonts = pdf_fonts(data)
    assert fonts and all(fonts.values()), fonts  # every font embedded
    assert any("Demozone" in name for name in fonts)
    entry = case.audit_entries.get(name="approve_creation")
    assert entry.data["official_document"]["sha256"] == hashlib.sha256(data).hexdigest() == document.sha256
    assert entry.data["official_document"]["number"] == document.number
    assert entry.data["official_document"]["issuer"] == document.issuer_name == cast.officer.organisation.name


def test_every_act_of_a_life_issues_its_document_and_the_audit_hash_matches_the_file(cast, call, clock, read_file):
    cast.more_experts = (expert("expert-2"),)
    case = drive(create_case_for(cast, call), State.DESIGNATED, cast, clock, sheets=True)
    case = act(case, "warn", cast, clock)
    expected = {
        "recommend": (DocumentKind.RECOMMENDATION, "浙市监网函〔2026〕1号", "关于推荐"),
        "approve_creation": (DocumentKind.APPROVAL, "市监网监〔2026〕1号", "同意"),
        "forward_evaluation": (DocumentKind.PRE_REVIEW, "浙市监网评", "评估初审意见"),
        "pass_evaluation": (DocumentKind.EVALUATION_REPORT, "市监网监评", "创建评估报告"),
        "publish_notice": (DocumentKind.NOTICE, "市监网监公示", "建议名单公示"),
        "designate": (DocumentKind.ANNOUNCEMENT, "市场监管总局公告", "认定网络市场监管与服务示范区的公告"),
        "warn": (DocumentKind.SANCTION, "市监网监处", "予以警示的决定"),
    }
    for move, (kind, number, title) in expected.items():
        entry = case.audit_entries.get(name=move)
        recorded = entry.data["official_document"]
        document = OfficialDocument.objects.get(pk=recorded["id"])
        data = read_file(document)
        assert document.kind == kind and document.number.startswith(number) and title in document.title
        assert recorded["sha256"] == hashlib.sha256(data).hexdigest() == document.sha256
        assert recorded["number"] == document.number and recorded["issuer"] == document.issuer_name
        text = pdf_text(data)
        assert document.number in text, move
        assert document.title[:12] in text.replace("\n", ""), move
        assert "杭州市" in text, move
        assert pdfa_part(data) == 2  # the archive copy is PDF/A-2
        fonts = pdf_fonts(data)
        assert fonts and all(fonts.values()), (move, fonts)  # every font embedded, in every kind
    # Each expert's sheet, issued by the expert's submission, likewise.
    sheets = case.audit_entries.filter(name="submit_score_sheet", data__official_document__isnull=False)
    assert sheets.count() == 2
    for entry in sheets:
        document = OfficialDocument.objects.get(pk=entry.data["official_document"]["id"])
        data = read_file(document)
        assert document.kind == DocumentKind.SCORE_SHEET and document.number.startswith("市监网监评表")
        assert entry.data["official_document"]["sha256"] == hashlib.sha256(data).hexdigest() == document.sha256
        assert document.number in pdf_text(data) and all(pdf_fonts(data).values())


def test_the_evaluation_report_shows_each_expert_the_aggregate_the_groups_the_weighing_and_the_conclusion(
        cast, call, clock, read_file):
    cast.more_experts = (expert("expert-2"),)
    case = drive(create_case_for(cast, call), State.EVALUATION_PASSED, cast, clock, sheets=True)
    document = OfficialDocument.objects.get(case=case, kind=DocumentKind.EVALUATION_REPORT)
    text = pdf_text(read_file(document)).replace("\n", "")
    assert "expert-2" in text and "各指标得分" in text and "一级指标得分与合格线" in text
    assert "综合考虑" in text and "演示：代表性" in text  # 办法 第十四条 weighing, in the officer's words
    assert "评估结论为：合格" in text
    sheets = OfficialDocument.objects.filter(case=case, kind=DocumentKind.SCORE_SHEET).order_by("sequence")
    assert "专家评分表（2份" in text  # each expert's sheet, a numbered document of its own, named in 附件说明
    assert all(d.number in text for d in sheets)


def test_the_notice_names_the_cities_and_both_dates_and_how_to_object(cast, call, clock, read_file):
    case = drive(create_case_for(cast, call), State.IN_PUBLICITY, cast, clock)
    notice = case.notices.get()
    document = OfficialDocument.objects.get(listing=notice.listing)
    text = pdf_text(read_file(document)).replace("\n", "")
    assert "网络市场监管与服务示范区建议名单公示" in text and document.number in text
    assert _cn(notice.first_day) in text and _cn(notice.last_day) in text
    assert notice.last_day - notice.first_day == datetime.timedelta(days=14)
    assert "杭州市" in text and "异议" in text


def test_a_list_published_for_two_cities_is_one_document_recorded_in_both_acts(cast, other_cast, call, clock,
                                                                                  read_file):
    from publicity.services import publish_notice_list

    first = drive(create_case_for(cast, call), State.CREATING, cast, clock)
    second = drive(create_case_for(other_cast, call), State.CREATING, other_cast, clock)
    for name in ("apply_for_evaluation", "forward_evaluation", "pass_evaluation"):  # the two cities in step
        first, second = act(first, name, cast, clock), act(second, name, other_cast, clock)
    assert first.evaluation_round_id == second.evaluation_round_id
    listing = publish_notice_list(round_id=first.evaluation_round_id, actor=cast.officer, cases=[first.pk, second.pk],
                                  text="演示：两市评估合格，现予公示。")
    documents = OfficialDocument.objects.filter(kind=DocumentKind.NOTICE)
    assert documents.count() == 1
    document = documents.get()
    assert document.listing_id == listing.pk and document.case_id is None
    text = pdf_text(read_file(document))
    assert "杭州市" in text and "南京市" in text
    for case in (first, second):
        entry = case.audit_entries.get(name="publish_notice")
        assert entry.data["official_document"]["id"] == document.pk


def test_a_refused_act_issues_nothing_and_takes_no_number(cast, call, clock):
    from cases.errors import DomainError
    from cases.services import perform_transition

    case = drive(create_case_for(cast, call), State.RECOMMENDED, cast, clock)
    with pytest.raises(DomainError):
        perform_transition(case_id=case.pk, name="approve_creation", actor=cast.officer,
                           payload={"creation_end": "2040-01-01"})  # longer than the measures allow
    assert not OfficialDocument.objects.filter(kind=DocumentKind.APPROVAL).exists()
    act(case, "approve_creation", cast, clock)
    assert OfficialDocument.objects.get(kind=DocumentKind.APPROVAL).number == "市监网监〔2026〕1号"
