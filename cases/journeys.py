"""Scripted journeys through the legal order, made only of real service calls.

The demo data (``manage.py seed_demo``) and the tests use them to put cases in every state with a true
history: each act happens at its own moment (the clock is moved with time-machine), through the same
services, guards and audit trail as a user's act. ``prepare`` makes a move's conditions hold (documents,
recorded decisions, the passing of time) and returns the payload the move needs.

With ``sheets=True`` the evaluation stages go through the score sheets (evaluation/sheets.py) instead of
recording the decisions directly: the applicant submits a self-assessment sheet with full-marks inputs
(indicators.samples, against the national figures loaded by ``load_indicator_seeds --demo-benchmarks``), and
before pass/fail_evaluation the cast's experts each declare no conflict, score and submit, and the officer
finalises — with scores chosen so that a pass passes and a fail fails.
"""
import dataclasses
import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from applications.services import save_application_form
from documents.models import Document
from documents.services import upload_document
from evaluation.services import assign_expert, record_evaluation_result, record_self_assessment

from . import deadlines
from .models import Case
from .services import SYSTEM_ACTOR, perform_transition
from .workflow import State


@dataclasses.dataclass
class Cast:
    """The people who act on one case."""

    applicant: object
    reviewer: object
    officer: object
    expert: object = None
    more_experts: tuple = ()  # further experts, used when the evaluation goes through score sheets

    def for_role(self, role):
        return {Role.APPLICANT: self.applicant, Role.PROVINCIAL_REVIEWER: self.reviewer,
                Role.SAMR_OFFICER: self.officer, "system": SYSTEM_ACTOR}[role]


# The shortest path from a draft to each state: the moves, in order.
PATHS = {
    State.DRAFT: [],
    State.SUBMITTED: ["submit"],
    State.RETURNED: ["submit", "return_for_correction"],
    State.NOT_RECOMMENDED: ["submit", "decline_recommendation"],
    State.RECOMMENDED: ["submit", "recommend"],
    State.NOT_APPROVED: ["submit", "recommend", "reject_creation"],
    State.CREATING: ["submit", "recommend", "approve_creation"],
    State.LAPSED: ["submit", "recommend", "approve_creation", "lapse"],
    State.WITHDRAWN: ["submit", "withdraw"],
    State.EVALUATION_APPLIED: ["submit", "recommend", "approve_creation", "apply_for_evaluation"],
    State.EVALUATION_RETURNED: ["submit", "recommend", "approve_creation", "apply_for_evaluation",
                                "return_evaluation"],
    State.UNDER_EVALUATION: ["submit", "recommend", "approve_creation", "apply_for_evaluation",
                             "forward_evaluation"],
    State.EVALUATION_PASSED: ["submit", "recommend", "approve_creation", "apply_for_evaluation",
                              "forward_evaluation", "pass_evaluation"],
    State.IN_PUBLICITY: ["submit", "recommend", "approve_creation", "apply_for_evaluation", "forward_evaluation",
                         "pass_evaluation", "publish_notice"],
    State.AWAITING_DESIGNATION: ["submit", "recommend", "approve_creation", "apply_for_evaluation",
                                 "forward_evaluation", "pass_evaluation", "publish_notice", "close_notice"],
    State.DESIGNATED: ["submit", "recommend", "approve_creation", "apply_for_evaluation", "forward_evaluation",
                       "pass_evaluation", "publish_notice", "close_notice", "designate"],
    State.NOT_DESIGNATED: ["submit", "recommend", "approve_creation", "apply_for_evaluation", "forward_evaluation",
                           "pass_evaluation", "publish_notice", "close_notice", "refuse_designation"],
    State.REVOKED: ["submit", "recommend", "approve_creation", "apply_for_evaluation", "forward_evaluation",
                    "pass_evaluation", "publish_notice", "close_notice", "designate", "revoke"],
    # Under the current measures the first failure leaves one more evaluation (办法 第十七条).
    State.AWAITING_RE_EVALUATION: ["submit", "recommend", "approve_creation", "apply_for_evaluation",
                                   "forward_evaluation", "fail_evaluation"],
    State.EVALUATION_FAILED: ["submit", "recommend", "approve_creation", "apply_for_evaluation",
                              "forward_evaluation", "fail_evaluation", "apply_for_re_evaluation",
                              "forward_evaluation", "fail_evaluation"],
}

ACTOR_ROLE = {
    "submit": Role.APPLICANT, "resubmit": Role.APPLICANT, "withdraw": Role.APPLICANT,
    "apply_for_evaluation": Role.APPLICANT, "apply_for_re_evaluation": Role.APPLICANT,
    "resubmit_evaluation": Role.APPLICANT,
    "return_for_correction": Role.PROVINCIAL_REVIEWER, "recommend": Role.PROVINCIAL_REVIEWER,
    "decline_recommendation": Role.PROVINCIAL_REVIEWER, "return_evaluation": Role.PROVINCIAL_REVIEWER,
    "forward_evaluation": Role.PROVINCIAL_REVIEWER,
    "approve_creation": Role.SAMR_OFFICER, "reject_creation": Role.SAMR_OFFICER,
    "pass_evaluation": Role.SAMR_OFFICER, "fail_evaluation": Role.SAMR_OFFICER, "publish_notice": Role.SAMR_OFFICER,
    "close_notice": "system", "designate": Role.SAMR_OFFICER, "refuse_designation": Role.SAMR_OFFICER,
    "interview": Role.SAMR_OFFICER, "warn": Role.SAMR_OFFICER, "revoke": Role.SAMR_OFFICER, "lapse": Role.SAMR_OFFICER,
    "forgo_re_evaluation": Role.SAMR_OFFICER,
}


def _pdf(name):
    # A tiny but real PDF file, so uploads go through the same path as a user's.
    return ContentFile(b"%PDF-1.4\n%demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name=name)


def _ensure_document(case, actor, kind, title):
    documents = case.documents.filter(kind=kind)
    if case.evaluation_failed_at is not None and kind in (Document.Kind.EVALUATION_APPLICATION,
                                                          Document.Kind.SELF_ASSESSMENT_REPORT):
        documents = documents.filter(uploaded_at__gt=case.evaluation_failed_at)  # 办法 第十七条: new materials
    if not documents.exists():
        upload_document(case_id=case.pk, actor=actor, kind=kind, title=title, file=_pdf(f"{kind}.pdf"))


def _ensure_application(case, cast):
    if not case.application_forms.exists():
        save_application_form(
            case_id=case.pk, actor=cast.applicant, contact_name="张工", contact_phone="0571-00000000",
            platform_economy="平台经济发展规划与支持政策（演示数据）", supervision_and_service="网络市场监管体制机制（演示数据）",
            innovation="监管与服务创新举措（演示数据）", online_retail_sales=Decimal("1234.50"),
        )
    _ensure_document(case, cast.applicant, Document.Kind.CREATION_PLAN, "创建方案（演示）")


def _ensure_evaluation_materials(case, cast):
    _ensure_document(case, cast.applicant, Document.Kind.EVALUATION_APPLICATION, "评估申请表（演示）")
    _ensure_document(case, cast.applicant, Document.Kind.SELF_ASSESSMENT_REPORT, "自评报告（演示）")
    record_self_assessment(case_id=case.pk, actor=cast.applicant, total_score=Decimal("90.00"), passed=True,
                           summary="自评合格（演示数据）")


def _open_round(case, cast, clock, *, after=None):
    """A round open today for the case (办法 第十二条); with ``after``, the round that follows it (办法 第十七条),
    moving the clock to its first day if it must open later than today."""
    from evaluation.models import Round
    from evaluation.services import open_round, re_evaluation_round
    from indicators.models import IndicatorSystem
    from indicators.services import load_seed_systems

    system = IndicatorSystem.objects.filter(code=case.rule_set.indicator_system_code).first()
    if system is None:  # the journeys also run where no test loaded the systems: load the seed versions
        load_seed_systems()
        system = IndicatorSystem.objects.get(code=case.rule_set.indicator_system_code)

    today = timezone.localdate()
    if after is not None:
        following = re_evaluation_round(case)
        if following is not None:
            if following.opens_on > today:
                _travel_to(clock, following.opens_on)
            return following
        opens = max(today, after.closes_on + datetime.timedelta(days=1))
        _travel_to(clock, opens)
    else:
        current = Round.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("opens_on").first()
        if current is not None:
            return current
        opens = today
    return open_round(actor=cast.officer, title=f"{opens.year}年度示范区评估批次（演示 {opens}）",
                      document_number="演示〔评估〕1号", opens_on=opens, closes_on=opens + datetime.timedelta(days=30),
                      indicator_system=system)


def _assessment_years():
    """The two years a demo self-assessment covers: the last two full years with national figures."""
    from indicators.models import NationalFigure

    last = timezone.localdate().year - 1
    latest = NationalFigure.objects.order_by("-year").values_list("year", flat=True).first()
    if latest is not None:
        last = min(last, latest)
    return [last - 1, last]


def _scored_years(case, sheet, cast):
    """The years the demo sheet scores: the case's own (never typed, issue 10 item 5). Where they run past the
    national figures loaded (the demo set ends in 2025), the demo SAMR officer sets the last two years that have
    them, with that reason in the audit trail — as SAMR would."""
    from evaluation import sheets
    from indicators.models import NationalFigure

    years = sheets.case_years(case, sheet.system).years
    latest = NationalFigure.objects.order_by("-year").values_list("year", flat=True).first()
    fallback = _assessment_years()
    if years and (latest is None or years[-1] <= latest) or years == fallback:
        return years
    sheets.set_scoring_years(case_id=case.pk, actor=cast.officer, years=fallback,
                             reason=f"演示：全国数据仅录入至 {fallback[-1]} 年，按其最近两个年度评估")
    return fallback


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def _self_assess_by_sheet(case, cast):
    """办法 第十二条 through a self-assessment sheet: full-marks inputs, submitted (which records the decision)."""
    from evaluation import sheets
    from indicators import samples

    _ensure_document(case, cast.applicant, Document.Kind.EVALUATION_APPLICATION, "评估申请表（演示）")
    _ensure_document(case, cast.applicant, Document.Kind.SELF_ASSESSMENT_REPORT, "自评报告（演示）")
    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=cast.applicant)
    years = _scored_years(case, sheet, cast)
    data, _benchmarks, _context = samples.full_marks(sheet.system.spec(), years=(years[0] - 1, *years))
    sheets.update_sheet(case_id=case.pk, actor=cast.applicant, sheet_id=sheet.pk, inputs=_jsonable(data),
                        entries={"1": {"explanation": "演示数据：见自评报告"}})
    return sheets.submit_sheet(case_id=case.pk, actor=cast.applicant, sheet_id=sheet.pk)


# Share of each indicator's points the demo experts give: a pass clears 85 and every group's rate; a fail does not.
PASS_FACTORS = (Decimal("0.90"), Decimal("0.95"))
FAIL_FACTORS = (Decimal("0.70"), Decimal("0.75"))


def expert_scores(case, person, factor):
    """One assigned expert declares no conflict and gives every indicator ``factor`` of its points."""
    from evaluation import sheets

    sheet, _ = sheets.save_sheet(case_id=case.pk, actor=person)
    sheets.declare_conflict(case_id=case.pk, actor=person, sheet_id=sheet.pk, has_conflict=False)
    entries = {str(e.number): {"score": str((e.points * factor).quantize(Decimal("0.01"))),
                               "explanation": "演示：专家核查评分"} for e in sheet.entries.all()}
    sheets.update_sheet(case_id=case.pk, actor=person, sheet_id=sheet.pk, entries=entries)
    return sheets.submit_sheet(case_id=case.pk, actor=person, sheet_id=sheet.pk)


def _evaluate_by_sheets(case, cast, passed):
    """办法 第十四条 through the sheets: every expert of the cast scores, then the officer finalises."""
    from evaluation import sheets

    experts = [e for e in (cast.expert, *cast.more_experts) if e is not None]
    if not experts:
        raise ValueError("an evaluation through score sheets needs at least one expert in the cast")
    factors = PASS_FACTORS if passed else FAIL_FACTORS
    for i, person in enumerate(experts):
        assign_expert(case_id=case.pk, actor=cast.officer, expert=person)
        expert_scores(case, person, factors[i % len(factors)])
    # 办法 第十四条 综合考虑: the demo officer's weighing, and the conclusion the scores allow.
    weighing = {key: f"演示：{label}" for key, label in
                (("representativeness", "代表性"), ("regional_role", "区域引领带动作用"), ("platform_results", "平台经济发展质效"))}
    return sheets.finalise(case_id=case.pk, actor=cast.officer, weighing=weighing,
                           conclusion="passed" if passed else "not_passed",
                           reasons="" if passed else "演示：指标得分未达合格标准")


def _travel_to(clock, day):
    """Move the frozen clock to 10:00 Beijing time on ``day`` if it is not already that late."""
    if clock is None or day is None or timezone.localdate() >= day:
        return
    clock.move_to(datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=timezone.get_current_timezone()))


def prepare(case, name, cast, clock=None, *, sheets=False):
    """Make move ``name``'s conditions hold now and return its payload (``sheets``: see the module docstring)."""
    case.refresh_from_db()
    if name in ("submit", "resubmit"):
        _ensure_application(case, cast)
        return {}
    if name == "recommend":
        if not case.rule_set.province_ranks:
            return {}
        from applications.models import PreliminaryReview

        from django.db.models import Max

        # 办法 第八条: the next free rank of the province in this call, whatever became of the cases ranked before.
        taken = PreliminaryReview.objects.filter(
            outcome="recommend", call=case.call, province=case.creation_object.province).aggregate(top=Max("rank"))
        return {"rank": (taken["top"] or 0) + 1}
    if name in ("return_for_correction", "decline_recommendation", "reject_creation", "refuse_designation",
                "withdraw", "return_evaluation"):
        return {"comment": "演示：理由说明"}
    if name in ("apply_for_evaluation", "apply_for_re_evaluation", "resubmit_evaluation"):
        first, _ = deadlines.evaluation_window(case)
        _travel_to(clock, first)
        payload = {}
        if case.rule_set.evaluation_rounds and name != "resubmit_evaluation":
            payload["round"] = _open_round(case, cast, clock, after=case.evaluation_round
                                           if name == "apply_for_re_evaluation" else None).pk
        if sheets:
            _self_assess_by_sheet(case, cast)
        else:
            _ensure_evaluation_materials(case, cast)
        return payload
    if name == "forgo_re_evaluation":
        following = _open_round(case, cast, clock, after=case.evaluation_round)
        _travel_to(clock, following.closes_on + datetime.timedelta(days=1))
        return {"comment": "演示：下一评估批次未再次申请评估"}
    if name == "publish_notice":
        return {"text": f"演示：{case.creation_object}评估合格，列入示范区建议名单，现予公示，接受社会监督。"}
    if name == "forward_evaluation":
        return {"documents_checked": True, "data_compared": True, "site_checked": True}
    if name in ("pass_evaluation", "fail_evaluation") and sheets:
        _evaluate_by_sheets(case, cast, passed=name == "pass_evaluation")
        return {}
    if name in ("pass_evaluation", "fail_evaluation"):
        if cast.expert is not None:
            assign_expert(case_id=case.pk, actor=cast.officer, expert=cast.expert)
        passed = name == "pass_evaluation"
        record_evaluation_result(case_id=case.pk, actor=cast.officer,
                                 total_score=Decimal("88.50") if passed else Decimal("79.00"), passed=passed,
                                 summary="演示评估结果")
        return {}
    if name == "close_notice":
        notice = case.notices.order_by("-first_day").first()
        if notice is not None:
            _travel_to(clock, notice.last_day + datetime.timedelta(days=1))
        return {}
    if name in ("interview", "warn", "revoke"):
        return {"ground": "decline", "comment": "演示：检查指导中发现工作明显下滑"}
    if name == "lapse":
        _, last = deadlines.evaluation_window(case)
        if last is not None:
            _travel_to(clock, last + datetime.timedelta(days=1))
        return {"comment": "演示：创建期满未提交评估申请，经总局决定终止"}
    return {}


def act(case, name, cast, clock=None, *, sheets=False, **extra):
    payload = {**prepare(case, name, cast, clock, sheets=sheets), **extra}
    return perform_transition(case_id=case.pk, name=name, actor=cast.for_role(ACTOR_ROLE[name]), payload=payload)


def drive(case, state, cast, clock=None, *, sheets=False):
    """Take a fresh draft along the shortest path to ``state``."""
    for name in PATHS[State(state)]:
        case = act(case, name, cast, clock, sheets=sheets)
    return Case.objects.get(pk=case.pk)


def create_case_for(cast, call=None, title="网络市场监管与服务示范区创建（演示）"):
    from .services import create_case

    return create_case(actor=cast.applicant, title=title, call=call)
