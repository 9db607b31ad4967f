"""A case in creation (杭州市) with its office, two units and their liaisons; another city's case in creation.
And, for the evidence and readiness tests, a case in creation under the 2022 system with national figures, two
units with liaisons and the plan's responsibilities — built with the ORM, so those tests do not depend on the plan
services."""
import dataclasses

import pytest

from accounts.models import Role, User
from cases.journeys import _assessment_years, drive
from cases.workflow import State
from creation import services
from creation.models import Liaison, Plan, Responsibility, Unit
from indicators import samples
from indicators import services as indicator_services
from indicators.models import IndicatorSystem
from indicators.services import load_seed_systems
from tests.deadlines.conftest import trial_clock
from tests.factories import UserFactory, cast_for, new_case

PASSWORD = "Qz7-workbench-2026"


@dataclasses.dataclass
class Workspace:
    case: object
    cast: object
    office: object
    scj: object  # unit 市市场监管局
    county: object  # unit 临安区
    liaison_scj: object
    liaison_county: object


def make_workspace(cast, call, clock, code_suffix=""):
    load_seed_systems()
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    office = cast.applicant
    scj = services.add_unit(case_id=case.pk, actor=office, name="市市场监管局")
    county = services.add_unit(case_id=case.pk, actor=office, name="临安区", kind="county")
    liaison_scj = services.create_liaison(case_id=case.pk, actor=office, unit_id=scj.pk,
                                          username=f"liaison-scj{code_suffix}", name="市场监管联络员",
                                          password=PASSWORD).user
    liaison_county = services.create_liaison(case_id=case.pk, actor=office, unit_id=county.pk,
                                             username=f"liaison-county{code_suffix}", name="区联络员",
                                             password=PASSWORD).user
    case.refresh_from_db()
    return Workspace(case, cast, office, scj, county, liaison_scj, liaison_county)


@pytest.fixture
def ws(db, cast, call, clock):
    return make_workspace(cast, call, clock)


@pytest.fixture
def other_ws(db, other_cast, call, clock):
    return make_workspace(other_cast, call, clock, code_suffix="-js")


def simple_plan(ws):
    """A plan with two phases and three tasks: 1 led by 市市场监管局, 2 led by 临安区 with 市市场监管局 as co-unit,
    3 led by 临安区 alone."""
    import datetime

    today = datetime.date(2026, 3, 2)
    services.save_plan(case_id=ws.case.pk, actor=ws.office, goals="目标", phases=[
        {"order": 1, "name": "启动部署", "starts_on": today, "ends_on": today + datetime.timedelta(days=60)},
        {"order": 2, "name": "组织实施", "starts_on": today + datetime.timedelta(days=61),
         "ends_on": today + datetime.timedelta(days=300)},
    ])
    t1 = services.create_task(case_id=ws.case.pk, actor=ws.office, title="加强数字化监管", lead_unit=ws.scj.pk, phase=1,
                              due_on=today + datetime.timedelta(days=20))
    t2 = services.create_task(case_id=ws.case.pk, actor=ws.office, title="开展协同监管", lead_unit=ws.county.pk,
                              co_units=[ws.scj.pk], phase=2, due_on=today + datetime.timedelta(days=200))
    t3 = services.create_task(case_id=ws.case.pk, actor=ws.office, title="助力共同富裕", lead_unit=ws.county.pk)
    return t1, t2, t3


__all__ = ["PASSWORD", "Role", "User", "trial_clock"]


@pytest.fixture
def systems(db):
    indicator_services.load_seed_systems()
    return {s.code: s for s in IndicatorSystem.objects.all()}


@pytest.fixture
def creating(cast, trial_clock, systems):
    """杭州市's case in creation under the 2022 trial measures, national figures entered (demo)."""
    case = drive(new_case(cast), State.CREATING, cast, trial_clock)
    years = _assessment_years()
    _data, benchmarks, _context = samples.full_marks(systems["2022"].spec(), years=(years[0] - 1, *years))
    for key, series in benchmarks.items():
        for year, value in series.items():
            indicator_services.set_national_figure(key=key, label=key, year=year, value=value, source="测试", is_demo=True)
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
