"""Fan-out of case events to the people concerned: a notification in the app and an e-mail, each in the
recipient's language, each with a line in the delivery log.

The rows are written in the caller's transaction (or, for case moves, right after it committed: cases.services
calls notify_roles on commit). E-mail leaves only after commit: the pending deliveries are handed to a Celery
worker; when the broker cannot take them (Redis down) they stay PENDING and the deliver_pending sweep sends them
later — nothing is lost, and the web request that caused them does not fail.
"""
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role

from . import messages
from .models import Delivery, Notification, Preference

log = logging.getLogger(__name__)

# After this many failed attempts an e-mail is marked FAILED and left for a person to look at.
MAX_EMAIL_ATTEMPTS = getattr(settings, "NOTIFICATION_EMAIL_MAX_ATTEMPTS", 5)


def recipients_for(case, roles):
    """Active users of the given roles who are in the case's scope."""
    q = Q()
    if Role.APPLICANT in roles:
        q |= Q(role=Role.APPLICANT, organisation__creation_object_id=case.creation_object_id)
    if Role.PROVINCIAL_REVIEWER in roles:
        q |= Q(role=Role.PROVINCIAL_REVIEWER, organisation__province_id=case.creation_object.province_id)
    if Role.SAMR_OFFICER in roles:
        q |= Q(role=Role.SAMR_OFFICER)
    if not q:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(q, is_active=True).select_related("notification_preference")


def _preference(user):
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


def case_context(case, **extra):
    return {"case": str(case.creation_object), "reference": case.reference, "state": case.state, **extra}


def notify(*, case, event, roles=(), users=None, context=None, subject="", body=""):
    """Write one notification per recipient (the users given, or those of ``roles`` in the case's scope), in
    each recipient's language, with its in-app and e-mail delivery lines; e-mail goes out after commit.

    Who may call it: services, inside their transaction or on commit. Returns the notifications."""
    recipients = list(users if users is not None else recipients_for(case, roles))
    if not recipients:
        return []
    context = context if context is not None else case_context(case)
    now = timezone.now()
    with transaction.atomic():
        notifications = []
        for user in recipients:
            preference = _preference(user)
            title, text = messages.render(event, language=preference.language, context=context,
                                          fallback_subject=subject, fallback_body=body)
            notifications.append(Notification(recipient=user, case=case, event=event, subject=title[:200], body=text,
                                              language=preference.language, created_at=now))
        Notification.objects.bulk_create(notifications)
        if any(n.pk is None for n in notifications):  # backends that do not return ids from bulk inserts
            notifications = list(Notification.objects.filter(case=case, event=event, created_at=now))
        by_user = {u.pk: u for u in recipients}
        deliveries = []
        for n in notifications:
            user = by_user[n.recipient_id]
            deliveries.append(Delivery(notification=n, channel=Delivery.Channel.IN_APP, status=Delivery.Status.SENT,
                                       created_at=now, sent_at=now, attempts=1))
            wants_email = _preference(user).email and user.email
            deliveries.append(Delivery(notification=n, channel=Delivery.Channel.EMAIL, address=user.email,
                                       created_at=now, status=Delivery.Status.PENDING if wants_email
                                       else Delivery.Status.SKIPPED,
                                       error="" if wants_email else "no e-mail address or e-mail turned off"))
        Delivery.objects.bulk_create(deliveries)
        pending = [d.pk for d in deliveries if d.status == Delivery.Status.PENDING]
        if pending:
            transaction.on_commit(lambda: dispatch_email(pending))
    return notifications


def notify_roles(*, case_id, roles, event, subject, body=""):
    """The hook cases.services calls after a move or recorded action commits."""
    from cases.models import Case

    case = Case.objects.select_related("creation_object__province").get(pk=case_id)
    return notify(case=case, event=event, roles=roles, subject=subject, body=body)


def dispatch_email(delivery_ids):
    """Hand these pending e-mails to a worker. If the broker is down, log it and leave them PENDING: the
    deliver_pending sweep sends them later. Never raises — the act that caused the e-mail has committed."""
    from .tasks import send_email

    try:
        send_email.delay(delivery_ids)
    except Exception as error:  # kombu.OperationalError, redis ConnectionError, DNS … — all mean "later"
        log.warning("e-mail left pending, broker unavailable: %s", error)


def send_one(delivery_id):
    """Send one pending e-mail delivery and log the outcome. Locks the row (skipping it if another worker holds
    it), so two workers never send the same delivery at once. Returns the new status, or None if skipped."""
    with transaction.atomic():
        try:
            delivery = (Delivery.objects.select_for_update(skip_locked=True).select_related("notification")
                        .filter(pk=delivery_id, status=Delivery.Status.PENDING).first())
        except DatabaseError:
            return None
        if delivery is None:
            return None
        n = delivery.notification
        delivery.attempts += 1
        try:
            send_mail(n.subject, n.body, settings.DEFAULT_FROM_EMAIL, [delivery.address], fail_silently=False)
        except Exception as error:  # SMTP errors of every kind: log and retry on the next sweep
            delivery.error = f"{type(error).__name__}: {error}"[:2000]
            if delivery.attempts >= MAX_EMAIL_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
            log.warning("e-mail delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error)
        else:
            delivery.status, delivery.sent_at, delivery.error = Delivery.Status.SENT, timezone.now(), ""
        delivery.save(update_fields=["status", "attempts", "sent_at", "error"])
        return delivery.status


def send_many(delivery_ids):
    """Send the given deliveries (those still pending); the task behind dispatch_email."""
    return [send_one(pk) for pk in delivery_ids]


def deliver_pending(*, limit=1000, progress=None):
    """Send every pending e-mail (oldest first, at most ``limit``). Idempotent: a sent delivery is no longer
    pending; a delivery held by another worker is skipped. Returns {"sent": n, "failed": n, "skipped": n}."""
    ids = list(Delivery.objects.filter(status=Delivery.Status.PENDING, channel=Delivery.Channel.EMAIL)
               .order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for i, delivery_id in enumerate(ids, 1):
        status = send_one(delivery_id)
        key = {Delivery.Status.SENT: "sent", None: "skipped"}.get(status, "failed")
        counts[key] += 1
        if progress:
            progress(i, len(ids))
    return counts


def mark_read(*, notification_id, user):
    """The recipient marks a notification read (no one else can). Returns 1 if it was unread, else 0."""
    return Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())


def mark_all_read(*, user):
    """The user marks every unread notification of theirs read, in one statement. Returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def set_preference(*, user, language=None, email=None):
    """The user changes how they hear from us (their own preference only; anyone signed in). Notifications
    written after this use the new language; those already written keep theirs. Returns the preference."""
    with transaction.atomic():
        preference, _ = Preference.objects.select_for_update().get_or_create(user=user)
        changed = []
        if language is not None and language != preference.language:
            preference.language = language
            changed.append("language")
        if email is not None and email != preference.email:
            preference.email = email
            changed.append("email")
        if changed:
            preference.save(update_fields=changed)
    return preference
