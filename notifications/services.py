"""Fan-out of case events to the people concerned. Called on commit only (cases.services._notify_on_commit)."""
from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.models import Role

from .models import Notification


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
    return get_user_model().objects.filter(q, is_active=True)


def notify_roles(*, case_id, roles, event, subject, body=""):
    from cases.models import Case

    case = Case.objects.select_related("creation_object").get(pk=case_id)
    Notification.objects.bulk_create(
        [Notification(recipient=u, case=case, event=event, subject=subject, body=body) for u in recipients_for(case, roles)]
    )
