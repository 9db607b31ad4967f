"""Small helpers for the case pages: how a state or a role looks to a reader. Presentation only."""
from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from cases.workflow import SYSTEM, TERMINAL_STATES, State

register = template.Library()

# Bootstrap badge colour per state: blue while waiting on someone, green for the good outcomes, grey for the
# closed ones, red for the adverse ones.
_BADGES = {
    State.DRAFT: "text-bg-light border",
    State.RETURNED: "text-bg-warning",
    State.EVALUATION_RETURNED: "text-bg-warning",
    State.AWAITING_RE_EVALUATION: "text-bg-warning",
    State.CREATING: "text-bg-info",
    State.IN_PUBLICITY: "text-bg-info",
    State.EVALUATION_PASSED: "text-bg-success",
    State.DESIGNATED: "text-bg-success",
    State.REVOKED: "text-bg-danger",
    State.EVALUATION_FAILED: "text-bg-danger",
    State.NOT_DESIGNATED: "text-bg-danger",
}


@register.filter
def state_badge(state):
    """The badge classes for a state value."""
    if state in _BADGES:
        return _BADGES[state]
    if state in TERMINAL_STATES:
        return "text-bg-secondary"
    return "text-bg-primary"


@register.filter
def state_label(state):
    """The translated label of a state value (audit entries keep the value, not the label)."""
    try:
        return State(state).label
    except ValueError:
        return state


@register.filter
def role_label(role):
    """The translated label of a role value; the periodic sweeps act as the system."""
    if role == SYSTEM:
        return _("系统")
    try:
        return Role(role).label
    except ValueError:
        return role


@register.filter
def audit_label(entry):
    """What an audit entry did, in the reader's language: a move's label from the workflow, else the stored
    label looked up in the catalogue (entries store the label as it was written)."""
    from cases.services import MOVES

    move = MOVES.get(entry.name)
    if move is not None:
        return move.label
    return gettext(entry.label)


@register.filter
def days_overdue(days_left):
    """-days_left: how many days a passed deadline is overdue."""
    try:
        return -int(days_left)
    except (TypeError, ValueError):
        return ""
