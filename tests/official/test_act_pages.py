"""Download buttons where the act happens (issue #11 point 6): each page of an act that issues a document offers
the document it issued; the applicant's pages offer the printouts. One query for the documents, whatever the rows."""
import pytest
from django.urls import reverse

from cases.journeys import act, create_case_for, drive
from cases.workflow import State
from official.models import DocumentKind, OfficialDocument
from tests.factories import expert

pytestmark = pytest.mark.django_db


def _file(document):
    return reverse("api-official-document-file", args=[document.pk]) + "?download=1"


def _page(client, user, url):
    client.force_login(user)
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.content.decode()


def test_the_recommendation_list_and_the_call_page_offer_the_letter_and_the_approval(client, cast, call, clock):
    case = drive(create_case_for(cast, call), State.CREATING, cast, clock)
    letter = OfficialDocument.objects.get(case=case, kind=DocumentKind.RECOMMENDATION)
    approval = OfficialDocument.objects.get(case=case, kind=DocumentKind.APPROVAL)
    html = _page(client, cast.reviewer, reverse("review-recommendation-list", args=[call.pk]))
    assert _file(letter) in html and letter.number in html and 'data-testid="act-documents"' in html
    assert _file(approval) not in html  # only what this page's act issued
    html = _page(client, cast.officer, reverse("samr-call-recommendations", args=[call.pk]))
    assert _file(approval) in html and approval.number in html


def test_the_pre_review_finalise_and_sheet_pages_offer_their_documents(client, cast, call, clock):
    cast.more_experts = (expert("expert-2"),)
    case = drive(create_case_for(cast, call), State.EVALUATION_PASSED, cast, clock, sheets=True)
    pre_review = OfficialDocument.objects.get(case=case, kind=DocumentKind.PRE_REVIEW)
    report = OfficialDocument.objects.get(case=case, kind=DocumentKind.EVALUATION_REPORT)
    html = _page(client, cast.reviewer, reverse("review-pre-review", args=[case.pk]))
    assert _file(pre_review) in html
    html = _page(client, cast.officer, reverse("score-sheet-finalise", args=[case.pk]))
    assert _file(report) in html
    from evaluation.models import ScoreSheet

    sheet = ScoreSheet.objects.get(case=case, stage="expert", assignment__expert=cast.expert)
    own = OfficialDocument.objects.get(case=case, kind=DocumentKind.SCORE_SHEET, issued_by=cast.expert)
    other = OfficialDocument.objects.exclude(pk=own.pk).get(case=case, kind=DocumentKind.SCORE_SHEET)
    html = _page(client, cast.expert, reverse("score-sheet", args=[case.pk, sheet.pk]))
    assert _file(own) in html and _file(other) not in html
    html = _page(client, cast.officer, reverse("score-sheet", args=[case.pk, sheet.pk]))
    assert _file(own) in html and _file(other) not in html  # the document of this sheet


def test_the_designation_and_zone_pages_offer_the_announcement_and_the_decision(client, cast, call, clock):
    case = drive(create_case_for(cast, call), State.DESIGNATED, cast, clock)
    case = act(case, "warn", cast, clock)
    announcement = OfficialDocument.objects.get(kind=DocumentKind.ANNOUNCEMENT)
    decision = OfficialDocument.objects.get(kind=DocumentKind.SANCTION)
    html = _page(client, cast.officer, reverse("samr-designate-round", args=[case.evaluation_round_id]))
    assert _file(announcement) in html
    html = _page(client, cast.officer, reverse("samr-zone", args=[case.pk]))
    assert _file(announcement) in html and _file(decision) in html


def test_the_applicants_pages_offer_the_printouts(client, cast, other_cast, call, clock):
    draft = create_case_for(cast, call)
    html = _page(client, cast.applicant, reverse("application-form", args=[draft.pk]))
    assert reverse("api-case-printout", args=[draft.pk, "application-form"]) in html
    case = drive(create_case_for(other_cast, call), State.CREATING, other_cast, clock)
    cast = other_cast
    html = _page(client, cast.applicant, reverse("evaluation-application", args=[case.pk]))
    assert reverse("api-case-printout", args=[case.pk, "evaluation-application"]) in html
    assert reverse("api-case-printout", args=[case.pk, "self-assessment-report"]) in html


def test_the_act_documents_cost_one_query_however_many_cities(client, cast, other_cast, call, clock,
                                                              django_assert_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    first = drive(create_case_for(cast, call), State.CREATING, cast, clock)
    template = Template('{% include "official/_act_documents.html" with doc_cases=cases doc_kinds="approval" %}')
    request = RequestFactory().get("/")
    request.user = cast.officer
    template.render(Context({"cases": [first], "request": request}))  # the user's organisation, once
    with django_assert_num_queries(1):
        one = template.render(Context({"cases": [first], "request": request}))
    second = drive(create_case_for(other_cast, call), State.CREATING, other_cast, clock)
    with django_assert_num_queries(1):
        two = template.render(Context({"cases": [first, second], "request": request}))
    assert one.count('data-testid="issued-document"') == 1 and two.count('data-testid="issued-document"') == 2
