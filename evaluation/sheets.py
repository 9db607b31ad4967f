"""Score sheets per evaluation stage — the writers and their reads (DESIGN.md, Indicator systems: "Scores exist per
stage — the city's self-assessment, the province's pre-review, each SAMR expert, the final — and each is kept; a
submitted sheet is locked").

| stage | who | while the case is | law |
| --- | --- | --- | --- |
| self_assessment | the applicant | creating / evaluation_returned / awaiting_re_evaluation | 办法 第十二条 (试行办法 第十条) |
| pre_review | the provincial reviewer | evaluation_applied | 办法 第十三条 |
| expert | each assigned SAMR expert, after declaring any conflict of interest | under_evaluation | 办法 第十四条 |
| final | a SAMR officer: the declared aggregation of the expert sheets and the pass decision | under_evaluation | 办法 第十四条 |

Every writer runs in one transaction on the locked case (cases.services.locked_case), checks scope (NotFound),
role (NotAllowed), state (IllegalTransition), the sheet's lock (Conflict) and the payload (InvalidPayload), and
writes an audit entry (cases.services.record_action). Submitting the self-assessment records the applicant's
decision (evaluation.services.record_self_assessment) and finalising records the round's result
(evaluation.services.record_evaluation_result): the guards of apply_for_evaluation and pass_evaluation /
fail_evaluation read those, so the sheets drive the case.

Which years a sheet scores (issue 10 item 5): the case's, never typed — see case_years(); only a SAMR officer
may set others, with a reason (set_scoring_years), which the audit trail keeps.

Which version a case scores against: the first submitted sheet of the case binds it (DESIGN.md: a case keeps
scoring against the version it was evaluated under); until then, the version its rule set names
(rulesets' indicator_system_code). A draft version may be scored against; its sheets say "draft system".
"""
import dataclasses
import datetime
import statistics
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _, gettext_lazy

from accounts.models import Role
from cases.errors import Conflict, GuardFailed, IllegalTransition, InvalidPayload, NotAllowed, NotFound
from cases.selectors import cases_visible_to
from cases.services import locked_case, record_action
from cases.workflow import State
from creation import reports as creation_reports
from documents.models import Document
from indicators import engine, selectors
from indicators.models import IndicatorSystem, SystemStatus

from .models import Aggregation, ExpertAssignment, ScoreSheet, ScoringYears, SheetEntry, SheetStage, SheetStatus
from .services import record_evaluation_result, record_self_assessment

CENT = Decimal("0.01")
DEFAULT_DIVERGENCE_MARGIN = Decimal(2)
REGIONS = ("east", "central", "west", "northeast")

STAGE_ROLE = {
    SheetStage.SELF_ASSESSMENT: Role.APPLICANT,
    SheetStage.PRE_REVIEW: Role.PROVINCIAL_REVIEWER,
    SheetStage.EXPERT: Role.SAMR_EXPERT,
    SheetStage.FINAL: Role.SAMR_OFFICER,
}
ROLE_STAGE = {role: stage for stage, role in STAGE_ROLE.items()}
STAGE_STATES = {
    # 办法 第十二条: the self-assessment comes before the evaluation application (again after a return, and
    # before a re-evaluation, 办法 第十七条).
    SheetStage.SELF_ASSESSMENT: (State.CREATING, State.EVALUATION_RETURNED, State.AWAITING_RE_EVALUATION),
    SheetStage.PRE_REVIEW: (State.EVALUATION_APPLIED,),  # 办法 第十三条
    SheetStage.EXPERT: (State.UNDER_EVALUATION,),  # 办法 第十四条
    SheetStage.FINAL: (State.UNDER_EVALUATION,),
}
# Stages whose people may give an indicator's score themselves instead of (or against) the engine's.
OVERRIDE_STAGES = (SheetStage.PRE_REVIEW, SheetStage.EXPERT)


def current_round(case):
    """The evaluation round the case is in: the first, or the re-evaluation after a failure (办法 第十七条)."""
    return case.evaluation_failures + 1


# ------------------------------------------------------------------------------------------------ reads
def system_for_case(case) -> IndicatorSystem:
    """The indicator-system version the case scores against (see the module docstring). Raises GuardFailed when
    the rule set's version is not loaded or has been retired before this case was bound to it."""
    bound = (ScoreSheet.objects.filter(case=case, status=SheetStatus.SUBMITTED).select_related("system")
             .order_by("submitted_at", "pk").first())
    if bound is not None:
        return bound.system
    code = case.rule_set.indicator_system_code
    system = IndicatorSystem.objects.filter(code=code).first()
    if system is None:
        raise GuardFailed(_("“%(rules)s”规定的评估指标体系“%(code)s”尚未载入，请联系系统管理员。")
                          % {"rules": case.rule_set.title, "code": code})
    if system.status == SystemStatus.RETIRED:
        raise GuardFailed(_("评估指标体系“%(code)s”已停用，不能用于新的评分，请联系系统管理员。") % {"code": system.title})
    return system


def sheets_visible_to(user, case_id):
    """The sheets of one case the user may read — applicants: the self-assessment; provincial reviewers: the
    submitted self-assessment and the pre-review; experts: their own sheets; SAMR officers: all. A case outside
    the user's scope has none (the API answers 404 before asking). One query for the sheets and two for their
    entries and evidence, whatever the number of rows."""
    role = getattr(user, "role", None)
    sheets = ScoreSheet.objects.filter(case_id=case_id, case__in=cases_visible_to(user))
    if role == Role.APPLICANT:
        sheets = sheets.filter(stage=SheetStage.SELF_ASSESSMENT)
    elif role == Role.PROVINCIAL_REVIEWER:
        sheets = sheets.filter(Q(stage=SheetStage.SELF_ASSESSMENT, status=SheetStatus.SUBMITTED)
                               | Q(stage=SheetStage.PRE_REVIEW))
    elif role == Role.SAMR_EXPERT:
        sheets = sheets.filter(stage=SheetStage.EXPERT, assignment__expert=user)
    elif role != Role.SAMR_OFFICER:
        sheets = sheets.none()
    return (sheets.select_related("system", "author", "assignment__expert")
            .prefetch_related(Prefetch("entries", queryset=SheetEntry.objects.order_by("number")
                                       .prefetch_related(Prefetch("evidence", queryset=Document.objects.only("pk", "title")))))
            .order_by("round", "stage", "attempt", "pk"))


def sheets_for_case_page(case, user):
    """sheets_visible_to without the sheets' large JSON (inputs, context, benchmarks, the result's explanation) but
    with the result's figures the page shows (groups, total_threshold, points_total), and without their entries. Read
    once per case object and user: the case page's score-sheet panel (evaluation.views.case_panel) and its
    comparison of the stages' scores (dashboards.scores) share the list."""
    from django.db.models.fields.json import KeyTransform

    kept = getattr(case, "_sheets_for_page", None)
    if kept is not None and kept[0] == user.pk:
        return kept[1]
    rows = list(sheets_visible_to(user, case.pk).prefetch_related(None)
                .defer("result", "inputs", "benchmarks", "context")
                .annotate(groups=KeyTransform("groups", "result"),
                          total_threshold=KeyTransform("total_threshold", "result"),
                          points_total=KeyTransform("points", "result")))
    case._sheets_for_page = (user.pk, rows)
    return rows


# ------------------------------------------------------------------------------------------------ the years
# States in which a sheet of the case may still be drafted: the years may be set then, and drafts follow them.
OPEN_SHEET_STATES = tuple(dict.fromkeys(s for stage in (SheetStage.SELF_ASSESSMENT, SheetStage.PRE_REVIEW,
                                                        SheetStage.EXPERT) for s in STAGE_STATES[stage]))
# States before the evaluation application of the current round: its day is not known yet.
BEFORE_APPLICATION = (State.CREATING, State.AWAITING_RE_EVALUATION)
MAX_SCORING_YEARS = 10


@dataclasses.dataclass
class CaseYears:
    """The years a case's sheets score in its current round, and why."""

    years: list
    computed: list  # what the case's dates give (the override aside)
    basis: str  # before_application | creation_period | "" (the system has no rule: SAMR sets the years)
    text: str  # the system's own words: 近2年 / 创建期内
    article: str
    explanation: str
    provisional: bool = False  # before the evaluation application: reckoned from today
    override: ScoringYears | None = None

    @property
    def years_text(self):
        return _("、").join(_("%(year)s年") % {"year": y} for y in self.years)


def _application_day(case, today):
    """The day of the current round's evaluation application (Asia/Shanghai), or today while it is still to come
    (the self-assessment is drafted before the application; the sheet says the years are provisional)."""
    if case.state in BEFORE_APPLICATION or case.evaluation_applied_at is None:
        return today, True
    return timezone.localdate(case.evaluation_applied_at), False


def computed_years(case, system, *, today=None):
    """(years, basis, provisional, explanation) from the case's dates and the system's scoring_years rule:
    - before_application (2022 system, 试行办法 第十条 with 附件1 “近2年”): the ``count`` full calendar years before
      the day of the evaluation application — an application on 1 January 2026 scores 2024 and 2025;
    - creation_period (current draft, 办法 第十二条 with its appendix “创建期内”): every calendar year the creation
      period touches, from its first day to its last (2025-07-01 – 2027-06-30 scores 2025, 2026 and 2027).
    Without a rule, or without the dates, no years: SAMR sets them (set_scoring_years)."""
    rule = system.scoring_years or {}
    today = today or timezone.localdate()
    basis = rule.get("basis", "")
    if basis == "before_application":
        count = int(rule.get("count") or 2)
        day, provisional = _application_day(case, today)
        years = list(range(day.year - count, day.year))
        explanation = (_("%(text)s：评估申请日（%(day)s）前的 %(count)s 个完整年度") if not provisional else
                       _("%(text)s：评估申请日前的 %(count)s 个完整年度；尚未申请评估，暂按今日（%(day)s）计算"))
        return years, basis, provisional, explanation % {"text": rule.get("text", ""), "day": day.isoformat(),
                                                         "count": count}
    if basis == "creation_period" and case.creation_start and case.creation_end:
        years = list(range(case.creation_start.year, case.creation_end.year + 1))
        return years, basis, False, _("%(text)s：创建期（%(start)s 至 %(end)s）所跨各年") % {
            "text": rule.get("text", ""), "start": case.creation_start.isoformat(),
            "end": case.creation_end.isoformat()}
    if basis == "creation_period":
        return [], basis, False, _("%(text)s：创建期尚未开始，评估年份待定") % {"text": rule.get("text", "")}
    return [], "", False, _("本指标体系未规定评估年份，须由总局确定")


def case_years(case, system=None, *, today=None):
    """The years the case's sheets score in its current round: SAMR's latest setting if any, else the computed
    years. Two queries at most (the setting; the version when ``system`` is not given)."""
    system = system or system_for_case(case)
    years, basis, provisional, explanation = computed_years(case, system, today=today)
    override = (ScoringYears.objects.filter(case=case, round=current_round(case)).select_related("set_by")
                .order_by("-set_at", "-pk").first())
    rule = system.scoring_years or {}
    return CaseYears(years=list(override.years) if override else years, computed=years, basis=basis,
                     text=rule.get("text", ""), article=rule.get("article", ""), explanation=explanation,
                     provisional=provisional and override is None, override=override)


def _clean_years(raw):
    """Sorted distinct years 2000–2100 (at most ten), or None."""
    if isinstance(raw, str):
        raw = [part for part in raw.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if part]
    if not isinstance(raw, (list, tuple)) or not raw or len(raw) > MAX_SCORING_YEARS:
        return None
    years = set()
    for value in raw:
        text = str(value).strip()
        if isinstance(value, bool) or not (text.isascii() and text.isdigit()) or not 2000 <= int(text) <= 2100:
            return None
        years.add(int(text))
    return sorted(years)


def set_scoring_years(*, case_id, actor, years, reason, expected_version=None):
    """Set the years the case's sheets score in its current round (issue 10 item 5: the years are the case's;
    only SAMR may change them, with a reason).

    Who may call it: SAMR officers, while a sheet of the round may still be drafted (the case is creating,
    awaiting re-evaluation, returned, applied or under evaluation) and before the round's result is formed.
    Changes: appends a ScoringYears row; rescores the round's drafts (submitted sheets keep the years they were
    submitted with); writes an audit entry with the years before and after and the reason."""
    if getattr(actor, "role", None) != Role.SAMR_OFFICER:
        raise NotAllowed(_("评估年份由案件确定，只有总局工作人员可以调整。"))
    clean = _clean_years(years)
    errors = {}
    if clean is None:
        errors["years"] = [_("请填写 1 至 %(max)s 个评估年份（2000–2100），如“2024, 2025”。") % {"max": MAX_SCORING_YEARS}]
    if not str(reason or "").strip():
        errors["reason"] = [_("请说明调整评估年份的理由（记入案件记录）。")]
    if errors:
        raise InvalidPayload(_("评估年份调整有误，请按提示修改。"), errors=errors)
    with transaction.atomic(), locked_case(case_id, actor, expected_version) as case:
        if case.state not in OPEN_SHEET_STATES:
            raise IllegalTransition(
                _("案件当前状态为“%(state)s”，不能调整评估年份（须在%(allowed)s时）。")
                % {"state": _state_label(case.state),
                   "allowed": "、".join(f"“{_state_label(s)}”" for s in OPEN_SHEET_STATES)}, state=case.state)
        round_ = current_round(case)
        if ScoreSheet.objects.filter(case=case, round=round_, stage=SheetStage.FINAL).exists():
            raise Conflict(_("第 %(round)s 轮评估结果已形成，评估年份不能再调整。") % {"round": round_})
        system = system_for_case(case)
        before = case_years(case, system)
        setting = ScoringYears.objects.create(case=case, round=round_, years=clean, reason=str(reason).strip(),
                                              set_by=actor)
        drafts = list(ScoreSheet.objects.select_for_update().filter(case=case, round=round_,
                                                                    status=SheetStatus.DRAFT)
                      .exclude(stage=SheetStage.FINAL).select_related("system"))
        for sheet in drafts:
            sheet.case = case
            _rescore(sheet)
            sheet.save()
        record_action(case, actor=actor, name="set_scoring_years", label=gettext_lazy("调整评估年份"),
                      comment=setting.reason,
                      data={"round": round_, "from": before.years, "to": clean, "computed": before.computed,
                            "basis": before.basis, "rescored_sheets": [s.pk for s in drafts]},
                      notify=(Role.APPLICANT, Role.PROVINCIAL_REVIEWER))
    return setting


# ------------------------------------------------------------------------------------------------ helpers
def _state_label(state):
    return State(state).label


def _check_role_and_state(case, actor, stage):
    role = getattr(actor, "role", None)
    if role != STAGE_ROLE[stage]:
        raise NotAllowed(_("“%(stage)s”评分表只能由%(role)s填写。")
                         % {"stage": SheetStage(stage).label, "role": Role(STAGE_ROLE[stage]).label})
    if case.state not in STAGE_STATES[stage]:
        raise IllegalTransition(
            _("案件当前状态为“%(state)s”，不能填写“%(stage)s”评分表（须在%(allowed)s时）。")
            % {"state": _state_label(case.state), "stage": SheetStage(stage).label,
               "allowed": "、".join(f"“{_state_label(s)}”" for s in STAGE_STATES[stage])},
            state=case.state)


def _stage_for(actor):
    stage = ROLE_STAGE.get(getattr(actor, "role", None))
    if stage is None:
        raise NotAllowed(_("您的角色不能填写评分表。"))
    if stage == SheetStage.FINAL:
        raise NotAllowed(_("总局工作人员不填写评分表，请在专家评分提交后“形成评估结果”。"))
    return stage


def _locked_sheet(case, actor, sheet_id):
    """The sheet, locked, if the actor may see it (else NotFound)."""
    sheet = (sheets_visible_to(actor, case.pk).select_for_update(of=("self",)).filter(pk=sheet_id)
             .select_related(None).select_related("system", "assignment").first())
    if sheet is None:
        raise NotFound(_("未找到该评分表。"))
    sheet.case = case
    return sheet


def _check_author(sheet, actor):
    """Who may change a draft: the stage's role; for an expert sheet, only its own expert."""
    if getattr(actor, "role", None) != STAGE_ROLE[sheet.stage]:
        raise NotAllowed(_("“%(stage)s”评分表只能由%(role)s填写。")
                         % {"stage": sheet.get_stage_display(), "role": Role(STAGE_ROLE[sheet.stage]).label})
    if sheet.stage == SheetStage.EXPERT and sheet.assignment.expert_id != actor.pk:
        raise NotFound(_("未找到该评分表。"))
    if sheet.stage == SheetStage.FINAL:
        raise Conflict(_("评估结果由汇总专家评分形成，不能直接修改。"))


def _check_draft(sheet):
    if sheet.status == SheetStatus.SUBMITTED:
        raise Conflict(_("评分表已于 %(at)s 提交并锁定，不能修改。")
                       % {"at": timezone.localtime(sheet.submitted_at).strftime("%Y-%m-%d %H:%M")})


def _latest(case, stage, round_, *, submitted=False):
    sheets = ScoreSheet.objects.filter(case=case, stage=stage, round=round_)
    if submitted:
        sheets = sheets.filter(status=SheetStatus.SUBMITTED)
    return sheets.order_by("-attempt", "-pk").first()


def _new_sheet(case, actor, stage, round_, *, attempt=1, assignment=None, source=None):
    """A draft with one entry per indicator; inputs start from ``source`` (an earlier sheet); the years are the
    case's (case_years)."""
    system = system_for_case(case)
    sheet = ScoreSheet.objects.create(
        case=case, system=system, stage=stage, round=round_, attempt=attempt, author=actor, assignment=assignment,
        inputs=dict(source.inputs) if source else {})
    entries = SheetEntry.objects.bulk_create([SheetEntry(sheet=sheet, number=ind.number, points=ind.points)
                                              for ind in system.indicators.order_by("number")])
    if source is not None and stage == SheetStage.SELF_ASSESSMENT and source.system_id == system.pk:
        # A new self-assessment continues the earlier one: explanations and evidence carry over.
        earlier = {e.number: e for e in source.entries.prefetch_related("evidence")}
        for entry in entries:
            old = earlier.get(entry.number)
            if old is not None:
                entry.explanation = old.explanation
                entry.evidence.set(old.evidence.all())
        SheetEntry.objects.bulk_update(entries, ["explanation"])
    if stage == SheetStage.SELF_ASSESSMENT:
        # Issue 9 item 7 (办法 第十二条): the self-assessment opens filled from the creation period's evidence.
        from creation.evidence import prefill_sheet

        prefill_sheet(sheet, entries)
    return sheet


def _engine_inputs(inputs, catalogue):
    """JSON keys are strings; the engine keys yearly inputs by int year."""
    out = {}
    for key, value in inputs.items():
        if catalogue.get(key, {}).get("type") == "yearly" and isinstance(value, dict):
            value = {int(y): v for y, v in value.items()}
        out[key] = value
    return out


# ------------------------------------------------------------------------------------------------ national figures
def missing_national_figures(result, system):
    """[(key, year, label)] of the national figures a scored result lacks (they are the admins' to enter)."""
    out = []
    for ind in result.indicators:
        for item in ind.items:
            for key in item.missing:
                base, year = engine.split_key(key)
                if base in system.benchmark_catalogue and year and year.isdigit():
                    figure = (base, int(year), system.benchmark_catalogue[base].get("label") or base)
                    if figure not in out:
                        out.append(figure)
    return out


def tell_admins_of_missing_figures(*, case, figures):
    """Tell the admins, once per figure and year, that a sheet needs national figures nobody has entered
    (issue 7 item 5: an applicant is never asked for them; only an admin enters them, with their source). Runs
    in the caller's transaction; a figure already told of (indicators.MissingNationalFigure) is not told again,
    whoever needs it next. Returns the figures told of now."""
    from django.contrib.auth import get_user_model

    from indicators.models import MissingNationalFigure
    from notifications.services import case_context, notify

    known = set(MissingNationalFigure.objects.filter(key__in={k for k, _y, _l in figures})
                .values_list("key", "year"))
    new = [(key, year, label) for key, year, label in figures if (key, year) not in known]
    if not new:
        return []
    MissingNationalFigure.objects.bulk_create(
        [MissingNationalFigure(key=key, year=year, label=label[:120], first_needed_by=case) for key, year, label in new],
        ignore_conflicts=True)  # two sheets at once: the unique constraint keeps one row
    admins = list(get_user_model().objects.filter(role=Role.ADMIN, is_active=True)
                  .select_related("notification_preference"))
    notify(case=case, event="national_figures_missing", users=admins,
           context=case_context(case, figures="、".join(f"{label}（{year}）" for _key, year, label in new)))
    return new


# ------------------------------------------------------------------------------------------------ languages
def _texts(body):
    """The words of a scored result (reasons, each item's label, explanation and missing names), for one language."""
    return {"reasons": list(body.get("reasons") or []),
            "items": {str(ind["number"]): {item["key"]: {"label": item["label"], "detail": item["detail"],
                                                         "missing_names": item.get("missing_names") or []}
                                           for item in ind["items"]} for ind in body.get("indicators", [])}}


def _in_every_language(body, make):
    """Add the explanations in the other languages (``make()`` scores again, under each): the sheet stores the
    default language's words and, per other language, ``body["i18n"][code]`` with the same shape as _texts()."""
    body["i18n"] = {}
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            with translation.override(code):
                body["i18n"][code] = _texts(make().as_dict())
    return body


def localized(result, language=None):
    """A stored result in the reader's language (the active one unless given): the engine's explanations and
    reasons as _in_every_language stored them; the default language's words where none were stored."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    texts = (result or {}).get("i18n", {}).get(language) or (result or {}).get("i18n", {}).get(language.split("-")[0])
    if not texts:
        return result or {}
    out = dict(result)
    out["reasons"] = texts["reasons"]
    indicators = []
    for ind in result.get("indicators", []):
        words = texts["items"].get(str(ind["number"]), {})
        indicators.append({**ind, "items": [{**item, **words.get(item["key"], {})} for item in ind["items"]]})
    out["indicators"] = indicators
    return out


def _rescore(sheet):
    """Score the sheet's inputs (and any reviewer's own indicator scores) with the engine; store the explanation
    (in every language), each entry's score (empty while its data is missing) and the total; tell the admins of
    national figures the sheet needs and nobody has entered. The caller saves the sheet."""
    system = sheet.system
    compiled = selectors.compiled_system(system)
    with translation.override(settings.LANGUAGE_CODE):  # stored words: the default language; i18n: the others
        info = case_years(sheet.case, system)  # the case's years, never typed (issue 10 item 5)
    years = info.years
    region = sheet.case.creation_object.province.economic_region
    context = {"years": years, "region": region}
    keys = list(system.benchmark_catalogue)
    benchmarks = selectors.national_benchmarks(keys, years)
    entries = list(sheet.entries.all())
    overrides = {e.number: e.override for e in entries if e.override is not None}
    inputs = _engine_inputs(sheet.inputs, system.input_catalogue)

    def make():
        return engine.score(compiled, inputs, benchmarks, context, overrides)

    with translation.override(settings.LANGUAGE_CODE):
        result = make()
        body = result.as_dict()  # the reasons are worded here, so in the same language
    by_number = {r.number: r for r in result.indicators}
    for entry in entries:
        r = by_number[entry.number]
        entry.score = r.score if (entry.number in overrides or r.status == "scored") else None
    SheetEntry.objects.bulk_update(entries, ["score"])
    body = _in_every_language(body, make)
    body["draft_system"] = system.status == SystemStatus.DRAFT
    body["overridden"] = sorted(overrides)
    body["benchmark_sources"] = [s for s in selectors.benchmark_sources(keys) if s["year"] in years]
    with translation.override(settings.LANGUAGE_CODE):
        sheet.context = {"years": years, "region": region,
                         "years_basis": info.explanation if info.override is None
                         else _("总局已调整：%(reason)s") % {"reason": info.override.reason}}
    national = missing_national_figures(result, system)
    if national:
        tell_admins_of_missing_figures(case=sheet.case, figures=national)
    sheet.benchmarks = {k: {str(y): engine.fmt(v) for y, v in series.items()} for k, series in benchmarks.items()}
    sheet.result = body
    sheet.total_score = result.total
    sheet.passed = {"pass": True, "fail": False}.get(result.decision)
    return result, entries


# ------------------------------------------------------------------------------------------------ payload
def _is_year(value):
    text = str(value)
    return text.isascii() and text.isdigit() and 2000 <= int(text[:5]) <= 2100


def _out_of_range(key, value, labels=None):
    """Messages for numbers the engine cannot handle (too large or too small), wherever they sit in an input,
    naming the input (and its year) as people do."""
    pairs = value.items() if isinstance(value, dict) else ((None, v) for v in value) if isinstance(value, list) \
        else [(None, value)]
    problems = []
    for year, item in pairs:
        where = f"{key}[{year}]" if year is not None and _is_year(year) else key
        if isinstance(item, (dict, list)):
            problems += _out_of_range(key, item, labels)
        elif isinstance(item, (int, float, str)) and not isinstance(item, bool) and _looks_numeric(item):
            try:
                engine.dec(item, key)
            except engine.InputError as error:
                problems.append(_("%(name)s：%(message)s") % {"name": engine.name_of(where, labels),
                                                              "message": error.message})
    return problems


def _unreadable(key, value, kind, labels):
    """Messages for a typed value the engine cannot read as its input's type (yearly figures, numbers, yes/no,
    amounts), named as people read them — whether or not the years scored use it now."""
    if value is None:
        return []
    if kind == "yearly" and isinstance(value, dict):
        pairs = [(f"{key}[{year}]", v) for year, v in value.items()]
    elif kind == "amounts" and isinstance(value, (list, tuple)):
        pairs = [(key, v["amount"] if isinstance(v, dict) and "amount" in v else v) for v in value]
    elif kind == "bool":
        ok = isinstance(value, bool) or str(value).strip().lower() in ("true", "false", "1", "0", "yes", "no", "是", "否")
        return [] if ok else [_("%(name)s：应为“是”或“否”") % {"name": engine.name_of(key, labels)}]
    elif kind in ("number", "rate", "count", "score"):
        pairs = [(key, value)]
    else:
        return []
    problems = []
    for where, item in pairs:
        if item in (None, ""):
            continue
        try:
            engine.dec(item, where)
        except engine.InputError as error:
            problems.append(_("%(name)s：%(message)s") % {"name": engine.name_of(where, labels), "message": error.message})
    return problems


def _field_errors(problems_by_key):
    """{"inputs": [all messages], "inputs.<key>": [its messages]}: the list for API clients as before, and each
    input's own messages for the form to show next to the field."""
    errors = {}
    for key, messages_ in problems_by_key.items():
        errors.setdefault("inputs", []).extend(messages_)
        if key:
            errors.setdefault(f"inputs.{key}", []).extend(messages_)
    return errors


def _looks_numeric(item):
    """A number, or text that reads as one (text that does not is reported by the engine as 应为数值)."""
    try:
        Decimal(str(item).strip().replace(",", ""))
    except InvalidOperation:
        return False
    return True


def _validate_changes(sheet, case, *, inputs, context, entries):
    """Check a draft's changes; returns (inputs, years, entries) cleaned, or raises InvalidPayload with errors."""
    errors = {}
    catalogue = sheet.system.input_catalogue
    labels = selectors.compiled_system(sheet.system).labels
    clean_inputs = None
    if inputs is not None:
        if not isinstance(inputs, dict):
            errors["inputs"] = [_("应为 {输入项: 数值} 对象。")]
        else:
            unknown = sorted(k for k in inputs if k not in catalogue)
            if unknown:
                errors["inputs"] = [_("未知输入项：%(keys)s（见指标体系的 inputs 目录）。") % {"keys": "、".join(unknown)}]
            problems = {}
            for key, value in inputs.items():
                if catalogue.get(key, {}).get("type") == "yearly" and value is not None:
                    if not isinstance(value, dict) or not all(_is_year(y) for y in value):
                        problems.setdefault(key, []).append(
                            _("%(name)s：逐年数据应写作 {年份: 数值}，年份为 2000–2100。")
                            % {"name": engine.name_of(key, labels)})
                        continue
                found = _unreadable(key, value, catalogue.get(key, {}).get("type"), labels) \
                    or _out_of_range(key, value, labels)
                for problem in found:
                    problems.setdefault(key, []).append(problem)
            for key, messages_ in _field_errors(problems).items():
                errors.setdefault(key, []).extend(messages_)
            clean_inputs = inputs
    years = None
    if context is not None:
        raw_years = context.get("years") if isinstance(context, dict) else None
        given = _clean_years(raw_years) if raw_years not in (None, []) else []
        current = case_years(case, sheet.system)
        if given != current.years and raw_years not in (None, []):
            # Issue 10 item 5: the years are the case's; echoing them back is harmless, changing them is SAMR's.
            raise NotAllowed(_("评估年份由案件确定（%(years)s；%(why)s），不能在评分表中填写；如需调整，请联系总局。")
                             % {"years": current.years_text or _("待定"), "why": current.explanation})
    clean_entries = {}
    if entries is not None:
        numbers = {e.number: e for e in sheet.entries.all()}
        if not isinstance(entries, dict):
            errors["entries"] = [_("应为 {指标编号: {explanation, evidence, score}} 对象。")]
            entries = {}
        case_documents = set(case.documents.values_list("pk", flat=True))
        for raw_number, change in entries.items():
            where = f"entries.{raw_number}"
            try:
                number = int(raw_number)
            except (TypeError, ValueError):
                number = None
            if number not in numbers or not isinstance(change, dict):
                errors[where] = [_("没有编号为 %(number)s 的指标。") % {"number": raw_number}]
                continue
            clean = {}
            if "explanation" in change:
                clean["explanation"] = str(change["explanation"] or "")
            if "evidence" in change:
                ids = change["evidence"] or []
                if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
                    errors[where] = [_("佐证材料应为本案材料编号的列表。")]
                    continue
                foreign = sorted(set(ids) - case_documents)
                if foreign:
                    errors[where] = [_("材料 %(ids)s 不是本案的材料。") % {"ids": "、".join(map(str, foreign))}]
                    continue
                clean["evidence"] = ids
            if "score" in change:
                if sheet.stage not in OVERRIDE_STAGES and change["score"] is not None:
                    errors[where] = [_("自评按输入数据计分，不能直接填写得分。")]
                    continue
                score = change["score"]
                if score is not None:
                    try:
                        score = engine.dec(score, where)
                    except engine.InputError:
                        score = None
                    points = numbers[number].points
                    if score is None or not score.is_finite() or score != score.quantize(CENT) \
                            or score < 0 or score > points:
                        errors[where] = [_("指标 %(number)s 的得分应在 0 至 %(points)s 分之间，最多两位小数。")
                                         % {"number": number, "points": engine.fmt(points)}]
                        continue
                clean["score"] = score
            clean_entries[number] = clean
    if errors:
        if any(key.startswith("inputs.") for key in errors):
            raise InvalidPayload(_("有输入数据有误，未保存；请按标示修改。"), errors=errors)
        raise InvalidPayload(_("评分表内容有误，请按提示修改。"), errors=errors)
    return clean_inputs, years, clean_entries


def _apply(sheet, case, actor, *, inputs=None, context=None, entries=None):
    clean_inputs, years, clean_entries = _validate_changes(sheet, case, inputs=inputs, context=context,
                                                           entries=entries)
    if sheet.stage == SheetStage.EXPERT and (clean_inputs or years or clean_entries):
        _check_expert_may_score(sheet)
    if clean_inputs:
        merged = dict(sheet.inputs)
        for key, value in clean_inputs.items():
            if value is None:
                merged.pop(key, None)  # null clears an input: it is missing again, not zero
            else:
                merged[key] = value
        sheet.inputs = merged
    if clean_entries:
        rows = {e.number: e for e in sheet.entries.all()}
        changed = []
        for number, change in clean_entries.items():
            entry = rows[number]
            if "explanation" in change:
                entry.explanation = change["explanation"]
            if "score" in change:
                entry.override = change["score"]
            if "evidence" in change:
                entry.evidence.set(change["evidence"])
            changed.append(entry)
        SheetEntry.objects.bulk_update(changed, ["explanation", "override"])
    result, _entries = _rescore(sheet)
    if clean_inputs:
        # Issue 7 item 5: a value the engine cannot read is refused when typed, with the field named and marked —
        # not saved and only found at submission. (Values saved earlier stay reported on their items.)
        problems = {}
        for ind in result.indicators:
            for item in ind.items:
                for key in item.inputs if item.errors else ():
                    base = engine.base_key(key)
                    if base in clean_inputs and clean_inputs[base] is not None:
                        problems.setdefault(base, [])
                        problems[base] += [e for e in item.errors if e not in problems[base]]
        if problems:
            raise InvalidPayload(_("有输入数据有误，未保存；请按标示修改。"), errors=_field_errors(problems))
    sheet.save()
    return {"inputs": sorted(clean_inputs or {}), "years": years or [], "entries": sorted(clean_entries)}


def _check_expert_may_score(sheet):
    # 办法 第十四条 with the usual recusal rule: an expert declares any conflict of interest before scoring.
    if sheet.has_conflict is None:
        raise GuardFailed(_("请先声明与该创建对象是否存在利益冲突，再评分。"))
    if sheet.has_conflict:
        raise NotAllowed(_("您已声明存在利益冲突，不能为该案件评分；请总局工作人员改派专家。"))


# ------------------------------------------------------------------------------------------------ writers
def save_sheet(*, case_id, actor, inputs=None, context=None, entries=None, expected_version=None):
    """Open (or continue) the caller's draft sheet for their stage and save changes to it.

    Who may call it: the applicant (self-assessment), the provincial reviewer (pre-review) and an assigned SAMR
    expert (their own sheet; scoring only after declaring a conflict of interest), each in their stage's state.
    SAMR officers use finalise(). Changes: the draft's inputs (the engine's inputs; null clears one), years,
    and per indicator an explanation, evidence (documents of the case) and — pre-review and expert — a score of
    their own; rescored with the engine. A new draft starts from the latest earlier sheet's inputs. Audited."""
    stage = _stage_for(actor)
    with transaction.atomic(), locked_case(case_id, actor, expected_version) as case:
        _check_role_and_state(case, actor, stage)
        round_ = current_round(case)
        created = False
        if stage == SheetStage.EXPERT:
            assignment = ExpertAssignment.objects.filter(case=case, expert=actor, round=round_).first()
            if assignment is None:
                raise NotAllowed(_("您不是本案第 %(round)s 轮评估的指派专家。") % {"round": round_})
            sheet = ScoreSheet.objects.select_for_update().filter(assignment=assignment).first()
            if sheet is None:
                source = (_latest(case, SheetStage.PRE_REVIEW, round_, submitted=True)
                          or _latest(case, SheetStage.SELF_ASSESSMENT, round_, submitted=True))
                sheet = _new_sheet(case, actor, stage, round_, assignment=assignment, source=source)
                created = True
        else:
            sheet = _latest(case, stage, round_)
            if sheet is None or sheet.status == SheetStatus.SUBMITTED:
                if sheet is not None and not _may_open_another(case, sheet):
                    _check_draft(sheet)
                source = sheet
                if source is None and stage == SheetStage.SELF_ASSESSMENT:
                    source = (ScoreSheet.objects.filter(case=case, stage=stage).order_by("-round", "-attempt").first())
                if source is None and stage == SheetStage.PRE_REVIEW:
                    source = _latest(case, SheetStage.SELF_ASSESSMENT, round_, submitted=True)
                if stage == SheetStage.SELF_ASSESSMENT:
                    creation_reports.acceptance_guard(case)  # 办法 第十二条: 创建验收 before the self-assessment
                sheet = _new_sheet(case, actor, stage, round_, attempt=(sheet.attempt + 1) if sheet else 1,
                                   source=source)
                created = True
        changes = _apply(sheet, case, actor, inputs=inputs, context=context, entries=entries)
        record_action(case, actor=actor, name="save_score_sheet",
                      label=gettext_lazy("填写评分表") if not created else gettext_lazy("开始填写评分表"),
                      data={"sheet": sheet.pk, "stage": stage, "round": round_, "attempt": sheet.attempt,
                            "system": sheet.system.code, "total": engine.fmt(sheet.total_score), **changes})
    return sheet, created


def _may_open_another(case, submitted):
    """After a submitted sheet of this stage and round, a new one: the applicant may always self-assess again
    (the latest counts; the earlier are kept); the province pre-reviews again only after the application came
    back and was resubmitted (办法 第十三条: 退回补正)."""
    if submitted.stage == SheetStage.SELF_ASSESSMENT:
        return True
    if submitted.stage == SheetStage.PRE_REVIEW:
        return bool(case.evaluation_applied_at and submitted.submitted_at < case.evaluation_applied_at)
    return False


def update_sheet(*, case_id, actor, sheet_id, inputs=None, context=None, entries=None, expected_version=None):
    """Change a draft sheet (PATCH). Who may call it: the sheet's stage role — for an expert sheet only its own
    expert — while the case is in the stage's state. A submitted sheet is refused (Conflict). Audited."""
    with transaction.atomic(), locked_case(case_id, actor, expected_version) as case:
        sheet = _locked_sheet(case, actor, sheet_id)
        _check_author(sheet, actor)
        _check_role_and_state(case, actor, sheet.stage)
        _check_draft(sheet)
        if sheet.round != current_round(case):
            raise Conflict(_("该评分表属于第 %(round)s 轮评估，已不能修改。") % {"round": sheet.round})
        changes = _apply(sheet, case, actor, inputs=inputs, context=context, entries=entries)
        record_action(case, actor=actor, name="save_score_sheet", label=gettext_lazy("填写评分表"),
                      data={"sheet": sheet.pk, "stage": sheet.stage, "round": sheet.round,
                            "total": engine.fmt(sheet.total_score), **changes})
    return sheet


def declare_conflict(*, case_id, actor, sheet_id, has_conflict, statement="", expected_version=None):
    """An assigned SAMR expert declares whether they have a conflict of interest with the creation object, once,
    before scoring. With a conflict the sheet can never be scored or submitted, and SAMR officers are told so
    they can assign another expert. Who may call it: the sheet's own expert while the case is under evaluation."""
    statement = (statement or "").strip()
    if has_conflict and not statement:
        raise InvalidPayload(_("存在利益冲突时须说明情况。"), errors={"statement": [_("此项为必填项。")]})
    with transaction.atomic(), locked_case(case_id, actor, expected_version) as case:
        sheet = _locked_sheet(case, actor, sheet_id)
        _check_author(sheet, actor)
        _check_role_and_state(case, actor, sheet.stage)
        _check_draft(sheet)
        if sheet.has_conflict is not None:
            raise Conflict(_("您已于 %(at)s 作出利益冲突声明，不能更改。")
                           % {"at": timezone.localtime(sheet.conflict_declared_at).strftime("%Y-%m-%d %H:%M")})
        sheet.has_conflict = bool(has_conflict)
        sheet.conflict_statement = statement
        sheet.conflict_declared_at = timezone.now()
        sheet.save(update_fields=["has_conflict", "conflict_statement", "conflict_declared_at"])
        record_action(case, actor=actor, name="declare_conflict",
                      label=gettext_lazy("声明存在利益冲突") if has_conflict else gettext_lazy("声明无利益冲突"), comment=statement,
                      data={"sheet": sheet.pk, "round": sheet.round, "has_conflict": bool(has_conflict)},
                      notify=(Role.SAMR_OFFICER,) if has_conflict else ())
    return sheet


def _check_self_assessment_may_be_submitted(case):
    """办法 第十二条: 创建期满后 the city assesses itself — under the current measures a self-assessment may be drafted
    during creation (to prepare) but submitted only from the day after the period ends; 试行办法 第十条: 条件成熟的,
    any day of the creation period. The rule set's self_assessment_timing decides (deadlines.evaluation_window)."""
    from cases import deadlines

    first, _last = deadlines.evaluation_window(case)
    today = timezone.localdate()
    if first is not None and today < first:
        raise GuardFailed(
            _("自评须在创建期满后提交（%(article)s）：自 %(day)s 起可提交，现在可先起草保存。")
            % {"article": case.rule_set.article("apply_for_evaluation"), "day": first},
            state=case.state, opens_on=first.isoformat())


def submit_sheet(*, case_id, actor, sheet_id, expected_version=None):
    """Submit a draft: rescore against today's national figures and lock it for good. Who may call it: the sheet's
    stage role (an expert only their own sheet, without a conflict of interest) in the stage's state.
    Refused while an input is invalid; a self-assessment or pre-review while missing figures could still change
    its decision; an expert sheet while any indicator is unscored. Submitting the self-assessment also records
    the applicant's decision (evaluation.services.record_self_assessment), which apply_for_evaluation reads."""
    try:
        return _submit(case_id=case_id, actor=actor, sheet_id=sheet_id, expected_version=expected_version)
    except GuardFailed as refusal:
        if refusal.extra.get("national"):
            # The refusal rolled the rescoring back, and with it the admins' notification: tell them now.
            _tell_after_refusal(case_id, actor, sheet_id)
        raise


def _tell_after_refusal(case_id, actor, sheet_id):
    with transaction.atomic():
        sheet = sheets_visible_to(actor, case_id).filter(pk=sheet_id).select_related(
            "case__creation_object__province", "case__rule_set").first()
        if sheet is not None:
            result = engine.score(selectors.compiled_system(sheet.system),
                                  _engine_inputs(sheet.inputs, sheet.system.input_catalogue),
                                  selectors.national_benchmarks(list(sheet.system.benchmark_catalogue),
                                                                case_years(sheet.case, sheet.system).years),
                                  {"years": case_years(sheet.case, sheet.system).years})
            tell_admins_of_missing_figures(case=sheet.case,
                                           figures=missing_national_figures(result, sheet.system))


def _submit(*, case_id, actor, sheet_id, expected_version=None):
    with transaction.atomic():
        with locked_case(case_id, actor, expected_version) as case:
            sheet = _locked_sheet(case, actor, sheet_id)
            _check_author(sheet, actor)
            _check_role_and_state(case, actor, sheet.stage)
            _check_draft(sheet)
            if sheet.round != current_round(case):
                raise Conflict(_("该评分表属于第 %(round)s 轮评估，已不能提交。") % {"round": sheet.round})
            if sheet.stage == SheetStage.SELF_ASSESSMENT:
                _check_self_assessment_may_be_submitted(case)
                creation_reports.acceptance_guard(case)  # 办法 第十二条 (a draft opened before the plan existed)
            if sheet.stage == SheetStage.EXPERT:
                _check_expert_may_score(sheet)
            bound = system_for_case(case)
            if bound.pk != sheet.system_id:
                raise Conflict(_("本案已按指标体系“%(bound)s”评分，该评分表所用的“%(used)s”不能再提交。")
                               % {"bound": bound.title, "used": sheet.system.title})
            result, entries = _rescore(sheet)
            _check_complete(sheet, result, entries)
            sheet.status = SheetStatus.SUBMITTED
            sheet.submitted_at = timezone.now()
            sheet.save()
            issued = {}
            if sheet.stage == SheetStage.EXPERT:  # the expert's sheet is a numbered 公文 (issue #11), in this act
                from official.registry import issue_score_sheet

                issued = issue_score_sheet(sheet=sheet, actor=actor)
            record_action(case, actor=actor, name="submit_score_sheet",
                          label=gettext_lazy("提交评分表"),
                          data={"sheet": sheet.pk, "stage": sheet.stage, "round": sheet.round,
                                "system": sheet.system.code, "draft_system": sheet.result["draft_system"],
                                "total": engine.fmt(sheet.total_score), "decision": result.decision, **issued})
        if sheet.stage == SheetStage.SELF_ASSESSMENT:
            # 办法 第十二条: 自评合格的 may apply — the decision the guard of apply_for_evaluation reads.
            record_self_assessment(case_id=case_id, actor=actor, total_score=sheet.total_score,
                                   passed=bool(sheet.passed), summary=_summary(sheet.result))
    return sheet


def _check_complete(sheet, result, entries):
    invalid = [_("指标 %(number)s：%(error)s") % {"number": ind.number, "error": err}
               for ind in result.indicators for item in ind.items for err in item.errors
               if ind.number not in sheet.result["overridden"]]
    if invalid:
        raise InvalidPayload(_("有输入数据格式不对，请修改后再提交。"), errors={"inputs": invalid})
    if sheet.stage == SheetStage.EXPERT:
        unscored = [str(e.number) for e in entries if e.score is None]
        if unscored:
            raise GuardFailed(_("还有指标未评分：%(numbers)s。请补齐数据或直接评分后再提交。")
                              % {"numbers": "、".join(unscored)}, missing=unscored)
    elif result.decision == "incomplete":
        raise GuardFailed(_incomplete_message(sheet, result), missing=result.missing,
                          national=[f"{k}[{y}]" for k, y, _label in missing_national_figures(result, sheet.system)])


def _incomplete_message(sheet, result):
    """Why an incomplete sheet cannot be submitted, by name: what its author can supply, and — never asked of
    them — the national figures only an admin enters (the admins have been told)."""
    labels = selectors.compiled_system(sheet.system).labels
    national = sheet.system.benchmark_catalogue
    own, figures, years_missing = [], [], False
    for ind in result.indicators:
        for item in ind.items:
            for key in item.missing:
                if key == "context.years":
                    years_missing = True
                elif engine.base_key(key) in national:
                    name = engine.name_of(key, labels)
                    if name not in figures:
                        figures.append(name)
                else:
                    own.append(_("指标 %(number)s：%(name)s") % {"number": ind.number, "name": engine.name_of(key, labels)})
    parts = [_("数据不全，缺失的数据可能改变合格与否。")]
    if own:
        shown = "、".join(own[:10]) + (_("等 %(count)s 项") % {"count": len(own)} if len(own) > 10 else "")
        parts.append(_("请补齐：%(items)s。") % {"items": shown})
    if figures:
        parts.append(_("全国数据 %(figures)s 尚未录入：全国数据由管理员录入，已通知管理员，录入后即可提交。")
                     % {"figures": "、".join(figures)})
    if years_missing:
        parts.append(_("评估年份待定，须由总局确定。"))
    return "".join(parts)


def _summary(result):
    lines = list(result.get("reasons") or [])
    if result.get("conclusion_reasons"):
        lines.append(result["conclusion_reasons"])
    if result.get("draft_system"):
        title = IndicatorSystem.objects.filter(code=result.get("system")).values_list("title", flat=True).first()
        with translation.override(settings.LANGUAGE_CODE):  # a stored summary: the default language
            lines.insert(0, _("按草稿指标体系“%(title)s”评分") % {"title": title or result.get("system")})
    return "；".join(lines)


def _aggregate(values, how):
    if how == Aggregation.MEDIAN:
        value = statistics.median(values)
    else:
        value = sum(values, Decimal(0)) / len(values)
    # Per indicator, to the cent, half up (四舍五入): the total is then the exact sum of what the sheet shows.
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _weighed_conclusion(case, rule_passed, *, conclusion, weighing, reasons):
    """办法 第十四条 综合考虑: the indicator rule is necessary, not sufficient. Returns (passed, weighing, reasons).

    Under measures that name factors to weigh (RuleSet.evaluation_weighing), SAMR records each with its reasons and
    concludes: 合格 only on a passing rule; 不合格 on a passing rule with reasons. Under the 2022 trial measures
    (试行办法 第十二条: 对照评估指标体系打分, 得出评估分值) the rule's verdict is the result."""
    from evaluation.models import WEIGHING_FACTORS

    factors = case.rule_set.evaluation_weighing
    article = case.rule_set.article("pass_evaluation")
    weighing = {k: (v or "").strip() for k, v in (weighing or {}).items() if k in WEIGHING_FACTORS}
    reasons = (reasons or "").strip()
    errors = {}
    if not factors:
        if conclusion is not None and conclusion != ("passed" if rule_passed else "not_passed"):
            errors["conclusion"] = [_("%(article)s：评估结果由评估分值得出，结论须与指标体系合格标准一致。")
                                    % {"article": article}]
        if errors:
            raise InvalidPayload(_("评估结论有误，请按提示修改。"), errors=errors)
        return rule_passed, {}, reasons
    for key in factors:
        if not weighing.get(key):
            errors[f"weighing.{key}"] = [_("请填写对“%(factor)s”的综合考虑（%(article)s）。")
                                         % {"factor": WEIGHING_FACTORS[key], "article": article}]
    if conclusion not in ("passed", "not_passed"):
        errors["conclusion"] = [_("请选择评估结论：合格或不合格。")]
    elif conclusion == "not_passed" and rule_passed and not reasons:
        errors["reasons"] = [_("指标得分达到合格标准而结论为不合格的，须写明理由（%(article)s）。") % {"article": article}]
    if errors:
        raise InvalidPayload(_("请完成综合考虑并作出结论（%(article)s）。") % {"article": article}, errors=errors)
    if conclusion == "passed" and not rule_passed:
        raise GuardFailed(_("指标得分未达到评估指标体系的合格标准，不能评为合格（%(article)s：合格标准是必要条件）。")
                          % {"article": article}, state=case.state)
    return conclusion == "passed", {k: weighing[k] for k in factors}, reasons


def finalise(*, case_id, actor, aggregation=Aggregation.MEAN, divergence_margin=DEFAULT_DIVERGENCE_MARGIN,
             conclusion=None, weighing=None, reasons="", expected_version=None):
    """Form the round's evaluation result from the submitted expert sheets (办法 第十四条: 形成评估结果).

    Who may call it: SAMR officers, while the case is under evaluation, once per round. Refused with no submitted
    expert sheet, or while an assigned expert without a declared conflict has not submitted (naming them).
    Each indicator's score is the declared aggregation (mean by default, or median) of the experts' scores,
    rounded half up to 0.01; an indicator where the experts differ by more than ``divergence_margin`` points is
    flagged. The pass rule of the case's indicator-system version decides, with reasons (which group or the
    total falls short and by how much). The locked final sheet is written, and the result is recorded through
    evaluation.services.record_evaluation_result, which pass_evaluation / fail_evaluation read."""
    if aggregation not in Aggregation.values:
        raise InvalidPayload(_("汇总方式应为 mean 或 median。"), errors={"aggregation": [_("无效的选项。")]})
    try:
        margin = Decimal(str(divergence_margin))
    except InvalidOperation:
        margin = None
    if margin is None or not margin.is_finite() or margin < 0:
        raise InvalidPayload(_("分歧阈值应为不小于 0 的分值。"), errors={"divergence_margin": [_("无效的数值。")]})
    with transaction.atomic():
        with locked_case(case_id, actor, expected_version) as case:
            _check_role_and_state(case, actor, SheetStage.FINAL)
            round_ = current_round(case)
            if ScoreSheet.objects.filter(case=case, round=round_, stage=SheetStage.FINAL).exists():
                raise Conflict(_("第 %(round)s 轮评估结果已经形成，不能重复汇总。") % {"round": round_})
            assignments = list(ExpertAssignment.objects.filter(case=case, round=round_).select_related("expert")
                               .order_by("assigned_at", "pk"))
            sheets = {s.assignment_id: s for s in ScoreSheet.objects.filter(
                case=case, stage=SheetStage.EXPERT, assignment__in=assignments).prefetch_related("entries")}
            pending = [a.expert for a in assignments
                       if (s := sheets.get(a.pk)) is None
                       or (s.has_conflict is not True and s.status != SheetStatus.SUBMITTED)]
            if pending:
                names = "、".join(str(e) for e in pending)
                raise GuardFailed(_("尚有指派专家未提交评分表：%(names)s。请待其提交，或改派专家。") % {"names": names},
                                  pending=[e.username for e in pending])
            scored = [(a, sheets[a.pk]) for a in assignments
                      if a.pk in sheets and sheets[a.pk].status == SheetStatus.SUBMITTED]
            if not scored:
                raise GuardFailed(_("本轮尚无专家提交评分表，不能形成评估结果。"))
            system = system_for_case(case)
            if any(s.system_id != system.pk for _a, s in scored):
                raise Conflict(_("专家评分表所用的指标体系版本不一致，不能汇总。"))
            compiled = selectors.compiled_system(system)
            per_expert = {a.expert.username: {e.number: e.score for e in s.entries.all()} for a, s in scored}
            names = {a.expert.username: str(a.expert) for a, _s in scored}
            scores, divergent, lines = {}, [], {}
            for ind in compiled.indicators:
                values = [given[ind.number] for given in per_expert.values()]
                scores[ind.number] = _aggregate(values, aggregation)
                spread = max(values) - min(values)
                if spread > margin:  # "differ by more than" the margin: a spread equal to it is not flagged
                    divergent.append({"number": ind.number, "name": ind.name, "spread": engine.fmt(spread),
                                      "scores": {u: engine.fmt(v[ind.number]) for u, v in per_expert.items()}})
                lines[ind.number] = _("专家评分：%(scores)s；%(how)s %(value)s 分") % {
                    "scores": "、".join(f"{names[u]} {engine.fmt(v[ind.number])}" for u, v in per_expert.items()),
                    "how": Aggregation(aggregation).label, "value": engine.fmt(scores[ind.number])}
            with translation.override(settings.LANGUAGE_CODE):
                decision = engine.decide(compiled, scores)
                body = decision.as_dict()
            passed, weighed, reasons = _weighed_conclusion(case, decision.passed_as_scored, conclusion=conclusion,
                                                           weighing=weighing, reasons=reasons)
            body = _in_every_language(body, lambda: engine.decide(compiled, scores))
            body.update({"rule_passed": decision.passed_as_scored, "passed": passed, "weighing": weighed,
                         "conclusion_reasons": reasons})
            body.update({"draft_system": system.status == SystemStatus.DRAFT, "aggregation": aggregation,
                         "divergence_margin": engine.fmt(margin), "experts": list(per_expert),
                         "excused": [a.expert.username for a in assignments if sheets[a.pk].has_conflict]})
            sheet = ScoreSheet.objects.create(
                case=case, system=system, stage=SheetStage.FINAL, round=round_, author=actor, result=body,
                total_score=decision.total, passed=passed, aggregation=aggregation,
                divergence_margin=margin, divergent=divergent)
            SheetEntry.objects.bulk_create([
                SheetEntry(sheet=sheet, number=ind.number, points=ind.points, score=scores[ind.number],
                           explanation=lines[ind.number]) for ind in compiled.indicators])
            sheet.status = SheetStatus.SUBMITTED  # entries first: the lock covers them from here on
            sheet.submitted_at = timezone.now()
            sheet.save(update_fields=["status", "submitted_at"])
            record_action(case, actor=actor, name="finalise_score_sheets", label=gettext_lazy("汇总专家评分，形成评估结果"),
                          data={"sheet": sheet.pk, "round": round_, "system": system.code,
                                "aggregation": aggregation, "divergence_margin": engine.fmt(margin),
                                "experts": list(per_expert), "total": engine.fmt(decision.total),
                                "rule_passed": decision.passed_as_scored, "passed": passed, "weighing": weighed,
                                "divergent": [d["number"] for d in divergent]})
        record_evaluation_result(case_id=case_id, actor=actor, total_score=decision.total, passed=passed,
                                 summary=_summary(body), rule_passed=decision.passed_as_scored, weighing=weighed,
                                 reasons=reasons)
    return sheet
