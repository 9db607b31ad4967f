"""Writers for deadlines: SAMR's extension of a creation period, and the periodic sweeps.

Every sweep is idempotent — run twice, or twice at once, it changes nothing more than once:
- a move (lapse, close_notice) goes through cases.services.perform_transition, which locks the row (NOWAIT) and
  checks the state and the guards; a case already moved, or held by someone else, is skipped and counted;
- a reminder is one row of deadlines.Reminder under a unique constraint, written in the same transaction as
  its notifications: a second sweep's insert fails and sends nothing;
- an overdue annual report is one row of designation.AnnualReport under a unique constraint, flagged under the
  case's row lock together with its audit entry and notifications.
Selection is done in bulk (a bounded number of queries however many cases there are); only the cases that need
something cost queries of their own.
"""
import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from cases import deadlines as case_deadlines
from cases import guards
from cases.errors import Conflict, GuardFailed, IllegalTransition, InvalidPayload, NotAllowed, NotFound
from cases.models import Case
from cases.services import SYSTEM_ACTOR, locked_case, perform_transition, record_action
from cases.workflow import State
from notifications.services import case_context, notify
from rulesets.models import RuleSet

from . import calendar
from .models import CreationPeriodExtension, DeadlineKind, Reminder

log = logging.getLogger(__name__)


# ── SAMR decisions ───────────────────────────────────────────────────────────────────────────────────────────
def extend_creation_period(*, case_id, actor, new_end, reason, expected_version=None):
    """SAMR extends a case's creation period to ``new_end`` (办法 第九条: 创建活动周期「一般」不超过3年 — SAMR
    decides the exceptions; 试行办法 第八条: 2年).

    Who may call it: SAMR officers, while the case is creating — also once its evaluation window has closed and
    the sweep has put it in SAMR's queue: extending is the other answer to a lapse (办法 第九条). A terminated
    (lapsed) case is not revived this way. Writes a CreationPeriodExtension, moves Case.creation_end, appends
    an audit entry and notifies the applicant and the province after commit."""
    with locked_case(case_id, actor, expected_version) as case:
        if getattr(actor, "role", None) != Role.SAMR_OFFICER:
            raise NotAllowed(_("只有总局工作人员可以延长创建期。"))
        if case.state != State.CREATING:
            raise IllegalTransition(_("案件当前状态为“%(state)s”，只有创建中的案件可以延长创建期。")
                                    % {"state": State(case.state).label}, state=case.state)
        if not (reason or "").strip():
            raise InvalidPayload(_("延长创建期须填写理由。"), errors={"reason": [_("此项为必填项。")]})
        today = timezone.localdate()
        if new_end <= case.creation_end or new_end < today:
            raise InvalidPayload(_("延长后的届满日须晚于现届满日 %(end)s，且不早于今天。") % {"end": case.creation_end},
                                 errors={"new_end": [_("日期无效。")]})
        previous = case.creation_end
        extension = CreationPeriodExtension.objects.create(case=case, previous_end=previous, new_end=new_end,
                                                           reason=reason, decided_by=actor)
        # The case row is locked (locked_case); creation_end moves with a queryset update, like every edit
        # outside a state move, and the version bump comes with the audit entry.
        Case.objects.filter(pk=case.pk).update(creation_end=new_end)
        case.creation_end = new_end
        record_action(case, actor=actor, name="extend_creation_period", label=_("延长创建期"), comment=reason,
                      data={"previous_end": previous.isoformat(), "new_end": new_end.isoformat(),
                            "extension": extension.pk})
        notify(case=case, event="creation_period_extended", roles=[Role.APPLICANT, Role.PROVINCIAL_REVIEWER],
               context=case_context(case, previous_end=previous.isoformat(), new_end=new_end.isoformat(),
                                    reason=reason))
    return extension


# ── Sweeps ───────────────────────────────────────────────────────────────────────────────────────────────────
def _report(progress, done, total):
    if progress:
        progress(done, total)


def _move_each(case_ids, name, progress):
    """perform_transition(name) as the system on each case; count what happened. A refusal is not an error here:
    the case moved already (another sweep, a person) or is held by someone right now (the next sweep retries)."""
    counts = {"moved": 0, "already": 0, "busy": 0, "refused": 0}
    for done, case_id in enumerate(case_ids, 1):
        try:
            perform_transition(case_id=case_id, name=name, actor=SYSTEM_ACTOR)
            counts["moved"] += 1
        except IllegalTransition:
            counts["already"] += 1
        except Conflict:
            counts["busy"] += 1
        except (GuardFailed, NotFound) as refusal:
            counts["refused"] += 1
            log.info("sweep %s: case %s refused: %s", name, case_id, refusal)
        _report(progress, done, len(case_ids))
    return counts


def _evaluation_window_closed_q(today):
    """SQL for cases.guards.evaluation_window_closed: creation_end + the rule set's grace days < today."""
    q = Q(pk__in=[])
    for rules in RuleSet.objects.all():
        q |= Q(rule_set=rules, creation_end__lt=today - datetime.timedelta(days=rules.evaluation_grace_days))
    return q


def lapse_expired_creations(*, progress=None):
    """Put every creating case whose evaluation window has closed with no application in SAMR's queue, once per
    creation_end, with the facts (办法 第九条、第十二条: 创建期满 and no 评估申请; 试行办法 第八条、第十条). The
    termination itself is SAMR's decision (the ``lapse`` move), or SAMR extends the period. Idempotent: a flagged
    case is not flagged again unless its period is extended and lapses again. Who may call it: the scheduler."""
    today = timezone.localdate()
    ids = list(Case.objects.filter(_evaluation_window_closed_q(today), state=State.CREATING)
               .exclude(lapse_flagged_for=F("creation_end")).order_by("pk").values_list("pk", flat=True))
    counts = {"flagged": 0, "already": 0, "busy": 0}
    for done, case_id in enumerate(ids, 1):
        try:
            counts[_flag_lapse(case_id, today)] += 1
        except Conflict:
            counts["busy"] += 1
        _report(progress, done, len(ids))
    return {"candidates": len(ids), **counts}


def _flag_lapse(case_id, today):
    with locked_case(case_id, SYSTEM_ACTOR) as case:
        if case.state != State.CREATING or case.lapse_flagged_for == case.creation_end \
                or guards.evaluation_window_closed.reason(case) is not None:
            return "already"
        last = case_deadlines.evaluation_window(case)[1]
        Case.objects.filter(pk=case.pk).update(lapse_flagged_for=case.creation_end)
        record_action(case, actor=SYSTEM_ACTOR, name="lapse_due", label=_("创建期满未申请评估，待总局决定是否终止"),
                      data={"creation_end": case.creation_end.isoformat(), "window_closed": last.isoformat(),
                            "article": case.rule_set.article("lapse")},
                      notify=[Role.SAMR_OFFICER, Role.PROVINCIAL_REVIEWER])
    return "flagged"


def flag_late_province_reviews(*, progress=None):
    """试行办法 第七条 收到申报材料后1个月内初审: a submission the province has not reviewed within the month is
    flagged once (per submission) and SAMR and the province are told. It stays open: the province may still
    recommend until the forwarding date (6月底前). Who may call it: the scheduler."""
    today = timezone.localdate()
    rules = [r for r in RuleSet.objects.all() if r.province_review_months]
    candidates = list(Case.objects.filter(state=State.SUBMITTED, rule_set__in=rules, submitted_at__isnull=False)
                      .select_related("rule_set", "call").order_by("pk"))
    late = [c for c in candidates if (due := case_deadlines.province_review_deadline(c)) and today > due]
    counts = {"flagged": 0, "already": 0, "busy": 0}
    for done, case in enumerate(late, 1):
        try:
            counts[_flag_late_review(case.pk, today)] += 1
        except Conflict:
            counts["busy"] += 1
        _report(progress, done, len(late))
    return {"candidates": len(late), **counts}


def _flag_late_review(case_id, today):
    with locked_case(case_id, SYSTEM_ACTOR) as case:
        submitted = case.submitted_at.isoformat() if case.submitted_at else ""
        if case.state != State.SUBMITTED or case.audit_entries.filter(
                name="province_review_late", data__submitted_at=submitted).exists():
            return "already"
        due = case_deadlines.province_review_deadline(case)
        record_action(case, actor=SYSTEM_ACTOR, name="province_review_late",
                      label=_("省级初审逾期（1个月内初审）"),
                      data={"submitted_at": submitted, "due": due.isoformat(),
                            "forward_by": (case_deadlines.forward_deadline(case) or due).isoformat(),
                            "article": case.rule_set.article("recommend")},
                      notify=[Role.SAMR_OFFICER, Role.PROVINCIAL_REVIEWER])
    return "flagged"


def lapse_decisions_due():
    """SAMR's queue: creating cases the sweep flagged and SAMR has not yet terminated or extended."""
    return Case.objects.filter(state=State.CREATING, lapse_flagged_for=F("creation_end"))


def close_expired_notices(*, progress=None):
    """in_publicity → awaiting_designation once the notice's last day is over (办法 第十五条、第十六条: 为期15天,
    公示期满). A case with an objection still open waits — the guard refuses it and it is counted as waiting;
    the next sweep after SAMR decides the objection moves it."""
    today = timezone.localdate()
    expired = Case.objects.filter(state=State.IN_PUBLICITY, notices__closed_at__isnull=True,
                                  notices__last_day__lt=today)
    waiting = expired.filter(notices__objections__status="open").distinct().count()
    ids = list(expired.exclude(notices__objections__status="open").distinct().order_by("pk")
               .values_list("pk", flat=True))
    return {"candidates": len(ids), "waiting_for_objections": waiting, **_move_each(ids, "close_notice", progress)}


def reminder_bucket(days_left, thresholds, *, due=None, opens=None):
    """The reminder due for a deadline ``days_left`` away: the smallest threshold that is ≥ days_left.
    With 30/7/1: 20 days left → the 30-day reminder (sent late if the sweep did not run on day 30), 5 → 7, 0 → 1.
    A threshold longer than the deadline's own window is skipped: a 15-day notice gets no "30 days before"."""
    if opens is not None and due is not None:
        thresholds = [t for t in thresholds if case_deadlines.shift(due, -datetime.timedelta(days=t)) >= opens]
    fitting = [t for t in thresholds if days_left <= t]
    return min(fitting) if fitting else None


def send_reminders(*, today=None, days_before=None, progress=None):
    """Remind whoever must act, ``days_before`` (default settings.DEADLINE_REMINDER_DAYS: 30, 7 and 1) days
    before each running deadline (deadlines.calendar). One reminder per (case, deadline, due day, threshold):
    a missed day is caught up by the next sweep, and a moved deadline (an extension) is reminded anew."""
    today = today or timezone.localdate()
    thresholds = sorted({int(d) for d in (days_before or settings.DEADLINE_REMINDER_DAYS)}, reverse=True)
    horizon = thresholds[0]
    due_soon = list(calendar.upcoming(today, horizon))
    already = set(Reminder.objects.filter(due_on__range=(today, today + datetime.timedelta(days=horizon)))
                  .values_list("case_id", "kind", "due_on", "days_before"))
    counts = {"deadlines": len(due_soon), "sent": 0, "already": 0}
    for done, (case, deadline) in enumerate(due_soon, 1):
        days_left = deadline.days_left(today)
        bucket = reminder_bucket(days_left, thresholds, due=deadline.due, opens=deadline.opens)
        if bucket is None or (case.pk, deadline.kind, deadline.due, bucket) in already:
            counts["already"] += 1
        elif _remind(case, deadline, bucket, days_left):
            counts["sent"] += 1
        else:
            counts["already"] += 1
        _report(progress, done, len(due_soon))
    return counts


def _remind(case, deadline, bucket, days_left):
    with transaction.atomic():
        try:
            with transaction.atomic():
                Reminder.objects.create(case=case, kind=deadline.kind, due_on=deadline.due, days_before=bucket)
        except IntegrityError:
            return False  # another sweep sent this one (and committed) first
        notify(case=case, event="deadline_due_today" if days_left == 0 else "deadline_reminder",
               roles=deadline.responsible,
               context=case_context(case, kind=deadline.kind, due=deadline.due.isoformat(), days=days_left,
                                    article=deadline.article or "—"))
    return True


def flag_overdue_annual_reports(*, progress=None):
    """试行办法 第十八条: 每年3月底前报送年度工作情况. For every designated zone under measures that date the report,
    every reported year whose due day has passed with no report is flagged once: an AnnualReport row marked
    overdue, an audit entry, and a notice to the zone, its province and SAMR."""
    from designation.models import AnnualReport

    today = timezone.localdate()
    annual = [r.pk for r in RuleSet.objects.all() if calendar.has_annual_report(r)]
    zones = list(Case.objects.filter(state=State.DESIGNATED, rule_set__in=annual).select_related("rule_set"))
    present = set(AnnualReport.objects.filter(case__state=State.DESIGNATED, case__rule_set__in=annual)
                  .values_list("case_id", "year"))
    overdue = [(zone, year) for zone in zones for year in calendar.annual_report_years_owed(zone, today)
               if (zone.pk, year) not in present and calendar.annual_report_due(zone.rule_set, year) < today]
    counts = {"zones": len(zones), "flagged": 0, "already": 0, "busy": 0}
    for done, (zone, year) in enumerate(overdue, 1):
        try:
            counts["flagged" if _flag_overdue(zone.pk, year) else "already"] += 1
        except Conflict:
            counts["busy"] += 1
        _report(progress, done, len(overdue))
    return counts


def _flag_overdue(case_id, year):
    from designation.models import AnnualReport

    with locked_case(case_id, SYSTEM_ACTOR) as case:
        if case.state != State.DESIGNATED:
            return False
        due = calendar.annual_report_due(case.rule_set, year)
        report, created = AnnualReport.objects.get_or_create(
            case=case, year=year, defaults={"due_on": due, "overdue_flagged_at": timezone.now()})
        if not created:
            return False
        record_action(case, actor=SYSTEM_ACTOR, name="annual_report_overdue", label=_("年度工作情况逾期未报送"),
                      data={"year": year, "due_on": due.isoformat(), "annual_report": report.pk})
        notify(case=case, event="annual_report_overdue",
               roles=[Role.APPLICANT, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER],
               context=case_context(case, year=year, due=due.isoformat()))
    return True


__all__ = ["DeadlineKind", "close_expired_notices", "extend_creation_period", "flag_overdue_annual_reports",
           "lapse_expired_creations", "reminder_bucket", "send_reminders"]
