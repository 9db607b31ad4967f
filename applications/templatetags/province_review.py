"""The case page's 初审 panel for provincial reviewers and SAMR officers: `{% province_review_panel case %}`.
Presentation only; the reads are applications.review_views.case_panel."""
from django import template

register = template.Library()


@register.inclusion_tag("applications/review/_case_panel.html", takes_context=True)
def province_review_panel(context, case):
    from cases.workflow import State

    from ..review_views import case_panel

    user = context["request"].user
    return {"case": case, "panel": case_panel(case, user),
            "pre_review": case.evaluation_applied_at is not None,
            "awaiting_pre_review": case.state == State.EVALUATION_APPLIED,
            # 办法 第八条 择优推荐: a city awaiting review under measures that rank is recommended through its list.
            "on_list": (case.state == State.SUBMITTED and case.call_id and case.rule_set.province_ranks
                        and getattr(user, "role", None) == "provincial_reviewer")}
