from django import template

from creation import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def creation_workspace_open(context, case):
    """Whether the signed-in user may open the case's creation workspace (from the approval of creation on)."""
    user = context.get("user")
    return case.state in selectors.WORKSPACE_STATES and user is not None and user.role in (
        "applicant", "provincial_reviewer", "samr_officer")


@register.simple_tag(takes_context=True)
def liaison_workspace_case(context):
    """The case whose workspace a liaison works in (their city's, latest first), or None."""
    user = context.get("user")
    if getattr(user, "role", None) != "member_liaison":
        return None
    return selectors.workspace_cases(user).order_by("-pk").only("pk").first()
