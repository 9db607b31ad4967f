"""The dashboards' pages and their XLSX downloads. Thin: the numbers come from dashboards.selectors.

Who may use what (deny by default):
| page | who | anyone else signed in | a visitor |
| --- | --- | --- | --- |
| /samr/dashboard/ and /samr/dashboard/<list>.xlsx | SAMR officers (all cases) | 403 | the login page |
| /review/dashboard/ and …/<list>.xlsx | provincial reviewers (their province's cities) | 403 | the login page |
| /cases/<id>/scores.xlsx | signed in, in the case's scope, may see a submitted sheet of it | 404 | the login page |
A list that does not exist is a 404."""
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from django.contrib.auth.decorators import login_required

from accounts.decorators import role_required
from accounts.models import Role

from . import selectors
from .tables import XLSX_TYPE, xlsx_bytes


def _by_name(tables):
    """{name: table} for the template (a template variable cannot hold a hyphen)."""
    return {t.key.replace("-", "_"): t for t in tables}


def _total(table, column=-1):
    return table.footer[column] if table.footer else 0


def _count_in_state(table, state, column):
    """The count of ``state`` in a table whose chart lists its states (dashboards.selectors): the footer's column
    of a crosstab, or the row's ``column`` of a per-state list."""
    states = (table.chart or {}).get("states", [])
    if state not in states:
        return 0
    index = states.index(state)
    return table.footer[1 + index] if column is None else table.rows[index][column]


def _samr_kpis(t):
    """Headline figures: [(label, value, tone, href)]."""
    from cases.workflow import State

    cases, at_risk = t["stage_by_province"], t["deadlines_at_risk"].rows
    in_state = reverse("case-list") + "?state="
    return [
        (_("创建案件总数"), _total(cases), "", reverse("case-list")),
        (_("创建中"), _count_in_state(cases, State.CREATING, None), "good", in_state + State.CREATING),
        (_("现有示范区"), _total(t["zones_by_region"], 1), "", ""),
        (_("30 天内到期的期限"), len(at_risk), "alert" if at_risk else "", ""),
    ]


def _province_kpis(t):
    from cases.workflow import State

    cities, late = t["cities_by_stage"], t["late_items"].rows
    in_state = reverse("case-list") + "?state="
    return [
        (_("已提交的创建案件"), _total(cities, 1), "", reverse("case-list")),
        (_("待初审"), _count_in_state(cities, State.SUBMITTED, 1), "", in_state + State.SUBMITTED),
        (_("已推荐城市"), sum(1 for row in t["recommendations"].rows if row[5] is not None), "good", ""),
        (_("逾期事项"), len(late), "alert" if late else "", ""),
    ]


def _download(tables, key, prefix):
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise Http404
    today = timezone.localdate()
    response = HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{prefix}-{key}-{today:%Y%m%d}.xlsx"'
    return response


@role_required(Role.SAMR_OFFICER)
@require_GET
def samr_dashboard(request):
    """SAMR officers: the national programme at a glance — cases by stage and province, the pipeline per call and
    per evaluation round, deadlines at risk, zones by region; each chart with its table and its XLSX."""
    today = timezone.localdate()
    tables = _by_name(selectors.samr_dashboard(request.user, today))
    return render(request, "dashboards/samr.html", {"t": tables, "today": today, "kpis": _samr_kpis(tables),
                                                     "export_url": "samr-dashboard-export"})


@role_required(Role.SAMR_OFFICER)
@require_GET
def samr_export(request, key):
    return _download(selectors.samr_dashboard(request.user), key, "samr")


@role_required(Role.PROVINCIAL_REVIEWER)
@require_GET
def province_dashboard(request):
    """Provincial reviewers: their province's cities by stage, its recommendation list, late items."""
    today = timezone.localdate()
    tables = _by_name(selectors.province_dashboard(request.user, today))
    organisation = request.user.organisation
    return render(request, "dashboards/province.html", {
        "t": tables, "today": today, "export_url": "province-dashboard-export", "kpis": _province_kpis(tables),
        "province": organisation.province if organisation and organisation.province_id else None,
    })


@role_required(Role.PROVINCIAL_REVIEWER)
@require_GET
def province_export(request, key):
    return _download(selectors.province_dashboard(request.user), key, "province")



@login_required
@require_GET
def case_scores_export(request, case_id):
    """Signed-in users in the case's scope: the case page's score table (dashboards.scores) as XLSX — only the sheets
    they may see (evaluation.sheets.sheets_visible_to). Outside the scope, or with no sheet to show: 404."""
    from cases.selectors import case_list

    from .scores import case_scores

    case = case_list(request.user).filter(pk=case_id).first()
    table = case_scores(case, request.user) if case is not None else None
    if table is None:
        raise Http404
    response = HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-scores.xlsx"'
    return response
