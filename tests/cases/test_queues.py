"""The home page's work queues (cases.queues): each role sees the cases that need it now, grouped by what is to be
done, with the deadline's last day and the days left, counts per stage — in a fixed number of queries."""
import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from accounts.models import Organisation, OrganisationKind, Role
from cases import queues
from cases.journeys import drive, expert_scores
from cases.models import Case
from cases.workflow import State
from evaluation.services import assign_expert
from publicity.services import file_objection
from tests.factories import UserFactory, applicant_for, new_case

pytestmark = pytest.mark.django_db


def queue(home, key):
    return next(q for q in home.queues if q.key == key)


def cities(q):
    return [item.case.creation_object.name for item in q.items]


def test_province_sees_submitted_applications_with_the_last_day_and_days_left(cast, other_cast, call, clock):
    ours = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    drive(new_case(other_cast, call), State.SUBMITTED, other_cast, clock)  # 江苏省: not the reviewer's
    home = queues.home_for(cast.reviewer)
    submitted = queue(home, "submitted")
    assert [item.case.pk for item in submitted.items] == [ours.pk]
    item = submitted.items[0]
    assert item.due == call.recommendation_deadline  # 办法 第八条: the call's date, one day, not a range
    assert item.days_left == (call.recommendation_deadline - datetime.date(2026, 3, 2)).days
    assert not item.overdue
    assert item.href.endswith(f"/cases/{ours.pk}/#move-recommend")
    assert home.stages == [("submitted", str(State.SUBMITTED.label), 1)]
    assert queue(home, "late").items == []


def test_province_late_items_are_overdue_reviews_and_overdue_annual_reports(cast, call, clock):
    late = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    clock.move_to(datetime.datetime(2026, 7, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    home = queues.home_for(cast.reviewer)
    items = queue(home, "late").items
    assert [i.case.pk for i in items] == [late.pk] and items[0].overdue and items[0].days_left == -2


def test_province_sees_evaluation_pre_reviews_and_annual_reports_in(cast, call, clock):
    case = drive(new_case(cast, call), State.EVALUATION_APPLIED, cast, clock)
    home = queues.home_for(cast.reviewer)
    assert [i.case.pk for i in queue(home, "pre_review").items] == [case.pk]
    assert queue(home, "pre_review").items[0].anchor == "move-forward_evaluation"


def test_samr_sees_each_calls_recommended_list_in_rank_order(cast, call, clock):
    first = drive(new_case(cast, call), State.RECOMMENDED, cast, clock)
    ningbo = applicant_for("330200")
    second_cast = type(cast)(applicant=ningbo, reviewer=cast.reviewer, officer=cast.officer, expert=cast.expert)
    second = drive(new_case(second_cast, call), State.RECOMMENDED, second_cast, clock)
    home = queues.home_for(cast.officer)
    listed = queue(home, f"recommended-{call.pk}")
    assert call.title in listed.title
    assert [i.case.pk for i in listed.items] == [first.pk, second.pk]
    assert [i.note for i in listed.items] == ["浙江省 第 1 名", "浙江省 第 2 名"]


def test_samr_queue_moves_a_case_from_expert_assignment_to_finalising(cast, call, clock):
    from indicators.services import load_seed_systems

    load_seed_systems()
    case = drive(new_case(cast, call), State.UNDER_EVALUATION, cast, clock)
    home = queues.home_for(cast.officer)
    assert cities(queue(home, "assign_experts")) == ["杭州市"]
    assert queue(home, "finalise").items == []

    assign_expert(case_id=case.pk, actor=cast.officer, expert=cast.expert)
    home = queues.home_for(cast.officer)
    assert queue(home, "assign_experts").items == []
    assert queue(home, "finalise").items == []  # assigned, nobody has scored yet

    expert_scores(case, cast.expert, __import__("decimal").Decimal("0.9"))
    home = queues.home_for(cast.officer)
    finalise = queue(home, "finalise").items
    assert [i.case.pk for i in finalise] == [case.pk] and finalise[0].note == "1 / 1 位专家已提交"


def test_expert_sees_assignments_to_score_then_scored(cast, call, clock):
    from indicators.services import load_seed_systems

    load_seed_systems()
    case = drive(new_case(cast, call), State.UNDER_EVALUATION, cast, clock)
    other = UserFactory(username="expert-other", role=Role.SAMR_EXPERT)
    assign_expert(case_id=case.pk, actor=cast.officer, expert=cast.expert)
    home = queues.home_for(cast.expert)
    assert [i.case.pk for i in queue(home, "to_score").items] == [case.pk]
    assert queue(queues.home_for(other), "to_score").items == []  # not assigned: nothing
    expert_scores(case, cast.expert, __import__("decimal").Decimal("0.9"))
    home = queues.home_for(cast.expert)
    assert queue(home, "to_score").items == [] and [i.case.pk for i in queue(home, "scored").items] == [case.pk]


def test_samr_sees_running_notices_and_objections_to_verify(cast, call, clock):
    case = drive(new_case(cast, call), State.IN_PUBLICITY, cast, clock)
    notice = case.notices.get()
    file_objection(notice_id=notice.pk, name="公众", contact="13800000000", content="数据存疑")
    home = queues.home_for(cast.officer)
    running = queue(home, "notices").items
    assert [i.case.pk for i in running] == [case.pk] and running[0].due == notice.last_day
    objections = queue(home, "objections").items
    assert [i.case.pk for i in objections] == [case.pk] and objections[0].due == notice.last_day


def test_samr_decisions_due_include_flagged_lapses_and_designations(cast, other_cast, call, clock):
    creating = drive(new_case(cast, call), State.CREATING, cast, clock)
    Case.objects.filter(pk=creating.pk).update(lapse_flagged_for=F("creation_end"))
    waiting = drive(new_case(other_cast, call), State.AWAITING_DESIGNATION, other_cast, clock)
    home = queues.home_for(cast.officer)
    decisions = queue(home, "decisions").items
    assert {i.case.pk for i in decisions} == {creating.pk, waiting.pk}
    lapse = next(i for i in decisions if i.case.pk == creating.pk)
    assert lapse.anchor == "move-lapse" and lapse.due is not None


def test_applicant_home_shows_their_case_and_its_next_step(cast, call, clock):
    case = new_case(cast, call)
    home = queues.home_for(cast.applicant)
    [(mine, step)] = home.my_cases
    assert mine.pk == case.pk
    assert "申请" in step.headline or "提交" in step.headline
    assert home.stages == [("draft", str(State.DRAFT.label), 1)]


def test_admin_home_links_to_the_admin_tools():
    organisation = Organisation.objects.create(kind=OrganisationKind.ADMIN, name="平台管理（测试）")
    admin = UserFactory(username="admin-test", role=Role.ADMIN, organisation=organisation)
    home = queues.home_for(admin)
    hrefs = [href for _label, href, _desc in home.links]
    assert "/admin/" in hrefs and any("nationalfigure" in h for h in hrefs)
    assert home.queues == [] and home.stages == []


def _queries(user):
    with CaptureQueriesContext(connection) as captured:
        queues.home_for(user)
    return len(captured.captured_queries)


CITIES = ["330200", "330300", "330400", "330500", "330600", "330700", "330800", "330900", "331000"]
GROUPS = [State.SUBMITTED, State.RECOMMENDED, State.UNDER_EVALUATION]


def _cases_in_lockstep(cast, call, clock, per_group):
    """``per_group`` cities in each of GROUPS, every move made for all of them on the same day."""
    from cases.journeys import PATHS, act

    plan = []
    for i, state in enumerate(GROUPS):
        for code in CITIES[i * per_group:(i + 1) * per_group]:
            city = type(cast)(applicant=applicant_for(code), reviewer=cast.reviewer, officer=cast.officer,
                              expert=cast.expert)
            plan.append([new_case(city, call), city, list(PATHS[state])])
    while any(path for _case, _cast, path in plan):
        for entry in plan:
            if entry[2]:
                entry[0] = act(entry[0], entry[2].pop(0), entry[1], clock)
    return [case for case, _cast, _path in plan]


# The whole home page's queue, however many cases: one query per record kind (see cases.queues), and one for
# the creation period's unread progress reports (creation.reports.home_queues).
EXPECTED_QUERIES = {"reviewer": 5 + 1, "officer": 9 + 1}


@pytest.mark.parametrize("per_group", [1, 3])
@pytest.mark.parametrize("role", ["reviewer", "officer"])
def test_queue_queries_do_not_grow_with_the_number_of_cases(role, per_group, cast, call, clock):
    _cases_in_lockstep(cast, call, clock, per_group)
    user = getattr(cast, role)
    home = queues.home_for(user)
    assert home.total == 3 * per_group
    assert _queries(user) == EXPECTED_QUERIES[role]


# The home page itself: the queue's queries plus the session, the user and the navbar's unread badge.
EXTRA_PAGE_QUERIES = 4


@pytest.mark.parametrize("per_group", [1, 3])
@pytest.mark.parametrize("role", ["reviewer", "officer"])
def test_home_page_queries_do_not_grow_with_the_number_of_cases(role, per_group, client, cast, call, clock):
    from django.urls import reverse

    _cases_in_lockstep(cast, call, clock, per_group)
    client.force_login(getattr(cast, role))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200 and response.content.decode().count('data-testid="queue-item"') >= per_group
    assert len(captured.captured_queries) == EXPECTED_QUERIES[role] + EXTRA_PAGE_QUERIES
