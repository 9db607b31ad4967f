"""The scoring engine: an indicator system as data in, scores with their reasons out.

Pure Python and Decimal — no Django, no database — so that the same code scores an applicant's what-if, an
expert's sheet and a 10,000-submission benchmark. A system is compiled once (``compile_system``) from the dict
the fixtures and the database both produce; ``score`` then walks it.

Bounds follow 民法典 第一千二百五十九条: 以上、以下、以内、届满 include the number; 不满、超过、以外 do not.
大于/高于 are strict; 达到/不低于 are ≥; "比值区间均含本数" makes both ends of a band inclusive and, where two
bands share an end, the higher band takes it.

Missing data is never zero: an item whose input (or national benchmark) is absent is reported as missing with
the keys it needs, and the decision stays open until the missing points could no longer change it.

Explanations name things as people do — the input's or national figure's label from the system's catalogue, a
year as （2027年）, a region as 东部 — never by key (``name_of``); the keys stay in ``missing`` for programs. The
explanation strings go through ``translate`` (gettext once Django is set up: indicators/apps.py), so the same
score explains itself in Chinese or English; the engine itself imports nothing from Django.
"""
from __future__ import annotations

import abc
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

ZERO = Decimal(0)
MAX_EXPONENT = 14  # |value| < 10^15
MIN_EXPONENT = -12
ONE = Decimal(1)

# The comparison words of the seeds, and what each means (民法典 第一千二百五十九条 for 以上/以下/以内/不满/超过).
WORD_OPS = {
    "大于": "gt", "高于": "gt", "超过": "gt",
    "达到": "ge", "不低于": "ge", "以上": "ge", "至少": "ge",
    "低于": "lt", "不满": "lt", "少于": "lt",
    "以下": "le", "以内": "le", "不超过": "le", "不高于": "le",
    "无": "none",  # "无……案件": the count must be zero
    "是": "true",  # a fact an expert confirms (定性 part of a 定量+定性 item)
}
OP_SYMBOLS = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "none": "= 0", "true": "成立"}


def translate(message):
    """Identity until indicators/apps.py points it at Django's gettext."""
    return message


def translate_in_context(context, message):
    """Identity until indicators/apps.py points it at Django's pgettext."""
    return message


def pgettext(context, message):
    return translate_in_context(context, message)


def _(message):
    return translate(message)


def gettext_noop(message):
    """Marks a message for extraction (makemessages knows the name); translated where it is used."""
    return message


REGIONS = {"east": gettext_noop("东部"), "central": gettext_noop("中部"), "west": gettext_noop("西部"), "northeast": gettext_noop("东北")}
_KEYED = re.compile(r"^(?P<base>[^\[\]]+)\[(?P<inner>[^\[\]]+)\]$")


def word(text):
    """A comparison word of the seeds (超过, 达到 …) as the explanations use it, in the reader's language."""
    words = {"大于": pgettext("comparison", "大于"), "高于": pgettext("comparison", "高于"),
             "超过": pgettext("comparison", "超过"), "达到": pgettext("comparison", "达到"),
             "不低于": pgettext("comparison", "不低于"), "以上": pgettext("comparison", "以上"),
             "至少": pgettext("comparison", "至少"), "低于": pgettext("comparison", "低于"),
             "不满": pgettext("comparison", "不满"), "少于": pgettext("comparison", "少于"),
             "以下": pgettext("comparison", "以下"), "以内": pgettext("comparison", "以内"),
             "不超过": pgettext("comparison", "不超过"), "不高于": pgettext("comparison", "不高于")}
    return words.get(text, text)


def region_name(code):
    return _(REGIONS[code]) if code in REGIONS else str(code)


def split_key(key):
    """``national_ecommerce_growth[2027]`` → (``national_ecommerce_growth``, ``2027``); a plain key → (key, None)."""
    match = _KEYED.match(str(key))
    return (match.group("base"), match.group("inner")) if match else (str(key), None)


def base_key(key):
    return split_key(key)[0]


def name_of(key, labels=None):
    """A key as a person reads it: the input's or national figure's label (``labels``: {key: label}), with its
    year as （2027年）; the context's years and region; a region's threshold; an indicator's score."""
    labels = labels or {}
    key = str(key)
    if key == "context.years":
        return _("评估年份")
    if key == "context.region":
        return _("所在地区（东部／中部／西部／东北）")
    match = _KEYED.match(key)
    if match:
        base, inner = match.group("base"), match.group("inner")
        if base == "threshold":
            return _("%(region)s地区的门槛") % {"region": region_name(inner)}
        if base in ("score", "scores", "overrides"):
            return _("指标 %(number)s 的评分") % {"number": inner}
        return _("%(name)s（%(year)s年）") % {"name": labels.get(base, base), "year": inner}
    return labels.get(key, key)


def join(names):
    return _("、").join(str(n) for n in names)


def missing_text(keys, context):
    """What is missing, by name; national figures are the administrators' to enter, never the applicant's."""
    labels = context.get("labels") or {}
    national = context.get("national_keys") or ()
    local = [k for k in keys if base_key(k) not in national and k != "context.years"]
    bench = [k for k in keys if base_key(k) in national]
    parts = []
    if "context.years" in keys:
        parts.append(_("评估年份待定（由总局确定）"))
    if local:
        parts.append(_("缺少 %(names)s") % {"names": join(name_of(k, labels) for k in local)})
    if bench:
        parts.append(_("全国数据 %(names)s 尚未录入（由管理员录入）") % {"names": join(name_of(k, labels) for k in bench)})
    return _("；").join(parts)


class SystemError_(ValueError):
    """A system definition the engine cannot use (unknown rule kind, bad parameter)."""


class InputError(ValueError):
    """An input that is present but not a number / list / yes-no as its rule needs."""

    def __init__(self, key, message):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


def dec(value, key="?"):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InputError(key, _("应为数值，不是是/否"))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        raise InputError(key, _("应为数值（收到 %(value)s）") % {"value": repr(value)}) from None
    if not result.is_finite():
        raise InputError(key, _("应为有限数值（收到 %(value)s）") % {"value": repr(value)})
    # Every figure the systems use (亿元, counts, rates) lies far inside ±10^15 with at most 12 decimals; beyond
    # that Decimal arithmetic overflows or a quantize fails: refuse it as an input error, never a crash.
    if result and not (MIN_EXPONENT <= result.adjusted() <= MAX_EXPONENT):
        raise InputError(key, _("数值超出可处理范围（绝对值须小于 10^%(limit)s，收到 %(value)s）")
                         % {"limit": MAX_EXPONENT + 1, "value": repr(str(value)[:40])})
    return result


def fmt(value: Decimal) -> str:
    """Points as the seeds write them: 2, 1.5, 0.5."""
    text = format(value.normalize(), "f")
    return text


def pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.01'))}%"


def compare(op, value, threshold):
    if op == "gt":
        return value > threshold
    if op == "ge":
        return value >= threshold
    if op == "lt":
        return value < threshold
    if op == "le":
        return value <= threshold
    if op == "none":
        return value == 0
    raise SystemError_(f"unknown comparison {op}")


# ---------------------------------------------------------------------------------------------------- results
@dataclass(slots=True)
class ItemResult:
    key: str
    label: str
    kind: str
    points: Decimal
    score: Decimal
    missing: tuple = ()
    detail: str = ""
    inputs: dict = field(default_factory=dict)
    errors: tuple = ()
    names: tuple = ()  # the missing keys by name (name_of)

    @property
    def status(self):
        if self.errors:
            return "invalid"
        return "missing" if self.missing else "scored"

    def as_dict(self):
        return {"key": self.key, "label": self.label, "kind": self.kind, "points": fmt(self.points),
                "score": fmt(self.score), "status": self.status, "detail": self.detail,
                "inputs": {k: _jsonable(v) for k, v in self.inputs.items()}, "missing": list(self.missing),
                "missing_names": list(self.names), "errors": list(self.errors)}


def _jsonable(value):
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


@dataclass(slots=True)
class IndicatorResult:
    number: int
    name: str
    points: Decimal
    score: Decimal
    raw: Decimal  # what the items add up to before the indicator's own cap
    items: list
    best_case: Decimal  # score if every missing input came in at its best

    @property
    def capped(self):
        return self.raw > self.points

    @property
    def missing(self):
        return [key for item in self.items for key in item.missing]

    @property
    def status(self):
        if any(item.errors for item in self.items):
            return "invalid"
        return "missing" if self.missing else "scored"

    def as_dict(self):
        return {"number": self.number, "name": self.name, "points": fmt(self.points), "score": fmt(self.score),
                "raw": fmt(self.raw), "capped": self.capped, "status": self.status,
                "best_case": fmt(self.best_case), "missing": self.missing,
                "items": [item.as_dict() for item in self.items]}


@dataclass(slots=True)
class GroupResult:
    code: str
    name: str
    points: Decimal
    score: Decimal
    best_case: Decimal
    rate_threshold: Decimal

    @property
    def rate(self):
        return self.score / self.points if self.points else ZERO

    @property
    def required(self):
        return self.points * self.rate_threshold

    @property
    def passed(self):
        # "得分率≧75%": compare score with rate × points so that no rounding of the rate decides a case.
        return self.score >= self.required

    @property
    def shortfall(self):
        return max(self.required - self.score, ZERO)

    def as_dict(self):
        return {"code": self.code, "name": self.name, "points": fmt(self.points), "score": fmt(self.score),
                "rate": fmt(self.rate.quantize(Decimal("0.0001"))), "rate_threshold": fmt(self.rate_threshold),
                "required": fmt(self.required), "passed": self.passed, "shortfall": fmt(self.shortfall),
                "best_case": fmt(self.best_case)}


@dataclass(slots=True)
class ScoreResult:
    system: str
    total: Decimal
    points: Decimal
    total_threshold: Decimal
    groups: list
    indicators: list
    best_total: Decimal

    @property
    def complete(self):
        return all(ind.status == "scored" for ind in self.indicators)

    @property
    def missing(self):
        return [f"{ind.number}:{key}" for ind in self.indicators for key in ind.missing]

    @property
    def passed_as_scored(self):
        return self.total >= self.total_threshold and all(g.passed for g in self.groups)

    @property
    def could_pass(self):
        return self.best_total >= self.total_threshold and all(
            g.best_case >= g.required for g in self.groups)

    @property
    def decision(self):
        """pass / fail / incomplete. Missing inputs count as nothing for 'pass' and as full marks for 'fail', so
        a decision is only given when no missing figure could change it."""
        if self.passed_as_scored:
            return "pass"
        if not self.could_pass:
            return "fail"
        return "incomplete"

    @property
    def reasons(self):
        """Which group or the total falls short, and by how much (as scored)."""
        reasons = []
        if self.total < self.total_threshold:
            reasons.append(_("总分 %(total)s 分，低于合格线 %(threshold)s 分，差 %(short)s 分")
                           % {"total": fmt(self.total), "threshold": fmt(self.total_threshold),
                              "short": fmt(self.total_threshold - self.total)})
        for group in self.groups:
            if not group.passed:
                reasons.append(
                    _("一级指标“%(group)s”得 %(score)s 分（满分 %(points)s），得分率 %(rate)s，低于 %(threshold)s"
                      "（须 %(required)s 分），差 %(short)s 分")
                    % {"group": group.name, "score": fmt(group.score), "points": fmt(group.points),
                       "rate": pct(group.rate), "threshold": pct(group.rate_threshold),
                       "required": fmt(group.required), "short": fmt(group.shortfall)})
        if not reasons:
            reasons.append(_("总分 %(total)s 分（≥ %(threshold)s），各一级指标得分率均达到要求")
                           % {"total": fmt(self.total), "threshold": fmt(self.total_threshold)})
        if not self.complete:
            reasons.append(_("另有 %(count)s 项数据缺失（未按零分计）") % {"count": len(self.missing)})
        return reasons

    def as_dict(self):
        return {"system": self.system, "total": fmt(self.total), "points": fmt(self.points),
                "total_threshold": fmt(self.total_threshold), "decision": self.decision,
                "passed": {"pass": True, "fail": False}.get(self.decision), "complete": self.complete,
                "best_total": fmt(self.best_total), "reasons": self.reasons, "missing": self.missing,
                "groups": [g.as_dict() for g in self.groups],
                "indicators": [i.as_dict() for i in self.indicators]}


# ---------------------------------------------------------------------------------------------------- rules
class Rule(abc.ABC):
    """One scoring item's rule. ``evaluate`` returns (score, missing keys, detail text, inputs used)."""

    kind = ""
    __slots__ = ("points", "params")

    def __init__(self, points, params):
        self.points = points
        self.params = params

    def max_points(self):
        """The most this rule can give by its own terms (None: no limit of its own)."""
        return self.points

    def inputs(self):
        """[(key, type, scope)] — scope 'local' (the applicant's figures) or 'benchmark' (national figures)."""
        return []

    @abc.abstractmethod
    def evaluate(self, data, benchmarks, context):
        """(score, missing keys, detail text, inputs used) for these inputs."""


def _get(data, key):
    value = data.get(key)
    if value is None or value == "":
        return None
    return value


def _record(labelled, used, missing):
    """Note each (label, value) as used and each absent one as missing; the values, or None if any is absent."""
    for label, value in labelled:
        used[label] = value
        if value is None:
            missing.append(label)
    if any(value is None for _, value in labelled):
        return None
    return [value for _, value in labelled]


def _year_value(series, year, key):
    if not series:
        return None
    value = series.get(year)
    if value is None:
        value = series.get(str(year))
    if value is None or value == "":
        return None
    return dec(value, f"{key}[{year}]")


class PerYearComparison(Rule):
    """每年比较: one point (points_per_year) for each year of the window where the local measure 超过 (strictly
    exceeds) the benchmark measure. Measures: growth of a local series (当年/上一年度 − 1), share of two local
    series, or a national figure from the benchmarks."""

    kind = "per_year_comparison"
    __slots__ = ("years", "per_year", "subject", "benchmark", "op", "word")

    def __init__(self, points, params):
        super().__init__(points, params)
        self.years = int(params["years"])
        self.per_year = dec(params.get("points_per_year", 1))
        self.subject = params["subject"]
        self.benchmark = params["benchmark"]
        self.word = params.get("word", "超过")
        self.op = WORD_OPS[self.word]
        for measure in (self.subject, self.benchmark):
            if measure["measure"] not in ("growth", "share", "national", "local"):
                raise SystemError_(f"unknown measure {measure['measure']}")

    def max_points(self):
        return min(self.points, self.per_year * self.years)

    def inputs(self):
        out = []
        for measure in (self.subject, self.benchmark):
            m = measure["measure"]
            if m == "growth" or m == "local":
                out.append((measure["figure"], "yearly", "local"))
            elif m == "share":
                out.append((measure["numerator"], "yearly", "local"))
                out.append((measure["denominator"], "yearly", "local"))
            else:
                out.append((measure["figure"], "yearly", "benchmark"))
        return out

    @staticmethod
    def _measure(measure, year, data, benchmarks, missing, used):
        m = measure["measure"]
        if m == "growth":
            key = measure["figure"]
            series = _get(data, key)
            values = _record([(f"{key}[{year - 1}]", _year_value(series, year - 1, key)),
                              (f"{key}[{year}]", _year_value(series, year, key))], used, missing)
            if values is None:
                return None
            before, now = values
            if before <= 0:
                raise InputError(f"{key}[{year - 1}]", _("上一年度数值须大于零才能计算增速"))
            return now / before - ONE
        if m == "share":
            num_key, den_key = measure["numerator"], measure["denominator"]
            values = _record([(f"{num_key}[{year}]", _year_value(_get(data, num_key), year, num_key)),
                              (f"{den_key}[{year}]", _year_value(_get(data, den_key), year, den_key))], used, missing)
            if values is None:
                return None
            num, den = values
            if den <= 0:
                raise InputError(f"{den_key}[{year}]", _("分母须大于零"))
            return num / den
        key = measure["figure"]
        source = benchmarks if m == "national" else data
        value = _year_value(source.get(key), year, key)
        used[f"{key}[{year}]"] = value
        if value is None:
            missing.append(f"{key}[{year}]")
        return value

    def evaluate(self, data, benchmarks, context):
        years = context.get("years")
        if not years:
            return ZERO, ("context.years",), missing_text(("context.years",), context), {}
        window = list(years)[-self.years:]
        score, missing, used, parts = ZERO, [], {}, []
        for year in window:
            year_missing = []
            local = self._measure(self.subject, year, data, benchmarks, year_missing, used)
            bench = self._measure(self.benchmark, year, data, benchmarks, year_missing, used)
            if year_missing:
                missing.extend(year_missing)
                parts.append(_("%(year)s年：%(missing)s") % {"year": year, "missing": missing_text(year_missing, context)})
                continue
            if compare(self.op, local, bench):
                score += self.per_year
                parts.append(_("%(year)s年：%(local)s %(word)s %(bench)s，得 %(points)s 分")
                             % {"year": year, "local": pct(local), "word": word(self.word), "bench": pct(bench),
                                "points": fmt(self.per_year)})
            else:
                parts.append(_("%(year)s年：%(local)s 未%(word)s %(bench)s，不得分")
                             % {"year": year, "local": pct(local), "word": word(self.word), "bench": pct(bench)})
        return min(score, self.points), tuple(missing), _("；").join(parts), used


class RatioBands(Rule):
    """比值区间: numerator / denominator against bands; both ends inclusive unless stated, the higher band wins a
    shared end."""

    kind = "ratio_bands"
    __slots__ = ("numerator", "denominator", "bands")

    def __init__(self, points, params):
        super().__init__(points, params)
        self.numerator = params["numerator"]
        self.denominator = params["denominator"]
        bands = []
        for band in params["bands"]:
            bands.append((dec(band["min"]) if band.get("min") is not None else None,
                          band.get("min_inclusive", True),
                          dec(band["max"]) if band.get("max") is not None else None,
                          band.get("max_inclusive", True), dec(band["points"])))
        # Highest points first: where two bands share an end, the first match is the higher band.
        self.bands = sorted(bands, key=lambda b: b[4], reverse=True)

    def max_points(self):
        return min(self.points, max(b[4] for b in self.bands))

    def inputs(self):
        return [(self.numerator, "number", "local"), (self.denominator, "number", "local")]

    def evaluate(self, data, benchmarks, context):
        num, den = _get(data, self.numerator), _get(data, self.denominator)
        used = {self.numerator: num, self.denominator: den}
        missing = tuple(k for k, v in ((self.numerator, num), (self.denominator, den)) if v is None)
        if missing:
            return ZERO, missing, missing_text(missing, context), used
        num, den = dec(num, self.numerator), dec(den, self.denominator)
        if den <= 0:
            raise InputError(self.denominator, _("分母须大于零"))
        ratio = num / den
        used = {self.numerator: num, self.denominator: den}
        for low, low_inc, high, high_inc, points in self.bands:
            if low is not None and (ratio < low if low_inc else ratio <= low):
                continue
            if high is not None and (ratio > high if high_inc else ratio >= high):
                continue
            above = _("以上")
            band = f"{pct(low) if low is not None else ''}–{pct(high) if high is not None else above}"
            return min(points, self.points), (), (_("占比 %(ratio)s，落在 %(band)s 区间，得 %(points)s 分")
                                                  % {"ratio": pct(ratio), "band": band, "points": fmt(points)}), used
        return ZERO, (), _("占比 %(ratio)s，未达到最低区间，不得分") % {"ratio": pct(ratio)}, used


class RegionalCount(Rule):
    """规模以上经营者计数: a firm counts when its amount reaches the threshold of the creation object's economic
    region (以上 = ≥); then tiers (1 家 → 1, 2 家及以上 → 2) or points per firm up to a cap."""

    kind = "regional_count"
    __slots__ = ("input", "thresholds", "op", "word", "tiers", "per_unit", "cap")

    def __init__(self, points, params):
        super().__init__(points, params)
        self.input = params["input"]
        self.thresholds = {region: dec(v) for region, v in params["thresholds"].items()}
        self.word = params.get("word", "以上")
        self.op = WORD_OPS[self.word]
        self.tiers = sorted(((int(t["min_count"]), dec(t["points"])) for t in params.get("tiers", [])),
                            reverse=True)
        self.per_unit = dec(params["per_unit"]) if params.get("per_unit") is not None else None
        self.cap = dec(params["cap"]) if params.get("cap") is not None else None
        if not self.tiers and self.per_unit is None:
            raise SystemError_("regional_count needs tiers or per_unit")

    def max_points(self):
        if self.tiers:
            top = self.tiers[0][1]
        elif self.cap is not None:
            top = self.cap
        else:
            return None
        return min(self.points, top)

    def inputs(self):
        return [(self.input, "amounts", "local")]

    def evaluate(self, data, benchmarks, context):
        firms = _get(data, self.input)
        region = context.get("region")
        used = {self.input: firms, "context.region": region}
        missing = []
        if firms is None:
            missing.append(self.input)
        if region is None:
            missing.append("context.region")
        if missing:
            return ZERO, tuple(missing), missing_text(missing, context), used
        threshold = self.thresholds.get(region)
        if threshold is None:
            return ZERO, (f"threshold[{region}]",), (_("本指标未规定%(region)s地区的门槛")
                                                     % {"region": region_name(region)}), used
        if not isinstance(firms, (list, tuple)):
            raise InputError(self.input, _("应为各经营者年度销售额的列表"))
        amounts = [dec(f["amount"] if isinstance(f, dict) else f, self.input) for f in firms]
        count = sum(1 for a in amounts if compare(self.op, a, threshold))
        if self.tiers:
            points = next((p for n, p in self.tiers if count >= n), ZERO)
        else:
            points = self.per_unit * count
            if self.cap is not None:
                points = min(points, self.cap)
        points = min(points, self.points)
        return points, (), (_("%(region)s地区门槛 %(threshold)s 元%(word)s；%(firms)s 家中 %(count)s 家达到，得 %(points)s 分")
                            % {"region": region_name(region), "threshold": fmt(threshold), "word": word(self.word),
                               "firms": len(amounts), "count": count, "points": fmt(points)}), used


class Conditions(Rule):
    """率的门槛 and other conditions, all of which must hold for the item's points: a rate (or a ratio of two
    inputs) against a fixed value or a national benchmark, a count that must be zero (无), or a fact an expert
    confirms. The comparison is read from the seed's word (大于/超过 strict, 达到/不低于 inclusive)."""

    kind = "conditions"
    __slots__ = ("conditions",)

    def __init__(self, points, params):
        super().__init__(points, params)
        conds = []
        for c in params["conditions"]:
            op = WORD_OPS[c["word"]]
            if c.get("op") and c["op"] != op:
                raise SystemError_(f"condition {c} says {c['word']} but op {c['op']}")
            value = dec(c["value"]) if c.get("value") is not None else None
            if op in ("gt", "ge", "lt", "le") and value is None and not c.get("benchmark"):
                raise SystemError_(f"condition {c} has no value or benchmark")
            shown = pct if c.get("unit", "rate") == "rate" else fmt
            conds.append((c.get("input"), c.get("numerator"), c.get("denominator"), op, c["word"], value,
                          c.get("benchmark"), c.get("label", ""), shown))
        self.conditions = conds

    def inputs(self):
        out = []
        for key, num, den, op, word, value, bench, label, _ in self.conditions:
            if key:
                out.append((key, "bool" if op == "true" else "number", "local"))
            else:
                out.extend([(num, "number", "local"), (den, "number", "local")])
            if bench:
                out.append((bench, "yearly", "benchmark"))
        return out

    def evaluate(self, data, benchmarks, context):
        missing, used, parts, ok = [], {}, [], True
        years = context.get("years")
        labels = context.get("labels") or {}
        for key, num, den, op, said, value, bench, label, shown in self.conditions:
            name = label or (name_of(key, labels) if key else f"{name_of(num, labels)}/{name_of(den, labels)}")
            if key:
                raw = _get(data, key)
                used[key] = raw
                if raw is None:
                    missing.append(key)
                    parts.append(_("%(name)s：缺少数据") % {"name": name})
                    continue
            else:
                n, d = _get(data, num), _get(data, den)
                used[num], used[den] = n, d
                if n is None or d is None:
                    missing.extend(k for k, v in ((num, n), (den, d)) if v is None)
                    parts.append(_("%(name)s：缺少数据") % {"name": name})
                    continue
                d = dec(d, den)
                if d <= 0:
                    raise InputError(den, _("分母须大于零"))
                raw = dec(n, num) / d
            if op == "true":
                met = _truthy(raw, key)
                parts.append((_("%(name)s：成立") if met else _("%(name)s：不成立")) % {"name": name})
                ok = ok and met
                continue
            actual = dec(raw, key or num)
            if op == "none":
                met = actual == 0
                parts.append((_("%(name)s：%(value)s（须为零），符合") if met else
                              _("%(name)s：%(value)s（须为零），不符合")) % {"name": name, "value": fmt(actual)})
                ok = ok and met
                continue
            threshold = value
            if bench:
                if not years:
                    missing.append("context.years")
                    parts.append(_("%(name)s：评估年份待定，无法取全国数据") % {"name": name})
                    continue
                year = list(years)[-1]
                threshold = _year_value(benchmarks.get(bench), year, bench)
                used[f"{bench}[{year}]"] = threshold
                if threshold is None:
                    missing.append(f"{bench}[{year}]")
                    parts.append(_("%(name)s：%(missing)s")
                                 % {"name": name, "missing": missing_text((f"{bench}[{year}]",), context)})
                    continue
            met = compare(op, actual, threshold)
            parts.append((_("%(name)s：%(actual)s %(word)s %(threshold)s") if met else
                          _("%(name)s：%(actual)s 未%(word)s %(threshold)s"))
                         % {"name": name, "actual": shown(actual), "word": word(said), "threshold": shown(threshold)})
            ok = ok and met
        if missing and ok:
            # Missing ≠ zero: no points yet, and the item is reported as missing (best case: full points).
            return ZERO, tuple(missing), _("；").join(parts), used
        if missing:
            # A condition already fails: whatever the missing figures say, the item gives nothing.
            return ZERO, (), _("%(parts)s，已有条件不满足，不得分") % {"parts": _("；").join(parts)}, used
        score = self.points if ok else ZERO
        return score, (), _("%(parts)s，得 %(points)s 分") % {"parts": _("；").join(parts), "points": fmt(score)}, used


def _truthy(value, key):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return value != 0
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "是", "y"):
        return True
    if text in ("false", "0", "no", "否", "n"):
        return False
    raise InputError(key, _("应为是/否（收到 %(value)s）") % {"value": repr(value)})


class PerItem(Rule):
    """按件计分: points per item of each category (法规 3 / 规章 2 / 规范性文件 1 …), at most the cap."""

    kind = "per_item"
    __slots__ = ("categories", "cap")

    def __init__(self, points, params):
        super().__init__(points, params)
        self.categories = [(c["input"], c["label"], dec(c["points"])) for c in params["categories"]]
        self.cap = dec(params["cap"]) if params.get("cap") is not None else None

    def max_points(self):
        return None if self.cap is None else min(self.cap, self.points)

    def inputs(self):
        return [(key, "count", "local") for key, _, _ in self.categories]

    def evaluate(self, data, benchmarks, context):
        missing, used, parts, total = [], {}, [], ZERO
        for key, label, each in self.categories:
            raw = _get(data, key)
            used[key] = raw
            if raw is None:
                missing.append(key)
                continue
            count = dec(raw, key)
            if count < 0 or count != count.to_integral_value():
                raise InputError(key, _("件数应为非负整数"))
            total += each * count
            parts.append(_("%(label)s %(count)s 件 × %(each)s 分") % {"label": label, "count": fmt(count),
                                                                    "each": fmt(each)})
        capped = total if self.cap is None else min(total, self.cap)
        capped = min(capped, self.points)
        detail = _("%(parts)s，合计 %(total)s 分") % {"parts": _("；").join(parts) or _("无"), "total": fmt(total)}
        if capped < total:
            detail += _("，以 %(cap)s 分为限") % {"cap": fmt(capped)}
        if missing:
            detail += _("；") + missing_text(missing, context)
        return capped, tuple(missing), detail, used


class Expert(Rule):
    """定性 checklist item: an expert awards up to the item's points (a yes/no counts as full or none)."""

    kind = "expert"
    __slots__ = ("input",)

    def __init__(self, points, params):
        super().__init__(points, params)
        self.input = params["input"]

    def inputs(self):
        return [(self.input, "score", "local")]

    def evaluate(self, data, benchmarks, context):
        raw = _get(data, self.input)
        if raw is None:
            return ZERO, (self.input,), _("待专家评分"), {self.input: None}
        if isinstance(raw, bool) or (isinstance(raw, str) and raw.strip() in ("是", "否", "true", "false")):
            score = self.points if _truthy(raw, self.input) else ZERO
        else:
            score = dec(raw, self.input)
            if score < 0 or score > self.points:
                raise InputError(self.input, _("评分应在 0 至 %(points)s 分之间（收到 %(score)s）")
                                 % {"points": fmt(self.points), "score": fmt(score)})
        return score, (), (_("评分 %(score)s 分（满分 %(points)s 分）")
                           % {"score": fmt(score), "points": fmt(self.points)}), {self.input: raw}


class AnyOf(Rule):
    """符合一项即可得分: any one option that qualifies gives the item's full points."""

    kind = "any_of"
    __slots__ = ("options",)

    def __init__(self, points, params):
        super().__init__(points, params)
        self.options = [(o["input"], o["label"]) for o in params["options"]]

    def inputs(self):
        return [(key, "bool", "local") for key, _ in self.options]

    def evaluate(self, data, benchmarks, context):
        missing, used = [], {}
        for key, label in self.options:
            raw = _get(data, key)
            used[key] = raw
            if raw is None:
                missing.append(key)
                continue
            if _truthy(raw, key):
                return self.points, (), _("符合“%(option)s”，得 %(points)s 分") % {"option": label,
                                                                                 "points": fmt(self.points)}, used
        if missing:
            return ZERO, tuple(missing), (_("尚无符合项；待评 %(names)s")
                                          % {"names": join(name_of(k, context.get("labels")) for k in missing)}), used
        return ZERO, (), _("无一项符合，不得分"), used


RULES = {cls.kind: cls for cls in (PerYearComparison, RatioBands, RegionalCount, Conditions, PerItem, Expert, AnyOf)}


# ---------------------------------------------------------------------------------------------------- compiled
class CompiledItem:
    __slots__ = ("key", "label", "points", "rule")

    def __init__(self, key, label, points, rule):
        self.key, self.label, self.points, self.rule = key, label, points, rule


class CompiledIndicator:
    __slots__ = ("number", "name", "points", "items", "group")

    def __init__(self, number, name, points, items, group):
        self.number, self.name, self.points, self.items, self.group = number, name, points, items, group

    def reachable(self):
        """(max the items can give before the indicator cap, None if unlimited)."""
        total = ZERO
        for item in self.items:
            top = item.rule.max_points()
            if top is None:
                return None
            total += top
        return total


class CompiledSystem:
    __slots__ = ("code", "points", "total_threshold", "group_rate", "groups", "indicators", "labels",
                 "national_keys")

    def __init__(self, code, points, total_threshold, group_rate, groups, indicators, labels=None,
                 national_keys=()):
        self.code, self.points = code, points
        self.total_threshold, self.group_rate = total_threshold, group_rate
        self.groups = groups  # [(code, name, points, rate_threshold)]
        self.indicators = indicators
        self.labels = labels or {}  # {input or national-figure key: its label}, for explanations
        self.national_keys = frozenset(national_keys)


def iter_indicators(spec):
    """(top-level group, indicator dict) for every indicator of a system dict, sub-groups flattened."""
    for group in spec["groups"]:
        for ind in group.get("indicators", []):
            yield group, ind
        for sub in group.get("subgroups", []):
            for ind in sub.get("indicators", []):
                yield group, ind


def compile_system(spec) -> CompiledSystem:
    rate = dec(spec["pass_rule"]["group_rate_threshold"])
    groups, indicators = [], []
    for group in spec["groups"]:
        groups.append((group["code"], group["name"], dec(group["points"]),
                       dec(group.get("rate_threshold") or rate)))
    for group, ind in iter_indicators(spec):
        items = []
        for item in ind["items"]:
            rule_spec = item["rule"]
            cls = RULES.get(rule_spec["kind"])
            if cls is None:
                raise SystemError_(f"指标 {ind['number']}：未知的计分规则 {rule_spec['kind']}")
            points = dec(item["points"])
            try:
                rule = cls(points, rule_spec.get("params", {}))
            except (KeyError, TypeError, InputError) as exc:
                raise SystemError_(f"指标 {ind['number']} 计分项 {item['key']}：规则参数有误（{exc}）") from exc
            items.append(CompiledItem(item["key"], item["label"], points, rule))
        indicators.append(CompiledIndicator(int(ind["number"]), ind["name"], dec(ind["points"]), items,
                                            group["code"]))
    labels = {key: meta.get("label") or key for catalogue in (spec.get("inputs") or {}, spec.get("benchmarks") or {})
              for key, meta in catalogue.items() if isinstance(meta, dict)}
    return CompiledSystem(spec["code"], dec(spec.get("points", 100)), dec(spec["pass_rule"]["total_threshold"]),
                          rate, groups, indicators, labels, (spec.get("benchmarks") or {}).keys())


def score(system: CompiledSystem, data: dict, benchmarks: dict | None = None, context: dict | None = None,
          overrides: dict | None = None) -> ScoreResult:
    """Score one submission. ``data``: the applicant's (or expert's) inputs by key; ``benchmarks``: national
    figures {key: {year: value}}; ``context``: {"years": [...], "region": "east"|"central"|"west"|"northeast"}.
    ``overrides``: {indicator number: score} set by an expert for a whole indicator (still capped)."""
    benchmarks = benchmarks or {}
    context = {**(context or {}), "labels": system.labels, "national_keys": system.national_keys}
    group_scores = {code: ZERO for code, *_ in system.groups}
    group_best = dict(group_scores)
    results = []
    for ind in system.indicators:
        item_results, raw, best_raw = [], ZERO, ZERO
        for item in ind.items:
            rule = item.rule
            try:
                got, missing, detail, used = rule.evaluate(data, benchmarks, context)
                errors = ()
            except InputError as exc:
                got, missing, detail, used = ZERO, (), exc.message, {exc.key: None}
                errors = (_("%(name)s：%(message)s") % {"name": name_of(exc.key, system.labels), "message": exc.message},)
            item_results.append(ItemResult(item.key, item.label, rule.kind, item.points, got, missing, detail,
                                           used, errors, tuple(name_of(k, system.labels) for k in missing)))
            raw += got
            if missing or errors:
                top = rule.max_points()
                best_raw += item.points if top is None else top
            else:
                best_raw += got
        points = ind.points
        value = raw if raw < points else points
        best = best_raw if best_raw < points else points
        if overrides and ind.number in overrides:
            value = min(max(dec(overrides[ind.number], f"overrides[{ind.number}]"), ZERO), points)
            best = value
        results.append(IndicatorResult(ind.number, ind.name, points, value, raw, item_results, best))
        group_scores[ind.group] += value
        group_best[ind.group] += best
    groups = [GroupResult(code, name, points, group_scores[code], group_best[code], rate)
              for code, name, points, rate in system.groups]
    total = sum((g.score for g in groups), ZERO)
    best_total = sum((g.best_case for g in groups), ZERO)
    return ScoreResult(system.code, total, system.points, system.total_threshold, groups, results, best_total)


def decide(system: CompiledSystem, scores: dict) -> ScoreResult:
    """The pass rule applied to scores already given per indicator ({number: score}) — the final result of an
    evaluation aggregates the experts' indicator scores and is decided here, by the same ScoreResult/GroupResult
    code (total ≥ threshold and every group's rate ≥ its threshold, with reasons). Each score is held within
    0 … its indicator's points; an indicator without a score counts as missing, so the decision stays open."""
    group_scores = {code: ZERO for code, *_ in system.groups}
    group_best = dict(group_scores)
    results = []
    for ind in system.indicators:
        given = scores.get(ind.number)
        if given is None:
            value, best = ZERO, ind.points
            item = ItemResult("score", _("评分"), "expert", ind.points, ZERO, (f"score[{ind.number}]",), _("无评分"),
                              names=(name_of(f"score[{ind.number}]"),))
        else:
            value = min(max(dec(given, f"scores[{ind.number}]"), ZERO), ind.points)
            best = value
            item = ItemResult("score", _("评分"), "expert", ind.points, value, (),
                              _("评分 %(score)s 分") % {"score": fmt(value)})
        results.append(IndicatorResult(ind.number, ind.name, ind.points, value, value, [item], best))
        group_scores[ind.group] += value
        group_best[ind.group] += best
    groups = [GroupResult(code, name, points, group_scores[code], group_best[code], rate)
              for code, name, points, rate in system.groups]
    total = sum((g.score for g in groups), ZERO)
    best_total = sum((g.best_case for g in groups), ZERO)
    return ScoreResult(system.code, total, system.points, system.total_threshold, groups, results, best_total)


# ---------------------------------------------------------------------------------------------------- checks
@dataclass(slots=True)
class Finding:
    level: str  # "error" stops import/publish; "warning" is shown and kept
    where: str
    message: str

    def __str__(self):
        return f"[{self.level}] {self.where}: {self.message}"


def validate_system(spec) -> list[Finding]:
    """Points add up per sub-group, group and total; every indicator's items can reach exactly its points.
    Sums that do not add up are errors; items that cannot reach (or overshoot) an indicator's points are
    warnings naming the indicator — the seed's text is kept, the engine caps at the indicator's points."""
    findings = []
    try:
        compiled = compile_system(spec)
    except (SystemError_, KeyError, TypeError, ValueError) as exc:
        return [Finding("error", spec.get("code", "?"), str(exc))]
    numbers = [int(ind["number"]) for _, ind in iter_indicators(spec)]
    if len(set(numbers)) != len(numbers):
        dupes = sorted({n for n in numbers if numbers.count(n) > 1})
        findings.append(Finding("error", "编号", f"指标编号重复：{dupes}"))
    total = ZERO
    for group in spec["groups"]:
        gpoints = dec(group["points"])
        total += gpoints
        inds = list(group.get("indicators", []))
        for sub in group.get("subgroups", []):
            sub_sum = sum((dec(i["points"]) for i in sub["indicators"]), ZERO)
            if sub.get("points") is not None and sub_sum != dec(sub["points"]):
                findings.append(Finding("error", f"二级指标“{sub['name']}”",
                                        f"所含指标分值合计 {fmt(sub_sum)}，与其分值 {fmt(dec(sub['points']))} 不符"))
            inds.extend(sub["indicators"])
        gsum = sum((dec(i["points"]) for i in inds), ZERO)
        if gsum != gpoints:
            findings.append(Finding("error", f"一级指标“{group['name']}”",
                                    f"所含指标分值合计 {fmt(gsum)}，与其分值 {fmt(gpoints)} 不符"))
    if total != compiled.points:
        findings.append(Finding("error", "总分", f"一级指标分值合计 {fmt(total)}，与总分 {fmt(compiled.points)} 不符"))
    for ind in compiled.indicators:
        for item in ind.items:
            top = item.rule.max_points()
            if item.points <= 0:
                findings.append(Finding("error", f"指标 {ind.number} 计分项 {item.key}", "计分项分值须大于零"))
        reach = ind.reachable()
        where = f"指标 {ind.number}“{ind.name}”"
        if reach is None:
            findings.append(Finding("warning", where, f"计分项不设上限，可超过本指标分值 {fmt(ind.points)} 分；"
                                                      f"按本指标分值封顶"))
        elif reach < ind.points:
            findings.append(Finding("warning", where, f"计分项最多可得 {fmt(reach)} 分，达不到本指标分值 "
                                                      f"{fmt(ind.points)} 分"))
        elif reach > ind.points:
            findings.append(Finding("warning", where, f"计分项合计最多 {fmt(reach)} 分，超过本指标分值 "
                                                      f"{fmt(ind.points)} 分；按本指标分值封顶"))
    return findings


def describe_inputs(spec) -> dict:
    """{indicator number: [{item, kind, inputs: [(key, type, scope)]}]} — what each rule takes (for the API)."""
    compiled = compile_system(spec)
    return {ind.number: [{"item": item.key, "kind": item.rule.kind,
                          "inputs": [{"key": k, "type": t, "scope": s} for k, t, s in item.rule.inputs()]}
                         for item in ind.items] for ind in compiled.indicators}
