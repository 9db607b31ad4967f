"""The demo workspace (issue #9, part 10): a 浙江 city in creation gets 003's 20 tasks with their departments, a
county-level unit, the responsible unit for every indicator of its version, two liaisons and some progress —
through the real services, and only once."""
import pytest

from accounts.models import Role, User
from cases.journeys import drive
from cases.workflow import State
from creation.demo import seed_creation_demo
from creation.models import Plan, TaskProgress, Unit
from evaluation.sheets import system_for_case
from indicators.services import load_seed_systems
from tests.factories import new_case


@pytest.mark.django_db
def test_the_demo_city_gets_its_workspace_once(cast, call, clock):
    load_seed_systems()
    case = drive(new_case(cast, call), State.CREATING, cast, clock)
    assert seed_creation_demo("demo-pass-2026") == case
    plan = Plan.objects.get(case=case)
    assert plan.tasks.count() == 20
    assert plan.tasks.get(number=6).title == "推行竞争政策试点"
    assert plan.tasks.get(number=6).lead_unit.name == "市市场监管局"
    assert plan.phases.count() == 5
    assert plan.responsibilities.count() == system_for_case(case).indicators.count()
    assert Unit.objects.filter(creation_object=case.creation_object, kind="county").count() == 1
    scj, county = User.objects.get(username="liaison-scj"), User.objects.get(username="liaison-county")
    assert scj.role == county.role == Role.MEMBER_LIAISON
    assert scj.check_password("demo-pass-2026")
    assert TaskProgress.objects.filter(task__plan=plan).count() == 4
    assert all("演示" in t.content for t in plan.tasks.all())
    seed_creation_demo("demo-pass-2026")  # a second run changes nothing
    assert Plan.objects.get(case=case).version == plan.version
