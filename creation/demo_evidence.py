"""Demo evidence (issue 9 item 10): figures and self-ratings for part of the indicators of the demo case in
creation, so that readiness shows a real gap and what closes it. Every entry says 演示 in its source.

Built from the case's own indicator version (indicators.samples.full_marks gives inputs that earn every point;
the demo enters them for about two thirds of the indicators, and rates the expert items at part of their points),
so it works whichever version the demo case scores against. Entered through creation.evidence.add_evidence — by
the responsible unit's liaison where the plan names one, else by the city's office — and then dated over the
months before today, so the readiness chart has a history."""
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from indicators import engine, samples

from . import evidence
from .models import Evidence, Liaison, Responsibility

SOURCE = "演示数据（非真实统计）"
SPREAD_MONTHS = 6


def _office_user(case):
    from accounts.models import User

    return (User.objects.filter(role=Role.APPLICANT, organisation__creation_object=case.creation_object,
                                is_active=True).order_by("pk").first())


def _entrants(case):
    """{indicator number: user}: the lead unit's first liaison where the plan has one."""
    liaisons = {}
    for liaison in Liaison.objects.filter(unit__creation_object=case.creation_object, user__is_active=True,
                                          unit__active=True).select_related("user").order_by("pk"):
        liaisons.setdefault(liaison.unit_id, liaison.user)
    return {int(r.number): liaisons[r.lead_unit_id] for r in Responsibility.objects.filter(plan__case=case)
            if str(r.number).isdigit() and r.lead_unit_id in liaisons}


def _json(value):
    if isinstance(value, Decimal):
        return engine.fmt(value)
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def add_demo_evidence(case):
    """Enter the demo evidence for ``case`` (in creation); returns the number of entries. Idempotent: a case that
    already has evidence is left as it is."""
    from evaluation.sheets import case_years, system_for_case

    if Evidence.objects.filter(case=case).exists():
        return 0
    office = _office_user(case)
    if office is None:
        return 0
    system = system_for_case(case)
    years = case_years(case, system).years or [timezone.localdate().year - 2, timezone.localdate().year - 1]
    data, _benchmarks, _context = samples.full_marks(system.spec(), years=(years[0] - 1, *years))
    shape = evidence.indicator_inputs(system)
    entrants = _entrants(case)
    points = {item.rule.input: item.points for ind in evidence.compiled_system(system).indicators
              for item in ind.items if item.rule.kind == "expert"}
    created = []
    for number, parts in sorted(shape.items()):
        if number % 3 == 0:
            continue  # a third of the indicators without evidence yet: the gap readiness shows
        actor = entrants.get(number, office)
        for key, kind in parts["keys"].items():
            if key not in data or any(e for e in created if e.key == key):
                continue
            value = data[key]
            if key in points:  # an expert item: the city's own rating, part of its points
                share = Decimal((number % 4) + 2) / 5 if number % 4 != 3 else Decimal(1)
                value = (points[key] * share).quantize(Decimal("0.1"))
            if kind == "yearly":
                for year, figure in sorted(value.items()):
                    created.append(_add(case, actor, number, key, year, _json(figure)))
            else:
                created.append(_add(case, actor, number, key, None, _json(value)))
    _date_over_months(created)
    return len(created)


def _add(case, actor, number, key, year, value):
    return evidence.add_evidence(case_id=case.pk, actor=actor, number=number, key=key, year=year, value=value,
                                 source=SOURCE, note="演示")


def _date_over_months(entries):
    """Spread the demo entries over the last SPREAD_MONTHS months (oldest first), as if gathered over time."""
    if not entries:
        return
    now = timezone.now()
    with transaction.atomic():
        for index, entry in enumerate(entries):
            months_ago = SPREAD_MONTHS - (index * SPREAD_MONTHS) // len(entries)
            Evidence.objects.filter(pk=entry.pk).update(entered_at=now - datetime.timedelta(days=30 * months_ago))
