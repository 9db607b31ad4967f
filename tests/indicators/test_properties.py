"""Properties of scoring in both systems: no indicator above its points, the total is the sum, and a more
favourable input never lowers a score."""
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import engine
from indicators.seeds import load_spec

SPECS = {code: load_spec(code) for code in ("2022", "draft-current")}
SYSTEMS = {code: engine.compile_system(spec) for code, spec in SPECS.items()}
YEARS = [2021, 2022, 2023, 2024]
CONTEXT = {"years": YEARS[1:], "region": "east"}

rates = st.decimals(min_value=0, max_value=1, places=4)
amounts = st.decimals(min_value=1, max_value=10**9, places=2)
counts = st.integers(min_value=0, max_value=8)
maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731 - None: the input is missing


def input_strategy(spec):
    """A strategy for a whole submission: every input of the system, each possibly missing."""
    fields, benches = {}, {}
    for key, meta in spec["inputs"].items():
        kind = meta["type"]
        if kind == "yearly" and key in AGAINST_US:
            continue
        if kind == "yearly":
            fields[key] = maybe(st.fixed_dictionaries({y: amounts for y in YEARS}))
        elif kind == "rate":
            fields[key] = maybe(rates)
        elif kind == "number":
            fields[key] = maybe(st.decimals(min_value=1, max_value=10**6, places=2))
        elif kind == "count":
            fields[key] = maybe(counts)
        elif kind == "bool":
            fields[key] = maybe(st.booleans())
        elif kind == "amounts":
            fields[key] = maybe(st.lists(amounts.map(lambda a: a * 2), max_size=8))
    for _, ind in engine.iter_indicators(spec):
        for item in ind["items"]:
            if item["rule"]["kind"] == "expert":
                top = D(item["points"])
                fields[item["rule"]["params"]["input"]] = maybe(
                    st.decimals(min_value=0, max_value=top, places=1))
    for key in spec["benchmarks"]:
        benches[key] = maybe(st.fixed_dictionaries({y: rates for y in YEARS}))
    strip = lambda d: {k: v for k, v in d.items() if v is not None}  # noqa: E731
    return st.tuples(st.fixed_dictionaries(fields).map(strip), st.fixed_dictionaries(benches).map(strip))


# Local series the applicant is measured against (a benchmark growth, a share's denominator): more is not better.
AGAINST_US = {"retail_sales_total"}


def favourable(spec, data, rng):
    """The same submission with some inputs moved in the applicant's favour."""
    better = dict(data)
    for key, meta in spec["inputs"].items():
        if key not in better or not rng.draw(st.booleans()):
            continue
        value, kind = better[key], meta["type"]
        if kind == "yearly" and key in AGAINST_US:
            continue
        if kind == "yearly":
            # Raise the latest year only: raising an earlier year would lower the next year's growth.
            better[key] = {**value, YEARS[-1]: value[YEARS[-1]] * D("1.5")}
        elif kind == "rate":
            better[key] = min(D(1), value + D("0.05"))
        elif kind == "count" and key != "procedural_loss_cases":
            better[key] = value + 1
        elif kind == "count":
            better[key] = max(0, value - 1)
        elif kind == "bool":
            better[key] = True
        elif kind == "amounts":
            better[key] = [*value, D("3e8")]
        elif kind == "score":
            better[key] = value  # the maximum is the item's; kept
    return better


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["2022", "draft-current"]).flatmap(
    lambda code: st.tuples(st.just(code), input_strategy(SPECS[code]))))
def test_no_indicator_scores_above_its_points_and_the_total_is_the_sum(case):
    code, (data, benches) = case
    result = engine.score(SYSTEMS[code], data, benches, CONTEXT)
    for ind in result.indicators:
        assert D(0) <= ind.score <= ind.points
        assert ind.score <= ind.best_case <= ind.points
    assert result.total == sum(i.score for i in result.indicators)
    assert result.total == sum(g.score for g in result.groups)
    assert result.total <= result.best_total <= 100
    if result.decision == "pass":
        assert result.total >= 85


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_more_favourable_input_never_lowers_a_score(rng):
    code = rng.draw(st.sampled_from(["2022", "draft-current"]))
    data, benches = rng.draw(input_strategy(SPECS[code]))
    better = favourable(SPECS[code], data, rng)
    before = engine.score(SYSTEMS[code], data, benches, CONTEXT)
    after = engine.score(SYSTEMS[code], better, benches, CONTEXT)
    for old, new in zip(before.indicators, after.indicators, strict=True):
        if old.status != "invalid" and new.status != "invalid":
            assert new.score >= old.score, (old.number, old.as_dict(), new.as_dict())
    assert after.total >= before.total or any(i.status == "invalid" for i in after.indicators)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_lower_national_benchmark_never_lowers_a_score(rng):
    code = rng.draw(st.sampled_from(["2022", "draft-current"]))
    data, benches = rng.draw(input_strategy(SPECS[code]))
    lower = {k: {y: v - D("0.01") for y, v in series.items()} for k, series in benches.items()}
    before = engine.score(SYSTEMS[code], data, benches, CONTEXT)
    after = engine.score(SYSTEMS[code], data, lower, CONTEXT)
    assert all(n.score >= o.score for o, n in zip(before.indicators, after.indicators, strict=True))


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_filling_in_a_missing_input_never_goes_beyond_the_best_case(rng):
    code = rng.draw(st.sampled_from(["2022", "draft-current"]))
    data, benches = rng.draw(input_strategy(SPECS[code]))
    partial = {k: v for k, v in data.items() if rng.draw(st.booleans())}
    best = engine.score(SYSTEMS[code], partial, benches, CONTEXT)
    full = engine.score(SYSTEMS[code], data, benches, CONTEXT)
    for b, f in zip(best.indicators, full.indicators, strict=True):
        if f.status != "invalid" and b.status != "invalid":
            assert f.score <= b.best_case
