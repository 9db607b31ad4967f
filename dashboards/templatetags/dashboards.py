"""Template helpers of the dashboards: a table cell in its column's format, and the case page's score chart."""
import datetime
from decimal import Decimal

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def index(sequence, position):
    try:
        return sequence[position]
    except (IndexError, TypeError, KeyError):
        return None


@register.simple_tag
def cell(value, kind="text"):
    """A table cell as the page shows it: dates as YYYY-MM-DD, decimals with two places, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return date_format(value, "Y-m-d")
    if isinstance(value, (Decimal, float)):
        return f"{value:.2f}"
    return value


@register.simple_tag(takes_context=True)
def case_scores(context, case):
    """The case page's group scores per stage (dashboards.scores.case_scores) for the signed-in user."""
    from dashboards.scores import case_scores as build

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return build(case, user)
