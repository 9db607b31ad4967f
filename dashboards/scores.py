"""The case page's picture of the scores: each 一级指标 (group) as every stage scored it — the city's self-assessment
(办法 第十二条), the province's pre-review (第十三条), each SAMR expert and the evaluation result (第十四条) — side by
side, against the group's pass line (its points × the version's score-rate threshold), with the total against the
total threshold in the table.

Read from the submitted score sheets (evaluation/sheets.py; their scoring-engine results, indicators/engine.py),
through evaluation.sheets.sheets_visible_to — the same rule as the sheets themselves: applicants see their
self-assessment, provincial reviewers the submitted self-assessment and their pre-review, an expert only their own
sheet (never another expert's, before or after the result is formed), SAMR officers all. Drafts are not shown: a
sheet counts once it is submitted and locked. One query."""
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from evaluation.models import SheetStage, SheetStatus

from .tables import NUMBER, Column, Table, chart

STAGE_ORDER = [SheetStage.SELF_ASSESSMENT, SheetStage.PRE_REVIEW, SheetStage.EXPERT, SheetStage.FINAL]


def _decimal(value):
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def _latest_round_sheets(case, user):
    from evaluation.sheets import sheets_for_case_page

    sheets = [s for s in sheets_for_case_page(case, user) if s.status == SheetStatus.SUBMITTED]
    if not sheets:
        return None, []
    round_ = max(s.round for s in sheets)
    sheets = [s for s in sheets if s.round == round_]
    chosen = []
    for stage in STAGE_ORDER:
        of_stage = sorted((s for s in sheets if s.stage == stage), key=lambda s: (s.attempt, s.pk))
        if stage == SheetStage.EXPERT:
            chosen += sorted(of_stage, key=lambda s: (s.assignment.assigned_at, s.pk))
        elif of_stage:
            chosen.append(of_stage[-1])  # the latest attempt (a returned application is assessed again)
    return round_, chosen


def _column_label(sheet, user):
    if sheet.stage == SheetStage.EXPERT:
        expert = sheet.assignment.expert
        if expert.pk == user.pk:
            return _("专家评分（本人）")
        return _("专家：%(name)s") % {"name": expert}
    return str(SheetStage(sheet.stage).label)


def case_scores(case, user):
    """A Table (with its chart) of the case's latest round, or None when the user may see no submitted sheet."""
    round_, sheets = _latest_round_sheets(case, user)
    if not sheets:
        return None
    groups = {}  # code → {name, points, required}, in the indicator system's order
    for sheet in sheets:
        for group in sheet.groups or []:
            groups.setdefault(group["code"], {"name": group["name"], "points": _decimal(group["points"]),
                                              "required": _decimal(group.get("required"))})
    labels = [_column_label(s, user) for s in sheets]
    scores = [{g["code"]: _decimal(g["score"]) for g in (s.groups or [])} for s in sheets]
    rows = [[g["name"], g["points"], g["required"]] + [per.get(code) for per in scores] for code, g in groups.items()]
    first = sheets[0]
    footer = [_("总分"), _decimal(first.points_total), _decimal(first.total_threshold)] + [s.total_score for s in sheets]
    table = Table(
        key="case-scores",
        caption=_("第 %(round)s 轮各环节一级指标得分与合格线（分）") % {"round": round_},
        columns=[Column(_("一级指标")), Column(_("分值"), NUMBER), Column(_("合格线"), NUMBER)]
        + [Column(label, NUMBER) for label in labels],
        rows=rows, footer=footer)
    table.chart = chart("scores", [r[0] for r in rows],
                        [{"name": label, "data": [r[3 + i] for r in rows]} for i, label in enumerate(labels)]
                        + [{"name": _("合格线"), "data": [r[2] for r in rows], "line": True}])
    return table
