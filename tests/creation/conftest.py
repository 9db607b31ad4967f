"""A case in creation (杭州市) with its office, two units and their liaisons; another city's case in creation."""
import dataclasses

import pytest

from accounts.models import Role, User
from cases.journeys import drive
from cases.workflow import State
from creation import services
from indicators.services import load_seed_systems
from tests.factories import cast_for, new_case

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


__all__ = ["PASSWORD", "Role", "User"]
