"""A creating case with member units, liaisons and a structured plan, for the tests of milestones, progress
reports and checks (made directly through the models: the plan's services are another part of issue 9)."""
import dataclasses
import datetime

from django.utils import timezone

from accounts.models import Role
from cases.journeys import drive
from cases.workflow import State
from creation.models import Liaison, Phase, Plan, Task, Unit
from tests.factories import UserFactory, cast_for, new_case


@dataclasses.dataclass
class World:
    cast: object
    case: object
    plan: object
    units: dict
    liaisons: dict
    phases: list
    tasks: list

    @property
    def office(self):
        return self.cast.applicant


def liaison_for(unit, username, office):
    user = UserFactory(username=username, role=Role.MEMBER_LIAISON, organisation=office.organisation,
                       email=f"{username}@example.gov.cn")
    Liaison.objects.create(user=user, unit=unit, created_by=office)
    return user


def make_world(call, clock, code="330100", *, plan=True, prefix=""):
    cast = cast_for(code)
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    office = cast.applicant
    co = case.creation_object
    units = {
        "market": Unit.objects.create(creation_object=co, name=f"{prefix}市市场监管局", created_by=office),
        "county": Unit.objects.create(creation_object=co, name=f"{prefix}某县人民政府", kind=Unit.Kind.COUNTY,
                                      created_by=office),
    }
    liaisons = {key: liaison_for(unit, f"{prefix}liaison-{code}-{key}", office) for key, unit in units.items()}
    world = World(cast=cast, case=case, plan=None, units=units, liaisons=liaisons, phases=[], tasks=[])
    if plan:
        today = timezone.localdate()
        world.plan = Plan.objects.create(case=case, goals="（演示）", updated_by=office)
        world.phases = [
            Phase.objects.create(plan=world.plan, order=1, name="启动部署", starts_on=today - datetime.timedelta(days=60),
                                 ends_on=today + datetime.timedelta(days=14)),
            Phase.objects.create(plan=world.plan, order=2, name="组织实施", starts_on=today,
                                 ends_on=today + datetime.timedelta(days=200)),
        ]
        world.tasks = [
            Task.objects.create(plan=world.plan, number=1, title="完善网络市场监管机制", lead_unit=units["market"],
                                phase=world.phases[0], due_on=today + datetime.timedelta(days=14)),
            Task.objects.create(plan=world.plan, number=2, title="推进县域电商发展", lead_unit=units["county"],
                                phase=world.phases[1], due_on=today + datetime.timedelta(days=30)),
        ]
    return world
