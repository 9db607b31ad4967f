"""Notifications are part of the move's transaction (no move, no notification; no notification lost after a
move), and e-mail leaves only after commit. A refused move sends nothing."""
import pytest

from cases.errors import GuardFailed
from cases.journeys import drive, prepare
from cases.services import perform_transition
from cases.workflow import State
from notifications.models import Notification
from tests.factories import new_case


@pytest.mark.django_db
def test_a_move_notifies_the_people_concerned_and_mails_after_commit(cast, call, clock, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    cast.reviewer.email = "reviewer@zj.example"
    cast.reviewer.save()
    case = drive(new_case(cast, call), State.DRAFT, cast, clock)
    prepare(case, "submit", cast, clock)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        perform_transition(case_id=case.pk, name="submit", actor=cast.applicant)
    assert list(Notification.objects.filter(event="submit").values_list("recipient__username", flat=True)) == \
        [cast.reviewer.username]
    assert mailoutbox == []  # nothing has left before commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [["reviewer@zj.example"]]


@pytest.mark.django_db
def test_a_refused_move_sends_nothing(cast, call, clock, django_capture_on_commit_callbacks):
    case = new_case(cast, call)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(GuardFailed):
            perform_transition(case_id=case.pk, name="submit", actor=cast.applicant)
    assert callbacks == []
    assert not Notification.objects.exists()
