"""The years a sheet scores are the case's, not typed (issue 10 item 5): the 2022 system's "近2年" are the two full
calendar years before the evaluation application (试行办法 第十条, 附件1); the current draft's "创建期内" are the years
of the case's creation period (办法 第十二条, 附件). The sheet shows them; only SAMR changes them, with a reason
kept in the audit trail."""
import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.errors import InvalidPayload, NotAllowed
from cases.journeys import act, drive
from cases.models import AuditEntry
from cases.workflow import State
from evaluation import sheets
from evaluation.models import ScoringYears
from indicators import services
from indicators.models import IndicatorSystem
from tests.conftest import SHANGHAI
from tests.deadlines.conftest import trial_clock
from tests.factories import new_case

__all__ = ["trial_clock"]

pytestmark = pytest.mark.django_db

BEFORE_APPLICATION = SimpleNamespace(scoring_years={"basis": "before_application", "count": 2, "text": "近2年"})
CREATION_PERIOD = SimpleNamespace(scoring_years={"basis": "creation_period", "text": "创建期内"})


@pytest.fixture
def systems(db):
    services.load_seed_systems()
    return {s.code: s for s in IndicatorSystem.objects.all()}


def applied(at, state=State.EVALUATION_APPLIED):
    return SimpleNamespace(state=state, evaluation_applied_at=at, creation_start=None, creation_end=None)


def client_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


# ------------------------------------------------------------------------------------------------ the rule
def test_trial_art_10_an_application_on_1_january_scores_the_two_years_just_ended():
    """试行办法 第十条 with 附件1 “近2年”: an application on 1 January (Beijing time, still 31 December in UTC)
    scores the two full calendar years just ended."""
    at = datetime.datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI)
    assert at.astimezone(datetime.timezone.utc).year == 2025
    years, basis, provisional, _why = sheets.computed_years(applied(at), BEFORE_APPLICATION)
    assert (years, basis, provisional) == ([2024, 2025], "before_application", False)


def test_trial_art_10_an_application_on_31_december_does_not_count_the_year_it_is_made_in():
    at = datetime.datetime(2025, 12, 31, 23, 59, tzinfo=SHANGHAI)
    assert sheets.computed_years(applied(at), BEFORE_APPLICATION)[0] == [2023, 2024]


def test_trial_art_10_before_the_application_the_years_are_reckoned_from_today_and_say_so():
    case = applied(None, state=State.CREATING)
    years, _basis, provisional, why = sheets.computed_years(case, BEFORE_APPLICATION,
                                                            today=datetime.date(2024, 1, 1))
    assert years == [2022, 2023] and provisional and "暂按今日（2024-01-01）" in why


def test_art_12_a_creation_period_spanning_three_calendar_years_scores_all_three():
    """办法 第十二条 with its appendix “创建期内”: every calendar year the creation period touches."""
    case = SimpleNamespace(state=State.CREATING, evaluation_applied_at=None,
                           creation_start=datetime.date(2025, 7, 1), creation_end=datetime.date(2027, 6, 30))
    years, basis, provisional, why = sheets.computed_years(case, CREATION_PERIOD)
    assert (years, basis, provisional) == ([2025, 2026, 2027], "creation_period", False)
    assert "2025-07-01 至 2027-06-30" in why


def test_art_12_a_creation_period_of_whole_calendar_years_scores_exactly_those_years():
    case = SimpleNamespace(state=State.CREATING, evaluation_applied_at=None,
                           creation_start=datetime.date(2025, 1, 1), creation_end=datetime.date(2026, 12, 31))
    assert sheets.computed_years(case, CREATION_PERIOD)[0] == [2025, 2026]


def test_a_system_without_a_years_rule_leaves_the_years_to_samr():
    case = SimpleNamespace(state=State.CREATING, evaluation_applied_at=None, creation_start=None, creation_end=None)
    years, basis, _provisional, why = sheets.computed_years(case, SimpleNamespace(scoring_years={}))
    assert years == [] and basis == "" and "总局" in why


def test_the_seed_systems_carry_their_own_words(systems):
    assert systems["2022"].scoring_years["text"] == "近2年" and systems["2022"].scoring_years["count"] == 2
    assert systems["draft-current"].scoring_years["basis"] == "creation_period"
    assert "试行办法 第十条" in systems["2022"].scoring_years["article"]


# ------------------------------------------------------------------------------------------------ on real cases
def test_trial_art_10_a_case_applying_on_1_january_has_its_sheets_score_the_two_years_before(
        cast, trial_clock, systems):
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    assert case.rule_set.code == "trial-2022"
    assert case.creation_start < datetime.date(2024, 1, 1) < case.creation_end
    trial_clock.move_to(datetime.datetime(2024, 1, 1, 0, 30, tzinfo=SHANGHAI))  # still 2023 in UTC
    act(case, "apply_for_evaluation", cast, trial_clock)
    case.refresh_from_db()
    assert timezone_day(case.evaluation_applied_at) == datetime.date(2024, 1, 1)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.reviewer)
    assert sheet.context["years"] == [2022, 2023]
    assert "评估申请日（2024-01-01）前的 2 个完整年度" in sheet.context["years_basis"]


def timezone_day(at):
    return at.astimezone(SHANGHAI).date()


def test_art_12_the_current_measures_score_the_creation_period_and_a_typed_year_is_refused(cast, call, clock,
                                                                                          systems):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    span = list(range(case.creation_start.year, case.creation_end.year + 1))
    assert sheet.context["years"] == span
    with pytest.raises(NotAllowed, match="评估年份由案件确定"):
        sheets.update_sheet(case_id=case.pk, actor=cast.applicant, sheet_id=sheet.pk, context={"years": [2024]})
    api = client_for(cast.applicant)
    refused = api.patch(f"/api/cases/{case.pk}/score-sheets/{sheet.pk}/", {"context": {"years": [2024, 2025]}},
                        format="json")
    assert refused.status_code == 403 and "总局" in refused.json()["detail"]
    same = api.patch(f"/api/cases/{case.pk}/score-sheets/{sheet.pk}/", {"context": {"years": span}}, format="json")
    assert same.status_code == 200


# ------------------------------------------------------------------------------------------------ SAMR changes them
def test_only_samr_changes_the_years_and_the_reason_is_in_the_audit_trail(cast, call, clock, systems):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    draft, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    url = f"/api/cases/{case.pk}/score-sheets/years/"
    for person in (cast.applicant, cast.reviewer):
        response = client_for(person).put(url, {"years": [2024, 2025], "reason": "我想改"}, format="json")
        assert response.status_code == 403
    officer = client_for(cast.officer)
    missing_reason = officer.put(url, {"years": [2024, 2025], "reason": ""}, format="json")
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()["errors"]
    assert not ScoringYears.objects.exists()
    changed = officer.put(url, {"years": [2025, 2024], "reason": "2029年统计数据尚未公布"}, format="json")
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert body["years"] == [2024, 2025] and body["computed"] == list(range(2026, 2030))
    assert body["override"]["reason"] == "2029年统计数据尚未公布"
    entry = AuditEntry.objects.filter(case=case, name="set_scoring_years").get()
    assert entry.comment == "2029年统计数据尚未公布" and entry.actor == cast.officer
    assert entry.data["from"] == list(range(2026, 2030)) and entry.data["to"] == [2024, 2025]
    draft.refresh_from_db()
    assert draft.context["years"] == [2024, 2025]  # the round's drafts follow at once
    assert client_for(cast.applicant).get(url).json()["years"] == [2024, 2025]


def test_the_years_service_refuses_other_roles_and_bad_years(cast, call, clock, systems):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    with pytest.raises(NotAllowed):
        sheets.set_scoring_years(case_id=case.pk, actor=cast.applicant, years=[2025], reason="理由")
    with pytest.raises(InvalidPayload) as refusal:
        sheets.set_scoring_years(case_id=case.pk, actor=cast.officer, years=["二〇二五"], reason="理由")
    assert "years" in refusal.value.extra["errors"]


def test_another_province_does_not_see_the_years(cast, other_cast, call, clock, systems):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    assert client_for(other_cast.reviewer).get(f"/api/cases/{case.pk}/score-sheets/years/").status_code == 404


def test_the_sheet_page_shows_the_years_and_samr_changes_them_with_a_reason(client, cast, call, clock, systems):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    client.force_login(cast.applicant)
    page = client.get(reverse("score-sheet", args=[case.pk, sheet.pk])).content.decode()
    assert "2026年、2027年、2028年、2029年" in page and "创建期（2026-03-02 至 2029-03-01）" in page
    assert 'data-testid="scoring-years-form"' not in page
    assert client.post(reverse("score-years", args=[case.pk]), {"years": "2025", "reason": "x"}).status_code == 404

    client.force_login(cast.officer)
    page = client.get(reverse("score-sheet", args=[case.pk, sheet.pk])).content.decode()
    assert 'data-testid="scoring-years-form"' in page
    refused = client.post(reverse("score-years", args=[case.pk]), {"sheet": sheet.pk, "years": "2024, 2025",
                                                                   "reason": ""})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'value="2024, 2025"' in html and "is-invalid" in html and "请说明调整评估年份的理由" in html
    done = client.post(reverse("score-years", args=[case.pk]), {"sheet": sheet.pk, "years": "2024, 2025",
                                                                "reason": "统计数据尚未公布"})
    assert done.status_code == 302 and done["Location"] == reverse("score-sheet", args=[case.pk, sheet.pk])
    page = client.get(reverse("score-sheet", args=[case.pk, sheet.pk])).content.decode()
    assert "2024年、2025年" in page and 'data-testid="scoring-years-override"' in page and "统计数据尚未公布" in page
