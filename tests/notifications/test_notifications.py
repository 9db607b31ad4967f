"""Notifications: in the app and by e-mail, in each recipient's language, only after commit, with a delivery log;
a broker or mail server that is down delays e-mail but loses none."""
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from kombu.exceptions import OperationalError

from cases.journeys import drive, prepare
from cases.services import perform_transition
from cases.workflow import State
from notifications import services
from notifications.models import Delivery, Notification, Preference
from tests.deadlines.conftest import with_email
from tests.factories import new_case


def submitted(cast, call, clock, callbacks):
    case = drive(new_case(cast, call), State.DRAFT, cast, clock)
    prepare(case, "submit", cast, clock)
    with callbacks(execute=True):
        perform_transition(case_id=case.pk, name="submit", actor=cast.applicant)
    return case


@pytest.mark.django_db
def test_each_recipient_reads_the_notification_in_their_own_language(cast, call, clock,
                                                                      django_capture_on_commit_callbacks):
    Preference.objects.create(user=cast.reviewer, language="en")
    case = submitted(cast, call, clock, django_capture_on_commit_callbacks)
    note = Notification.objects.get(case=case, event="submit", recipient=cast.reviewer)
    assert note.language == "en"
    assert "提交创建申请" not in note.subject and "Submit" in note.subject
    # The same event for a Chinese reader (the default):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_roles(case_id=case.pk, roles=["applicant"], event="submit", subject="")
    assert "提交创建申请" in Notification.objects.get(case=case, recipient=cast.applicant).subject


@pytest.mark.django_db
def test_e_mail_goes_out_after_commit_and_the_delivery_log_says_what_went_to_whom(cast, call, clock,
                                                                                   django_capture_on_commit_callbacks):
    with_email(cast)
    case = submitted(cast, call, clock, django_capture_on_commit_callbacks)
    note = Notification.objects.get(case=case, event="submit")
    by_channel = {d.channel: d for d in note.deliveries.all()}
    assert by_channel["in_app"].status == "sent"
    email = by_channel["email"]
    assert (email.status, email.address, email.attempts) == ("sent", cast.reviewer.email, 1)
    assert email.sent_at is not None
    assert [m.to for m in mail.outbox] == [[cast.reviewer.email]] and mail.outbox[0].subject == note.subject


@pytest.mark.django_db
def test_a_user_without_an_address_or_who_turned_e_mail_off_gets_it_in_the_app_only(cast, call, clock,
                                                                                     django_capture_on_commit_callbacks):
    Preference.objects.create(user=cast.reviewer, email=False)
    cast.reviewer.email = "r@example.gov.cn"
    cast.reviewer.save()
    case = submitted(cast, call, clock, django_capture_on_commit_callbacks)
    email = Delivery.objects.get(notification__case=case, channel="email")
    assert email.status == "skipped" and mail.outbox == []


@pytest.mark.django_db
def test_nothing_is_sent_when_the_causing_transaction_rolls_back(cast, call, clock, django_capture_on_commit_callbacks):
    with_email(cast)
    case = new_case(cast, call)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify(case=case, event="deadline_reminder", roles=["applicant"],
                            context=services.case_context(case, kind="application", due="2026-05-31", days=7,
                                                          article="办法 第七条"))
            raise RuntimeError("the cause failed")
    assert not Notification.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_with_the_broker_down_the_move_succeeds_and_the_e_mail_waits_for_the_next_sweep(
        cast, call, clock, django_capture_on_commit_callbacks):
    with_email(cast)
    with mock.patch("notifications.tasks.send_email.delay", side_effect=OperationalError("Redis is down")):
        case = submitted(cast, call, clock, django_capture_on_commit_callbacks)
    assert case.__class__.objects.get(pk=case.pk).state == State.SUBMITTED
    email = Delivery.objects.get(notification__case=case, channel="email")
    assert email.status == "pending" and mail.outbox == []
    assert Notification.objects.filter(case=case, recipient=cast.reviewer).exists()  # in the app at once
    assert services.deliver_pending() == {"sent": 1, "failed": 0, "skipped": 0}
    assert services.deliver_pending() == {"sent": 0, "failed": 0, "skipped": 0}  # sent once
    email.refresh_from_db()
    assert email.status == "sent" and len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_mail_server_is_retried_then_marked_failed(cast, call, clock, settings,
                                                            django_capture_on_commit_callbacks):
    with_email(cast)
    with mock.patch("notifications.services.send_mail", side_effect=ConnectionRefusedError("smtp down")):
        case = submitted(cast, call, clock, django_capture_on_commit_callbacks)
        email = Delivery.objects.get(notification__case=case, channel="email")
        assert (email.status, email.attempts) == ("pending", 1)
        assert "smtp down" in email.error
        for _attempt in range(services.MAX_EMAIL_ATTEMPTS - 1):
            services.deliver_pending()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", services.MAX_EMAIL_ATTEMPTS)
    assert services.deliver_pending()["sent"] == 0  # failed ones wait for a person


@pytest.mark.django_db
def test_only_the_recipient_can_mark_a_notification_read(cast, call, clock, django_capture_on_commit_callbacks):
    case = submitted(cast, call, clock, django_capture_on_commit_callbacks)
    note = Notification.objects.get(case=case, event="submit")
    assert services.mark_read(notification_id=note.pk, user=cast.applicant) == 0
    assert services.mark_read(notification_id=note.pk, user=cast.reviewer) == 1
