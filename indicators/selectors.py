"""Reads: a version as the engine's dict, its compiled form (cached for published versions), benchmarks."""
from decimal import Decimal

from . import engine
from .models import IndicatorSystem, NationalFigure, SystemStatus

_COMPILED = {}  # pk → CompiledSystem, published versions only (they never change)
_SPECS = {}  # pk → system_spec(), published versions only: the score sheet pages read it on every request


def _num(value):
    return None if value is None else engine.fmt(Decimal(value))


def system_spec(system: IndicatorSystem) -> dict:
    groups = list(system.groups.all().order_by("order", "pk"))
    indicators = list(system.indicators.all().prefetch_related("items").order_by("number"))
    by_group = {}
    for ind in indicators:
        by_group.setdefault(ind.group_id, []).append({
            "number": ind.number, "name": ind.name, "points": _num(ind.points), "nature": ind.nature,
            "nature_text": ind.nature_text, "criteria": ind.criteria, "assessment_methods": ind.assessment_methods,
            "data_sources": ind.data_sources, "notes": ind.notes,
            "items": [{"key": it.key, "label": it.label, "points": _num(it.points),
                       "rule": {"kind": it.kind, "params": it.params}}
                      for it in sorted(ind.items.all(), key=lambda i: (i.order, i.pk))]})
    top = []
    for group in groups:
        if group.parent_id:
            continue
        entry = {"code": group.code, "name": group.name, "points": _num(group.points)}
        subs = [g for g in groups if g.parent_id == group.pk]
        if subs:
            entry["subgroups"] = [{"name": s.name, "points": _num(s.points), "indicators": by_group.get(s.pk, [])}
                                  for s in subs]
        else:
            entry["indicators"] = by_group.get(group.pk, [])
        top.append(entry)
    return {
        "code": system.code, "title": system.title, "source_document": system.source_document,
        "status": system.status, "effective_date": system.effective_date.isoformat() if system.effective_date else None,
        "points": _num(system.points),
        "pass_rule": {"total_threshold": _num(system.total_threshold),
                      "group_rate_threshold": _num(system.group_rate_threshold), "text": system.pass_rule_text},
        "scoring_years": system.scoring_years, "groups": top, "notes": system.notes, "inputs": system.input_catalogue,
        "benchmarks": system.benchmark_catalogue,
    }


def published_spec(system: IndicatorSystem) -> dict:
    """system_spec(), kept in memory for a published version (three queries fewer per score sheet page, issue 13).
    For reading only: the same dict is handed to every caller."""
    if system.status == SystemStatus.DRAFT:
        return system_spec(system)
    key = (system.pk, system.code, system.published_at)  # a reused pk (a test database) is another version
    if key not in _SPECS:
        _SPECS[key] = system_spec(system)
    return _SPECS[key]


def compiled_system(system: IndicatorSystem, spec=None):
    """``spec``: the draft's system_spec() when the caller has it already (saves reading it twice)."""
    if system.status == SystemStatus.DRAFT:
        return engine.compile_system(spec if spec is not None else system_spec(system))
    if system.pk not in _COMPILED:
        _COMPILED[system.pk] = engine.compile_system(published_spec(system))
    return _COMPILED[system.pk]


def systems_visible():
    return IndicatorSystem.objects.all().order_by("-status", "-effective_date", "code")


def national_benchmarks(keys=None, years=None):
    """{key: {year: Decimal}} of the national figures entered by admins (demo figures included, flagged apart)."""
    qs = NationalFigure.objects.all()
    if keys is not None:
        qs = qs.filter(key__in=list(keys))
    if years is not None:
        qs = qs.filter(year__in=list(years))
    out = {}
    for key, year, value in qs.values_list("key", "year", "value"):
        out.setdefault(key, {})[year] = value
    return out


def benchmark_sources(keys=None):
    qs = NationalFigure.objects.all()
    if keys is not None:
        qs = qs.filter(key__in=list(keys))
    return [{"key": f.key, "label": f.label, "year": f.year, "value": engine.fmt(f.value), "source": f.source,
             "is_demo": f.is_demo} for f in qs.order_by("key", "year")]
