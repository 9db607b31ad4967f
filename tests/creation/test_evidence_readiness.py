"""Evidence per indicator and live readiness (issue 9 items 4, 5, 11): entries are appended and corrected, never
overwritten; a liaison enters only for their unit's indicators; readiness is the engine's score of the same inputs;
every suggestion earns, when applied, exactly the points it promises."""
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.errors import Conflict, IllegalTransition, InvalidPayload, NotAllowed
from cases.journeys import _assessment_years
from creation import evidence, readiness
from creation.models import Evidence
from evaluation.sheets import case_years, system_for_case
from indicators import engine, samples
from indicators.selectors import compiled_system, national_benchmarks

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add(case, actor, **kwargs):
    kwargs.setdefault("source", "统计年鉴（测试）")
    return evidence.add_evidence(case_id=case.pk, actor=actor, **kwargs)


def engine_score(case, inputs):
    system = system_for_case(case)
    years = case_years(case, system).years
    return engine.score(compiled_system(system), inputs, national_benchmarks(list(system.benchmark_catalogue), years),
                        {"years": years, "region": case.creation_object.province.economic_region})


def test_a_figure_is_entered_with_its_source_and_attributed(creating, cast):
    year = _assessment_years()[-1]
    entry = add(creating, cast.applicant, number=1, key="online_retail_sales", year=year, value="1200")
    assert entry.entered_by == cast.applicant and entry.source and entry.year == year
    assert creating.audit_entries.filter(name="add_evidence").exists()


def test_a_correction_is_a_new_entry_and_the_latest_uncorrected_counts(creating, cast):
    year = _assessment_years()[-1]
    first = add(creating, cast.applicant, number=3, key="online_traders", value="100")
    fixed = add(creating, cast.applicant, number=3, corrects=first.pk, value="150", note="更正：统计口径")
    assert Evidence.objects.filter(case=creating).count() == 2  # nothing overwritten
    assert fixed.corrects == first and fixed.key == "online_traders"
    figures, _docs = evidence.current_entries(evidence.entries_of(creating))
    assert figures[("online_traders", None)].pk == fixed.pk
    with pytest.raises(Conflict):  # correct the correction, not the corrected entry
        add(creating, cast.applicant, number=3, corrects=first.pk, value="170")
    add(creating, cast.applicant, number=1, key="online_retail_sales", year=year, value="10")
    withdrawn = add(creating, cast.applicant, number=3, corrects=fixed.pk, value="", note="撤回")
    figures, _docs = evidence.current_entries(evidence.entries_of(creating))
    assert figures[("online_traders", None)].pk == withdrawn.pk
    assert "online_traders" not in readiness.inputs_now(creating, system_for_case(creating))


def test_values_are_checked_as_the_score_sheet_checks_them(creating, cast):
    with pytest.raises(InvalidPayload) as refusal:
        add(creating, cast.applicant, number=3, key="online_traders", value="许多")
    assert "网络交易经营者数量" in str(refusal.value.message)
    with pytest.raises(InvalidPayload):  # a yearly input needs its year
        add(creating, cast.applicant, number=1, key="online_retail_sales", value="10")
    with pytest.raises(InvalidPayload):  # indicator 3 does not use this input
        add(creating, cast.applicant, number=3, key="online_retail_sales", year=2024, value="10")
    add(creating, cast.applicant, number=3, key="online_traders", value="5")
    with pytest.raises(InvalidPayload):  # a denominator of zero: the engine refuses it, so does the store
        add(creating, cast.applicant, number=3, key="market_entities", value="0")
    with pytest.raises(InvalidPayload):  # a figure without its source
        evidence.add_evidence(case_id=creating.pk, actor=cast.applicant, number=3, key="online_traders", value="6")


def test_a_document_for_a_scoring_item_is_stored_as_creation_evidence(creating, cast):
    entry = add(creating, cast.applicant, number=10, item="i10_1", source="",
                file=SimpleUploadedFile("特色.pdf", PDF, content_type="application/pdf"))
    assert entry.document.kind == "creation_evidence" and entry.document.case_id == creating.pk
    with pytest.raises(InvalidPayload):
        add(creating, cast.applicant, number=10, item="i10_1",
            file=SimpleUploadedFile("x.pdf", b"<html></html>", content_type="application/pdf"))


def test_a_liaison_enters_only_for_their_units_indicators(units, creating, cast):
    from django.http import Http404

    commerce = units["commerce_liaison"]
    entry = add(creating, commerce, number=3, key="online_traders", value="100")
    assert entry.unit == units["commerce"]
    with pytest.raises(Exception) as refusal:  # indicator 10 is 市场监管局's: outside their scope
        add(creating, commerce, number=10, key="i10_1", value="1")
    assert refusal.type.__name__ in ("NotFound", "Http404")
    with pytest.raises(Exception) as refusal:  # nor may they correct another unit's entry
        other = add(creating, cast.applicant, number=10, key="i10_1", value="1")
        add(creating, commerce, number=10, corrects=other.pk, value="2")
    assert refusal.type.__name__ in ("NotFound", "Http404")
    assert Http404


def test_readers_do_not_write_evidence(creating, cast):
    with pytest.raises(NotAllowed):
        add(creating, cast.reviewer, number=3, key="online_traders", value="100")


def test_readiness_equals_the_engines_score_of_the_same_inputs(creating, cast, systems):
    years = _assessment_years()
    add(creating, cast.applicant, number=1, key="online_retail_sales", year=years[0], value="100")
    add(creating, cast.applicant, number=1, key="online_retail_sales", year=years[1], value="101")
    add(creating, cast.applicant, number=3, key="online_traders", value="10")
    add(creating, cast.applicant, number=3, key="market_entities", value="100")
    add(creating, cast.applicant, number=10, key="i10_1", value="1")
    answer = readiness.readiness(creating)
    inputs = {"online_retail_sales": {years[0]: "100", years[1]: "101"}, "online_traders": "10",
              "market_entities": "100", "i10_1": "1"}
    expected = engine_score(creating, inputs)
    assert Decimal(answer["total"]) == expected.total
    assert answer["passes"] == expected.passed_as_scored
    assert {i["number"]: Decimal(i["score"]) for i in answer["indicators"]} == \
        {i.number: i.score for i in expected.indicators}
    assert [Decimal(g["score"]) for g in answer["groups"]] == [g.score for g in expected.groups]
    assert set(answer) >= {"total", "points", "passes", "groups", "indicators", "suggestions"}


def test_every_suggestion_earns_the_points_it_promises(creating, cast, systems):
    """Apply each suggestion to the inputs, score again with the engine: the gain is what it said."""
    years = _assessment_years()
    data, _benchmarks, _context = samples.full_marks(systems["2022"].spec(), years=(years[0] - 1, *years))
    # Half of the work done: a weak growth, a low ratio, some expert items at half, one condition short.
    add(creating, cast.applicant, number=1, key="online_retail_sales", year=years[0], value="100")
    add(creating, cast.applicant, number=1, key="online_retail_sales", year=years[1], value="100.5")
    add(creating, cast.applicant, number=3, key="online_traders", value="1")
    add(creating, cast.applicant, number=3, key="market_entities", value="100")
    add(creating, cast.applicant, number=11, key="identity_claim_rate", value="0.5")
    add(creating, cast.applicant, number=12, key="i12_1", value="0.5")
    add(creating, cast.applicant, number=34, key="institutional_outputs", value="1")
    add(creating, cast.applicant, number=4, key="new_large_traders", value="1")
    answer = readiness.readiness(creating)
    assert answer["suggestions"], "a city with gaps gets suggestions"
    gains = [Decimal(s["points_gained"]) for s in answer["suggestions"]]
    assert gains == sorted(gains, reverse=True)
    base = Decimal(answer["total"])
    system = system_for_case(creating)
    inputs = readiness.inputs_now(creating, system)
    for suggestion in answer["suggestions"]:
        patch = {k: ({int(y): v for y, v in v.items()} if isinstance(v, dict) else v)
                 for k, v in suggestion["changes"].items()}
        again = engine_score(creating, readiness.apply_patch(inputs, patch))
        assert again.total - base == Decimal(suggestion["points_gained"]), suggestion
        assert suggestion["action"]
    kinds = {s["indicator"] for s in answer["suggestions"]}
    assert {1, 3, 11, 12, 34} <= kinds
    assert any("15.00%" in s["action"] or "%" in s["action"] for s in answer["suggestions"] if s["indicator"] == 3)


def test_suggestions_name_the_responsible_unit(units, creating, cast):
    add(creating, cast.applicant, number=12, key="i12_1", value="0.5")
    answer = readiness.readiness(creating)
    by_indicator = {s["indicator"]: s for s in answer["suggestions"]}
    assert by_indicator[12]["unit"] == "市市场监管局"
    assert by_indicator[1]["unit"] == "市商务局" if 1 in by_indicator else True


def test_readiness_over_time_reads_the_store_as_it_stood(creating, cast, trial_clock):
    import datetime

    add(creating, cast.applicant, number=10, key="i10_1", value="1")
    trial_clock.shift(datetime.timedelta(days=40))
    add(creating, cast.applicant, number=12, key="i12_1", value="1")
    points = readiness.history(creating)
    assert len(points) >= 2
    assert Decimal(points[0]["total"]) < Decimal(points[-1]["total"])


def test_evidence_is_closed_once_the_case_has_applied(creating, cast):
    from cases.models import Case

    Case.objects.filter(pk=creating.pk).update(state="evaluation_applied")
    with pytest.raises(IllegalTransition):
        add(creating, cast.applicant, number=3, key="online_traders", value="100")


def test_the_demo_evidence_leaves_a_real_gap_and_says_demo(units, creating):
    from creation.demo_evidence import add_demo_evidence

    count = add_demo_evidence(creating)
    assert count > 20 and add_demo_evidence(creating) == 0  # idempotent
    assert not Evidence.objects.filter(case=creating).exclude(source__contains="演示").exists()
    assert Evidence.objects.filter(case=creating, number="4", unit=units["commerce"]).exists()
    answer = readiness.readiness(creating)
    assert Decimal("0") < Decimal(answer["total"]) < Decimal(answer["points"])
    assert answer["suggestions"] and len(readiness.history(creating)) >= 3
