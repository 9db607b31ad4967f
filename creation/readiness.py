"""Live readiness (issue 9 item 5): from the evidence so far, the score the city would get today under its case's
indicator version and pass rule — per indicator, per group and in total, with what is missing — and, for each
indicator below its points, what would earn the next points.

The score is the real engine's (indicators.engine.score, with the pass rule of the same version, the case's years
and region and the national figures entered by admins), on the inputs the evidence store holds now
(creation.evidence.current_entries) — exactly what a self-assessment opened today would start from (part 7).

Suggestions are computed from the rules' definitions (data), one way per rule kind to find the next threshold
(NEXT_STEPS), never written per indicator; each is then VERIFIED: applied to a copy of the inputs and scored
again by the engine — only a suggestion that really gains points is kept, with the points the engine gives.

The chart of the predicted score over time recomputes from the evidence as it stood at each month-end
(entries and corrections made later ignored), under today's national figures and years: the store is append-only,
so the past needs no snapshots."""
import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import engine
from indicators.selectors import compiled_system, national_benchmarks

from . import evidence as store
from .models import Evidence

ZERO = Decimal(0)
STEP = {"count": Decimal(1), "rate": Decimal("0.0001")}  # the smallest step a figure of this type moves by
DEFAULT_STEP = Decimal("0.01")
MAX_CHART_MONTHS = 48


# ------------------------------------------------------------------------------------------------ scoring
def _scoring(case, system):
    """(compiled, benchmarks, context) of the case: its years (evaluation.sheets.case_years), region, national
    figures."""
    from evaluation.sheets import case_years

    years = case_years(case, system).years
    compiled = compiled_system(system)
    keys = list(system.benchmark_catalogue or {})
    benchmarks = national_benchmarks(keys, years) if keys else {}
    context = {"years": years, "region": case.creation_object.province.economic_region}
    return compiled, benchmarks, context


def engine_inputs(inputs, catalogue):
    from evaluation.sheets import _engine_inputs

    return _engine_inputs(inputs, catalogue)


def inputs_now(case, system, *, at=None, entries=None):
    """The engine's inputs from the evidence store (as it stood ``at``, now by default)."""
    if entries is None:
        entries = list(Evidence.objects.filter(case=case).values("id", "key", "year", "value", "corrects_id",
                                                                 "entered_at"))
    figures, _documents = store.current_entries(entries, at=at)
    catalogue = system.input_catalogue or {}
    return engine_inputs(store.sheet_inputs(figures, catalogue), catalogue)


def score_inputs(case, system, inputs, scoring=None):
    compiled, benchmarks, context = scoring or _scoring(case, system)
    return engine.score(compiled, inputs, benchmarks, context)


def readiness(case, *, numbers=None, with_suggestions=True):
    """The readiness answer of the API and the page (see the module docstring). ``numbers``: the indicators the
    reader sees (a liaison: their unit's; None: all) — the total and groups are the city's either way."""
    from evaluation.sheets import system_for_case

    system = system_for_case(case)
    scoring = _scoring(case, system)
    compiled = scoring[0]
    inputs = inputs_now(case, system)
    result = score_inputs(case, system, inputs, scoring)
    units = store.responsible_units(case)
    labels = compiled.labels
    indicators = []
    for ind in result.indicators:
        if numbers is not None and ind.number not in numbers:
            continue
        indicators.append({
            "number": ind.number, "name": ind.name, "score": engine.fmt(ind.score), "points": engine.fmt(ind.points),
            "missing": list(ind.missing), "missing_names": [engine.name_of(k, labels) for k in ind.missing],
            "status": ind.status, "unit": units.get(ind.number, ""),
            "items": [{"key": i.key, "label": i.label, "score": engine.fmt(i.score), "points": engine.fmt(i.points),
                       "detail": i.detail, "status": i.status} for i in ind.items]})
    suggestions = []
    if with_suggestions:
        suggestions = suggest(case, system, inputs, result, scoring, units=units, numbers=numbers)
    return {
        "system": system.code, "years": scoring[2]["years"],
        "total": engine.fmt(result.total), "points": engine.fmt(result.points),
        "total_threshold": engine.fmt(result.total_threshold), "passes": result.passed_as_scored,
        "decision": result.decision, "reasons": result.reasons,
        "groups": [{"name": g.name, "code": g.code, "score": engine.fmt(g.score), "points": engine.fmt(g.points),
                    "rate": engine.fmt(g.rate.quantize(Decimal("0.0001"))), "threshold": engine.fmt(g.rate_threshold),
                    "required": engine.fmt(g.required), "passed": g.passed} for g in result.groups],
        "indicators": indicators,
        "suggestions": suggestions,
    }


def history(case, *, today=None):
    """[{month: "2026-03", total, passes}] — the predicted total at each month-end from the first evidence on
    (at most MAX_CHART_MONTHS), the current month as of now. One query for the evidence, one engine run a month."""
    from evaluation.sheets import system_for_case

    entries = list(Evidence.objects.filter(case=case).values("id", "key", "year", "value", "corrects_id",
                                                             "entered_at"))
    if not entries:
        return []
    system = system_for_case(case)
    scoring = _scoring(case, system)
    now = timezone.now()
    first = timezone.localtime(min(e["entered_at"] for e in entries)).date().replace(day=1)
    today = today or timezone.localdate()
    months, month = [], first
    while month <= today and len(months) < MAX_CHART_MONTHS:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    months = months[-MAX_CHART_MONTHS:]
    points = []
    for month in months:
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        end = min(timezone.make_aware(datetime.datetime.combine(following, datetime.time.min)), now)
        result = score_inputs(case, system, inputs_now(case, system, at=end, entries=entries), scoring)
        points.append({"month": month.strftime("%Y-%m"), "total": engine.fmt(result.total),
                       "passes": result.passed_as_scored})
    return points


# ------------------------------------------------------------------------------------------------ suggestions
def suggest(case, system, inputs, result, scoring, *, units=None, numbers=None):
    """[{indicator, item, points_gained, action, unit}] ordered by points gained (then indicator): for each
    indicator below its points and each of its items below the item's points, the next threshold found from the
    rule (NEXT_STEPS), verified by scoring the changed inputs again."""
    compiled, benchmarks, context = scoring
    context = {**context, "labels": compiled.labels, "national_keys": compiled.national_keys}
    catalogue = system.input_catalogue or {}
    units = units if units is not None else store.responsible_units(case)
    by_number = {r.number: r for r in result.indicators}
    out = []
    for ind in compiled.indicators:
        scored = by_number[ind.number]
        if scored.score >= ind.points or (numbers is not None and ind.number not in numbers):
            continue
        for item, item_result in zip(ind.items, scored.items):
            top = item.rule.max_points()
            if item_result.errors or (top is not None and item_result.score >= top):
                continue
            step = NEXT_STEPS.get(item.rule.kind)
            if step is None:
                continue
            for patch, action in step(item, item_result, inputs, benchmarks, context, catalogue):
                gained = _verify(compiled, inputs, patch, benchmarks, context, by_number)
                if gained > 0:  # verified by the engine: only what it really gives
                    out.append({"indicator": ind.number, "item": item.key, "points_gained": engine.fmt(gained),
                                "action": action, "unit": units.get(ind.number, ""),
                                "changes": {k: engine._jsonable(v) for k, v in patch.items()}})
    out.sort(key=lambda s: (-Decimal(s["points_gained"]), s["indicator"]))
    return out


def _verify(compiled, inputs, patch, benchmarks, context, by_number):
    """The points the engine gives for ``patch``: the indicators whose rules read a changed input are scored
    again (the total is the sum of the indicators' capped scores, so the others cannot move) — the same engine,
    forty times fewer indicators."""
    touched = [ind for ind in compiled.indicators
               if any(key in patch for item in ind.items for key, _kind, _scope in item.rule.inputs())]
    part = engine.CompiledSystem(compiled.code, compiled.points, compiled.total_threshold, compiled.group_rate,
                                 compiled.groups, touched, compiled.labels, compiled.national_keys)
    again = engine.score(part, apply_patch(inputs, patch), benchmarks, context)
    return again.total - sum((by_number[ind.number].score for ind in touched), ZERO)


def apply_patch(inputs, patch):
    """A copy of ``inputs`` with ``patch`` applied (a yearly patch {year: value} merges into the series)."""
    trial = dict(inputs)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(trial.get(key), dict):
            trial[key] = {**trial[key], **value}
        else:
            trial[key] = value
    return trial


def _step(key, catalogue):
    return STEP.get((catalogue.get(key) or {}).get("type"), DEFAULT_STEP)


def _reach(target, op, step):
    """The least round figure (to ``step``) that satisfies ``op`` against ``target``: ≥/> round up (and one step
    more when strict and already equal); ≤/< round down."""
    if op in ("gt", "ge"):
        value = (target / step).to_integral_value(rounding=ROUND_CEILING) * step
        if op == "gt" and value <= target:
            value += step
        return value
    value = (target / step).to_integral_value(rounding=ROUND_FLOOR) * step
    if op == "lt" and value >= target:
        value -= step
    return value


def _num(value):
    return engine.fmt(value) if isinstance(value, Decimal) else str(value)


def _unit_of(key, catalogue):
    return (catalogue.get(key) or {}).get("unit") or ""


def _value(data, key):
    raw = data.get(key)
    if raw in (None, ""):
        return None
    try:
        return engine.dec(raw, key)
    except engine.InputError:
        return None


# One function per rule kind: (item, its result, inputs, benchmarks, context, catalogue) → [(patch, action)].
def _per_year_comparison(item, item_result, inputs, benchmarks, context, catalogue):
    rule, labels = item.rule, context["labels"]
    years = context.get("years") or []
    out = []
    for year in list(years)[-rule.years:]:
        missing, used = [], {}
        try:
            bench = rule._measure(rule.benchmark, year, inputs, benchmarks, missing, used)
            local = rule._measure(rule.subject, year, inputs, benchmarks, [], {})
        except engine.InputError:
            continue
        if bench is None or (local is not None and engine.compare(rule.op, local, bench)):
            continue  # the benchmark is not entered yet (the admins'), or the year already earns its point
        subject, said = rule.subject, engine.word(rule.word)
        if subject["measure"] == "growth":
            key = subject["figure"]
            before = engine._year_value(inputs.get(key), year - 1, key)
            if before is None or before <= 0:
                continue
            needed = _reach(before * (1 + bench), rule.op, _step(key, catalogue))
            patch = {key: {year: needed}}
            action = _("%(year)s年%(name)s同比增速需%(word)s全国 %(bench)s（%(name)s需达到 %(needed)s %(unit)s）") % {
                "year": year, "name": labels.get(key, key), "word": said, "bench": engine.pct(bench),
                "needed": _num(needed), "unit": _unit_of(key, catalogue)}
        elif subject["measure"] == "share":
            num, den = subject["numerator"], subject["denominator"]
            denominator = engine._year_value(inputs.get(den), year, den)
            if denominator is None or denominator <= 0:
                continue
            needed = _reach(denominator * bench, rule.op, _step(num, catalogue))
            patch = {num: {year: needed}}
            action = _("%(year)s年%(num)s占%(den)s的比重需%(word)s %(bench)s（%(num)s需达到 %(needed)s %(unit)s）") % {
                "year": year, "num": labels.get(num, num), "den": labels.get(den, den), "word": said,
                "bench": engine.pct(bench), "needed": _num(needed), "unit": _unit_of(num, catalogue)}
        elif subject["measure"] == "local":
            key = subject["figure"]
            needed = _reach(bench, rule.op, _step(key, catalogue))
            patch = {key: {year: needed}}
            action = _("%(year)s年%(name)s需%(word)s %(needed)s") % {
                "year": year, "name": labels.get(key, key), "word": said, "needed": _num(needed)}
        else:
            continue
        out.append((patch, action))
    return out


def _ratio_bands(item, item_result, inputs, benchmarks, context, catalogue):
    rule, labels = item.rule, context["labels"]
    den = _value(inputs, rule.denominator)
    if den is None or den <= 0:
        return []
    out = []
    for low, low_inc, _high, _high_inc, points in rule.bands:
        if low is None or min(points, rule.points) <= item_result.score:
            continue
        needed = _reach(den * low, "ge" if low_inc else "gt", _step(rule.numerator, catalogue))
        out.append(({rule.numerator: needed},
                    _("%(num)s与%(den)s的比值需达到 %(low)s（%(num)s需达到 %(needed)s %(unit)s），可得 %(points)s 分") % {
                        "num": labels.get(rule.numerator, rule.numerator),
                        "den": labels.get(rule.denominator, rule.denominator), "low": engine.pct(low),
                        "needed": _num(needed), "unit": _unit_of(rule.numerator, catalogue),
                        "points": engine.fmt(min(points, rule.points))}))
    return out


def _conditions(item, item_result, inputs, benchmarks, context, catalogue):
    rule, labels = item.rule, context["labels"]
    years = context.get("years") or []
    patch, parts = {}, []
    for key, num, den, op, said, value, bench, label, shown in rule.conditions:
        name = label or (labels.get(key, key) if key else f"{labels.get(num, num)}/{labels.get(den, den)}")
        threshold = value
        if bench:
            if not years:
                return []
            threshold = engine._year_value(benchmarks.get(bench), list(years)[-1], bench)
            if threshold is None:
                return []  # the national figure is the admins' to enter
        if op == "true":
            raw = inputs.get(key)
            try:
                met = raw not in (None, "") and engine._truthy(raw, key)
            except engine.InputError:
                met = False
            if not met:
                patch[key] = True
                parts.append(_("%(name)s须成立") % {"name": name})
            continue
        if op == "none":
            current = _value(inputs, key)
            if current != 0:
                patch[key] = 0
                parts.append(_("%(name)s须为零") % {"name": name})
            continue
        if key:
            current = _value(inputs, key)
            if current is not None and engine.compare(op, current, threshold):
                continue
            needed = _reach(threshold, op, _step(key, catalogue))
            patch[key] = needed
            parts.append(_("%(name)s需%(word)s %(threshold)s") % {"name": name, "word": engine.word(said),
                                                                "threshold": shown(threshold)})
        else:
            numerator, denominator = _value(inputs, num), _value(inputs, den)
            if denominator is None or denominator <= 0:
                return []
            if numerator is not None and engine.compare(op, numerator / denominator, threshold):
                continue
            needed = _reach(denominator * threshold, op, _step(num, catalogue))
            patch[num] = needed
            parts.append(_("%(name)s需%(word)s %(threshold)s（%(num)s需达到 %(needed)s）")
                         % {"name": name, "word": engine.word(said), "threshold": shown(threshold),
                            "num": labels.get(num, num), "needed": _num(needed)})
    if not patch:
        return []
    return [(patch, _("；").join(parts))]


def _expert(item, item_result, inputs, benchmarks, context, catalogue):
    key = item.rule.input
    if item_result.missing:
        action = _("“%(label)s”尚无自评与佐证：完成该项工作并录入佐证，可得 %(points)s 分")
    else:
        action = _("“%(label)s”自评 %(score)s 分：补齐该项工作及佐证，可得满分 %(points)s 分")
    return [({key: item.points}, action % {"label": item.label, "score": engine.fmt(item_result.score),
                                          "points": engine.fmt(item.points)})]


def _any_of(item, item_result, inputs, benchmarks, context, catalogue):
    options = item.rule.options
    if not options:
        return []
    key, label = options[0]
    return [({key: True}, _("满足以下任一项即可得分：%(options)s") % {"options": _("；").join(lab for _k, lab in options)})]


def _regional_count(item, item_result, inputs, benchmarks, context, catalogue):
    rule = item.rule
    region = context.get("region")
    threshold = rule.thresholds.get(region)
    firms = inputs.get(rule.input) or []
    if threshold is None or not isinstance(firms, (list, tuple)):
        return []
    try:
        count = sum(1 for f in firms if engine.compare(rule.op, engine.dec(f["amount"] if isinstance(f, dict) else f,
                                                                            rule.input), threshold))
    except engine.InputError:
        return []
    if rule.tiers:
        targets = sorted(n for n, points in rule.tiers if n > count and min(points, rule.points) > item_result.score)
        more = (targets[0] - count) if targets else 0
    else:
        more = 1
    if more <= 0:
        return []
    amount = _reach(threshold, rule.op, Decimal(1))
    return [({rule.input: list(firms) + [engine.fmt(amount)] * more},
             _("再新增 %(more)s 家年度销售额%(word)s %(threshold)s 元的规模以上网络交易经营者（%(region)s地区门槛）")
             % {"more": more, "word": engine.word(rule.word), "threshold": engine.fmt(threshold),
                "region": engine.region_name(region)})]


def _per_item(item, item_result, inputs, benchmarks, context, catalogue):
    rule = item.rule
    if not rule.categories:
        return []
    key, label, each = max(rule.categories, key=lambda c: c[2])
    if each <= 0:
        return []
    room = (rule.max_points() if rule.max_points() is not None else item.points) - item_result.score
    more = int((room / each).to_integral_value(rounding=ROUND_CEILING)) if room > 0 else 1
    current = _value(inputs, key) or ZERO
    return [({key: engine.fmt(current + more)},
             _("再完成 %(more)s 件“%(label)s”（每件 %(each)s 分）") % {"more": more, "label": label,
                                                              "each": engine.fmt(each)})]


NEXT_STEPS = {
    "per_year_comparison": _per_year_comparison,
    "ratio_bands": _ratio_bands,
    "conditions": _conditions,
    "expert": _expert,
    "any_of": _any_of,
    "regional_count": _regional_count,
    "per_item": _per_item,
}
