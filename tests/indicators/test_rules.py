"""Every rule kind at and around each of its boundaries, in both seed systems (pure engine, no database)."""
from decimal import Decimal as D

import pytest

from indicators import engine
from indicators.samples import full_marks
from indicators.seeds import load_spec

SYSTEMS = {code: engine.compile_system(load_spec(code)) for code in ("2022", "draft-current")}
YEARS_2022 = {"years": [2022, 2023], "region": "east"}
YEARS_DRAFT = {"years": [2022, 2023, 2024], "region": "east"}


def indicator(code, number, data, benchmarks=None, context=None):
    system = SYSTEMS[code]
    result = engine.score(system, data, benchmarks or {}, context or (YEARS_2022 if code == "2022" else YEARS_DRAFT))
    return next(i for i in result.indicators if i.number == number)


# ---------------------------------------------------------------- per-year comparison (超过: strict), growth = Y/(Y-1) − 1
def test_growth_beating_the_national_growth_each_year_gives_one_point_a_year():
    data = {"online_retail_sales": {2021: 100, 2022: 111, 2023: 122.1}}  # 11 %, 10 %
    bench = {"national_online_retail_growth": {2022: "0.10", 2023: "0.10"}}
    result = indicator("2022", 1, data, bench)
    assert result.score == 1  # 2022: 11 % > 10 %; 2023: exactly 10 % is not 超过
    assert "2023年：10.00% 未超过 10.00%" in result.items[0].detail


def test_growth_equal_to_national_gives_nothing_and_a_hair_above_gives_the_point():
    bench = {"national_online_retail_growth": {2022: "0.10", 2023: "0.10"}}
    equal = indicator("2022", 1, {"online_retail_sales": {2021: 100, 2022: 110, 2023: 121}}, bench)
    above = indicator("2022", 1, {"online_retail_sales": {2021: 100, 2022: "110.0001", 2023: "121.0002"}}, bench)
    assert (equal.score, above.score) == (0, 2)


def test_missing_national_benchmark_is_reported_missing_not_scored_zero():
    data = {"online_retail_sales": {2021: 100, 2022: 120, 2023: 150}}
    result = indicator("2022", 1, data, {"national_online_retail_growth": {2022: "0.1"}})
    assert result.score == 1
    assert result.status == "missing"
    assert result.missing == ["national_online_retail_growth[2023]"]
    assert result.best_case == 2


def test_window_is_the_last_two_years_in_2022_and_the_whole_creation_period_in_the_draft():
    series = {2020: 100, 2021: 200, 2022: 400, 2023: 800, 2024: 1600}
    bench22 = {"national_online_retail_growth": {y: "0.5" for y in series}}
    assert indicator("2022", 1, {"online_retail_sales": series}, bench22,
                     {"years": [2021, 2022, 2023]}).score == 2
    bench = {"national_ecommerce_growth": {y: "0.5" for y in series}}
    assert indicator("draft-current", 1, {"ecommerce_transactions": series}, bench).score == 3
    assert indicator("draft-current", 1, {"ecommerce_transactions": series}, bench,
                     {"years": [2023, 2024]}).score == 2  # a two-year creation period can give only 2 of 3


def test_local_growth_compared_with_local_retail_growth():
    data = {"online_retail_sales": {2021: 100, 2022: 110, 2023: 120},
            "retail_sales_total": {2021: 100, 2022: 105, 2023: 115.5}}  # online 10 %, 9.09 %; retail 5 %, 10 %
    assert indicator("2022", 2, data).score == 1
    draft = {"above_quota_online_retail_sales": {2021: 100, 2022: 110, 2023: 120, 2024: 130},
             "retail_sales_total": {2021: 100, 2022: 110, 2023: 120, 2024: 130}}
    assert indicator("draft-current", 2, draft).score == 0  # equal growth is not 超过


def test_share_compared_with_national_share():
    data = {"online_retail_sales": {2022: 30, 2023: 25}, "retail_sales_total": {2022: 100, 2023: 100}}
    bench = {"national_online_retail_share": {2022: "0.25", 2023: "0.25"}}
    assert indicator("2022", 6, data, bench).score == 1


def test_growth_from_a_zero_base_is_an_input_error_not_a_score():
    result = indicator("2022", 5, {"express_volume": {2021: 0, 2022: 10, 2023: 20}},
                       {"national_express_growth": {2022: "0.1", 2023: "0.1"}})
    assert result.status == "invalid" and result.score == 0


# ---------------------------------------------------------------- ratio bands (比值区间均含本数; shared end → higher band)
@pytest.mark.parametrize(("traders", "points"), [
    ("7.99", 0), ("8", 1), ("8.01", 1), ("14.99", 1), ("15", 2), ("15.01", 2), ("100", 2)])
def test_2022_trader_share_bands_8_15(traders, points):
    assert indicator("2022", 3, {"online_traders": traders, "market_entities": 100}).score == points


@pytest.mark.parametrize(("n", "points"), [("2.99", 0), ("3", 1), ("4.99", 1), ("5", 2), ("30", 2)])
def test_2022_employment_and_tax_bands_3_5(n, points):
    assert indicator("2022", 7, {"online_market_employment": n, "total_employment": 100}).score == points
    assert indicator("2022", 8, {"ecommerce_tax": n, "total_tax": 100}).score == points


@pytest.mark.parametrize(("n", "points"), [("29.99", 0), ("30", 1), ("50", 2)])
def test_2022_survival_bands_30_50(n, points):
    assert indicator("2022", 9, {"traders_over_2_years": n, "online_traders": 100}).score == points


@pytest.mark.parametrize(("n", "points"), [
    ("5.99", 0), ("6", 1), ("9.99", 1), ("10", 2), ("14.99", 2), ("15", 3), ("16", 3)])
def test_draft_entity_share_bands_6_10_15(n, points):
    result = indicator("draft-current", 3, {"online_business_entities": n, "business_entities": 100,
                                            "new_large_traders": []})
    assert result.score == points


# ---------------------------------------------------------------- counts with region-dependent thresholds (以上 = ≥)
@pytest.mark.parametrize(("region", "amount", "counts"), [
    ("east", "199999999.99", False), ("east", "200000000", True),
    ("central", "99999999", False), ("central", "100000000", True),
    ("west", "49999999", False), ("west", "50000000", True),
    ("northeast", "49999999", False), ("northeast", "50000000", True),
])
def test_a_firm_counts_from_its_regions_threshold_inclusive(region, amount, counts):
    context = {"years": [2022, 2023], "region": region}
    assert indicator("2022", 4, {"new_large_traders": [amount]}, context=context).score == (1 if counts else 0)


@pytest.mark.parametrize(("firms", "points"), [(0, 0), (1, 1), (2, 2), (5, 2)])
def test_2022_one_firm_one_point_two_or_more_two(firms, points):
    assert indicator("2022", 4, {"new_large_traders": ["3e8"] * firms}).score == points


@pytest.mark.parametrize(("firms", "points"), [(0, "0"), (1, "0.5"), (5, "2.5"), (6, "3"), (9, "3")])
def test_draft_half_point_a_firm_up_to_three(firms, points):
    result = indicator("draft-current", 3, {"online_business_entities": 0, "business_entities": 100,
                                            "new_large_traders": [{"amount": "2e8"}] * firms})
    assert result.score == D(points)


def test_draft_indicator_3_is_capped_at_its_own_five_points():
    result = indicator("draft-current", 3, {"online_business_entities": 20, "business_entities": 100,
                                            "new_large_traders": ["3e8"] * 6})
    assert (result.raw, result.score, result.capped) == (6, 5, True)


def test_region_is_required_for_region_dependent_counts():
    result = indicator("2022", 4, {"new_large_traders": ["3e8"]}, context={"years": [2022, 2023]})
    assert result.missing == ["context.region"]


# ---------------------------------------------------------------- rate thresholds: 大于/超过/高于 strict, 达到/不低于 inclusive
@pytest.mark.parametrize(("rate", "points"), [("0.95", 0), ("0.9501", 1), ("1", 1)])
def test_2022_report_check_rate_must_be_greater_than_95(rate, points):
    result = indicator("2022", 17, {"report_check_ontime_rate": rate, "assigned_case_timely_rate": "0.5",
                                    "assigned_case_completion_rate": "0.5", "i17_3": 0})
    assert result.score == points


@pytest.mark.parametrize(("rate", "points"), [("0.9999", 0), ("1", 1)])
def test_2022_identity_claim_rate_must_reach_100(rate, points):
    result = indicator("2022", 11, {"platform_users": 0, "regulatory_staff": 10, "identity_claim_rate": rate, "i11_3": 0})
    assert result.score == points


@pytest.mark.parametrize(("users", "points"), [(5, 0), (6, 1)])
def test_2022_platform_users_must_exceed_half_the_staff(users, points):
    result = indicator("2022", 11, {"platform_users": users, "regulatory_staff": 10, "identity_claim_rate": 0, "i11_3": 0})
    assert result.score == points


@pytest.mark.parametrize(("hours", "coverage", "points"), [(50, 1, 1), ("49.9", 1, 0), (50, "0.99", 0)])
def test_2022_training_coverage_reaches_100_and_hours_not_below_50(hours, coverage, points):
    result = indicator("2022", 38, {"i38_1": 0, "training_coverage_rate": coverage,
                                    "training_hours_per_person": hours})
    assert result.score == points


def test_2022_both_rates_must_hold_for_the_point():
    base = {"i17_3": 0, "report_check_ontime_rate": 0}
    assert indicator("2022", 17, {**base, "assigned_case_timely_rate": "0.91",
                                  "assigned_case_completion_rate": "0.90"}).score == 0
    assert indicator("2022", 17, {**base, "assigned_case_timely_rate": "0.91",
                                  "assigned_case_completion_rate": "0.91"}).score == 1


@pytest.mark.parametrize(("cases", "points"), [(0, 1), (1, 0)])
def test_2022_no_procedural_losses_means_zero_cases(cases, points):
    result = indicator("2022", 18, {"case_upheld_rate": 0, "case_win_rate": 0, "procedural_loss_cases": cases})
    assert result.score == points


@pytest.mark.parametrize(("local", "national", "points"), [("0.80", "0.80", 0), ("0.8001", "0.80", 1)])
def test_2022_mediation_rate_must_be_greater_than_the_national_rate(local, national, points):
    data = {"complaint_initial_check_ontime_rate": 0, "complaint_closed_ontime_rate": 0,
            "complaint_mediation_success_rate": local, "consumer_satisfaction": 0}
    bench = {"national_mediation_success_rate": {2023: national}, "national_consumer_satisfaction": {2023: "0.9"}}
    assert indicator("2022", 25, data, bench).score == points


def test_2022_benchmark_comparison_without_the_national_figure_is_missing():
    data = {"complaint_initial_check_ontime_rate": 1, "complaint_closed_ontime_rate": 1,
            "complaint_mediation_success_rate": "0.99", "consumer_satisfaction": "0.99"}
    result = indicator("2022", 25, data, {"national_consumer_satisfaction": {2023: "0.5"}})
    assert result.score == 2
    assert result.missing == ["national_mediation_success_rate[2023]"]
    assert result.status == "missing"


@pytest.mark.parametrize(("prior", "ontime", "points"), [
    ("0.60", "0.9801", 2),  # 不低于 the national 60 %: equal is enough
    ("0.5999", "0.9801", 0),
    ("0.60", "0.98", 0),  # 高于 98 %: equal is not enough
])
def test_draft_odr_prior_settlement_not_below_national_and_ontime_above_98(prior, ontime, points):
    data = {"odr_prior_settlement_rate": prior, "odr_closed_ontime_rate": ontime}
    assert indicator("draft-current", 18, data, {"national_odr_prior_settlement_rate": {2024: "0.60"}}).score == points


@pytest.mark.parametrize(("first", "closed", "points"), [("0.99", "1", 0), ("0.9901", "0.9901", 2)])
def test_draft_complaints_over_99_percent(first, closed, points):
    data = {"complaint_initial_check_ontime_rate": first, "complaint_closed_ontime_rate": closed,
            "complaint_mediation_success_rate": "0.9"}
    assert indicator("draft-current", 17, data, {"national_mediation_success_rate": {2024: "0.5"}}).score == points


@pytest.mark.parametrize(("sectors", "points"), [(4, 0), (5, 6), (6, 6)])
def test_draft_at_least_five_sectors_includes_five(sectors, points):
    data = {"trusted_consumption_sectors": sectors, "trusted_consumption_units": True}
    assert indicator("draft-current", 19, data).score == points


def test_a_failed_condition_decides_the_item_even_when_another_figure_is_missing():
    result = indicator("draft-current", 18, {"odr_closed_ontime_rate": "0.5"})
    assert result.score == 0 and result.status == "scored" and result.best_case == 0


# ---------------------------------------------------------------- per-item points with caps
@pytest.mark.parametrize(("regs", "rules", "docs", "points"), [
    (0, 0, 0, "0"), (0, 0, 1, "1"), (0, 0, 2, "2"), (0, 1, 0, "2"), (0, 1, 1, "3"), (1, 0, 0, "3"), (1, 1, 1, "3")])
def test_draft_regulations_3_rules_2_documents_1_at_most_3(regs, rules, docs, points):
    result = indicator("draft-current", 24, {"regulations": regs, "rules": rules, "normative_documents": docs})
    assert result.score == D(points)


def test_draft_indicator_24_can_never_reach_its_four_points():
    result = indicator("draft-current", 24, {"regulations": 5, "rules": 5, "normative_documents": 5})
    assert result.score == 3 < result.points


@pytest.mark.parametrize(("commend", "meet", "central", "prov", "points"), [
    (1, 0, 0, 0, "1.5"), (0, 1, 0, 0, "0.5"), (2, 1, 0, 0, "3.5"), (2, 2, 0, 0, "4"), (3, 0, 0, 0, "4"),
    (0, 0, 1, 0, "1"), (0, 0, 1, 1, "1.5"), (0, 0, 2, 0, "1.5"), (0, 0, 0, 3, "1.5"), (1, 0, 2, 0, "3"),
])
def test_draft_commendations_and_media_with_the_media_cap_and_the_indicator_cap(commend, meet, central, prov, points):
    data = {"commendations": commend, "meeting_exchanges": meet, "central_media_reports": central,
            "provincial_media_reports": prov}
    assert indicator("draft-current", 25, data).score == D(points)


@pytest.mark.parametrize(("outputs", "points"), [(0, 0), (1, 1), (2, 2), (3, 2)])
def test_2022_one_point_an_output_at_most_two(outputs, points):
    assert indicator("2022", 34, {"institutional_outputs": outputs}).score == points


def test_a_fractional_count_is_rejected():
    assert indicator("2022", 34, {"institutional_outputs": "1.5"}).status == "invalid"


# ---------------------------------------------------------------- expert checklists and any-one-qualifies
def test_expert_scores_each_item_up_to_its_points():
    assert indicator("2022", 12, {"i12_1": "1", "i12_2": "0.5", "i12_3": "0"}).score == D("1.5")
    assert indicator("draft-current", 7, {"d7_1": "1.5", "d7_2": "1.5", "d7_3": 1, "d7_4": True}).score == 5


def test_expert_score_above_the_items_points_is_invalid():
    result = indicator("2022", 12, {"i12_1": "2", "i12_2": "1", "i12_3": "1"})
    assert result.status == "invalid"
    assert "0 至 1 分" in result.items[0].detail


def test_unscored_checklist_items_are_missing():
    result = indicator("2022", 13, {"i13_1": 1})
    assert result.score == 1 and sorted(result.missing) == ["i13_2", "i13_3"] and result.best_case == 3


def test_any_one_option_gives_full_points():
    assert indicator("2022", 28, {"i28_1_1": False, "i28_1_2": False, "i28_1_3": True}).score == 3
    assert indicator("2022", 28, {"i28_1_1": False, "i28_1_2": False, "i28_1_3": False}).score == 0
    assert indicator("draft-current", 22, {"d22_1_2": "是"}).score == 6


def test_any_one_unknown_options_leave_it_missing_until_one_qualifies():
    result = indicator("2022", 29, {"i29_1_1": False})
    assert result.status == "missing" and result.best_case == 3


# ---------------------------------------------------------------- the pass rule at its edges
def scored(code, overrides):
    data, bench, ctx = full_marks(load_spec(code))
    return engine.score(SYSTEMS[code], data, bench, ctx, overrides=overrides)


def test_full_marks_are_100_in_2022_and_99_in_the_draft():
    assert scored("2022", {}).total == 100
    draft = scored("draft-current", {})
    assert draft.total == 99  # indicator 24 cannot give its fourth point
    assert draft.decision == "pass"


def test_2022_exactly_85_and_exactly_75_percent_in_a_group_passes():
    # 综合保障 (15): 75 % is 11.25. Take 3.75 off it and 11.25 elsewhere (促进发展 to exactly 15) → total 85.
    overrides = {35: 0, 36: "1.25", 1: 0, 2: 0, 6: "1", 11: 0, 12: "0.75", 20: "2"}
    result = scored("2022", overrides)
    g5 = next(g for g in result.groups if g.code == "G5")
    assert g5.score == D("11.25") and g5.rate == D("0.75")
    assert result.total == 85
    assert result.decision == "pass"


def test_2022_a_quarter_point_below_85_fails_and_says_by_how_much():
    result = scored("2022", {35: 0, 36: "1.25", 1: 0, 2: 0, 6: "1", 11: 0, 12: "0.75", 20: "1.75"})
    assert result.total == D("84.75")
    assert result.decision == "fail"
    assert any("差 0.25 分" in reason for reason in result.reasons)


def test_2022_group_below_75_percent_fails_even_with_a_high_total():
    result = scored("2022", {35: 0, 36: "1"})  # 综合保障 15 − 4 = 11 < 11.25
    assert result.total == 96
    assert result.decision == "fail"
    assert any("综合保障" in reason and "差 0.25 分" in reason for reason in result.reasons)


def test_draft_exactly_80_percent_in_a_group_passes_and_just_below_fails():
    # 促进发展 (20): 80 % is 16.
    at = scored("draft-current", {1: 0, 4: 4})
    below = scored("draft-current", {1: 0, 4: "3.5"})
    g1_at = next(g for g in at.groups if g.code == "G1")
    assert g1_at.score == 16 and at.decision == "pass"
    assert below.decision == "fail"
    assert any("促进发展" in reason and "差 0.5 分" in reason for reason in below.reasons)


def test_draft_exactly_85_passes():
    result = scored("draft-current", {1: 0, 5: "3", 6: "2", 7: "2", 14: "2"})
    assert result.total == 85 and result.decision == "pass"


def test_decision_waits_for_missing_inputs_that_could_change_it():
    data, bench, ctx = full_marks(load_spec("2022"))
    del data["i35_1"], data["i36_1"]  # 综合保障 needs them to reach 75 %
    partial = engine.score(SYSTEMS["2022"], data, bench, ctx, overrides={37: 0})
    assert partial.decision == "incomplete"
    assert "35:i35_1" in partial.missing
    empty = engine.score(SYSTEMS["2022"], {}, {}, ctx, overrides={n: 0 for n in range(35, 42)})
    assert empty.decision == "fail"  # 综合保障 can no longer reach 75 % whatever comes in


def test_explanation_names_the_inputs_each_item_used():
    data, bench, ctx = full_marks(load_spec("2022"))
    item = engine.score(SYSTEMS["2022"], data, bench, ctx).as_dict()["indicators"][0]["items"][0]
    assert set(item["inputs"]) == {"online_retail_sales[2022]", "online_retail_sales[2023]",
                                   "online_retail_sales[2024]", "national_online_retail_growth[2023]",
                                   "national_online_retail_growth[2024]"}
    assert item["detail"].startswith("2023年：20.00% 超过 1.00%，得 1 分")


def test_comparison_words_follow_the_civil_code():
    assert [engine.WORD_OPS[w] for w in ("以上", "以下", "以内", "不满", "超过")] == ["ge", "le", "le", "lt", "gt"]
    assert [engine.WORD_OPS[w] for w in ("大于", "高于", "达到", "不低于")] == ["gt", "gt", "ge", "ge"]
