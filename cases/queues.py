"""Work queues (待办) for the home page: the cases that need the signed-in user now, grouped by what is to be
done, each with its deadline's last day and the days left, and the count of the user's cases per stage.

Selectors only (reads). Scope comes from cases.selectors.cases_visible_to, as everywhere. Each role's queue is
built from a fixed number of queries however many cases there are: the open cases a role acts on are read in one
query with what their deadlines need (deadlines.calendar.with_deadline_data), and the records that decide which
group a case belongs in (recommendations, expert assignments, score sheets, results, objections, annual reports)
in one query each; the grouping is done in Python.

| role       | groups                                                                                          |
| ---------- | ----------------------------------------------------------------------------------------------- |
| applicant  | my case and its next step (cases.next_step) — a creation object has at most one open case         |
| province   | submitted applications (初审) · evaluation pre-reviews (评估初审) · late items · annual reports in  |
| SAMR       | recommended lists per call · awaiting expert assignment · sheets to finalise · results to decide · |
|            | notices to publish · notices running · objections to verify · decisions due (lapse, designation)  |
| expert     | my assignments to score · scored, awaiting SAMR                                                   |
| admin      | no cases: links to the admin tools                                                               |
"""
import dataclasses
import datetime

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role

from .selectors import cases_visible_to
from .workflow import TERMINAL_STATE_VALUES, State

# At most this many rows are shown per group; the group links to the full list.
ROWS_PER_GROUP = 20


@dataclasses.dataclass
class QueueItem:
    case: object
    task: str
    due: datetime.date | None = None
    days_left: int | None = None
    anchor: str = ""  # a section of the case page (e.g. "move-recommend", "sheets-heading")
    note: str = ""
    order: tuple = ()  # within a ranked list: (province code, rank)

    @property
    def href(self):
        url = reverse("case-detail", args=[self.case.pk])
        return f"{url}#{self.anchor}" if self.anchor else url

    @property
    def overdue(self):
        return self.days_left is not None and self.days_left < 0


@dataclasses.dataclass
class Queue:
    key: str
    title: str
    hint: str = ""  # what is to be done and the article
    items: list = dataclasses.field(default_factory=list)
    more_href: str = ""  # the full list, where the group is a state of the case list

    @property
    def count(self):
        return len(self.items)

    @property
    def shown(self):
        return self.items[:ROWS_PER_GROUP]

    @property
    def overdue_count(self):
        return sum(1 for item in self.items if item.overdue)


@dataclasses.dataclass
class Home:
    role: str
    queues: list = dataclasses.field(default_factory=list)
    stages: list = dataclasses.field(default_factory=list)  # [(state, label, count)] in the legal order
    my_cases: list = dataclasses.field(default_factory=list)  # applicant: [(case, NextStep)]
    links: list = dataclasses.field(default_factory=list)  # admin: [(label, href, description)]

    @property
    def total(self):
        return sum(count for _state, _label, count in self.stages)

    @property
    def open_items(self):
        return sum(q.count for q in self.queues)


def home_for(user, *, today=None):
    """The home page's work queue for ``user`` (any role; an unknown role gets an empty one)."""
    today = today or timezone.localdate()
    role = getattr(user, "role", None)
    home = Home(role=role)
    if role == Role.ADMIN:
        home.links = admin_links()
        return home
    home.stages = stage_counts(user)
    builder = {
        Role.APPLICANT: _applicant,
        Role.PROVINCIAL_REVIEWER: _province,
        Role.SAMR_OFFICER: _samr,
        Role.SAMR_EXPERT: _expert,
        Role.MEMBER_LIAISON: _liaison,
    }.get(role)
    if builder is not None:
        builder(home, user, today)
    from creation.reports import home_queues  # the creation period: overdue milestones, unread progress reports

    home.queues += home_queues(user, today)
    for queue in home.queues:
        queue.items.sort(key=_by_deadline)
    return home


def stage_counts(user):
    """[(state, label, count)] of the user's cases per state, in the legal order, states with none left out.
    One query."""
    counts = dict(cases_visible_to(user).order_by().values_list("state").annotate(n=Count("pk")))
    return [(state.value, state.label, counts[state.value]) for state in State if counts.get(state.value)]


def _by_deadline(item):
    # Soonest (or most overdue) first; items without a deadline after, in the order they were added.
    return (item.due is None, item.due or datetime.date.max)


def _deadline(case, today, kind=None):
    """(last day, days left) of the case's running deadline (of ``kind``, if given), or (None, None)."""
    from deadlines.calendar import deadlines_of

    for d in deadlines_of(case, today):
        if kind is None or d.kind == kind:
            return d.due, d.days_left(today)
    return None, None


def _item(case, task, today, *, kind=None, anchor="", note="", due=None):
    if due is None:
        due, days_left = _deadline(case, today, kind)
    else:
        days_left = (due - today).days
    return QueueItem(case=case, task=task, due=due, days_left=days_left, anchor=anchor, note=note)


def _open_cases(user, states):
    """The user's cases in ``states``, with what their deadlines need: three queries."""
    from deadlines.calendar import with_deadline_data

    # Not the rule set's tables the queues never read (the sanction grounds, the factors SAMR weighs): a JSON
    # document each, decoded once per row.
    return list(with_deadline_data(cases_visible_to(user).filter(state__in=states))
                .select_related("creation_object__province", "evaluation_round")
                .defer("rule_set__sanction_grounds", "rule_set__evaluation_weighing").order_by("pk"))


def _list_url(state):
    return reverse("case-list") + f"?state={state}"


# ── applicant ────────────────────────────────────────────────────────────────────────────────────────────────
def _applicant(home, user, today):
    from deadlines.selectors import deadline_rows

    from .next_step import next_step

    # A creation object has at most one open case (database constraint): the next step costs a few queries once.
    for case in (cases_visible_to(user).exclude(state__in=TERMINAL_STATE_VALUES)
                 .select_related("creation_object__province", "rule_set", "call").order_by("-created_at")[:3]):
        # The case was read just now with its rule set and call: its deadlines need no second read of it.
        deadlines = deadline_rows(case, today, reread=False)
        home.my_cases.append((case, next_step(case, user, today=today, deadlines=deadlines)))


# ── province ─────────────────────────────────────────────────────────────────────────────────────────────────
def _province(home, user, today):
    from deadlines.models import DeadlineKind
    from designation.models import AnnualReport

    cases = _open_cases(user, [State.SUBMITTED, State.EVALUATION_APPLIED, State.DESIGNATED])
    submitted = Queue("submitted", _("待初审的创建申请"), _("审查申请材料，退回补正、不予推荐或择优推荐（办法 第八条）。"),
                      more_href=_list_url(State.SUBMITTED))
    pre_review = Queue("pre_review", _("待评估初审"), _("资料审查、数据比对、实地核查，合格的报送总局（办法 第十三条）。"),
                       more_href=_list_url(State.EVALUATION_APPLIED))
    late = Queue("late", _("逾期事项"), _("初审逾期的申请、逾期未报送的年度报告。"))
    for case in cases:
        if case.state == State.SUBMITTED:
            item = _item(case, _("初审"), today, kind=DeadlineKind.PROVINCE_REVIEW, anchor="move-recommend")
            submitted.items.append(item)
            if item.overdue:
                late.items.append(dataclasses.replace(item, task=_("初审逾期")))
        elif case.state == State.EVALUATION_APPLIED:
            note = case.evaluation_round.title if case.evaluation_round_id else ""
            pre_review.items.append(_item(case, _("评估初审"), today, anchor="move-forward_evaluation", note=note))
        elif case.state == State.DESIGNATED:
            item = _item(case, _("年度报告逾期未报送"), today, kind=DeadlineKind.ANNUAL_REPORT, anchor="annual-reports")
            if item.overdue:
                late.items.append(item)
    reports = Queue("annual_reports", _("已报送的年度报告"), _("示范区报送的年度工作情况（试行办法 第十八条）。"))
    for report in (AnnualReport.objects.filter(case__in=cases_visible_to(user), submitted_at__isnull=False)
                   .select_related("case__creation_object__province").order_by("-submitted_at")[:ROWS_PER_GROUP]):
        reports.items.append(QueueItem(
            case=report.case, task=_("%(year)s 年度工作情况报告") % {"year": report.year}, anchor="annual-reports",
            note=_("%(day)s 报送%(late)s") % {"day": timezone.localtime(report.submitted_at).date(),
                                              "late": _("（逾期）") if report.late else ""}))
    home.queues = [submitted, pre_review, late, reports]


# ── SAMR ─────────────────────────────────────────────────────────────────────────────────────────────────────
def _samr(home, user, today):
    from applications.models import PreliminaryReview
    from deadlines.models import DeadlineKind
    from evaluation.models import EvaluationResult, ExpertAssignment
    from evaluation.models import ScoreSheet, SheetStage, SheetStatus
    from publicity.models import Objection

    states = [State.RECOMMENDED, State.UNDER_EVALUATION, State.EVALUATION_PASSED, State.IN_PUBLICITY,
              State.AWAITING_DESIGNATION, State.CREATING]
    cases = _open_cases(user, states)
    recommendations = {}
    recommended = [c.pk for c in cases if c.state == State.RECOMMENDED]
    for review in (PreliminaryReview.objects.filter(case_id__in=recommended, outcome="recommend")
                   .order_by("case_id", "-reviewed_at")):
        recommendations.setdefault(review.case_id, review)  # the latest recommendation of each case
    evaluating = [c.pk for c in cases if c.state == State.UNDER_EVALUATION]
    assigned, submitted, finalised, results = {}, {}, set(), {}
    for case_id, round_, expert_id in ExpertAssignment.objects.filter(case_id__in=evaluating).values_list(
            "case_id", "round", "expert_id"):
        assigned.setdefault((case_id, round_), set()).add(expert_id)
    for case_id, round_, stage, status in ScoreSheet.objects.filter(case_id__in=evaluating).values_list(
            "case_id", "round", "stage", "status"):
        if stage == SheetStage.FINAL:
            finalised.add((case_id, round_))
        elif stage == SheetStage.EXPERT and status == SheetStatus.SUBMITTED:
            submitted[(case_id, round_)] = submitted.get((case_id, round_), 0) + 1
    for case_id, round_, passed in EvaluationResult.objects.filter(case_id__in=evaluating).values_list(
            "case_id", "round", "passed"):
        results[(case_id, round_)] = passed

    lists = {}  # call → Queue: 办法 第八条 — each province's ranked list, per SAMR call
    experts = Queue("assign_experts", _("待分配评估专家"), _("为报送总局的评估申请分配专家（办法 第十四条）。"))
    finalise = Queue("finalise", _("待汇总专家评分"), _("专家已提交评分表：汇总评分，综合考虑，形成评估结果（办法 第十四条）。"))
    decide_result = Queue("decide_result", _("待作出评估结论"), _("评估结果已形成：作评估合格或未通过处理（办法 第十四条）。"))
    to_publish = Queue("publish", _("待发布公示"), _("评估合格的，发布为期15天的公示（办法 第十五条）。"),
                       more_href=_list_url(State.EVALUATION_PASSED))
    running = Queue("notices", _("公示中"), _("公示期满且异议均已核实后办理“公示期满”（办法 第十五条、第十六条）。"),
                    more_href=_list_url(State.IN_PUBLICITY))
    decisions = Queue("decisions", _("待决定事项"), _("公示期满待认定；创建期满未申请评估，待决定终止或延长（办法 第九条、第十六条）。"))
    for case in cases:
        round_ = case.evaluation_failures + 1
        if case.state == State.RECOMMENDED:
            review = recommendations.get(case.pk)
            call = case.call
            queue = lists.get(call.pk if call else None)
            if queue is None:
                title = _("推荐名单：%(call)s") % {"call": call.title} if call else _("推荐名单（试行办法，未按通知申报）")
                queue = lists[call.pk if call else None] = Queue(
                    f"recommended-{call.pk if call else 0}", title,
                    _("各省择优推荐的名单：同意创建或不同意创建（办法 第九条）。"), more_href=_list_url(State.RECOMMENDED))
            rank = review.rank if review is not None else None
            note = (_("%(province)s 第 %(rank)s 名") % {"province": case.creation_object.province.name, "rank": rank}
                    if rank else case.creation_object.province.name)
            queue.items.append(QueueItem(case=case, task=_("审核"), anchor="move-approve_creation", note=note,
                                         order=(case.creation_object.province.code, rank or 999)))
        elif case.state == State.UNDER_EVALUATION:
            key = (case.pk, round_)
            if key in results:
                decide_result.items.append(QueueItem(
                    case=case, task=_("评估合格") if results[key] else _("评估未通过"),
                    anchor="move-pass_evaluation" if results[key] else "move-fail_evaluation"))
            elif not assigned.get(key):
                experts.items.append(QueueItem(case=case, task=_("分配专家"), anchor="sheets-heading"))
            elif submitted.get(key) and key not in finalised:
                finalise.items.append(QueueItem(
                    case=case, task=_("汇总评分"), anchor="sheets-heading",
                    note=_("%(submitted)s / %(assigned)s 位专家已提交") % {"submitted": submitted[key],
                                                                      "assigned": len(assigned[key])}))
        elif case.state == State.EVALUATION_PASSED:
            to_publish.items.append(QueueItem(case=case, task=_("发布公示"), anchor="move-publish_notice"))
        elif case.state == State.IN_PUBLICITY:
            running.items.append(_item(case, _("公示期满处理"), today, kind=DeadlineKind.NOTICE,
                                       anchor="move-close_notice"))
        elif case.state == State.AWAITING_DESIGNATION:
            decisions.items.append(QueueItem(case=case, task=_("认定或不予认定"), anchor="move-designate"))
        elif case.state == State.CREATING and case.lapse_flagged_for and case.lapse_flagged_for == case.creation_end:
            from . import deadlines as case_deadlines

            last = case_deadlines.evaluation_window(case)[1]
            decisions.items.append(_item(case, _("创建期满未申请评估：终止或延长创建期"), today, due=last,
                                         anchor="move-lapse"))
    objections = Queue("objections", _("待核实的异议"), _("核实公示期间收到的异议，作出成立或不成立的决定（办法 第十六条）。"))
    for objection in (Objection.objects.filter(status=Objection.Status.OPEN, notice__case__in=cases_visible_to(user))
                      .select_related("notice__case__creation_object__province").order_by("filed_at", "pk")):
        case = objection.notice.case
        objections.items.append(QueueItem(
            case=case, task=_("核实异议"), due=objection.notice.last_day,
            days_left=(objection.notice.last_day - today).days, anchor="objections",
            note=_("%(day)s 收到") % {"day": timezone.localtime(objection.filed_at).date()}))
    for queue in lists.values():
        queue.items.sort(key=lambda item: item.order)
    home.queues = [*lists.values(), experts, finalise, decide_result, to_publish, running, objections, decisions]
    if not lists:
        home.queues.insert(0, Queue("recommended", _("推荐名单"), _("各省择优推荐的名单：同意创建或不同意创建（办法 第九条）。")))


# ── expert ───────────────────────────────────────────────────────────────────────────────────────────────────
def _expert(home, user, today):
    from evaluation.models import ExpertAssignment
    from evaluation.models import ScoreSheet, SheetStage, SheetStatus

    to_score = Queue("to_score", _("待评分"), _("声明利益冲突情况，按评估指标体系评分并提交（办法 第十四条）。"))
    done = Queue("scored", _("已提交，等待总局汇总"), _("评分表提交后不能再修改。"))
    sheets = {(case_id, round_): status for case_id, round_, status in ScoreSheet.objects.filter(
        author=user, stage=SheetStage.EXPERT).values_list("case_id", "round", "status")}
    assignments = (ExpertAssignment.objects.filter(expert=user, case__state=State.UNDER_EVALUATION)
                   .select_related("case__creation_object__province").order_by("assigned_at", "pk"))
    for assignment in assignments:
        case = assignment.case
        if assignment.round != case.evaluation_failures + 1:
            continue  # an assignment of an earlier round
        status = sheets.get((case.pk, assignment.round))
        if status == SheetStatus.SUBMITTED:
            done.items.append(QueueItem(case=case, task=_("已提交评分表"), anchor="sheets-heading"))
        else:
            task = _("继续填写评分表") if status == SheetStatus.DRAFT else _("评分")
            to_score.items.append(QueueItem(case=case, task=task, anchor="sheets-heading",
                                            note=_("%(day)s 分配") % {"day": timezone.localtime(assignment.assigned_at).date()}))
    home.queues = [to_score, done]


# ── member-unit liaison ──────────────────────────────────────────────────────────────────────────────────────
@dataclasses.dataclass
class TaskQueueItem(QueueItem):
    """A task of the creation plan: it opens the task in the creation workspace (the case page is not a liaison's)."""

    task_id: int = 0

    @property
    def href(self):
        return reverse("creation-task", args=[self.case.pk, self.task_id])


LIAISON_SOON_DAYS = 30


def _liaison(home, user, today):
    """The liaison's own unit's open tasks (lead or co-unit) due within LIAISON_SOON_DAYS or overdue, and the other
    open ones after; one query (creation.selectors decides the scope)."""
    from creation import selectors as creation_selectors
    from creation.models import Task

    soon = Queue("my_tasks_due", _("本单位近期到期的任务"), _("报送进展、更新状态（办法 第十条：开展创建）。"))
    open_ = Queue("my_tasks", _("本单位的其他任务"), _("尚未完成、暂无近期时限的任务。"))
    unit = creation_selectors.liaison_unit(user)
    if unit is None:
        home.queues = [soon]
        return
    tasks = (Task.objects.filter(creation_selectors.unit_q(unit), plan__case__in=creation_selectors.workspace_cases(user)
                                 .filter(state__in=creation_selectors.WORKING_STATES))
             .exclude(status=Task.Status.DONE).distinct()
             .select_related("plan__case__creation_object__province").order_by("due_on", "number"))
    horizon = today + datetime.timedelta(days=LIAISON_SOON_DAYS)
    for task in tasks:
        role = _("牵头") if task.lead_unit_id == unit.pk else _("配合")
        item = TaskQueueItem(case=task.plan.case, task=f"{task.number}. {task.title}", due=task.due_on,
                             days_left=(task.due_on - today).days if task.due_on else None,
                             note=f"{role} · {task.get_status_display()}", task_id=task.pk)
        (soon if task.due_on and task.due_on <= horizon else open_).items.append(item)
    home.queues = [soon, open_]


# ── admin ────────────────────────────────────────────────────────────────────────────────────────────────────
ADMIN_TOOLS = [
    ("admin:indicators_indicatorsystem_changelist", gettext_lazy("评估指标体系"),
     gettext_lazy("导入、预览、发布指标体系版本（办法 第十一条）")),
    ("admin:indicators_nationalfigure_changelist", gettext_lazy("全国基准数据"),
     gettext_lazy("逐年录入全国数据并注明来源，评分时比较使用")),
    ("admin:accounts_user_changelist", gettext_lazy("用户"), gettext_lazy("创建账号、分配角色和所属机构")),
    ("admin:accounts_organisation_changelist", gettext_lazy("机构"), gettext_lazy("创建对象、省级市场监管部门、总局")),
    ("admin:rulesets_ruleset_changelist", gettext_lazy("管理办法版本"), gettext_lazy("各版本的期限、条款和情形")),
    ("admin:index", gettext_lazy("全部管理功能"), gettext_lazy("登录审计、令牌、通知投递等")),
]


def admin_links():
    """[(label, href, description)] of the admin tools that exist in this deployment."""
    links = []
    for name, label, description in ADMIN_TOOLS:
        try:
            links.append((str(label), reverse(name), str(description)))
        except NoReverseMatch:
            continue
    return links


