"""Inputs that earn every point a system offers — for tests, the benchmark and the API's examples.

Built from the rules themselves, so a new version gets a full-marks sample without hand-written data."""
from decimal import Decimal

from . import engine


def full_marks(spec, years=(2021, 2022, 2023, 2024)):
    """(data, benchmarks, context) under which every item reaches its own maximum."""
    data, benchmarks = {}, {}
    growth = {y: Decimal(100) * (Decimal("1.2") ** i) for i, y in enumerate(years)}  # +20 % a year
    for _, ind in engine.iter_indicators(spec):
        for item in ind["items"]:
            kind, p = item["rule"]["kind"], item["rule"].get("params", {})
            if kind == "expert":
                data[p["input"]] = item["points"]
            elif kind == "any_of":
                data[p["options"][0]["input"]] = True
                for option in p["options"][1:]:
                    data[option["input"]] = False
            elif kind == "per_year_comparison":
                for measure, favourable in ((p["subject"], True), (p["benchmark"], False)):
                    _yearly(measure, favourable, growth, years, data, benchmarks)
            elif kind == "ratio_bands":
                data[p["numerator"]] = 60
                data[p["denominator"]] = 100
            elif kind == "regional_count":
                data[p["input"]] = ["300000000"] * 6
            elif kind == "per_item":
                for category in p["categories"]:
                    data[category["input"]] = 3
            elif kind == "conditions":
                for cond in p["conditions"]:
                    _condition(cond, years, data, benchmarks)
    return data, benchmarks, {"years": list(years[1:]), "region": "east"}


def _yearly(measure, favourable, growth, years, data, benchmarks):
    m = measure["measure"]
    if m == "growth":
        if favourable:
            data[measure["figure"]] = {y: v for y, v in growth.items()}
        else:
            data.setdefault(measure["figure"], {y: Decimal(100) for y in years})  # flat: 0 % growth
    elif m == "share":
        data.setdefault(measure["numerator"], {y: Decimal(60) for y in years})
        data.setdefault(measure["denominator"], {y: Decimal(100) for y in years})
    elif m == "national":
        benchmarks[measure["figure"]] = {y: Decimal("0.01") for y in years}
    else:
        data[measure["figure"]] = {y: Decimal("0.01") for y in years}


def _condition(cond, years, data, benchmarks):
    op = engine.WORD_OPS[cond["word"]]
    if cond.get("numerator"):
        data[cond["numerator"]], data[cond["denominator"]] = 100, 100
        return
    key = cond["input"]
    if op == "true":
        data[key] = True
    elif op == "none":
        data[key] = 0
    elif op in ("gt", "ge"):
        data[key] = Decimal(cond["value"]) * 2 if cond.get("value") and Decimal(cond["value"]) > 1 else Decimal(1)
        if cond.get("value") and Decimal(cond["value"]) == 1:
            data[key] = Decimal(1)
    else:
        data[key] = 0
    if cond.get("benchmark"):
        benchmarks[cond["benchmark"]] = {y: Decimal("0.5") for y in years}
