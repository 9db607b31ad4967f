"""Browser pages for score sheets (办法 第十二–十四条; the rules are in evaluation/sheets.py). Thin: reads through
sheets.sheets_visible_to and the selectors, writes through the sheet services, the same scope and rules as the
API (evaluation/sheet_api.py).

Who may use what (deny by default; a case or sheet outside the user's scope is a 404):
- a sheet page: whoever may read the sheet (applicants their self-assessments; provincial reviewers the submitted
  self-assessment and the pre-review; experts their own sheets; SAMR officers all);
- open, save, submit: the sheet's stage role in the stage's state (an expert only their own sheet, after the
  conflict-of-interest declaration); the declaration: the sheet's own expert;
- the finalise page: SAMR officers (anyone else: 404);
- setting the years the case's sheets score (issue 10 item 5): SAMR officers, with a reason (anyone else: 404).
A form refused by a service is shown again with what the user typed and the service's message.
"""
import dataclasses
import re
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from cases.errors import DomainError, InvalidPayload, NotFound
from cases.selectors import case_list
from cases.workflow import State
from indicators import engine, selectors

from . import sheets
from .models import WEIGHING_FACTORS, Aggregation, ExpertAssignment, ScoreSheet, SheetStage, SheetStatus

INPUT_STAGES = (SheetStage.SELF_ASSESSMENT, SheetStage.PRE_REVIEW)  # stages that enter the engine's inputs
STAGE_ORDER = [SheetStage.SELF_ASSESSMENT, SheetStage.PRE_REVIEW, SheetStage.EXPERT, SheetStage.FINAL]


# ------------------------------------------------------------------------------------------------ reads
def _case_in_scope(user, case_id):
    case = case_list(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def _visible_sheet(user, case, sheet_id):
    sheet = sheets.sheets_visible_to(user, case.pk).filter(pk=sheet_id).first()
    if sheet is None:
        raise Http404
    sheet.case = case
    return sheet


def case_panel(case, user):
    """The case page's 评分表 section: the sheets the user may read, and what they may start now — open or
    continue their own stage's sheet, or (SAMR officers) form the round's result. Three queries at most."""
    rows = sorted(sheets.sheets_for_case_page(case, user),
                  key=lambda s: (s.round, STAGE_ORDER.index(s.stage), s.attempt, s.pk))  # the legal order
    role = getattr(user, "role", None)
    round_ = sheets.current_round(case)
    stage = sheets.ROLE_STAGE.get(role)
    own_draft, may_open = None, False
    if stage in (SheetStage.SELF_ASSESSMENT, SheetStage.PRE_REVIEW, SheetStage.EXPERT) \
            and case.state in sheets.STAGE_STATES[stage]:
        mine = [s for s in rows if s.stage == stage and s.round == round_
                and (stage != SheetStage.EXPERT or s.assignment.expert_id == user.pk)]
        latest = mine[-1] if mine else None
        if latest is not None and latest.status == SheetStatus.DRAFT:
            own_draft = latest
        elif stage == SheetStage.EXPERT:
            may_open = latest is None and ExpertAssignment.objects.filter(case=case, expert=user, round=round_).exists()
        else:
            may_open = latest is None or sheets._may_open_another(case, latest)
    may_finalise = (role == Role.SAMR_OFFICER and case.state == State.UNDER_EVALUATION
                    and not any(s.stage == SheetStage.FINAL and s.round == round_ for s in rows))
    if not (rows or own_draft or may_open or may_finalise):
        return None
    return {"sheets": rows, "stage_label": SheetStage(stage).label if stage else "", "own_draft": own_draft,
            "may_open": may_open, "may_finalise": may_finalise}


# ------------------------------------------------------------------------------------------------ the form
@dataclasses.dataclass
class InputField:
    """One of the engine's inputs on the sheet; shown as a field at the first indicator that needs it."""

    key: str
    label: str
    type: str  # yearly | amounts | bool | score | rate | count | number
    unit: str = ""
    value: object = ""  # str, or {year: str} for yearly inputs
    years: list = dataclasses.field(default_factory=list)
    first_at: int | None = None  # the indicator whose row carries the field (None: this row)
    national: dict | None = None  # a national figure (benchmark scope): {year: value}, read-only
    max_value: str = ""
    errors: list = dataclasses.field(default_factory=list)  # the service's messages for this input

    @property
    def name(self):
        return f"in:{self.key}"

    @property
    def inline(self):
        """The value on one line (read-only pages): a list of amounts joined with 、."""
        return "、".join(str(self.value).splitlines()) if isinstance(self.value, str) else self.value

    @property
    def year_values(self):
        return [(y, self.value.get(str(y), "") if isinstance(self.value, dict) else "") for y in self.years]


def _shown(value):
    """A stored input as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v["amount"] if isinstance(v, dict) else v) for v in value)
    if isinstance(value, dict):
        return {str(y): _shown(v) for y, v in value.items()}
    return str(value)


def _stored_years(sheet):
    return [int(y) for y in (sheet.context or {}).get("years") or []]


def _years_for_fields(years):
    """The years a yearly input asks for: the scored years and the one before the first (growth needs
    当年 / 上一年度 − 1)."""
    years = sorted(set(years))
    return [years[0] - 1] + years if years else []


def _years_shown(sheet, user):
    """The years block of the sheet (issue 10 item 5): the years and why — live for a draft of the current
    round, as scored for a submitted sheet — and whether the user (a SAMR officer) may set others."""
    case = sheet.case
    live = sheet.status == SheetStatus.DRAFT and sheet.round == sheets.current_round(case)
    info = sheets.case_years(case, sheet.system) if live else None
    years = info.years if info else _stored_years(sheet)
    may_set = (live and getattr(user, "role", None) == Role.SAMR_OFFICER and case.state in sheets.OPEN_SHEET_STATES)
    return {"years": years, "text": _("、").join(_("%(year)s年") % {"year": y} for y in years),
            "explanation": info.explanation if info else (sheet.context or {}).get("years_basis", ""),
            "article": info.article if info else (sheet.system.scoring_years or {}).get("article", ""),
            "override": info.override if info else None, "provisional": bool(info and info.provisional),
            "may_set": may_set}


def _typed_input(field, posted):
    """The posted value of one input in the form the engine reads (None: empty, the input is missing)."""
    if field.type == "yearly":
        series = {}
        for year in field.years:
            text = posted.get(f"{field.name}:{year}", "").strip()
            if text:
                series[str(year)] = text
        return series
    text = posted.get(field.name, "").strip()
    if text == "":
        return None
    if field.type == "bool":
        return {"true": True, "false": False}.get(text, text)
    if field.type == "amounts":
        return [line.strip() for line in re.split(r"[\n,，;；]+", text) if line.strip()]
    return text


def _input_changes(sheet, fields, posted):
    """{key: value} for the inputs the user changed; None clears an input."""
    changes = {}
    stored = sheet.inputs or {}
    for field in fields:
        typed = _typed_input(field, posted)
        before = stored.get(field.key)
        if field.type == "yearly":
            merged = {str(y): v for y, v in (before or {}).items() if int(y) not in field.years} \
                if isinstance(before, dict) else {}
            merged.update(typed)
            if _shown(merged) != _shown(before or {}):
                changes[field.key] = merged or None
        elif _shown(typed) != _shown(before):
            changes[field.key] = typed
    return changes


def _entry_changes(sheet, posted, *, scores):
    changes = {}
    for entry in sheet.entries.all():
        change = {}
        number = entry.number
        if f"explanation:{number}" in posted:
            text = posted.get(f"explanation:{number}", "")
            if text != entry.explanation:
                change["explanation"] = text
        if f"evidence-shown:{number}" in posted:
            ids = sorted(int(v) for v in posted.getlist(f"evidence:{number}") if v.isdigit())
            if ids != sorted(d.pk for d in entry.evidence.all()):
                change["evidence"] = ids
        if scores and f"score:{number}" in posted:
            text = posted.get(f"score:{number}", "").strip()
            if text == "":
                if entry.override is not None:
                    change["score"] = None
            else:
                try:
                    same = entry.override is not None and Decimal(text) == entry.override
                except InvalidOperation:
                    same = False
                if not same:
                    change["score"] = text
        if change:
            changes[str(number)] = change
    return changes


def _may_edit(sheet, user):
    """The user may change this draft now (the services decide for good; this only chooses what to show)."""
    case = sheet.case
    if sheet.status != SheetStatus.DRAFT or sheet.stage == SheetStage.FINAL:
        return False
    if getattr(user, "role", None) != sheets.STAGE_ROLE[sheet.stage]:
        return False
    if sheet.stage == SheetStage.EXPERT and sheet.assignment.expert_id != user.pk:
        return False
    return case.state in sheets.STAGE_STATES[sheet.stage] and sheet.round == sheets.current_round(case)


def _input_fields(sheet, compiled, years):
    """Per indicator number, the input fields its rules need (each input once, at its first indicator)."""
    catalogue = sheet.system.input_catalogue
    national = sheet.benchmarks or {}
    stored = sheet.inputs or {}
    seen, by_number = {}, {}
    item_points = {}
    for ind in compiled.indicators:
        fields = []
        for item in ind.items:
            for key, type_, scope in item.rule.inputs():
                if key in {f.key for f in fields}:
                    continue
                meta = catalogue.get(key, {})
                if scope == "benchmark":
                    fields.append(InputField(key, meta.get("label") or sheet.system.benchmark_catalogue.get(
                        key, {}).get("label", key), "national", national=national.get(key) or {}))
                    continue
                kind = meta.get("type") or type_
                field = InputField(key, meta.get("label", key), kind, unit=meta.get("unit", ""),
                                   value=_shown(stored.get(key)), years=years if kind == "yearly" else [],
                                   first_at=seen.get(key))
                if kind == "yearly" and not isinstance(field.value, dict):
                    field.value = {}
                if kind == "score":
                    item_points[key] = item.points
                    field.max_value = engine.fmt(item.points)
                seen.setdefault(key, ind.number)
                fields.append(field)
        by_number[ind.number] = fields
    return by_number


def _sheet_context(request, sheet, *, posted=None, error="", field_errors=None, saved=False, years_form=None):
    case = sheet.case
    user = request.user
    system = sheet.system
    spec = selectors.published_spec(system)  # in memory once published (versioned data)
    compiled = selectors.compiled_system(system, spec)
    may_edit = _may_edit(sheet, user)
    needs_declaration = (sheet.stage == SheetStage.EXPERT and sheet.status == SheetStatus.DRAFT
                         and sheet.has_conflict is None and sheet.assignment.expert_id == user.pk
                         and case.state == State.UNDER_EVALUATION)
    if sheet.stage == SheetStage.EXPERT and sheet.has_conflict is not False:
        may_edit = False  # 办法 第十四条 with the recusal rule: declare first; a conflicted expert never scores
    inputs_editable = may_edit and sheet.stage in INPUT_STAGES
    scores_editable = may_edit and sheet.stage in sheets.OVERRIDE_STAGES
    field_errors = field_errors or {}
    years = _years_shown(sheet, user)
    fields_by_number = _input_fields(sheet, compiled, _years_for_fields(years["years"]))
    if posted is not None and inputs_editable:
        for fields in fields_by_number.values():
            for field in fields:
                if field.type == "national" or field.first_at is not None:
                    continue
                typed = _typed_input(field, posted)
                field.value = _shown(typed) if typed is not None else ({} if field.type == "yearly" else "")
    result = sheets.localized(sheet.result)  # the engine's words in the reader's language
    labels = compiled.labels
    results = {}
    for r in result.get("indicators", []):
        for item in r["items"]:  # sheets scored before names were stored: name the keys here
            if item.get("missing") and not item.get("missing_names"):
                item["missing_names"] = [engine.name_of(k, labels) for k in item["missing"]]
        results[r["number"]] = r
    for fields in fields_by_number.values():
        for field in fields:
            field.errors = field_errors.get(f"inputs.{field.key}", [])
    entries = {e.number: e for e in sheet.entries.all()}
    documents = list(case.documents.order_by("-uploaded_at")) if may_edit else []
    groups = []
    for group in spec["groups"]:
        sections = [(None, group.get("indicators", []))] + [(sub["name"], sub["indicators"])
                                                            for sub in group.get("subgroups", [])]
        rows = []
        for subgroup, indicators in sections:
            for ind in indicators:
                number = int(ind["number"])
                entry = entries.get(number)
                row = {"number": number, "name": ind["name"], "points": ind["points"], "subgroup": subgroup,
                       "nature": ind.get("nature_text") or "", "criteria": ind["criteria"],
                       "methods": ind.get("assessment_methods", ""), "sources": ind.get("data_sources", ""),
                       "result": results.get(number), "entry": entry,
                       "inputs": fields_by_number.get(number, []),
                       "errors": field_errors.get(f"entries.{number}", [])}
                if entry is not None:
                    row["score"] = engine.fmt(entry.score) if entry.score is not None else ""
                    row["override"] = engine.fmt(entry.override) if entry.override is not None else ""
                    row["explanation"] = entry.explanation
                    row["evidence"] = [d.pk for d in entry.evidence.all()]
                    row["evidence_titles"] = [d.title for d in entry.evidence.all()]
                    if posted is not None and may_edit:
                        row["explanation"] = posted.get(f"explanation:{number}", row["explanation"])
                        if scores_editable:
                            row["override"] = posted.get(f"score:{number}", row["override"])
                        if f"evidence-shown:{number}" in posted:
                            row["evidence"] = [int(v) for v in posted.getlist(f"evidence:{number}") if v.isdigit()]
                rows.append(row)
        groups.append({"code": group["code"], "name": group["name"], "points": group["points"], "rows": rows,
                       "result": next((g for g in result.get("groups", [])
                                       if g["code"] == group["code"]), None)})
    return {
        "case": case, "sheet": sheet, "system": system, "groups": groups, "result": result,
        "pass_rule": spec["pass_rule"], "may_edit": may_edit, "inputs_editable": inputs_editable,
        "scores_editable": scores_editable, "needs_declaration": needs_declaration, "documents": documents,
        "years": years, "years_form": years_form or {}, "error": error, "field_errors": field_errors, "saved": saved,
        "input_errors": field_errors.get("inputs", []) + field_errors.get("__all__", []),
        "conflict_statement": posted.get("statement", "") if posted is not None else "",
        "conflict_choice": posted.get("has_conflict", "") if posted is not None else "",
        "weighing": _weighing_shown(sheet), "weighing_article": case.rule_set.article("pass_evaluation"),
    }


def _weighing_shown(sheet):
    """办法 第十四条: the officer's weighing beside the aggregated scores, on the final sheet: [(factor, text)]."""
    weighing = (sheet.result or {}).get("weighing") or {}
    return [(WEIGHING_FACTORS.get(key, key), text) for key, text in weighing.items()]


def _render_sheet(request, sheet, *, status=200, **kwargs):
    if request.headers.get("HX-Request"):
        status = 200  # htmx swaps only 2xx answers; the refusal is in the swapped content
    return render(request, "evaluation/sheet.html", _sheet_context(request, sheet, **kwargs), status=status)


def _flatten(errors):
    if not isinstance(errors, dict):
        return {"__all__": [str(e) for e in (errors or [])]}
    return {key: [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
            for key, value in errors.items()}


def _refused(request, case, sheet_id, error):
    """Show the sheet again with the message and what the user typed (fresh from the database: the service
    changed nothing)."""
    sheet = _visible_sheet(request.user, case, sheet_id)
    field_errors = _flatten(error.extra.get("errors")) if isinstance(error, InvalidPayload) else {}
    missing = error.extra.get("missing") or []
    if missing and sheet.stage == SheetStage.EXPERT:
        for number in missing:
            field_errors.setdefault(f"entries.{number}", []).append(_("请为本指标评分。"))
    return _render_sheet(request, sheet, posted=request.POST, error=str(error.message), field_errors=field_errors,
                         status=error.http_status)


def _changes(request, sheet):
    """What the posted form changes on the draft: (inputs, context, entries) for update_sheet, each None if
    unchanged."""
    posted = request.POST
    inputs = context = None
    if sheet.stage in INPUT_STAGES and "inputs-shown" in posted:  # the form carried the input fields
        years = sheets.case_years(sheet.case, sheet.system).years  # the case's, never typed (issue 10 item 5)
        fields = [f for fields in _input_fields(sheet, selectors.compiled_system(sheet.system),
                                                _years_for_fields(years)).values()
                  for f in fields if f.type != "national" and f.first_at is None]
        inputs = _input_changes(sheet, fields, posted) or None
    entries = _entry_changes(sheet, posted, scores=sheet.stage in sheets.OVERRIDE_STAGES) or None
    return inputs, context, entries


def _save(request, case, sheet):
    inputs, context, entries = _changes(request, sheet)
    if inputs is None and context is None and entries is None:
        return False
    sheets.update_sheet(case_id=case.pk, actor=request.user, sheet_id=sheet.pk, inputs=inputs, context=context,
                        entries=entries)
    return True


def _back_to(request, url):
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


# ------------------------------------------------------------------------------------------------ pages
@login_required
@require_GET
def sheet_detail(request, case_id, sheet_id):
    """Whoever may read the sheet: its indicators by 一级指标, the inputs, the engine's explanation of every
    point (or what is missing), scores, totals and the pass rule; a draft of the user's own stage is a form."""
    case = _case_in_scope(request.user, case_id)
    return _render_sheet(request, _visible_sheet(request.user, case, sheet_id))


@login_required
@require_POST
def sheet_open(request, case_id):
    """The applicant, the provincial reviewer or an assigned expert, in their stage's state: open (or continue)
    their own draft through sheets.save_sheet, then show it."""
    case = _case_in_scope(request.user, case_id)
    try:
        sheet, _created = sheets.save_sheet(case_id=case.pk, actor=request.user)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("case-detail", case.pk)
    return redirect("score-sheet", case.pk, sheet.pk)


@login_required
@require_POST
def sheet_save(request, case_id, sheet_id):
    """The sheet's author (see sheets.update_sheet): save the typed changes. With htmx the sheet is rendered
    again in place (totals and explanations rescored); without, POST/redirect/GET."""
    case = _case_in_scope(request.user, case_id)
    sheet = _visible_sheet(request.user, case, sheet_id)
    try:
        _save(request, case, sheet)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        return _refused(request, case, sheet_id, error)
    if request.headers.get("HX-Request"):
        return _render_sheet(request, _visible_sheet(request.user, case, sheet_id), saved=True)
    messages.success(request, _("评分表已保存。"))
    return redirect("score-sheet", case.pk, sheet_id)


@login_required
@require_POST
def sheet_submit(request, case_id, sheet_id):
    """The sheet's author (see sheets.submit_sheet): save what was typed, then submit — rescored and locked for
    good. Two service calls, each its own transaction: a refused submit leaves the saved draft and shows why."""
    case = _case_in_scope(request.user, case_id)
    sheet = _visible_sheet(request.user, case, sheet_id)
    try:
        _save(request, case, sheet)
        sheets.submit_sheet(case_id=case.pk, actor=request.user, sheet_id=sheet.pk)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        return _refused(request, case, sheet_id, error)
    messages.success(request, _("评分表已提交并锁定。"))
    return _back_to(request, reverse("case-detail", args=[case.pk]))


@login_required
@require_POST
def sheet_conflict(request, case_id, sheet_id):
    """The sheet's own expert, once, before scoring (sheets.declare_conflict)."""
    case = _case_in_scope(request.user, case_id)
    _visible_sheet(request.user, case, sheet_id)
    choice = request.POST.get("has_conflict", "")
    try:
        if choice not in ("yes", "no"):
            raise InvalidPayload(_("请选择是否存在利益冲突。"), errors={"has_conflict": [_("此项为必填项。")]})
        sheets.declare_conflict(case_id=case.pk, actor=request.user, sheet_id=sheet_id,
                                has_conflict=choice == "yes", statement=request.POST.get("statement", ""))
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        return _refused(request, case, sheet_id, error)
    messages.success(request, _("已作出利益冲突声明。"))
    return redirect("score-sheet", case.pk, sheet_id)


@login_required
@require_POST
def scoring_years(request, case_id):
    """SAMR officers (anyone else: 404): set the years the case's sheets score, with a reason
    (sheets.set_scoring_years), then back to the sheet the form was on. A refusal shows that sheet again with
    what was typed and the message next to the field."""
    case = _case_in_scope(request.user, case_id)
    if getattr(request.user, "role", None) != Role.SAMR_OFFICER:
        raise Http404
    sheet_id = request.POST.get("sheet", "")
    sheet_id = int(sheet_id) if sheet_id.isascii() and sheet_id.isdigit() else None
    typed = {"years": request.POST.get("years", ""), "reason": request.POST.get("reason", "")}
    try:
        sheets.set_scoring_years(case_id=case.pk, actor=request.user, years=typed["years"], reason=typed["reason"])
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        if sheet_id is None:
            messages.error(request, str(error.message))
            return redirect("case-detail", case.pk)
        sheet = _visible_sheet(request.user, _case_in_scope(request.user, case_id), sheet_id)
        errors = _flatten(error.extra.get("errors")) if isinstance(error, InvalidPayload) else {}
        return _render_sheet(request, sheet, error=str(error.message), status=error.http_status,
                             years_form={**typed, "errors": errors, "open": True})
    messages.success(request, _("评估年份已调整，草稿评分表已按新的年份重新计分。"))
    if sheet_id is not None:
        return redirect("score-sheet", case.pk, sheet_id)
    return redirect("case-detail", case.pk)


def _weighing_fields(case, posted, field_errors):
    """办法 第十四条 综合考虑: one text per factor of the case's rule set, keeping what the officer typed."""
    return [(key, WEIGHING_FACTORS[key], (posted or {}).get(f"weighing.{key}", ""),
             (field_errors or {}).get(f"weighing.{key}", [])) for key in case.rule_set.evaluation_weighing]


def _finalise_context(case, *, aggregation, margin_text, error="", field_errors=None, posted=None):
    """The submitted expert sheets of the round side by side, with the spread per indicator and the divergence
    flags for the margin given (the same rule finalise applies: more than the margin)."""
    round_ = sheets.current_round(case)
    assignments = list(ExpertAssignment.objects.filter(case=case, round=round_).select_related("expert")
                       .order_by("assigned_at", "pk"))
    by_assignment = {s.assignment_id: s for s in ScoreSheet.objects.filter(
        case=case, stage=SheetStage.EXPERT, assignment__in=assignments).prefetch_related("entries")}
    columns, waiting, excused = [], [], []
    for assignment in assignments:
        sheet = by_assignment.get(assignment.pk)
        if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
            columns.append((assignment.expert, sheet, {e.number: e.score for e in sheet.entries.all()}))
        elif sheet is not None and sheet.has_conflict:
            excused.append(assignment.expert)
        else:
            waiting.append(assignment.expert)
    try:
        margin = Decimal(margin_text)
    except InvalidOperation:
        margin = sheets.DEFAULT_DIVERGENCE_MARGIN
    system = columns[0][1].system if columns else None
    rows = []
    if system is not None:
        compiled = selectors.compiled_system(system)
        for ind in compiled.indicators:
            values = [scores.get(ind.number) for _e, _s, scores in columns]
            given = [v for v in values if v is not None]
            spread = (max(given) - min(given)) if given else None
            rows.append({"number": ind.number, "name": ind.name, "points": engine.fmt(ind.points),
                         "scores": [engine.fmt(v) if v is not None else "" for v in values],
                         "spread": engine.fmt(spread) if spread is not None else "",
                         "divergent": spread is not None and spread > margin})
    totals = [engine.fmt(sheet.total_score) for _e, sheet, _s in columns]
    return {"case": case, "round": round_, "columns": columns, "waiting": waiting, "excused": excused,
            "rows": rows, "totals": totals, "aggregation": aggregation, "margin": margin_text,
            "aggregations": Aggregation.choices, "error": error, "field_errors": field_errors or {},
            "divergent_count": sum(1 for r in rows if r["divergent"]), "system": system,
            "factors": _weighing_fields(case, posted, field_errors),
            "weighing_article": case.rule_set.article("pass_evaluation"),
            "conclusion": (posted or {}).get("conclusion", ""), "reasons": (posted or {}).get("reasons", "")}


@login_required
@require_http_methods(["GET", "POST"])
def finalise(request, case_id):
    """SAMR officers, while the case is under evaluation: see the experts' scores side by side and form the
    round's result (sheets.finalise), which pass_evaluation / fail_evaluation then read."""
    case = _case_in_scope(request.user, case_id)
    if getattr(request.user, "role", None) != Role.SAMR_OFFICER:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    aggregation = source.get("aggregation") or Aggregation.MEAN
    margin_text = (source.get("divergence_margin") or engine.fmt(sheets.DEFAULT_DIVERGENCE_MARGIN)).strip()
    if request.method == "POST":
        try:
            version = request.POST.get("version", "")
            weighing = {key: request.POST.get(f"weighing.{key}", "") for key in case.rule_set.evaluation_weighing}
            sheets.finalise(case_id=case.pk, actor=request.user, aggregation=aggregation,
                            divergence_margin=margin_text, weighing=weighing,
                            conclusion=request.POST.get("conclusion") or None, reasons=request.POST.get("reasons", ""),
                            expected_version=int(version) if version.isascii() and version.isdigit() else None)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            field_errors = _flatten(error.extra.get("errors")) if isinstance(error, InvalidPayload) else {}
            case = _case_in_scope(request.user, case_id)
            return render(request, "evaluation/finalise.html",
                          _finalise_context(case, aggregation=aggregation, margin_text=margin_text,
                                            error=str(error.message), field_errors=field_errors,
                                            posted=request.POST),
                          status=error.http_status)
        messages.success(request, _("已汇总专家评分，形成评估结果。"))
        return redirect("case-detail", case.pk)
    return render(request, "evaluation/finalise.html",
                  _finalise_context(case, aggregation=aggregation, margin_text=margin_text))
