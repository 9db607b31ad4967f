"""The dashboards' aggregates (reads only). Scope comes from cases.selectors.cases_visible_to, as everywhere: a
SAMR officer counts every case, a provincial reviewer only the cities of their province (drafts are the city's
alone, 办法 第八条). Every aggregate is a fixed number of queries however many cases there are, and every count
is a count of cases (the tests check that the numbers add up to the cases).

| dashboard | table (each drawn as a chart where it is a count) | source |
| --- | --- | --- |
| SAMR | cases by stage and province | Case.state × province |
| SAMR | pipeline per call (办法 第七条) and per evaluation round (办法 第十二条) | Case.call / Case.evaluation_round × state |
| SAMR | deadlines at risk in the next 30 days | deadlines.calendar (the same dates the guards enforce) |
| SAMR | designated and revoked zones by region (东部/中部/西部/东北) | designation.selectors.zones + Province.economic_region |
| province | its cities by stage | Case.state |
| province | its recommendation list (办法 第八条) | PreliminaryReview ranks + the RecommendationList being drawn up |
| province | late items | cases.queues (the home page's 逾期事项: late 初审, overdue annual reports) |
"""
import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from cases.selectors import cases_visible_to
from cases.workflow import State
from regions.models import EconomicRegion

from .tables import DATE, INT, Column, Table, chart

AT_RISK_DAYS = 30  # deadlines due within this many days are "at risk"
SOON_DAYS = 7  # … and within this many, urgent


def _states_in_order(present):
    """The states among ``present``, in the legal order of cases.workflow.State."""
    return [s for s in State if s.value in present]


def _crosstab(cases, key, label, *, key_name, table_key, caption, empty, link=None):
    """Cases counted by ``key`` (a field path) × state: one query. Rows in the order of ``label`` (a field
    path giving the row's name) — the caller orders ``cases``; columns are the states that occur, in the legal
    order, then the total; the footer holds the totals per state."""
    counts, names, order = {}, {}, []
    for row_key, name, state, n in (cases.order_by().values_list(key, label, "state").annotate(n=Count("pk"))
                                    .order_by(key)):
        if row_key not in counts:
            counts[row_key] = {}
            names[row_key] = name
            order.append(row_key)
        counts[row_key][state] = n
    states = _states_in_order({s for per in counts.values() for s in per})
    columns = [Column(key_name)] + [Column(s.label, INT) for s in states] + [Column(_("合计"), INT)]
    rows, links = [], []
    for row_key in order:
        per = counts[row_key]
        rows.append([names[row_key] if row_key is not None else _("（无）")]
                    + [per.get(s.value, 0) for s in states] + [sum(per.values())])
        links.append(link(row_key) if link and row_key is not None else None)
    footer = None
    if rows:
        footer = [_("合计")] + [sum(r[i + 1] for r in rows) for i in range(len(states))] + [sum(r[-1] for r in rows)]
    table = Table(key=table_key, caption=caption, columns=columns, rows=rows, links=links, footer=footer, empty=empty)
    if rows:
        table.chart = chart("stacked", [r[0] for r in rows],
                            [{"name": s.label, "data": [r[i + 1] for r in rows]} for i, s in enumerate(states)],
                            horizontal=len(rows) > 6, states=[s.value for s in states])
    return table


def _case_list_url(**params):
    from urllib.parse import urlencode

    return reverse("case-list") + "?" + urlencode(params)


# ── SAMR ─────────────────────────────────────────────────────────────────────────────────────────────────────────
def stage_by_province(user):
    """Cases by province × stage (state), provinces by code. One query."""
    cases = cases_visible_to(user)
    return _crosstab(cases, "creation_object__province__code", "creation_object__province__name",
                     key_name=_("省级单位"), table_key="stage-by-province",
                     caption=_("各省创建案件分阶段统计（件）"), empty=_("尚无创建案件。"),
                     link=lambda code: _case_list_url(province=code))


def pipeline_by_call(user):
    """Cases of each SAMR call for applications (办法 第七条) by state; cases under the 2022 trial measures,
    which had no calls (试行办法 第七条: 每年5月底前), form their own row. One query."""
    cases = cases_visible_to(user)
    table = _crosstab(cases, "call_id", "call__title", key_name=_("申报通知"), table_key="pipeline-by-call",
                      caption=_("各批申报通知的案件进度（件）"), empty=_("尚无创建案件。"),
                      link=lambda call: _case_list_url(call=call))
    for row in table.rows:
        if row[0] == _("（无）"):
            row[0] = _("未按通知申报（试行办法）")
    if table.chart:
        table.chart["categories"] = [str(r[0]) for r in table.rows]
    return table


def pipeline_by_round(user):
    """Cases in each evaluation round (评估批次, 办法 第十二条、第十七条: a re-evaluation belongs to a later round) by
    state — a case counts in the round of its latest evaluation application. One query."""
    cases = cases_visible_to(user).filter(evaluation_round__isnull=False)
    return _crosstab(cases, "evaluation_round_id", "evaluation_round__title", key_name=_("评估批次"),
                     table_key="pipeline-by-round", caption=_("各评估批次的案件进度（件）"),
                     empty=_("尚无案件申请评估。"))


def deadlines_at_risk(user, today=None, days=AT_RISK_DAYS):
    """Every deadline running out from today to ``days`` days ahead (both inclusive, Asia/Shanghai), soonest first,
    computed by deadlines.calendar — the dates the guards enforce. A fixed number of queries (the rule sets, the
    cases near a deadline, two prefetches)."""
    from deadlines.calendar import cases_with_deadlines_between, deadlines_of

    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=days)
    scope = cases_visible_to(user).values("pk")
    found = []
    for case in cases_with_deadlines_between(today, last).filter(pk__in=scope).select_related(
            "creation_object__province"):
        for deadline in deadlines_of(case, today):
            if today <= deadline.due <= last:
                found.append((case, deadline))
    found.sort(key=lambda pair: (pair[1].due, pair[0].creation_object.code))
    rows, links = [], []
    for case, deadline in found:
        rows.append([case.creation_object.name, case.creation_object.province.name, case.reference,
                     str(deadline.label), deadline.due, deadline.days_left(today),
                     "、".join(str(Role(r).label) for r in deadline.responsible), deadline.article])
        links.append(reverse("case-detail", args=[case.pk]))
    table = Table(
        key="deadlines-at-risk",
        caption=_("未来 %(days)s 天内到期的期限（%(first)s 至 %(last)s）") % {"days": days, "first": today, "last": last},
        columns=[Column(_("城市")), Column(_("省级单位")), Column(_("案件编号")), Column(_("期限")),
                 Column(_("到期日"), DATE), Column(_("剩余天数"), INT), Column(_("责任方")), Column(_("依据"))],
        rows=rows, links=links, empty=_("未来 %(days)s 天内没有到期的期限。") % {"days": days})
    return table, found


def deadline_summary(found, today=None, days=AT_RISK_DAYS):
    """The chart of deadlines_at_risk: per kind of deadline, how many run out within 7 days and within 8–30."""
    today = today or timezone.localdate()
    kinds = {}
    for _case, deadline in found:
        per = kinds.setdefault(str(deadline.label), [0, 0])
        per[0 if deadline.days_left(today) <= SOON_DAYS else 1] += 1
    soon = _("%(days)s 天内") % {"days": SOON_DAYS}
    later = _("%(first)s–%(last)s 天") % {"first": SOON_DAYS + 1, "last": days}
    rows = [[label, per[0], per[1], per[0] + per[1]] for label, per in sorted(kinds.items())]
    table = Table(key="deadlines-by-kind", caption=_("即将到期的期限按类别统计（项）"),
                  columns=[Column(_("期限")), Column(soon, INT), Column(later, INT), Column(_("合计"), INT)],
                  rows=rows, empty=_("未来 %(days)s 天内没有到期的期限。") % {"days": days},
                  footer=[_("合计"), sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows)]
                  if rows else None)
    if rows:
        table.chart = chart("stacked", [r[0] for r in rows],
                            [{"name": soon, "data": [r[1] for r in rows]},
                             {"name": later, "data": [r[2] for r in rows]}],
                            horizontal=True, palette="risk")
    return table


def zones_by_region(user):
    """The zones ever designated (办法 第十六条) — still designated, or revoked (办法 第二十二条) — by the
    国家统计局 region of their province (fixtures/regions/economic_regions.json): the count table with its
    chart, and the list of zones. Three queries (designation.selectors.zones)."""
    from designation.selectors import zones

    scope = set(cases_visible_to(user).filter(state__in=[State.DESIGNATED, State.REVOKED]).values_list("pk", flat=True))
    listed = [z for z in zones() if z.case.pk in scope]
    counts = {region.value: [0, 0] for region in EconomicRegion}
    rows, links = [], []
    for zone in listed:
        case = zone.case
        region = case.creation_object.province.economic_region
        counts[region][0 if zone.status == "designated" else 1] += 1
        revocation = zone.revocation
        rows.append([case.creation_object.name, case.creation_object.province.name,
                     EconomicRegion(region).label, _("已认定") if zone.status == "designated" else _("已取消资格"),
                     case.designated_on, zone.revoked_on,
                     (revocation.ground_text or revocation.get_ground_display()) if revocation else ""])
        links.append(reverse("case-detail", args=[case.pk]))
    designated, revoked = _("已认定（现有）"), _("已取消资格")
    summary_rows = [[region.label, counts[region.value][0], counts[region.value][1], sum(counts[region.value])]
                    for region in EconomicRegion]
    summary = Table(key="zones-by-region", caption=_("示范区按东部、中部、西部、东北地区统计（个）"),
                    columns=[Column(_("地区")), Column(designated, INT), Column(revoked, INT), Column(_("合计"), INT)],
                    rows=summary_rows,
                    footer=[_("合计"), sum(r[1] for r in summary_rows), sum(r[2] for r in summary_rows),
                            sum(r[3] for r in summary_rows)])
    summary.chart = chart("stacked", [r[0] for r in summary_rows],
                          [{"name": designated, "data": [r[1] for r in summary_rows]},
                           {"name": revoked, "data": [r[2] for r in summary_rows]}], palette="zones")
    zone_list = Table(key="zones", caption=_("示范区名单（含已取消资格的）"),
                      columns=[Column(_("城市")), Column(_("省级单位")), Column(_("地区")), Column(_("状态")),
                               Column(_("认定日期"), DATE), Column(_("取消日期"), DATE), Column(_("取消情形"))],
                      rows=rows, links=links, empty=_("尚未认定示范区。"))
    return summary, zone_list


def samr_dashboard(user, today=None):
    """Every table of the SAMR dashboard, in the page's order."""
    today = today or timezone.localdate()
    at_risk, found = deadlines_at_risk(user, today)
    regions, zone_list = zones_by_region(user)
    return [stage_by_province(user), pipeline_by_call(user), pipeline_by_round(user),
            deadline_summary(found, today), at_risk, regions, zone_list]


# ── province ─────────────────────────────────────────────────────────────────────────────────────────────────────
def cities_by_stage(user):
    """The province's cities by stage: per state, how many cases and which cities. One query."""
    per_state = {}
    for case in (cases_visible_to(user).select_related("creation_object").order_by("creation_object__code", "pk")
                 .only("pk", "state", "reference", "creation_object__name", "creation_object__code")):
        per_state.setdefault(case.state, []).append(case.creation_object.name)
    states = _states_in_order(per_state)
    rows = [[s.label, len(per_state[s.value]), "、".join(per_state[s.value])] for s in states]
    links = [_case_list_url(state=s.value) for s in states]
    table = Table(key="cities-by-stage", caption=_("本省城市分阶段统计"),
                  columns=[Column(_("阶段")), Column(_("案件数"), INT), Column(_("城市"))],
                  rows=rows, links=links, empty=_("本省尚无已提交的创建申请。"),
                  footer=[_("合计"), sum(r[1] for r in rows), ""] if rows else None)
    if rows:
        table.chart = chart("bars", [r[0] for r in rows], [{"name": _("案件数"), "data": [r[1] for r in rows]}],
                            horizontal=True, states=[s.value for s in states])
    return table


def recommendation_list(user):
    """The province's recommendation lists (办法 第八条 择优推荐): the cities it has recommended, by call and rank,
    and those on the list it is drawing up and has not yet submitted. Three queries."""
    from applications.models import PreliminaryReview, RecommendationList
    from applications.recommendations import province_of

    province = province_of(user)
    rows, links = [], []
    if province is not None:
        scope = cases_visible_to(user)
        drafts = list(RecommendationList.objects.filter(province=province, submitted_at__isnull=True)
                      .select_related("call").order_by("-call__year", "-call__opens_on", "call_id"))
        # Only cities still awaiting the province's review are on a list being drawn up (RecommendationList.order).
        waiting = {c.pk: c for c in scope.filter(pk__in=[pk for d in drafts for pk in d.order], state=State.SUBMITTED)
                   .select_related("creation_object")}
        for draft in drafts:
            position = 0
            for pk in draft.order:
                case = waiting.get(pk)
                if case is None:
                    continue
                position += 1
                rows.append([case.creation_object.name, draft.call.title, position, case.reference,
                             _("名单草稿，未报送"), None, case.get_state_display()])
                links.append(reverse("review-recommendation-list", args=[draft.call_id]))
        for review in (PreliminaryReview.objects.filter(province=province, rank__isnull=False,
                                                        outcome=PreliminaryReview.Outcome.RECOMMENDED,
                                                        case__in=scope)
                       .select_related("call", "case__creation_object")
                       .order_by("-call__year", "-call__opens_on", "call_id", "rank")):
            case = review.case
            rows.append([case.creation_object.name, review.call.title if review.call_id else _("未按通知申报（试行办法）"),
                         review.rank, case.reference, _("已推荐"),
                         timezone.localtime(review.reviewed_at).date(), case.get_state_display()])
            links.append(reverse("case-detail", args=[case.pk]))
    return Table(key="recommendations", caption=_("本省推荐名单（按申报通知和推荐排序）"),
                 columns=[Column(_("城市")), Column(_("申报通知")), Column(_("推荐排序"), INT), Column(_("案件编号")),
                          Column(_("推荐情况")), Column(_("推荐日期"), DATE), Column(_("当前阶段"))],
                 rows=rows, links=links, empty=_("本省尚无推荐名单。"))


def late_items(user, today=None):
    """The province's late items — 初审 past its deadline and annual reports overdue — as the home page's work
    queue finds them (cases.queues, 逾期事项), most overdue first. A fixed number of queries."""
    from cases.queues import home_for

    today = today or timezone.localdate()
    queue = next((q for q in home_for(user, today=today).queues if q.key == "late"), None)
    items = queue.items if queue is not None else []
    rows, links = [], []
    for item in items:
        case = item.case
        rows.append([case.creation_object.name, case.reference, str(item.task), item.due,
                     -item.days_left if item.days_left is not None else None])
        links.append(item.href)
    return Table(key="late-items", caption=_("逾期事项"),
                 columns=[Column(_("城市")), Column(_("案件编号")), Column(_("事项")), Column(_("截止日"), DATE),
                          Column(_("逾期天数"), INT)],
                 rows=rows, links=links, empty=_("没有逾期事项。"))


def province_dashboard(user, today=None):
    return [cities_by_stage(user), recommendation_list(user), late_items(user, today)]
