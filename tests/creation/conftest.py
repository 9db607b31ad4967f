"""A case in creation under the 2022 system with national figures, its office, two units with liaisons and the
plan's responsibilities — built with the ORM, so these tests do not depend on the plan services."""
import pytest

from accounts.models import Role
from cases.journeys import _assessment_years, drive
from cases.workflow import State
from creation.models import Liaison, Plan, Responsibility, Unit
from indicators import samples, services
from indicators.models import IndicatorSystem
from tests.deadlines.conftest import trial_clock
from tests.factories import UserFactory, new_case

__all__ = ["trial_clock"]


@pytest.fixture
def systems(db):
    services.load_seed_systems()
    return {s.code: s for s in IndicatorSystem.objects.all()}


@pytest.fixture
def creating(cast, trial_clock, systems):
    """杭州市's case in creation under the 2022 trial measures, national figures entered (demo)."""
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    years = _assessment_years()
    _data, benchmarks, _context = samples.full_marks(systems["2022"].spec(), years=(years[0] - 1, *years))
    for key, series in benchmarks.items():
        for year, value in series.items():
            services.set_national_figure(key=key, label=key, year=year, value=value, source="测试", is_demo=True)
    return case


def liaison_of(unit, username):
    from accounts.models import Organisation

    office = Organisation.objects.get(creation_object=unit.creation_object)
    user = UserFactory(username=username, role=Role.MEMBER_LIAISON, organisation=office)
    Liaison.objects.create(user=user, unit=unit, created_by=user)
    return user


@pytest.fixture
def units(creating, cast):
    """商务局 answers for indicators 1–5, 市场监管局 for 6–41; one liaison each."""
    co = creating.creation_object
    commerce = Unit.objects.create(creation_object=co, name="市商务局", created_by=cast.applicant)
    market = Unit.objects.create(creation_object=co, name="市市场监管局", created_by=cast.applicant)
    plan = Plan.objects.create(case=creating, updated_by=cast.applicant)
    Responsibility.objects.bulk_create(
        [Responsibility(plan=plan, number=str(n), lead_unit=commerce if n <= 5 else market) for n in range(1, 42)])
    return {"commerce": commerce, "market": market, "plan": plan,
            "commerce_liaison": liaison_of(commerce, "liaison-commerce"),
            "market_liaison": liaison_of(market, "liaison-market")}
