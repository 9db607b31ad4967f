"""When a score sheet waits for national figures (全国数据) that no admin has entered yet: the admins are told
which ones, once, and the sheet's author is told who must enter them — never asked to supply them (only admins
enter national benchmark figures, with their source: indicators.services.set_national_figure)."""
from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Role

EVENT = "national_figures_missing"


def request_missing_figures(*, case, figures):
    """Notify every active admin that ``figures`` (the national figures' names, indicators.wording) are needed to score
    ``case``'s sheets. Admins who have an unread notice of the same figures for this case are not told again.
    Who may call it: the score-sheet services, after a refused submission (in its own transaction, so the notice
    stays though the submission did not happen). Returns the notifications written."""
    from notifications.models import Notification
    from notifications.services import case_context, notify

    if not figures:
        return []
    listed = "、".join(str(f) for f in figures)
    admins = list(get_user_model().objects.filter(role=Role.ADMIN, is_active=True)
                  .select_related("notification_preference"))
    told = set(Notification.objects.filter(event=EVENT, case=case, read_at__isnull=True,
                                           recipient__in=admins, body__contains=listed)
               .values_list("recipient_id", flat=True))
    users = [u for u in admins if u.pk not in told]
    if not users:
        return []
    with transaction.atomic():
        return notify(case=case, event=EVENT, users=users, context=case_context(case, figures=listed))
