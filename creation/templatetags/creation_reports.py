"""{% load creation_reports %}{% reports_panel case %} — the workspace hub's panel of milestones, progress reports
and checks (templates/creation/reports/_hub_panel_body.html), for the signed-in user."""
from django import template

from creation import milestones, reports, selectors

register = template.Library()


@register.inclusion_tag("creation/reports/_hub_panel_body.html", takes_context=True)
def reports_panel(context, case):
    user = context["request"].user
    plan = getattr(case, "plan", None)
    overview = milestones.case_overview(case, selectors.tasks_visible(user, plan)) if plan else None
    return {"case": case, "user": user, "overview": overview, **reports.counts_for_hub(user, case),
            "may_report": reports.may_read_reports(user, case)}
