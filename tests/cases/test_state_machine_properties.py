"""Random move sequences (hypothesis) never break the legal order: the history replays to the current state,
no case skips a stage, and every change of the case is in the audit trail."""
import datetime

import time_machine
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings, strategies as st

import pytest
from cases.errors import DomainError
from cases.journeys import act
from cases.models import Case
from cases.services import MOVES
from cases.workflow import State
from tests.conftest import START
from tests.factories import new_case


def replay(entries):
    """Re-run the recorded moves from a draft through the transition table; return the state reached."""
    state = State.DRAFT
    for entry in entries:
        move = MOVES[entry.name]
        assert entry.from_state == state, f"history jumps from {state} to {entry.from_state}"
        assert state in move.sources, f"{entry.name} is not a move from {state}"
        state = entry.to_state
    return state


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), steps=st.integers(min_value=1, max_value=30))
def test_random_move_sequences_keep_the_legal_order(data, steps, cast, call):
    savepoint = transaction.savepoint()
    try:
        with time_machine.travel(START, tick=False) as clock:
            case = new_case(cast, call)
            for _ in range(steps):
                # Mostly a move that exists from here (so runs go deep), sometimes any move (so refusals are tried).
                legal = sorted(n for n, m in MOVES.items() if case.state in m.sources)
                choices = st.sampled_from(sorted(MOVES))
                if legal:
                    choices = st.one_of(st.sampled_from(legal), st.sampled_from(legal), choices)
                name = data.draw(choices)
                try:
                    act(case, name, cast, clock)
                except DomainError:
                    pass  # refused moves must leave no trace; the checks below prove it
                clock.shift(datetime.timedelta(days=1))
                case = Case.objects.get(pk=case.pk)
                event(f"reached {case.state}")
            case = Case.objects.get(pk=case.pk)
            entries = list(case.audit_entries.order_by("sequence"))
            assert [e.sequence for e in entries] == list(range(1, len(entries) + 1))
            assert replay([e for e in entries if e.kind == "transition"]) == case.state
            # Every change bumps the version and writes exactly one entry.
            assert case.version == len(entries)
            assert case.evaluation_failures == sum(1 for e in entries if e.name == "fail_evaluation")
    finally:
        transaction.savepoint_rollback(savepoint)
