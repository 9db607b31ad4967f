import pytest

from cases.journeys import PATHS, drive
from cases.workflow import State
from tests.factories import new_case


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(PATHS))
def test_every_state_is_reachable_under_current_measures(state, cast, call, clock):
    case = drive(new_case(cast, call), state, cast, clock)
    assert case.state == state
    entries = list(case.audit_entries.filter(kind="transition").order_by("sequence"))
    assert [e.name for e in entries] == PATHS[State(state)]
