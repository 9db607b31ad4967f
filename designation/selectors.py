"""Reads for dynamic management: a designated zone's annual reports (试行办法 第十八条), owed, submitted or late."""
import dataclasses
import datetime

from django.utils import timezone

from cases.workflow import State
from deadlines import calendar

from .models import AnnualReport


@dataclasses.dataclass
class AnnualReportRow:
    """One reported year: its report (if any) and where it stands on ``today``.

    status: submitted (in time) · late (submitted after the due day, or flagged overdue first) · overdue (not
    submitted, due day passed) · open (not submitted, due day still ahead or today)."""

    year: int
    due_on: datetime.date
    status: str
    days_left: int
    report: AnnualReport | None = None

    @property
    def days_overdue(self):
        return -self.days_left

    @property
    def submitted(self):
        return self.report is not None and self.report.submitted_at is not None


def reports_of(case):
    return list(AnnualReport.objects.filter(case=case).select_related("document", "submitted_by").order_by("year"))


def annual_report_rows(case, today=None):
    """Every year the zone reports on, oldest first: the years it owes while designated (from the year of
    designation to the one whose due day comes next) and any year it has a report for. Empty for measures that
    date no report (办法 第十九条). Two queries at most (the rule set, if not loaded, and the reports)."""
    rules = case.rule_set
    if not calendar.has_annual_report(rules) or case.designated_on is None:
        return []
    today = today or timezone.localdate()
    reports = {r.year: r for r in reports_of(case)}
    years = set(reports)
    if case.state == State.DESIGNATED:  # a revoked zone owes nothing more; its reports stay on record
        years.update(calendar.annual_report_years_owed(case, today))
    rows = []
    for year in sorted(years):
        report = reports.get(year)
        due = report.due_on if report else calendar.annual_report_due(rules, year)
        if report is not None and report.submitted_at is not None:
            status = "late" if report.late else "submitted"
        else:
            status = "overdue" if today > due else "open"
        rows.append(AnnualReportRow(year=year, due_on=due, status=status, days_left=(due - today).days, report=report))
    return rows


def years_open_for_report(case, today=None):
    """The years the zone may still report on now (owed, not yet submitted), oldest first."""
    return [row.year for row in annual_report_rows(case, today) if not row.submitted]
