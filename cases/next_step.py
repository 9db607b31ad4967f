"""What the viewer of a case can do next, or why nothing — the "下一步" panel of the case page and the applicant's
home page. Reads only; the moves and their conditions come from the workflow (cases.workflow, cases.guards), so
the panel says exactly what the move forms below it allow or refuse.

The answer depends on the case's state and the viewer's role:
- the viewer may make a move now → which ones (the forward ones first; 撤回 only when nothing else is possible);
- the viewer has a move whose conditions are not met → the move and what is missing (the guards' own words);
- someone else must act → who, and what they are doing (等待省级初审 …);
- the case is closed → the outcome, and for the city what it may do instead (办法 第十七条).
Where the legal order needs more than a move's guards to be explained (the creation period before the
self-assessment, SAMR's lapse decision, the experts' scoring, a running notice with objections, the annual
reports of a zone) the panel says it in the measures' words.
"""
import dataclasses

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role

from .workflow import TERMINAL_STATES, State

# Tones, from the viewer's point of view: act now · act once something is done · someone else acts · overdue ·
# nothing more on this case.
ACT, BLOCKED, WAIT, WARNING, CLOSED = "act", "blocked", "wait", "warning", "closed"

# The moves that end or step aside rather than take the case forward: offered, but never "the next step".
_SIDE_MOVES = {"withdraw"}


@dataclasses.dataclass
class Action:
    label: str
    href: str


@dataclasses.dataclass
class NextStep:
    tone: str
    headline: str
    details: list = dataclasses.field(default_factory=list)
    actions: list = dataclasses.field(default_factory=list)
    deadline: dict | None = None  # a row of deadlines.selectors.deadline_rows (due, days_left, status, label)

    @property
    def overdue(self):
        return self.tone == WARNING or (self.deadline is not None and self.deadline["days_left"] < 0)


def _waiting(case):
    """Who acts next, in the words a reader outside that role needs, citing the article of the move awaited in
    the case's own measures (fixtures/rulesets.json)."""
    def article(move):
        return case.rule_set.article(move) or case.rule_set.title

    end = case.creation_end.isoformat() if case.creation_end else ""
    texts = {
        State.DRAFT: lambda: _("草稿：等待创建对象填写申请表、上传材料后提交创建申请（%(article)s）。")
        % {"article": article("submit")},
        State.SUBMITTED: lambda: _("等待省级初审（%(article)s）。") % {"article": article("recommend")},
        State.RETURNED: lambda: _("已退回补正：等待创建对象补正后重新提交（%(article)s）。") % {"article": article("resubmit")},
        State.RECOMMENDED: lambda: _("已推荐报送总局：等待总局审核，同意或不同意创建（%(article)s）。")
        % {"article": article("approve_creation")},
        State.CREATING: lambda: _("创建期内（至 %(end)s）：等待创建对象开展创建，自评并申请评估（%(article)s）。")
        % {"end": end, "article": article("apply_for_evaluation")},
        State.EVALUATION_APPLIED: lambda: _("等待省级评估初审：资料审查、数据比对、实地核查（%(article)s）。")
        % {"article": article("forward_evaluation")},
        State.EVALUATION_RETURNED: lambda: _("评估申请已退回：等待创建对象补正后重新提交（%(article)s）。")
        % {"article": article("resubmit_evaluation")},
        State.UNDER_EVALUATION: lambda: _("总局组织专家评估中（%(article)s）。") % {"article": article("pass_evaluation")},
        State.AWAITING_RE_EVALUATION: lambda: _("未通过评估：等待创建对象在下一评估批次再次申请评估（%(article)s）。")
        % {"article": article("apply_for_re_evaluation")},
        State.EVALUATION_PASSED: lambda: _("评估合格：等待总局发布公示（%(article)s）。") % {"article": article("publish_notice")},
        State.IN_PUBLICITY: lambda: _("公示中，接受社会监督（%(article)s）。") % {"article": article("publish_notice")},
        State.AWAITING_DESIGNATION: lambda: _("公示期满：等待总局认定（%(article)s）。") % {"article": article("designate")},
        State.DESIGNATED: lambda: _("已认定为示范区：动态管理中。"),
    }
    text = texts.get(case.state)
    return text() if text else ""


def _closed(case, role):
    step = NextStep(CLOSED, _("本案件已结束：%(state)s。") % {"state": State(case.state).label})
    if role == Role.APPLICANT and case.state != State.REVOKED:
        if case.state == State.EVALUATION_FAILED:
            step.details.append(_("再次评估机会已用完，可重新提出创建申请（办法 第十七条）。"))
        else:
            step.details.append(_("如需再次创建，可在总局发布新的申报通知后重新提出创建申请（办法 第七条）。"))
    return step


def _move_action(case, move):
    return Action(str(move.label), reverse("case-detail", args=[case.pk]) + f"#move-{move.name}")


def _case_anchor(case, anchor):
    return reverse("case-detail", args=[case.pk]) + f"#{anchor}"


def _own_deadline(rows, role):
    """The deadline the viewer answers for, else any (soonest first) — one still running before a passed one. A
    creation period that has ended is not overdue: it opens the evaluation window (办法 第十二条)."""
    rows = [row for row in rows if not (row["kind"] == "creation_end" and row["days_left"] < 0)]
    mine = [row for row in rows if role in row["responsible"]]
    for candidates in ([r for r in mine if r["days_left"] >= 0], mine, [r for r in rows if r["days_left"] >= 0], rows):
        if candidates:
            return candidates[0]
    return None


def next_step(case, user, *, today=None, moves=None, deadlines=None):
    """The next step for ``user`` on ``case`` (a case in the user's scope). ``moves`` (services.available_moves)
    and ``deadlines`` (deadlines.selectors.deadline_rows) may be passed when the caller has them already."""
    from deadlines.selectors import deadline_rows

    from .services import available_moves

    today = today or timezone.localdate()
    role = getattr(user, "role", None)
    if case.state in TERMINAL_STATES:
        return _closed(case, role)
    moves = available_moves(case, user) if moves is None else moves
    rows = deadline_rows(case, today) if deadlines is None else deadlines
    deadline = _own_deadline(rows, role)

    special = _special(case, user, role, moves, today)
    if special is not None:
        special.deadline = special.deadline or deadline
        return special

    forward = [(m, r) for m, r in moves if m.name not in _SIDE_MOVES]
    allowed = [m for m, reasons in forward if not reasons]
    if allowed:
        labels = "、".join(str(m.label) for m in allowed)
        # The forward moves still barred (e.g. 推荐 after the forwarding date) say why, beside what is possible.
        barred = [_("“%(move)s”暂不能办理：%(reasons)s") % {"move": m.label, "reasons": "；".join(reasons)}
                  for m, reasons in forward if reasons and not m.comment_required]
        return NextStep(ACT, _("您可以办理：%(moves)s。") % {"moves": labels}, details=barred,
                        actions=[_move_action(case, m) for m in allowed], deadline=deadline)
    # A move that needs a reason (return, decline, lapse …) is the viewer's option, not the next step it waits on.
    blocked = [(m, r) for m, r in forward if not m.comment_required]
    if blocked:
        move, reasons = blocked[0]
        return NextStep(BLOCKED, _("下一步为“%(move)s”，尚需：") % {"move": move.label}, details=list(reasons),
                        actions=[_move_action(case, move)], deadline=deadline)
    return NextStep(WAIT, _waiting(case), deadline=deadline)


def _special(case, user, role, moves, today):
    """The states where a move's guards alone would not tell the reader enough."""
    if case.state == State.CREATING:
        return _creating(case, role, moves, today)
    if case.state == State.UNDER_EVALUATION and role in (Role.SAMR_OFFICER, Role.SAMR_EXPERT):
        return _under_evaluation(case, user, role)
    if case.state == State.IN_PUBLICITY:
        return _in_publicity(case, role, today)
    if case.state == State.DESIGNATED:
        return _designated(case, role, moves, today)
    return None


def _creating(case, role, moves, today):
    from . import deadlines as case_deadlines

    end = case.creation_end
    if case.lapse_flagged_for and case.lapse_flagged_for == end:
        # 办法 第九条、第十二条: the sweep put the case in SAMR's queue; SAMR terminates or extends.
        if role == Role.SAMR_OFFICER:
            lapse = [m for m, _reasons in moves if m.name == "lapse"]
            return NextStep(WARNING, _("创建期已于 %(end)s 届满且未申请评估：请决定终止，或延长创建期（办法 第九条、第十二条）。")
                            % {"end": end}, actions=[_move_action(case, m) for m in lapse])
        return NextStep(WARNING, _("创建期已于 %(end)s 届满且未申请评估：等待总局决定终止或延长创建期（办法 第九条、第十二条）。")
                        % {"end": end})
    if role != Role.APPLICANT:
        return None
    first, last = case_deadlines.evaluation_window(case)
    if first is not None and today < first:
        # 办法 第十二条: the self-assessment comes when the creation period ends.
        return NextStep(WAIT, _("创建期内：下一步为自评估，创建期届满后可申请评估（%(article)s）。")
                        % {"article": case.rule_set.article("apply_for_evaluation") or case.rule_set.title},
                        details=[_("创建期至 %(end)s 届满；自 %(first)s 起可提交自评和评估申请，至 %(last)s 止。")
                                 % {"end": end, "first": first, "last": last}],
                        actions=[Action(_("自评评分表"), _case_anchor(case, "sheets-heading")),
                                 # 办法 第十条: the creation work itself — plan, units, tasks (creation/)
                                 Action(_("创建工作台"), reverse("creation-workspace", args=[case.pk]))])
    return None


def _under_evaluation(case, user, role):
    from evaluation.models import ExpertAssignment
    from evaluation.models import ScoreSheet, SheetStage, SheetStatus

    round_ = case.evaluation_failures + 1
    assignments = list(ExpertAssignment.objects.filter(case=case, round=round_).values_list("expert_id", flat=True))
    sheets = list(ScoreSheet.objects.filter(case=case, round=round_, stage__in=[SheetStage.EXPERT, SheetStage.FINAL])
                  .values_list("stage", "status", "author_id"))
    sheets_anchor = Action(_("评分表"), _case_anchor(case, "sheets-heading"))
    if role == Role.SAMR_EXPERT:
        mine = [status for stage, status, author in sheets if stage == SheetStage.EXPERT and author == user.pk]
        if user.pk not in assignments:
            return NextStep(WAIT, _("您不是本轮评估的专家。"))
        if SheetStatus.SUBMITTED in mine:
            return NextStep(WAIT, _("您已提交评分表：等待总局汇总专家评分，形成评估结果（办法 第十四条）。"))
        return NextStep(ACT, _("请声明利益冲突情况，按评估指标体系评分并提交评分表（办法 第十四条）。"),
                        actions=[sheets_anchor])
    if any(stage == SheetStage.FINAL for stage, _status, _author in sheets):
        return None  # the result is recorded: pass_evaluation / fail_evaluation are the moves
    if not assignments:
        return NextStep(ACT, _("请分配评估专家（办法 第十四条）。"))
    submitted = sum(1 for stage, status, _author in sheets
                    if stage == SheetStage.EXPERT and status == SheetStatus.SUBMITTED)
    if submitted == 0:
        return NextStep(WAIT, _("等待专家评分：已分配 %(assigned)s 位专家，尚无人提交评分表。")
                        % {"assigned": len(assignments)})
    detail = _("已分配 %(assigned)s 位专家，%(submitted)s 份评分表已提交。") % {
        "assigned": len(assignments), "submitted": submitted}
    return NextStep(ACT, _("请汇总专家评分，形成评估结果（办法 第十四条）。"), details=[detail],
                    actions=[Action(_("汇总评分"), reverse("score-sheet-finalise", args=[case.pk]))])


def _in_publicity(case, role, today):
    from publicity.models import Objection

    notice = case.notices.filter(closed_at__isnull=True).order_by("-first_day", "-pk").first()
    if notice is None:
        return None
    open_objections = Objection.objects.filter(notice__case=case, notice=notice, status=Objection.Status.OPEN).count()
    period = _("公示期 %(first)s 至 %(last)s。") % {"first": notice.first_day, "last": notice.last_day}
    if role == Role.SAMR_OFFICER:
        if open_objections:
            return NextStep(WARNING, _("有 %(count)s 件异议待核实：核实后作出成立或不成立的决定（办法 第十六条）。")
                            % {"count": open_objections}, details=[period])
        if today <= notice.last_day:
            return NextStep(WAIT, _("公示中：期满后办理“公示期满”（办法 第十六条）。"), details=[period])
        return None
    step = NextStep(WAIT, _waiting(case), details=[period])
    if open_objections:
        step.details.append(_("有 %(count)s 件异议待总局核实。") % {"count": open_objections})
    return step


def _designated(case, role, moves, today):
    from designation.selectors import annual_report_rows

    if role not in (Role.APPLICANT, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER):
        return None
    rows = annual_report_rows(case, today)
    overdue = [row for row in rows if row.status == "overdue"]
    due = [row for row in rows if row.status == "open"]
    anchor = Action(_("年度工作情况报告"), _case_anchor(case, "annual-reports"))
    if overdue:
        row = overdue[0]
        headline = _("年度报告已逾期：%(year)s 年度工作情况报告应于 %(due)s 前报送，已逾期 %(days)s 天。") % {
            "year": row.year, "due": row.due_on, "days": row.days_overdue}
        details = [_("请尽快报送（试行办法 第十八条）。")] if role == Role.APPLICANT else []
        return NextStep(WARNING, headline, details=details, actions=[anchor],
                        deadline={"label": _("年度工作情况报告"), "due": row.due_on, "days_left": row.days_left,
                                  "status": "passed"})
    if due and role == Role.APPLICANT:
        row = due[0]
        return NextStep(ACT, _("请于 %(due)s 前报送 %(year)s 年度工作情况报告（试行办法 第十八条）。")
                        % {"due": row.due_on, "year": row.year}, actions=[anchor])
    if role == Role.APPLICANT:
        return NextStep(WAIT, _("已认定为示范区：持续开展示范工作，及时总结报送经验做法和工作进展（办法 第十九条）。"))
    if role == Role.PROVINCIAL_REVIEWER:
        return NextStep(WAIT, _("已认定为示范区：督促指导示范区持续开展示范工作（办法 第二十二条）。"))
    return NextStep(WAIT, _("已认定为示范区：动态管理中；存在第二十二条情形的，可约谈、警示或取消资格。"),
                    actions=[_move_action(case, m) for m, _reasons in moves])
