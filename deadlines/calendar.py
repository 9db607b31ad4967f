"""A case's deadlines, computed from its rule set and its recorded acts — never stored, so they always agree
with the guards in cases.guards that refuse a late act (both read cases.deadlines).

Every date is a calendar day in Asia/Shanghai and inclusive: ``days_left == 0`` means today is the last day,
a negative number means the deadline has passed (DESIGN.md, Time; 民法典 第二百零三条).

Which deadline runs depends on where the case stands:

| state                 | deadline                | who must act | measures                                   |
| --------------------- | ----------------------- | ------------ | ------------------------------------------ |
| draft                 | application             | applicant    | 试行办法 第七条 (5月底前) / 办法 第七条 (the call) |
| returned              | correction              | applicant    | the province's forwarding date             |
| submitted             | province_review         | province     | 试行办法 第七条 (1个月内, 6月底前) / the call  |
| creating              | creation_end            | applicant    | 试行办法 第八条 / 办法 第九条                  |
| creating              | evaluation_application  | applicant    | 试行办法 第十条 / 办法 第十二条                 |
| in_publicity          | notice                  | SAMR         | 办法 第十五条 (15 days, first day included)   |
| designated            | annual_report           | applicant    | 试行办法 第十八条 (每年3月底前)                 |
"""
import dataclasses
import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import Role
from cases import deadlines as case_deadlines
from cases.models import Case
from cases.workflow import State
from rulesets.models import ApplicationCalendar, RuleSet

from .models import DeadlineKind

# The transition whose article (per rule set, fixtures/rulesets.json) a deadline enforces.
ARTICLE_OF = {
    DeadlineKind.APPLICATION: "submit",
    DeadlineKind.CORRECTION: "resubmit",
    DeadlineKind.PROVINCE_REVIEW: "recommend",
    DeadlineKind.CREATION_END: "approve_creation",
    DeadlineKind.EVALUATION_APPLICATION: "apply_for_evaluation",
    DeadlineKind.NOTICE: "publish_notice",
}
# Articles no transition carries. Only the 2022 trial measures date the annual report.
ARTICLE_FALLBACK = {DeadlineKind.ANNUAL_REPORT: "试行办法 第十八条"}

RESPONSIBLE = {
    DeadlineKind.APPLICATION: (Role.APPLICANT,),
    DeadlineKind.CORRECTION: (Role.APPLICANT,),
    DeadlineKind.PROVINCE_REVIEW: (Role.PROVINCIAL_REVIEWER,),
    DeadlineKind.CREATION_END: (Role.APPLICANT,),
    DeadlineKind.EVALUATION_APPLICATION: (Role.APPLICANT, Role.PROVINCIAL_REVIEWER),
    DeadlineKind.NOTICE: (Role.SAMR_OFFICER,),
    DeadlineKind.ANNUAL_REPORT: (Role.APPLICANT, Role.PROVINCIAL_REVIEWER),
}

STATES_WITH_DEADLINES = [State.DRAFT, State.RETURNED, State.SUBMITTED, State.CREATING, State.IN_PUBLICITY,
                         State.DESIGNATED]


@dataclasses.dataclass(frozen=True)
class Deadline:
    case_id: int
    kind: str
    due: datetime.date
    opens: datetime.date | None = None  # the first day of a window (the notice, the evaluation application)
    article: str = ""
    subject_year: int | None = None  # the reported year, for annual reports

    @property
    def label(self):
        return DeadlineKind(self.kind).label

    @property
    def responsible(self):
        return RESPONSIBLE[self.kind]

    def days_left(self, today):
        return (self.due - today).days


def _deadline(case, kind, due, **extra):
    article = case.rule_set.article(ARTICLE_OF[kind]) if kind in ARTICLE_OF else ARTICLE_FALLBACK.get(kind, "")
    return Deadline(case_id=case.pk, kind=kind, due=due, article=article, **extra)


def annual_report_due(rules, year):
    """试行办法 第十八条: the report on ``year``'s work is due 3月底前 of the year after."""
    return datetime.date(year + 1, rules.annual_report_month, rules.annual_report_day)


def has_annual_report(rules):
    return bool(rules.annual_report_month and rules.annual_report_day)


def annual_report_years_owed(case, today):
    """The years a designated zone must report on by ``today``'s next due date: from the year it was designated
    (a zone designated in December reports on that December by the next March 31 — the measures say 每年, and we
    read it as every calendar year the zone held the title) to the year whose due date is the first not yet past."""
    rules = case.rule_set
    if not has_annual_report(rules) or case.designated_on is None:
        return []
    last = today.year if today > annual_report_due(rules, today.year - 1) else today.year - 1
    return list(range(case.designated_on.year, last + 1))


def _application_deadline(case, today):
    rules = case.rule_set
    if rules.application_calendar == ApplicationCalendar.FIXED_YEARLY:
        # 试行办法 第七条: 每年5月底前 — past this year's date, the next chance is next year's.
        this_year = case_deadlines.application_deadline(case, today)
        if today > this_year:
            return case_deadlines.application_deadline(case, today.replace(year=today.year + 1, day=1))
        return this_year
    return case_deadlines.application_deadline(case, today)


def _current_notice(case):
    # Uses the prefetched open notices when the bulk selector loaded them (Prefetch to_attr), else one query.
    notices = getattr(case, "open_notices", None)
    if notices is None:
        notices = list(case.notices.filter(closed_at__isnull=True).order_by("-first_day", "-pk"))
    return notices[0] if notices else None


def _reports(case):
    reports = getattr(case, "prefetched_annual_reports", None)
    if reports is None:
        reports = list(case.annual_reports.all())
    return reports


def deadlines_of(case, today):
    """The deadlines running for ``case`` on ``today`` (a list, soonest first). Reads case.rule_set and case.call
    (select_related them) and, for notices and annual reports, what the bulk selector prefetched."""
    state = case.state
    found = []
    if state == State.DRAFT:
        due = _application_deadline(case, today)
        if due:
            found.append(_deadline(case, DeadlineKind.APPLICATION, due,
                                   opens=case.call.opens_on if case.call_id else None))
    elif state == State.RETURNED:
        due = case_deadlines.forward_deadline(case)
        if due:
            found.append(_deadline(case, DeadlineKind.CORRECTION, due))
    elif state == State.SUBMITTED:
        due = case_deadlines.province_review_deadline(case)
        if due:
            opens = case_deadlines.local_date(case.submitted_at) if case.submitted_at else None
            found.append(_deadline(case, DeadlineKind.PROVINCE_REVIEW, due, opens=opens))
    elif state == State.CREATING and case.creation_end:
        first, last = case_deadlines.evaluation_window(case)
        if last != case.creation_end:
            # 办法 第十二条: the period's end opens the self-assessment; the application deadline comes later.
            found.append(_deadline(case, DeadlineKind.CREATION_END, case.creation_end, opens=case.creation_start))
        found.append(_deadline(case, DeadlineKind.EVALUATION_APPLICATION, last, opens=first))
    elif state == State.IN_PUBLICITY:
        notice = _current_notice(case)
        if notice is not None:
            found.append(_deadline(case, DeadlineKind.NOTICE, notice.last_day, opens=notice.first_day))
    elif state == State.DESIGNATED:
        submitted = {r.year for r in _reports(case) if r.submitted_at is not None}
        owed = [y for y in annual_report_years_owed(case, today) if y not in submitted]
        if owed:
            year = owed[0]
            found.append(_deadline(case, DeadlineKind.ANNUAL_REPORT, annual_report_due(case.rule_set, year),
                                   subject_year=year))
    return sorted(found, key=lambda d: d.due)


def _with_prefetches(cases):
    from designation.models import AnnualReport
    from publicity.models import Notice

    return cases.select_related("rule_set", "call", "creation_object").prefetch_related(
        Prefetch("notices", queryset=Notice.objects.filter(closed_at__isnull=True).order_by("-first_day", "-pk"),
                 to_attr="open_notices"),
        Prefetch("annual_reports", queryset=AnnualReport.objects.all(), to_attr="prefetched_annual_reports"),
    )


with_deadline_data = _with_prefetches  # for other selectors that list cases with their deadlines (cases.queues)


def cases_with_deadlines_between(first, last):
    """Every open case that may have a deadline falling between ``first`` and ``last`` (inclusive), narrowed in SQL
    so a sweep over many cases loads only those near a deadline; deadlines_of() then decides exactly.
    A bounded number of queries whatever the number of cases: one for the rule sets, one for the cases, one per
    prefetch."""
    rule_sets = list(RuleSet.objects.all())
    near = Q(state__in=[State.RETURNED, State.SUBMITTED])  # few, and their dates are computed in Python
    fixed = [r.pk for r in rule_sets if r.application_calendar == ApplicationCalendar.FIXED_YEARLY]
    near |= Q(state=State.DRAFT) & (Q(rule_set__in=fixed) | Q(call__submission_deadline__range=(first, last)))
    for rules in rule_sets:
        grace = datetime.timedelta(days=rules.evaluation_grace_days)
        near |= Q(state=State.CREATING, rule_set=rules) & (
            Q(creation_end__range=(first, last)) | Q(creation_end__range=(first - grace, last - grace)))
    near |= Q(state=State.IN_PUBLICITY, notices__closed_at__isnull=True, notices__last_day__range=(first, last))
    annual = [r.pk for r in rule_sets if has_annual_report(r)]
    near |= Q(state=State.DESIGNATED, rule_set__in=annual)
    return _with_prefetches(Case.objects.filter(near).distinct())


def upcoming(today, horizon_days):
    """[(case, deadline)] for every deadline due from today to ``horizon_days`` ahead (inclusive). Passed ones are
    the other sweeps' business (lapses, notice expiry, overdue annual reports). Bounded queries: see
    cases_with_deadlines_between (plus two prefetch queries per 2,000 cases)."""
    last = today + datetime.timedelta(days=horizon_days)
    for case in cases_with_deadlines_between(today, last).iterator(chunk_size=2000):
        for deadline in deadlines_of(case, today):
            if today <= deadline.due <= last:
                yield case, deadline


def for_case(case, today=None):
    """The deadlines of one case, for the case page and the API."""
    today = today or timezone.localdate()
    case = _with_prefetches(Case.objects.filter(pk=case.pk)).get()
    return deadlines_of(case, today)
