"""办法 第八条 择优推荐: a province ranks the cities it recommends for a call; each rank is used once per province and
call — by a case in any state, also after SAMR has decided it — in the database as well as in the form."""
import dataclasses

import pytest
from django.db import IntegrityError, transaction

from applications.models import PreliminaryReview
from cases.errors import InvalidPayload
from cases.journeys import drive
from cases.services import perform_transition
from cases.workflow import State
from tests.factories import applicant_for, new_case


@pytest.fixture
def ningbo(cast):
    return dataclasses.replace(cast, applicant=applicant_for("330200"))


@pytest.mark.django_db
def test_a_rank_stays_taken_after_the_first_case_was_decided(cast, ningbo, call, clock):
    first = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    perform_transition(case_id=first.pk, name="recommend", actor=cast.reviewer, payload={"rank": 1})
    perform_transition(case_id=first.pk, name="approve_creation", actor=cast.officer)  # decided: now creating
    second = drive(new_case(ningbo, call), State.SUBMITTED, ningbo, clock)
    with pytest.raises(InvalidPayload) as refusal:
        perform_transition(case_id=second.pk, name="recommend", actor=cast.reviewer, payload={"rank": 1})
    assert "rank" in refusal.value.extra["errors"]
    perform_transition(case_id=second.pk, name="recommend", actor=cast.reviewer, payload={"rank": 2})
    assert sorted(PreliminaryReview.objects.filter(outcome="recommend").values_list("rank", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_the_same_rank_in_another_call_or_province_is_free(cast, other_cast, call, clock):
    from tests.factories import CallFactory

    first = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    perform_transition(case_id=first.pk, name="recommend", actor=cast.reviewer, payload={"rank": 1})
    nanjing = drive(new_case(other_cast, call), State.SUBMITTED, other_cast, clock)
    perform_transition(case_id=nanjing.pk, name="recommend", actor=other_cast.reviewer, payload={"rank": 1})
    assert PreliminaryReview.objects.filter(rank=1).count() == 2
    assert CallFactory().pk != call.pk


@pytest.mark.django_db
def test_the_database_itself_refuses_a_second_rank(cast, ningbo, call, clock):
    first = drive(new_case(cast, call), State.SUBMITTED, cast, clock)
    perform_transition(case_id=first.pk, name="recommend", actor=cast.reviewer, payload={"rank": 3})
    second = new_case(ningbo, call)
    with pytest.raises(IntegrityError), transaction.atomic():
        PreliminaryReview.objects.create(case=second, outcome="recommend", rank=3, call=call,
                                         province=first.creation_object.province, reviewer=cast.reviewer)
