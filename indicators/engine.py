"""The scoring engine: an indicator system as data in, scores with their reasons out.

Pure Python and Decimal — no Django, no database — so that the same code scores an applicant's what-if, an
expert's sheet and a 10,000-submission benchmark. A system is compiled once (``compile_system``) from the dict
the fixtures and the database both produce; ``score`` then walks it.

Bounds follow 民法典 第一千二百五十九条: 以上、以下、以内、届满 include the number; 不满、超过、以外 do not.
大于/高于 are strict; 达到/不低于 are ≥; "比值区间均含本数" makes both ends of a band inclusive and, where two
bands share an end, the higher band takes it.

Missing data is never zero: an item whose input (or national benchmark) is absent is reported as missing with
the keys it needs, and the decision stays open until the missing points could no longer change it.
"""
from __future__ import annotations

import abc
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
        raise InputError(key, "应为数值，不是是/否")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        raise InputError(key, f"应为数值（收到 {value!r}）") from None
    if not result.is_finite():
        raise InputError(key, f"应为有限数值（收到 {value!r}）")
    # Every figure the systems use (亿元, counts, rates) lies far inside ±10^15 with at most 12 decimals; beyond
    # that Decimal arithmetic overflows or a quantize fails: refuse it as an input error, never a crash.
    if result and not (MIN_EXPONENT <= result.adjusted() <= MAX_EXPONENT):
        raise InputError(key, f"数值超出可处理范围（绝对值须小于 10^{MAX_EXPONENT + 1}，收到 {str(value)[:40]!r}）")
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

    @property
    def status(self):
        if self.errors:
            return "invalid"
        return "missing" if self.missing else "scored"

    def as_dict(self):
        return {"key": self.key, "label": self.label, "kind": self.kind, "points": fmt(self.points),
                "score": fmt(self.score), "status": self.status, "detail": self.detail,
                "inputs": {k: _jsonable(v) for k, v in self.inputs.items()}, "missing": list(self.missing),
                "errors": list(self.errors)}


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
            reasons.append(f"总分 {fmt(self.total)} 分，低于合格线 {fmt(self.total_threshold)} 分，"
                           f"差 {fmt(self.total_threshold - self.total)} 分")
        for group in self.groups:
            if not group.passed:
                reasons.append(
                    f"一级指标“{group.name}”得 {fmt(group.score)} 分（满分 {fmt(group.points)}），得分率 "
                    f"{pct(group.rate)}，低于 {pct(group.rate_threshold)}（须 {fmt(group.required)} 分），"
                    f"差 {fmt(group.shortfall)} 分")
        if not reasons:
            reasons.append(f"总分 {fmt(self.total)} 分（≥ {fmt(self.total_threshold)}），各一级指标得分率均达到要求")
        if not self.complete:
            reasons.append(f"另有 {len(self.missing)} 项数据缺失（未按零分计）")
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
                raise InputError(f"{key}[{year - 1}]", "上一年度数值须大于零才能计算增速")
            return now / before - ONE
        if m == "share":
            num_key, den_key = measure["numerator"], measure["denominator"]
            values = _record([(f"{num_key}[{year}]", _year_value(_get(data, num_key), year, num_key)),
                              (f"{den_key}[{year}]", _year_value(_get(data, den_key), year, den_key))], used, missing)
            if values is None:
                return None
            num, den = values
            if den <= 0:
                raise InputError(f"{den_key}[{year}]", "分母须大于零")
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
            return ZERO, ("context.years",), "缺少评估年份（近几年／创建期内各年）", {}
        window = list(years)[-self.years:]
        score, missing, used, parts = ZERO, [], {}, []
        for year in window:
            year_missing = []
            local = self._measure(self.subject, year, data, benchmarks, year_missing, used)
            bench = self._measure(self.benchmark, year, data, benchmarks, year_missing, used)
            if year_missing:
                missing.extend(year_missing)
                parts.append(f"{year}年：缺少 {'、'.join(year_missing)}")
                continue
            if compare(self.op, local, bench):
                score += self.per_year
                parts.append(f"{year}年：{pct(local)} {self.word} {pct(bench)}，得 {fmt(self.per_year)} 分")
            else:
                parts.append(f"{year}年：{pct(local)} 未{self.word} {pct(bench)}，不得分")
        return min(score, self.points), tuple(missing), "；".join(parts), used


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
            return ZERO, missing, f"缺少 {'、'.join(missing)}", used
        num, den = dec(num, self.numerator), dec(den, self.denominator)
        if den <= 0:
            raise InputError(self.denominator, "分母须大于零")
        ratio = num / den
        used = {self.numerator: num, self.denominator: den}
        for low, low_inc, high, high_inc, points in self.bands:
            if low is not None and (ratio < low if low_inc else ratio <= low):
                continue
            if high is not None and (ratio > high if high_inc else ratio >= high):
                continue
            band = f"{pct(low) if low is not None else ''}–{pct(high) if high is not None else '以上'}"
            return min(points, self.points), (), f"占比 {pct(ratio)}，落在 {band} 区间，得 {fmt(points)} 分", used
        return ZERO, (), f"占比 {pct(ratio)}，未达到最低区间，不得分", used


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
            return ZERO, tuple(missing), f"缺少 {'、'.join(missing)}", used
        threshold = self.thresholds.get(region)
        if threshold is None:
            return ZERO, (f"threshold[{region}]",), f"本指标未规定 {region} 地区的门槛", used
        if not isinstance(firms, (list, tuple)):
            raise InputError(self.input, "应为各经营者年度销售额的列表")
        amounts = [dec(f["amount"] if isinstance(f, dict) else f, self.input) for f in firms]
        count = sum(1 for a in amounts if compare(self.op, a, threshold))
        if self.tiers:
            points = next((p for n, p in self.tiers if count >= n), ZERO)
        else:
            points = self.per_unit * count
            if self.cap is not None:
                points = min(points, self.cap)
        points = min(points, self.points)
        return points, (), (f"{region} 地区门槛 {fmt(threshold)} 元{self.word}；{len(amounts)} 家中 {count} 家达到，"
                            f"得 {fmt(points)} 分"), used


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
        for key, num, den, op, word, value, bench, label, shown in self.conditions:
            name = label or key or f"{num}/{den}"
            if key:
                raw = _get(data, key)
                used[key] = raw
                if raw is None:
                    missing.append(key)
                    parts.append(f"{name}：缺少数据")
                    continue
            else:
                n, d = _get(data, num), _get(data, den)
                used[num], used[den] = n, d
                if n is None or d is None:
                    missing.extend(k for k, v in ((num, n), (den, d)) if v is None)
                    parts.append(f"{name}：缺少数据")
                    continue
                d = dec(d, den)
                if d <= 0:
                    raise InputError(den, "分母须大于零")
                raw = dec(n, num) / d
            if op == "true":
                met = _truthy(raw, key)
                parts.append(f"{name}：{'成立' if met else '不成立'}")
                ok = ok and met
                continue
            actual = dec(raw, key or num)
            if op == "none":
                met = actual == 0
                parts.append(f"{name}：{fmt(actual)}（须为零）{'，符合' if met else '，不符合'}")
                ok = ok and met
                continue
            threshold = value
            if bench:
                if not years:
                    missing.append("context.years")
                    parts.append(f"{name}：缺少评估年份，无法取全国数据")
                    continue
                year = list(years)[-1]
                threshold = _year_value(benchmarks.get(bench), year, bench)
                used[f"{bench}[{year}]"] = threshold
                if threshold is None:
                    missing.append(f"{bench}[{year}]")
                    parts.append(f"{name}：缺少全国数据 {bench}（{year}年）")
                    continue
            met = compare(op, actual, threshold)
            parts.append(f"{name}：{shown(actual)} {'' if met else '未'}{word} {shown(threshold)}")
            ok = ok and met
        if missing and ok:
            # Missing ≠ zero: no points yet, and the item is reported as missing (best case: full points).
            return ZERO, tuple(missing), "；".join(parts), used
        if missing:
            # A condition already fails: whatever the missing figures say, the item gives nothing.
            return ZERO, (), "；".join(parts) + "，已有条件不满足，不得分", used
        score = self.points if ok else ZERO
        return score, (), "；".join(parts) + f"，得 {fmt(score)} 分", used


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
    raise InputError(key, f"应为是/否（收到 {value!r}）")


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
                raise InputError(key, "件数应为非负整数")
            total += each * count
            parts.append(f"{label} {fmt(count)} 件 × {fmt(each)} 分")
        capped = total if self.cap is None else min(total, self.cap)
        capped = min(capped, self.points)
        detail = "；".join(parts) or "无"
        detail += f"，合计 {fmt(total)} 分"
        if capped < total:
            detail += f"，以 {fmt(capped)} 分为限"
        if missing:
            detail += f"；缺少 {'、'.join(missing)}"
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
            return ZERO, (self.input,), "待专家评分", {self.input: None}
        if isinstance(raw, bool) or (isinstance(raw, str) and raw.strip() in ("是", "否", "true", "false")):
            score = self.points if _truthy(raw, self.input) else ZERO
        else:
            score = dec(raw, self.input)
            if score < 0 or score > self.points:
                raise InputError(self.input, f"评分应在 0 至 {fmt(self.points)} 分之间（收到 {fmt(score)}）")
        return score, (), f"评分 {fmt(score)} 分（满分 {fmt(self.points)} 分）", {self.input: raw}


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
                return self.points, (), f"符合“{label}”，得 {fmt(self.points)} 分", used
        if missing:
            return ZERO, tuple(missing), f"尚无符合项；待评 {'、'.join(missing)}", used
        return ZERO, (), "无一项符合，不得分", used


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
    __slots__ = ("code", "points", "total_threshold", "group_rate", "groups", "indicators")

    def __init__(self, code, points, total_threshold, group_rate, groups, indicators):
        self.code, self.points = code, points
        self.total_threshold, self.group_rate = total_threshold, group_rate
        self.groups = groups  # [(code, name, points, rate_threshold)]
        self.indicators = indicators


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
    return CompiledSystem(spec["code"], dec(spec.get("points", 100)), dec(spec["pass_rule"]["total_threshold"]),
                          rate, groups, indicators)


def score(system: CompiledSystem, data: dict, benchmarks: dict | None = None, context: dict | None = None,
          overrides: dict | None = None) -> ScoreResult:
    """Score one submission. ``data``: the applicant's (or expert's) inputs by key; ``benchmarks``: national
    figures {key: {year: value}}; ``context``: {"years": [...], "region": "east"|"central"|"west"|"northeast"}.
    ``overrides``: {indicator number: score} set by an expert for a whole indicator (still capped)."""
    benchmarks = benchmarks or {}
    context = context or {}
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
                got, missing, detail, used, errors = ZERO, (), exc.message, {exc.key: None}, (str(exc),)
            item_results.append(ItemResult(item.key, item.label, rule.kind, item.points, got, missing, detail,
                                           used, errors))
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
            item = ItemResult("score", "评分", "expert", ind.points, ZERO, (f"score[{ind.number}]",), "无评分")
        else:
            value = min(max(dec(given, f"scores[{ind.number}]"), ZERO), ind.points)
            best = value
            item = ItemResult("score", "评分", "expert", ind.points, value, (), f"评分 {fmt(value)} 分")
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
