"""Deadlines a case's acts must meet, computed from its rule set and its recorded acts.

All dates are calendar days in Asia/Shanghai and inclusive: a deadline of 2026-05-31 means 5月31日 23:59:59
Beijing time is still in time (DESIGN.md, Time; 民法典 第二百零三条 — a period ends at 24:00 of its last day).
"""
import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from rulesets.models import ApplicationCalendar, SelfAssessmentTiming


def shift(day, delta):
    """``day`` moved by a timedelta or relativedelta, held within the calendar's range: a stored extreme date
    (9999-12-31) gives date.max / date.min instead of an OverflowError on every page of its case."""
    try:
        return day + delta
    except (OverflowError, ValueError):
        sign = delta.days if isinstance(delta, datetime.timedelta) else (delta.years or delta.months or delta.days)
        return datetime.date.max if sign >= 0 else datetime.date.min


def local_date(moment):
    return timezone.localtime(moment).date()


def one_month_from(day):
    """'1个月内' from ``day``: to the same day of the next month (the month's last day where that day is missing)."""
    return shift(day, relativedelta(months=1))


def period_end(start, years):
    """The last day of a period of ``years`` starting on ``start``: 2024-07-01 + 3 years → 2027-06-30."""
    return shift(shift(start, relativedelta(years=years)), -datetime.timedelta(days=1))


def application_deadline(case, today):
    """The last day the applicant may submit (试行办法 第七条: 5月底前; 办法 第七条: the call's date)."""
    rules = case.rule_set
    if rules.application_calendar == ApplicationCalendar.FIXED_YEARLY:
        return datetime.date(today.year, rules.applicant_deadline_month, rules.applicant_deadline_day)
    return case.call.submission_deadline if case.call_id else None


def forward_deadline(case):
    """The last day the province may forward the case to SAMR (试行办法: 6月底前; 办法: the call's date)."""
    rules = case.rule_set
    if rules.application_calendar == ApplicationCalendar.FIXED_YEARLY:
        year = local_date(case.submitted_at).year if case.submitted_at else timezone.localdate().year
        return datetime.date(year, rules.province_forward_month, rules.province_forward_day)
    return case.call.recommendation_deadline if case.call_id else None


def province_review_deadline(case):
    """试行办法 第七条: 收到申报材料后1个月内初审, and never past the forwarding date."""
    forward = forward_deadline(case)
    rules = case.rule_set
    if rules.province_review_months and case.submitted_at:
        within_month = shift(local_date(case.submitted_at), relativedelta(months=rules.province_review_months))
        return min(within_month, forward) if forward else within_month
    return forward


def evaluation_window(case):
    """(first day, last day) on which the evaluation application may be made.

    试行办法 第十条: 条件成熟的 — any day of the creation period. 办法 第十二条: 创建期满 — from the day after the
    period ends, for the rule set's grace days (the measures leave the length to SAMR's rounds)."""
    if not case.creation_end:
        return None, None
    rules = case.rule_set
    if rules.self_assessment_timing == SelfAssessmentTiming.DURING_CREATION:
        return case.creation_start, shift(case.creation_end, datetime.timedelta(days=rules.evaluation_grace_days))
    first = shift(case.creation_end, datetime.timedelta(days=1))
    return first, shift(case.creation_end, datetime.timedelta(days=rules.evaluation_grace_days))


def notice_last_day(first_day, days):
    """办法 第十五条: 为期15天 — counted from the first day, inclusive: 1 Jul → 15 Jul."""
    return shift(first_day, datetime.timedelta(days=days - 1))
