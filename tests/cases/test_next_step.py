"""The 下一步 panel (cases.next_step): in every state, each role is told what it can do next, or why nothing."""
import datetime
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse

from cases.journeys import drive, expert_scores
from cases.models import Case
from cases.next_step import ACT, BLOCKED, CLOSED, WAIT, WARNING, next_step
from cases.workflow import State
from evaluation.services import assign_expert
from publicity.services import file_objection
from tests.deadlines.conftest import TRIAL_START, travel
from tests.factories import new_case

pytestmark = pytest.mark.django_db


def step(case, user):
    return next_step(Case.objects.get(pk=case.pk), user)


def test_draft_applicant_is_told_what_is_missing_before_submitting(cast, call, clock):
    case = new_case(cast, call)
    answer = step(case, cast.applicant)
    assert answer.tone == BLOCKED
    assert answer.headline == "下一步为“提交创建申请”，尚需："
    assert any("申请表" in d and "创建方案" in d for d in answer.details)
    assert answer.actions[0].href.endswith("#move-submit")
    assert answer.deadline["due"] == call.submission_deadline  # the call's last day
    officer = step(case, cast.officer)
    assert officer.tone == WAIT and officer.headline.startswith("草稿：等待创建对象")


def test_submitted_province_may_act_the_city_waits_for_the_preliminary_review(cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    province = step(case, cast.reviewer)
    assert province.tone == ACT and "推荐报送总局" in province.headline and "退回补正" in province.headline
    assert province.deadline["due"] == call.recommendation_deadline
    city = step(case, cast.applicant)
    assert city.tone == WAIT and city.headline == "等待省级初审（办法 第八条）。"


def test_returned_city_may_resubmit(cast, call, clock):
    case = drive(new_case(cast, call), State.RETURNED, cast, clock)
    assert step(case, cast.applicant).tone == ACT and "补正后重新提交" in step(case, cast.applicant).headline
    assert step(case, cast.reviewer).headline.startswith("已退回补正")


def test_recommended_samr_decides_the_others_wait(cast, call, clock):
    case = drive(new_case(cast, call), State.RECOMMENDED, cast, clock)
    assert step(case, cast.officer).tone == ACT and "同意创建" in step(case, cast.officer).headline
    assert step(case, cast.reviewer).headline.startswith("已推荐报送总局：等待总局审核")
    assert step(case, cast.applicant).tone == WAIT


def test_creating_under_the_current_measures_the_city_self_assesses_after_the_period(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    city = step(case, cast.applicant)
    assert city.tone == WAIT
    assert city.headline == "创建期内：下一步为自评估，创建期届满后可申请评估（办法 第十二条）。"
    assert any(str(case.creation_end) in d for d in city.details)
    assert step(case, cast.officer).headline.startswith("创建期内（至 ")


def test_lapse_flagged_samr_must_decide_the_city_is_told_it_waits(cast, call, clock):
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    Case.objects.filter(pk=case.pk).update(lapse_flagged_for=F("creation_end"))
    officer = step(case, cast.officer)
    assert officer.tone == WARNING and "请决定终止，或延长创建期" in officer.headline
    assert officer.actions and officer.actions[0].href.endswith("#move-lapse")
    assert "等待总局决定终止或延长创建期" in step(case, cast.applicant).headline


def test_evaluation_applied_province_pre_reviews(cast, call, clock):
    case = drive(new_case(cast, call), State.EVALUATION_APPLIED, cast, clock)
    assert step(case, cast.reviewer).tone == ACT
    assert step(case, cast.applicant).headline.startswith("等待省级评估初审")


def test_under_evaluation_samr_assigns_experts_experts_score_samr_finalises(cast, call, clock):
    from indicators.services import load_seed_systems

    load_seed_systems()
    case = drive(new_case(cast, call), State.UNDER_EVALUATION, cast, clock)
    assert step(case, cast.officer).headline == "请分配评估专家（办法 第十四条）。"
    assert step(case, cast.applicant).headline.startswith("总局组织专家评估中")
    assign_expert(case_id=case.pk, actor=cast.officer, expert=cast.expert)
    assert step(case, cast.officer).tone == WAIT and "尚无人提交评分表" in step(case, cast.officer).headline
    assert step(case, cast.expert).tone == ACT and "评分" in step(case, cast.expert).headline
    expert_scores(case, cast.expert, Decimal("0.9"))
    assert step(case, cast.expert).headline.startswith("您已提交评分表")
    officer = step(case, cast.officer)
    assert officer.tone == ACT and officer.actions[0].href == reverse("score-sheet-finalise", args=[case.pk])


def test_in_publicity_open_objections_are_samrs_next_step(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    notice = case.notices.get()
    assert step(case, cast.officer).headline.startswith("公示中：期满后办理")
    file_objection(notice_id=notice.pk, name="公众", contact="13800000000", content="数据存疑")
    officer = step(case, cast.officer)
    assert officer.tone == WARNING and officer.headline.startswith("有 1 件异议待核实")
    city = step(case, cast.applicant)
    assert city.tone == WAIT and any(str(notice.last_day) in d for d in city.details)


def test_designated_zone_with_an_overdue_annual_report_is_told_so(cast, clock):
    clock.move_to(TRIAL_START)
    case = drive(new_case(cast), State.DESIGNATED, cast, clock)
    assert case.rule_set.code == "trial-2022"
    travel(clock, datetime.date(2024, 4, 2))  # the 2023 report was due on 2024-03-31
    for user in (cast.applicant, cast.reviewer, cast.officer):
        answer = step(case, user)
        assert answer.tone == WARNING and answer.headline.startswith("年度报告已逾期")
        assert answer.overdue
    travel(clock, datetime.date(2024, 3, 1))
    assert step(case, cast.applicant).headline.startswith("请于 2024-03-31 前报送 2023 年度工作情况报告")


def test_closed_cases_say_so_and_the_city_may_apply_anew(cast, call, clock):
    case = drive(new_case(cast, call), State.NOT_RECOMMENDED, cast, clock)
    answer = step(case, cast.applicant)
    assert answer.tone == CLOSED and answer.headline == "本案件已结束：未获推荐。"
    assert "重新提出创建申请" in answer.details[0]
    assert step(case, cast.reviewer).details == []


def test_case_page_shows_the_next_step_panel(client, cast, call, clock):
    case = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    client.force_login(cast.applicant)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="next-step"' in page and "等待省级初审（办法 第八条）。" in page
    # The deadline column shows the last day only, not a range.
    client.force_login(cast.reviewer)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert f"{call.recommendation_deadline:%Y-%m-%d}" in page
    assert f"2026-03-02 – {call.recommendation_deadline:%Y-%m-%d}" not in page
