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


def _yes_no(value):
    return _("已完成") if value else _("未完成")


# What an audit entry's data says, for the history on the case page: (key, label, how to show the value). Only
# these keys are shown, by name — never an internal key.
_AUDIT_FACTS = [
    # The rank and the sanction ground have lines of their own on the case page (audit-rank, history-ground).
    ("creation_start", _("创建期开始日"), lambda data: data["creation_start"]),
    ("creation_end", _("创建期届满日"), lambda data: data["creation_end"]),
    ("previous_end", _("原届满日"), lambda data: data["previous_end"]),
    ("new_end", _("延长至"), lambda data: data["new_end"]),
    ("first_day", _("公示开始日"), lambda data: data["first_day"]),
    ("documents_checked", _("资料审查"), lambda data: _yes_no(data["documents_checked"])),
    ("data_compared", _("数据比对"), lambda data: _yes_no(data["data_compared"])),
    ("site_checked", _("实地核查"), lambda data: _yes_no(data["site_checked"])),
]


@register.filter
def audit_facts(entry):
    """[(label, value)] of the decision's particulars kept in an audit entry (the rank of a recommendation, the
    ground of a sanction, the dates SAMR set …), in the reader's language."""
    data = entry.data if isinstance(getattr(entry, "data", None), dict) else {}
    facts = []
    for key, label, show in _AUDIT_FACTS:
        if data.get(key) not in (None, ""):
            try:
                facts.append((label, show(data)))
            except (KeyError, TypeError, ValueError):
                continue
    return facts
