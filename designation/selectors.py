"""Reads for designation and dynamic management: the cities waiting for designation with their objections, the
zones (designated or revoked) with their measures, the announcements, and a designated zone's annual reports
(试行办法 第十八条), owed, submitted or late."""
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


# ── the designated zones and their announcements (办法 第十六条 向社会公布; 第二十二条) ─────────────────────────
def announcements():
    """The numbered designation announcements, newest first, each with its cities (two queries)."""
    from django.db.models import Prefetch

    from .models import Announcement, Designation

    cities = Designation.objects.select_related("case__creation_object__province").order_by("case__creation_object__code")
    # A 更正公告 lists its original's cities (Announcement.listed); each names the one it corrects, and a corrected
    # one the correction that replaced it.
    return (Announcement.objects.select_related("round", "corrects", "corrected_by", "original")
            .prefetch_related(Prefetch("designations", queryset=cities),
                              Prefetch("original__designations", queryset=cities))
            .order_by("-published_on", "-year", "-sequence"))


@dataclasses.dataclass
class Zone:
    """A zone as it stands: designated, or revoked — kept on the list, marked, with the day and the ground
    (办法 第二十二条), never silently removed."""

    case: object
    announcement: object
    revocation: object  # the Sanction that revoked it, or None
    sanctions: list

    @property
    def status(self):
        return "revoked" if self.case.state == State.REVOKED else "designated"

    @property
    def revoked_on(self):
        return timezone.localtime(self.revocation.decided_at).date() if self.revocation else None


def zones(case_id=None, *, with_visits=False):
    """Every zone ever designated (or only the case ``case_id``, if it is one) — designated or revoked — in the order of designation, each with its
    announcement and its measures (约谈 / 警示 / 取消, oldest first). Three queries, however many zones; with_visits
    (SAMR's pages only — supervision is never public) adds the visits each measure cites: one more."""
    from django.db.models import Prefetch

    from cases.models import Case
    from creation.models import SupervisionVisit

    from .models import Designation, Sanction

    cases = (Case.objects.filter(state__in=[State.DESIGNATED, State.REVOKED])
             .select_related("creation_object__province", "rule_set")
             .prefetch_related(
                 Prefetch("designations", to_attr="published",
                          queryset=Designation.objects.filter(designated=True).select_related("announcement")
                          .order_by("-decided_at")),
                 Prefetch("sanctions", to_attr="measures",
                          queryset=Sanction.objects.select_related("decided_by").order_by("decided_at", "pk")))
             .order_by("designated_on", "creation_object__code"))
    if case_id is not None:
        cases = cases.filter(pk=case_id)
    if with_visits:
        cases = cases.prefetch_related(Prefetch("measures__visits", queryset=SupervisionVisit.objects.select_related(
            "organisation").order_by("visited_on", "pk")))
    out = []
    for case in cases:
        announcement = next((d.announcement for d in case.published if d.announcement_id), None)
        revocation = next((s for s in reversed(case.measures) if s.kind == Sanction.Kind.REVOCATION), None)
        out.append(Zone(case=case, announcement=announcement, revocation=revocation, sanctions=case.measures))
    return out


@dataclasses.dataclass
class DesignationRow:
    """A city waiting for designation, with the objections to its notice (办法 第十六条: 社会无异议或者经核实异议不成立
    的, 方可认定) and what keeps it from being designated now."""

    case: object
    objections: list
    blockers: list

    @property
    def upheld(self):
        return [o for o in self.objections if o.status == "upheld"]


def designation_rows(cases):
    """Rows for ``cases`` (awaiting designation): the objections to each one's latest notice — one query for all —
    and the words of the guard no_upheld_objection (cases.guards) when one was upheld."""
    from django.utils.translation import gettext as _

    from publicity.models import Objection

    cases = list(cases)
    latest = {}
    objections = (Objection.objects.filter(notice__case__in=cases).select_related("notice")
                  .order_by("filed_at", "pk"))
    for objection in objections:
        key = (objection.notice.first_day, objection.notice_id)
        if objection.notice.case_id not in latest or key > latest[objection.notice.case_id][0]:
            latest[objection.notice.case_id] = (key, [])
        if key == latest[objection.notice.case_id][0]:
            latest[objection.notice.case_id][1].append(objection)
    rows = []
    for case in cases:
        found = latest.get(case.pk, (None, []))[1]
        blockers = [_("有经核实成立的异议，不能认定。")] if any(o.status == "upheld" for o in found) else []
        rows.append(DesignationRow(case=case, objections=found, blockers=blockers))
    return rows


def zone_counts():
    """{"designated": n, "revoked": n}: the zones at a glance, for the public front page (one query)."""
    from django.db.models import Count, Q

    from cases.models import Case

    return Case.objects.aggregate(designated=Count("pk", filter=Q(state=State.DESIGNATED)),
                                  revoked=Count("pk", filter=Q(state=State.REVOKED)))


@dataclasses.dataclass
class PublicAct:
    """One public act in a zone's history: ``kind`` is notice (公示, 办法 第十五条), designation (认定公告,
    第十六条), correction (更正公告 of the designation announcement, issue #11) or revocation (取消示范区资格,
    第二十二条). ``document``: the announcement's official document in force, on the last act of its chain."""

    kind: str
    day: datetime.date
    listing: object = None
    announcement: object = None
    ground: str = ""
    document: object = None


def public_history(zone, notice_lists=()):
    """A zone's public acts, oldest first: the notices it was listed in (already public), its designation with
    the announcement, and its revocation with the ground (办法 第二十二条). Interviews and warnings (约谈、警示)
    are supervision, not published, and are left out. A corrected announcement is followed by its 更正公告, each
    naming the one it corrects; the last of the chain offers the document in force. Two queries beyond what
    ``zones()`` loaded (the corrections, the document), whatever the history."""
    acts = [PublicAct(kind="notice", day=listing.first_day, listing=listing) for listing in notice_lists]
    if zone.case.designated_on:
        chain = [PublicAct(kind="designation", day=zone.case.designated_on, announcement=zone.announcement)]
        if zone.announcement is not None:
            from official.selectors import issued_for_lists

            chain += [PublicAct(kind="correction", day=c.published_on, announcement=c)
                      for c in zone.announcement.corrections.select_related("corrects").order_by("sequence")]
            chain[-1].document = issued_for_lists(announcements=[zone.announcement]).get(zone.announcement.pk)
        acts += chain
    if zone.revocation is not None:
        acts.append(PublicAct(kind="revocation", day=zone.revoked_on, ground=zone.revocation.ground_text
                              or zone.revocation.get_ground_display()))
    return sorted(acts, key=lambda act: act.day)
