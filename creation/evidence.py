"""Evidence per indicator, gathered over the creation period (issue 9 item 4; 办法 第十条 开展创建, 第十二条 自评).

Two kinds of entry, both on creation.models.Evidence, both dated and attributed (who, which unit, when):
- a **figure** the scoring engine needs: ``key`` an input of the case's indicator version used by the indicator,
  per ``year`` where the input is yearly, with its ``source`` (and an attachment if any);
- a **document** for a scoring item (``item``, the item's key), with an attachment or a note.

Nothing is overwritten: a correction is a new entry naming the one it corrects (``corrects``); the current value
of (key, year) is the latest entry not corrected by another (``current_entries``). Values are checked the way
the score sheet checks its inputs (evaluation.sheets._validate_changes, then the engine itself).

Who may write (deny by default; creation.selectors): the city's office for every indicator; a member unit's
liaison only for the indicators their unit answers for (Responsibility, lead or co-unit) — another indicator is a
404; the province and SAMR read only. Only while the case is being worked (selectors.WORKING_STATES)."""
import types

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from cases.errors import Conflict, IllegalTransition, InvalidPayload, NotAllowed, NotFound
from cases.services import record_action
from documents.services import store_file
from documents.models import Document
from indicators import engine
from indicators.selectors import compiled_system

from . import selectors
from .models import Evidence, Plan, Responsibility

_INPUTS_BY_SYSTEM = {}  # system pk (published: never changes) → {number: {"keys": {...}, "items": {...}}}


# ------------------------------------------------------------------------------------------------ the system's shape
def indicator_inputs(system):
    """{indicator number: {"keys": {input key: type}, "items": {item key: label}}}: the applicant's own inputs each
    indicator's rules take (national figures are the admins', never evidence) and its scoring items."""
    from indicators.models import SystemStatus

    cached = _INPUTS_BY_SYSTEM.get(system.pk)
    if cached is not None and system.status != SystemStatus.DRAFT:
        return cached
    compiled = compiled_system(system)
    catalogue = system.input_catalogue or {}
    out = {}
    for ind in compiled.indicators:
        keys = {}
        for item in ind.items:
            for key, kind, scope in item.rule.inputs():
                if scope == "local":
                    keys[key] = (catalogue.get(key) or {}).get("type") or kind
        out[ind.number] = {"keys": keys, "items": {item.key: item.label for item in ind.items}}
    if system.status != SystemStatus.DRAFT:
        _INPUTS_BY_SYSTEM[system.pk] = out
    return out


# ------------------------------------------------------------------------------------------------ reads
def entries_of(case, *, numbers=None):
    """The case's evidence entries, newest first within each (indicator, key, year), with who entered them.
    One query; ``numbers`` (a set) narrows to those indicators."""
    rows = (Evidence.objects.filter(case=case).select_related("entered_by", "unit", "document", "corrects")
            .order_by("number", "key", "year", "-entered_at", "-pk"))
    if numbers is not None:
        rows = rows.filter(number__in=[str(n) for n in numbers])
    return rows


def current_entries(entries, *, at=None):
    """The entries that count: for figures, per (key, year) the latest entry not corrected by another; for
    documents, every entry not corrected. ``at``: as the store stood then (entries and corrections made later are
    ignored) — the readiness chart reads the past this way. ``entries`` is any iterable of Evidence (or dicts
    with the same fields) — no query here."""
    rows = [e for e in entries if at is None or _field(e, "entered_at") <= at]
    corrected = {_field(e, "corrects_id") for e in rows if _field(e, "corrects_id")}
    live = [e for e in rows if _field(e, "id") not in corrected]
    figures, documents = {}, []
    for entry in sorted(live, key=lambda e: (_field(e, "entered_at"), _field(e, "id"))):
        if _field(entry, "key"):
            figures[(_field(entry, "key"), _field(entry, "year"))] = entry  # later wins
        else:
            documents.append(entry)
    return figures, documents


def _field(entry, name):
    return entry[name] if isinstance(entry, dict) else getattr(entry, name)


def sheet_inputs(figures, catalogue):
    """The current figures in a score sheet's input form (JSON: yearly inputs as {"2024": value}); a withdrawn
    figure (a correction with no value) is left out — missing again, never zero."""
    inputs = {}
    for (key, year), entry in sorted(figures.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        value = _field(entry, "value")
        if value is None:
            continue
        if (catalogue.get(key) or {}).get("type") == "yearly":
            inputs.setdefault(key, {})[str(year)] = value
        else:
            inputs[key] = value
    return inputs


def allowed_numbers(user, case):
    """The indicator numbers ``user`` may enter evidence for: None for all (the office), a set (a liaison's own
    indicators; readers: none)."""
    if selectors.is_office(user, case):
        return None
    plan = Plan.objects.filter(case=case).select_related("case").first()
    if plan is None:
        return set()
    return {int(n) for n in selectors.indicator_numbers_of(user, plan) if str(n).isdigit()}


def visible_numbers(user, case):
    """The indicators whose evidence ``user`` may read: all for the office, the province and SAMR; a liaison their
    own unit's."""
    if selectors.liaison_unit(user) is None:
        return None
    return allowed_numbers(user, case)


def responsible_units(case):
    """{indicator number: unit name} from the plan's responsibilities (one query)."""
    return {int(r.number): r.lead_unit.name for r in Responsibility.objects.filter(plan__case=case)
            .select_related("lead_unit") if str(r.number).isdigit()}


# ------------------------------------------------------------------------------------------------ writers
def add_evidence(*, case_id, actor, number, key="", year=None, value=None, item="", source="", note="",
                 file=None, title="", corrects=None):
    """Record one entry of evidence (or a correction of one).

    Who may call it: the city's office (any indicator) or a member unit's liaison (their unit's indicators only;
    another is a 404), while the case is being worked (WORKING_STATES). Changes: appends an Evidence row (a figure
    for ``key``/``year`` with its ``source``, or a document for scoring ``item``), the attachment if a ``file``
    is given (documents.Document kind creation_evidence, checked like every upload), and an audit entry. A
    correction (``corrects``: an entry's id) names the entry it replaces; the replaced entry stays, and an entry
    is corrected at most once (the latest correction counts; correct that one to change it again)."""
    from evaluation.sheets import system_for_case

    with transaction.atomic():
        case = selectors.workspace_case(actor, case_id, for_update=True)
        if case.state not in selectors.WORKING_STATES:
            raise IllegalTransition(_("案件当前状态为“%(state)s”，创建工作佐证不能再录入。") % {"state": case.get_state_display()},
                                    state=case.state)
        allowed = allowed_numbers(actor, case)
        if allowed is not None and not allowed and selectors.liaison_unit(actor) is None:
            raise NotAllowed(_("省级和总局工作人员只能查看创建工作佐证，不能录入。"))
        system = system_for_case(case)
        shape = indicator_inputs(system)
        original = None
        if corrects not in (None, ""):
            original = _corrected_entry(case, corrects)
            number, key, year, item = original.number, original.key, original.year, original.item
        number = _clean_number(number, shape)
        if allowed is not None and number not in allowed:
            raise NotFound(_("未找到指标 %(number)s（不属于本单位负责的指标）。") % {"number": number})
        key, item = (key or "").strip(), (item or "").strip()
        source, note, title = (source or "").strip(), (note or "").strip(), (title or "").strip()
        errors = {}
        if key and item:
            errors["item"] = [_("一条记录或填数据项，或填评分要点，不能同时填写。")]
        elif not key and not item:
            errors["key"] = [_("请选择数据项（录入数据）或评分要点（上传材料）。")]
        if errors:
            raise InvalidPayload(_("佐证记录有误，请按提示修改。"), errors=errors)
        if key:
            year, value = _clean_figure(case, system, shape, number, key, year, value, source, original)
        else:
            if item not in shape[number]["items"]:
                raise InvalidPayload(_("指标 %(number)s 没有评分要点“%(item)s”。") % {"number": number, "item": item},
                                     errors={"item": [_("请从本指标的评分要点中选择。")]})
            year, value = None, None
            if file is None and not note and original is None:
                raise InvalidPayload(_("请上传材料或填写说明。"), errors={"file": [_("请上传材料或填写说明。")]})
        # A correction without a new file carries no attachment: the corrected entry's stays with it, not current.
        document = store_file(case=case, actor=actor, kind=Document.Kind.CREATION_EVIDENCE, file=file,
                              title=title) if file else None
        entry = Evidence.objects.create(
            case=case, number=str(number), key=key, year=year, value=value, item=item, source=source[:200],
            note=note, document=document, corrects=original, unit=selectors.liaison_unit(actor), entered_by=actor,
            entered_at=timezone.now())
        record_action(case, actor=actor, name="correct_evidence" if original else "add_evidence",
                      label=gettext_lazy("更正创建工作佐证") if original else gettext_lazy("录入创建工作佐证"),
                      comment=note,
                      data={"evidence": entry.pk, "indicator": number, "key": key, "year": year, "value": value,
                            "item": item, "source": source, "document": document.pk if document else None,
                            "corrects": original.pk if original else None,
                            "unit": entry.unit.name if entry.unit else None})
    return entry


def _corrected_entry(case, corrects):
    try:
        pk = int(str(corrects))
    except ValueError:
        raise InvalidPayload(_("更正的记录应为记录编号。"), errors={"corrects": [_("无效的记录编号。")]}) from None
    original = Evidence.objects.select_for_update().filter(case=case, pk=pk).first()
    if original is None:
        raise InvalidPayload(_("本案没有编号为 %(id)s 的佐证记录。") % {"id": pk}, errors={"corrects": [_("无效的记录编号。")]})
    later = Evidence.objects.filter(corrects=original).order_by("-entered_at").first()
    if later is not None:
        raise Conflict(_("记录 %(id)s 已于 %(at)s 被记录 %(new)s 更正；如需再改，请更正记录 %(new)s。")
                       % {"id": original.pk, "new": later.pk,
                          "at": timezone.localtime(later.entered_at).strftime("%Y-%m-%d %H:%M")})
    return original


def _clean_number(number, shape):
    try:
        number = int(str(number).strip())
    except (TypeError, ValueError):
        number = None
    if number not in shape:
        raise InvalidPayload(_("没有编号为 %(number)s 的指标。") % {"number": number},
                             errors={"number": [_("请选择本案指标体系中的指标。")]})
    return number


def _clean_figure(case, system, shape, number, key, year, value, source, original):
    """(year, value) checked as the score sheet checks an input: the key is one of the indicator's own inputs,
    a yearly input has its year (2000–2100) and the others none, the value reads as the input's type and the
    engine can score it. A correction may withdraw a figure (value empty)."""
    from evaluation.sheets import _validate_changes

    labels = compiled_system(system).labels
    kind = shape[number]["keys"].get(key)
    if kind is None:
        raise InvalidPayload(_("指标 %(number)s 不使用数据项“%(key)s”。") % {"number": number, "key": key},
                             errors={"key": [_("请从本指标的数据项中选择。")]})
    errors = {}
    if kind == "yearly":
        if year in (None, "") or not str(year).strip().isdigit() or not 2000 <= int(str(year).strip()) <= 2100:
            errors["year"] = [_("%(name)s为逐年数据，请填写年份（2000–2100）。") % {"name": engine.name_of(key, labels)}]
        else:
            year = int(str(year).strip())
    elif year not in (None, ""):
        errors["year"] = [_("%(name)s不分年度，不填年份。") % {"name": engine.name_of(key, labels)}]
    else:
        year = None
    value = _parse_value(value, kind)
    if value is None and original is None:
        errors["value"] = [_("请填写数值。")]
    if not source and value is not None:
        errors["source"] = [_("请注明数据来源（如统计年鉴、部门报表）。")]
    if errors:
        raise InvalidPayload(_("佐证记录有误，请按提示修改。"), errors=errors)
    if value is None:
        return year, None  # a correction withdrawing the figure: it is missing again
    given = {str(year): value} if kind == "yearly" else value
    try:  # the score sheet's own checks (issue 7 item 5), not a copy
        _validate_changes(types.SimpleNamespace(system=system), case, inputs={key: given}, context=None, entries=None)
    except InvalidPayload as refusal:
        messages_ = (refusal.extra.get("errors") or {}).get(f"inputs.{key}") or \
            (refusal.extra.get("errors") or {}).get("inputs") or [str(refusal.message)]
        raise InvalidPayload(_("数值有误，未保存：%(why)s") % {"why": "；".join(map(str, messages_))},
                             errors={"value": [str(m) for m in messages_]}) from None
    _engine_check(case, system, key, year, value, kind, labels)
    return year, value


def _engine_check(case, system, key, year, value, kind, labels):
    """Score the store with the new value; a value the engine refuses (a denominator of zero, a growth from zero)
    is refused now, named as people read it — as the score sheet refuses it when typed (sheets._apply)."""
    from . import readiness

    inputs = readiness.inputs_now(case, system)
    if kind == "yearly":
        inputs = {**inputs, key: {**inputs.get(key, {}), year: value}}
    else:
        inputs = {**inputs, key: value}
    result = readiness.score_inputs(case, system, inputs)
    problems = []
    for ind in result.indicators:
        for item in ind.items:
            if item.errors and any(engine.base_key(k) == key for k in item.inputs):
                problems += [e for e in item.errors if e not in problems]
    if problems:
        raise InvalidPayload(_("数值有误，未保存：%(why)s") % {"why": "；".join(problems)}, errors={"value": problems})


def _parse_value(value, kind):
    """Form text to the JSON value an input holds: amounts as a list (one per line or separated by commas), yes/no
    as a bool, numbers kept as given (text is checked by the sheet's validation)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == "amounts" and isinstance(value, str):
        parts = [p.strip() for p in value.replace("，", ",").replace("\n", ",").replace("、", ",").split(",")]
        return [p for p in parts if p]
    if kind == "bool" and isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "1", "yes", "是", "y"):
            return True
        if text in ("false", "0", "no", "否", "n"):
            return False
    if isinstance(value, str):
        return value.strip()
    return value


# ------------------------------------------------------------------------------------------------ the self-assessment
def prefill_sheet(sheet, entries):
    """Fill a new self-assessment sheet from the evidence store (issue 9 item 7; 办法 第十二条): the current figures
    become its inputs (over any carried from an earlier sheet: the store is the later record of the work), and
    each indicator's entry gets the attachments of its current evidence. Called by evaluation.sheets._new_sheet
    inside the act that opens the sheet; two queries and the writes."""
    rows = list(Evidence.objects.filter(case_id=sheet.case_id).only(
        "id", "number", "key", "year", "value", "corrects_id", "entered_at", "document_id"))
    if not rows:
        return
    figures, documents = current_entries(rows)
    catalogue = sheet.system.input_catalogue or {}
    given = sheet_inputs(figures, catalogue)
    if given:
        inputs = dict(sheet.inputs or {})
        for key, value in given.items():
            if key in catalogue:
                inputs[key] = {**inputs.get(key, {}), **value} if isinstance(value, dict) and isinstance(
                    inputs.get(key), dict) else value
        sheet.inputs = inputs
        sheet.save(update_fields=["inputs"])
    by_number = {}
    for entry in list(figures.values()) + documents:
        if entry.document_id:
            by_number.setdefault(int(entry.number), set()).add(entry.document_id)
    links = [(row, document) for row in entries for document in sorted(by_number.get(row.number, ()))]
    if links:
        through = type(links[0][0]).evidence.through  # SheetEntry.evidence: one insert for all the links
        through.objects.bulk_create([through(sheetentry_id=row.pk, document_id=document) for row, document in links],
                                    ignore_conflicts=True)
