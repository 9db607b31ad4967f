"""The full transition table: every legal (state, move) works; every other pair is refused and changes nothing."""
import pytest

from applications.models import PreliminaryReview
from cases.errors import IllegalTransition, NotFound
from cases.journeys import PATHS, act, drive
from cases.models import AuditEntry, Case
from cases.services import MOVES, SYSTEM_ACTOR, perform_transition
from cases.workflow import SYSTEM, State
from tests.factories import new_case

LEGAL = [(state, name) for state in PATHS for name, move in sorted(MOVES.items()) if state in move.sources]


def expected_target(case, name):
    if name == "fail_evaluation":
        allowed = case.rule_set.re_evaluations_allowed
        return State.AWAITING_RE_EVALUATION if case.evaluation_failures + 1 <= allowed else State.EVALUATION_FAILED
    targets = {t.target for t in Case._meta.get_field("state").get_all_transitions(Case) if t.name == name}
    (target,) = targets
    return target


def snapshot(case):
    case.refresh_from_db()
    return (case.state, case.version, AuditEntry.objects.filter(case=case).count(),
            PreliminaryReview.objects.filter(case=case).count(), case.creation_end, case.evaluation_failures)


def test_the_table_covers_every_state_and_move():
    sources = {s for m in MOVES.values() for s in m.sources}
    assert set(PATHS) == set(State)
    assert sources <= set(State)
    assert len(LEGAL) == sum(len(m.sources) for m in MOVES.values())


@pytest.mark.django_db
@pytest.mark.parametrize("state,name", LEGAL, ids=[f"{s}-{n}" for s, n in LEGAL])
def test_legal_move_works(state, name, cast, call, clock):
    case = drive(new_case(cast, call), state, cast, clock)
    target = expected_target(case, name)
    case = act(case, name, cast, clock)
    assert case.state == target
    last = case.audit_entries.filter(kind="transition").order_by("-sequence").first()
    assert (last.name, last.from_state, last.to_state) == (name, state, target)
    assert last.article  # every move quotes its article


def actor_for(move, cast):
    role = sorted(move.roles)[0]
    return SYSTEM_ACTOR if role == SYSTEM else cast.for_role(role)


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(PATHS))
def test_every_other_move_is_refused_and_changes_nothing(state, cast, call, clock):
    case = drive(new_case(cast, call), state, cast, clock)
    before = snapshot(case)
    refused = 0
    for name, move in sorted(MOVES.items()):
        if state in move.sources:
            continue
        actor = actor_for(move, cast)
        if state == State.DRAFT and actor == cast.reviewer:
            # The province sees a city's case only from its submission on: a draft is outside its scope.
            with pytest.raises(NotFound):
                perform_transition(case_id=case.pk, name=name, actor=actor, payload={"comment": "x"})
            refused += 1
            continue
        with pytest.raises(IllegalTransition) as refusal:
            perform_transition(case_id=case.pk, name=name, actor=actor_for(move, cast),
                               payload={"comment": "x", "rank": 1, "ground": "decline"})
        assert refusal.value.http_status == 409
        assert str(State(state).label) in str(refusal.value.message)  # names the current state …
        assert refusal.value.extra["state"] == state  # … and lists what is allowed from it
        refused += 1
    assert refused == len(MOVES) - sum(1 for m in MOVES.values() if state in m.sources)
    assert snapshot(case) == before
