"""Progress reports, reading receipts, unit self-checks and the city's acceptance check (issue 9, part 6).

Writers (one transaction each, the case row locked, an audit entry; notices and files only on commit):
- submit_progress_report: the city's office (创建办) reports its progress (创建工作进展情况; 003 四（二）: 及时汇总
  创建进展情况和阶段性成果) to its province and SAMR, who are notified. The period (报告期) is free text, e.g.
  "2026年第3季度" or "2026年上半年": neither 办法 nor the seeds fix how often a city reports, so the city writes the
  period it reports on (suggested: the quarter just ended — suggested_period) and may send a supplementary report.
- read_progress_report: a provincial reviewer or SAMR officer opens a report; the first reader of each
  organisation leaves a ReportReceipt (who, when). The office sees who read it when.
- record_check: a unit's self-check report (成员单位自查) by the unit's own liaison or by the office for any of its
  units, and the city's acceptance check (创建验收) by the office — both while the city still works on its creation
  (creation.selectors.WORKING_STATES).

The guard: 办法 第十二条 asks the city to assess itself against the indicator system **and its plan**. A case that
keeps a structured plan (creation.Plan) cannot open or submit its self-assessment sheet before the acceptance check
is recorded (acceptance_guard, called by evaluation.sheets). A case without a structured plan — every case from
before the creation workspace — works as before.

Scope (creation.selectors): the office manages; province (its cities) and SAMR read; a liaison sees only its own
unit's self-checks (and the city's acceptance check), and no progress reports; anyone else 404."""
import dataclasses

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from cases.errors import Conflict, GuardFailed, IllegalTransition, InvalidPayload, NotAllowed, NotFound
from cases.models import Case
from cases.services import record_action
from documents.services import store_file
from documents.models import Document
from notifications.services import case_context, notify

from . import selectors
from .models import Check, Plan, ProgressReport, ReportReceipt, Unit
from .validation import clean_text

PERIOD_MAX = 50
TEXT_MAX = 20000


# ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────────
def suggested_period(today=None):
    """The quarter just ended, as a city writes it: "2026年第3季度" (in the first quarter: last year's 4th)."""
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3
    year = today.year if quarter else today.year - 1
    return _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter or 4}


def _locked(user, case_id):
    """The case in the user's workspace scope, its row locked (NOWAIT) for one act; NotFound outside the scope,
    Conflict when someone else holds it."""
    try:
        selectors.workspace_case(user, case_id)
    except Http404:
        raise NotFound() from None
    try:
        return (Case.objects.select_for_update(nowait=True, of=("self",))
                .select_related("creation_object__province", "rule_set").get(pk=case_id))
    except DatabaseError:
        raise Conflict(_("该案件正由他人处理，请稍后重试。")) from None


def _check_working(case):
    if case.state not in selectors.WORKING_STATES:
        raise IllegalTransition(_("案件当前状态为“%(state)s”，创建工作已结束，不能再报送。")
                                % {"state": case.get_state_display()}, state=case.state)


def _attach(case, actor, file, title):
    """A file of the creation period (kind creation_evidence), checked like every upload. The liaison's upload
    goes through store_file because documents.services.upload_document scopes by cases_visible_to, which leaves
    liaisons out on purpose."""
    return store_file(case=case, actor=actor, kind=Document.Kind.CREATION_EVIDENCE, file=file, title=title)


# ── progress reports ─────────────────────────────────────────────────────────────────────────────────────────
def may_read_reports(user, case):
    return selectors.is_office(user, case) or selectors.is_reader(user)


def reports_of(user, case):
    """The case's progress reports the user may see, newest first, with their receipts and (for a reader) whether
    the user's organisation has read each (``read_by_us``). Two queries however many reports."""
    if not may_read_reports(user, case):
        return ProgressReport.objects.none()
    reports = (ProgressReport.objects.filter(case=case).select_related("document", "submitted_by")
               .prefetch_related(Prefetch("receipts", queryset=ReportReceipt.objects
                                          .select_related("organisation", "reader").order_by("read_at", "pk"))))
    if selectors.is_reader(user) and user.organisation_id:
        reports = reports.annotate(read_by_us=Exists(ReportReceipt.objects.filter(
            report=OuterRef("pk"), organisation_id=user.organisation_id)))
    return reports.order_by("-submitted_at", "-pk")


def submit_progress_report(*, case_id, actor, period, body, file=None):
    """The office reports its progress to the province and SAMR. Who may call it: the city's applicants, while the
    case is worked on. Writes the report (and its attachment), an audit entry, and notifies the province's
    reviewers and SAMR officers (e-mail after commit)."""
    with transaction.atomic():
        case = _locked(actor, case_id)
        if not selectors.is_office(actor, case):
            raise NotAllowed(_("只有本市创建工作办公室（申报单位用户）可以报送创建进展报告。"))
        _check_working(case)
        period = clean_text(period, "period", _("报告期"), PERIOD_MAX)
        body = clean_text(body, "body", _("工作进展"), TEXT_MAX)
        document = _attach(case, actor, file, _("创建进展报告（%(period)s）") % {"period": period}) if file else None
        report = ProgressReport.objects.create(case=case, period=period, body=body, document=document,
                                               submitted_by=actor)
        record_action(case, actor=actor, name="creation_progress_report", label=_("报送创建工作进展报告"),
                      comment=period, data={"progress_report": report.pk, "period": period,
                                            "document": document.pk if document else None})
        notify(case=case, event="creation_progress_report", roles=[Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER],
               context=case_context(case, period=period))
    return report


def progress_report(user, case, report_id):
    """One report the user may see (NotFound otherwise), with its receipts."""
    report = reports_of(user, case).filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("未找到该进展报告。"))
    return report


def read_progress_report(*, user, case, report_id):
    """Open a report. A provincial reviewer's or SAMR officer's first reading for their organisation leaves the
    receipt (once per organisation: a unique constraint, so two readers at once make one). Returns (report,
    receipt created?)."""
    report = progress_report(user, case, report_id)
    created = False
    if selectors.is_reader(user) and user.organisation_id and not getattr(report, "read_by_us", True):
        try:
            with transaction.atomic():
                ReportReceipt.objects.create(report=report, organisation_id=user.organisation_id, reader=user)
            created = True
        except IntegrityError:
            pass  # a colleague of the same organisation read it a moment ago
        report = progress_report(user, case, report_id)
    return report, created


def unread_reports_for(user, *, limit=20):
    """A reader's queue: progress reports of the cases in their scope that nobody of their organisation has read,
    oldest first. One query."""
    if not selectors.is_reader(user) or not user.organisation_id:
        return []
    cases = selectors.workspace_cases(user)
    return list(ProgressReport.objects.filter(case__in=cases)
                .exclude(receipts__organisation_id=user.organisation_id)
                .select_related("case__creation_object__province").order_by("submitted_at", "pk")[:limit])


# ── unit self-checks and the acceptance check ────────────────────────────────────────────────────────────────
def checks_of(user, case):
    """The checks the user may see: all for the office and the readers; a liaison its own unit's self-checks and
    the city's acceptance check. One query."""
    checks = Check.objects.filter(case=case).select_related("unit", "document", "recorded_by")
    if getattr(user, "role", None) == Role.MEMBER_LIAISON:
        unit = selectors.liaison_unit(user)
        if unit is None:
            return checks.none()
        checks = checks.filter(kind=Check.Kind.UNIT_SELF_CHECK, unit=unit) | checks.filter(kind=Check.Kind.ACCEPTANCE)
    elif not (selectors.is_office(user, case) or selectors.is_reader(user)):
        return checks.none()
    return checks.order_by("-recorded_at", "-pk")


def units_for_check(user, case):
    """The units the user may record a self-check for: the office any active unit of its city, a liaison its own."""
    if selectors.is_office(user, case):
        return list(Unit.objects.filter(creation_object_id=case.creation_object_id, active=True))
    unit = selectors.liaison_unit(user)
    if unit is not None and unit.creation_object_id == case.creation_object_id:
        return [unit]
    return []


def may_record(user, case, kind):
    if case.state not in selectors.WORKING_STATES:
        return False
    if kind == Check.Kind.ACCEPTANCE:
        return selectors.is_office(user, case)
    return bool(units_for_check(user, case))


@dataclasses.dataclass
class CheckStatus:
    """What the checks page and the self-assessment guard read: which units have self-checked, the acceptance."""

    units: list  # [(unit, latest self-check or None)]
    acceptance: object  # the latest acceptance check, or None
    has_plan: bool

    @property
    def missing_units(self):
        return [unit for unit, check in self.units if check is None]


def check_status(case):
    """Three queries."""
    units = list(Unit.objects.filter(creation_object_id=case.creation_object_id, active=True))
    latest = {}
    for check in Check.objects.filter(case=case).order_by("recorded_at", "pk"):
        latest[(check.kind, check.unit_id)] = check
    return CheckStatus(units=[(u, latest.get((Check.Kind.UNIT_SELF_CHECK, u.pk))) for u in units],
                       acceptance=latest.get((Check.Kind.ACCEPTANCE, None)),
                       has_plan=Plan.objects.filter(case=case).exists())


def record_check(*, case_id, actor, kind, conclusion, unit_id=None, file=None):
    """Record a unit's self-check (the unit's liaison, or the office for one of its units) or the city's
    acceptance check (the office). While the case is worked on. Audited. The acceptance records which units had
    not self-checked (a fact for the reader; not a bar: 办法 does not make the units' reports a condition)."""
    if kind not in Check.Kind.values:
        raise InvalidPayload(_("类别须为 %(kinds)s。") % {"kinds": "、".join(Check.Kind.values)},
                             errors={"kind": [_("类别无效。")]})
    with transaction.atomic():
        case = _locked(actor, case_id)
        unit = None
        if kind == Check.Kind.ACCEPTANCE:
            if not selectors.is_office(actor, case):
                raise NotAllowed(_("创建验收由本市创建工作办公室（申报单位用户）记录。"))
        else:
            allowed = {u.pk: u for u in units_for_check(actor, case)}
            if not allowed:
                raise NotAllowed(_("只有成员单位联络员（本单位）或本市创建工作办公室可以记录自查报告。"))
            if unit_id is None and len(allowed) == 1:
                unit_id = next(iter(allowed))
            try:
                unit = allowed.get(int(unit_id)) if unit_id not in (None, "") else None
            except (TypeError, ValueError):
                unit = None
            if unit is None:
                raise InvalidPayload(_("请选择本市的成员单位（联络员只能记录本单位的自查）。"),
                                     errors={"unit": [_("成员单位无效。")]})
        _check_working(case)
        conclusion = clean_text(conclusion, "conclusion", _("结论"), TEXT_MAX)
        title = (_("创建验收报告") if unit is None else _("%(unit)s 自查报告") % {"unit": unit.name})
        document = _attach(case, actor, file, title) if file else None
        check = Check.objects.create(case=case, kind=kind, unit=unit, conclusion=conclusion, document=document,
                                     recorded_by=actor)
        data = {"check": check.pk, "kind": kind, "unit": unit.pk if unit else None,
                "document": document.pk if document else None}
        if unit is None:
            status = check_status(case)
            data["units_without_self_check"] = [u.name for u in status.missing_units]
            data["article"] = "办法 第十二条"
        record_action(case, actor=actor, name=f"creation_{kind}",
                      label=_("记录创建验收") if unit is None else _("记录成员单位自查报告"),
                      comment=conclusion[:500], data=data)
    return check


# ── the guard (evaluation.sheets) ────────────────────────────────────────────────────────────────────────────
def acceptance_guard(case):
    """办法 第十二条: the city assesses itself against the indicator system and its plan. A case with a structured
    plan opens (and submits) its self-assessment only after the city's acceptance check is recorded. Raises
    GuardFailed (409) with a message naming the article; a case without a structured plan passes."""
    if not Plan.objects.filter(case_id=case.pk).exists():
        return
    if Check.objects.filter(case_id=case.pk, kind=Check.Kind.ACCEPTANCE).exists():
        return
    raise GuardFailed(
        _("本案有创建工作方案：须先记录创建验收，才能开始自评（办法 第十二条：对照评估指标体系和创建方案开展自评）。"
          "请在创建工作台“自查与验收”中记录。"),
        state=case.state, missing="acceptance_check")


def counts_for_hub(user, case):
    """The hub panel's figures: reports (and unread by the user's organisation), checks, acceptance. Four queries."""
    reports = reports_of(user, case)
    return {
        "reports": reports.count() if may_read_reports(user, case) else None,
        "unread": (reports.filter(read_by_us=False).count()
                   if selectors.is_reader(user) and user.organisation_id else None),
        "checks": checks_of(user, case).aggregate(n=Count("pk"))["n"],
        "acceptance": Check.objects.filter(case=case, kind=Check.Kind.ACCEPTANCE).order_by("-recorded_at").first(),
    }


# ── home queues (cases.queues.home_for) ──────────────────────────────────────────────────────────────────────
def home_queues(user, today):
    """The creation period's groups on the home page, added to the role's own: for the office its plan's overdue
    tasks and phases (each linking to the milestone page); for province and SAMR the progress reports nobody of
    their organisation has read yet (each linking to the report). A group only when it has items. Three queries
    at most, however many cases."""
    from cases.queues import ROWS_PER_GROUP, Queue, QueueItem
    from cases.selectors import cases_visible_to

    from . import milestones

    @dataclasses.dataclass
    class LinkedItem(QueueItem):
        link: str = ""

        @property
        def href(self):
            return self.link

    role = getattr(user, "role", None)
    queues = []
    if role == Role.APPLICANT:
        case_ids = cases_visible_to(user).filter(state__in=selectors.WORKING_STATES).values("pk")
        late = Queue("creation_overdue", _("创建工作逾期事项"),
                     _("创建工作方案中已过完成时限仍未完成的任务、已结束仍有任务未完成的阶段。"))
        for m in milestones.overdue_for_cases(case_ids, today):
            task = (_("任务 %(number)s 逾期：%(title)s") if m.kind == milestones.TASK else _("阶段逾期：%(title)s")) % {
                "number": m.number, "title": m.title}
            late.items.append(LinkedItem(case=m.case, task=task, due=m.due, days_left=m.days_left(today),
                                         link=reverse("creation-milestones", args=[m.case.pk])))
        if late.items:
            queues.append(late)
    elif role in selectors.READERS:
        unread = Queue("progress_reports_unread", _("未读的创建进展报告"),
                       _("创建城市报送的创建工作进展报告，本机构尚无人阅读；打开即留下阅读回执。"))
        for report in unread_reports_for(user, limit=ROWS_PER_GROUP):
            unread.items.append(LinkedItem(
                case=report.case, task=_("阅读进展报告（%(period)s）") % {"period": report.period},
                note=_("%(day)s 报送") % {"day": timezone.localtime(report.submitted_at).date()},
                link=reverse("creation-progress-report", args=[report.case_id, report.pk])))
        if unread.items:
            queues.append(unread)
    return queues
