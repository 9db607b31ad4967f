"""Template tags of the creation period used on other stages' pages."""
from django import template

from creation.models import Task

register = template.Library()


@register.inclusion_tag("creation/evidence/_open_tasks.html")
def open_plan_tasks(case):
    """The plan's tasks not completed (办法 第十二条: the city assesses itself against the indicator system and its
    plan), shown beside the self-assessment's scores. One query."""
    tasks = list(Task.objects.filter(plan__case=case).exclude(status=Task.Status.DONE)
                 .select_related("lead_unit", "phase").order_by("due_on", "number"))
    return {"case": case, "tasks": tasks, "has_plan": bool(tasks) or Task.objects.filter(plan__case=case).exists()}
