"""What a notification says, per event, rendered in the recipient's language (Chinese by default, English
available). The context holds only language-neutral values (codes, dates, numbers); labels are looked up and
translated here, inside translation.override, so one event reads right for every recipient."""
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SUBJECTS = {
    "deadline_reminder": gettext_lazy("%(case)s：%(deadline)s还有 %(days)s 天（%(due)s）"),
    "deadline_due_today": gettext_lazy("%(case)s：今天是%(deadline)s的最后一天（%(due)s）"),
    "annual_report_overdue": gettext_lazy("%(case)s：%(year)s 年度工作情况逾期未报送"),
    "annual_report_submitted": gettext_lazy("%(case)s：已报送 %(year)s 年度工作情况"),
    "creation_period_extended": gettext_lazy("%(case)s：创建期延长至 %(new_end)s"),
    "national_figures_missing": gettext_lazy("评分需要尚未录入的全国数据：%(figures)s"),
    "experience_report_to_province": gettext_lazy("%(case)s：典型经验待省级审核报送"),
    "experience_report_to_samr": gettext_lazy("%(case)s：典型经验已报总局"),
    "experience_report_published": gettext_lazy("%(case)s：典型经验已公开发布"),
    "supervision_visit_recorded": gettext_lazy("%(case)s：督促指导（%(day)s）"),
    "supervision_follow_up_done": gettext_lazy("%(case)s：已报告整改情况"),
}
BODIES = {
    "deadline_reminder": gettext_lazy(
        "案件 %(reference)s 的%(deadline)s为 %(due)s（北京时间当日 24 时前，含当日），还有 %(days)s 天。"
        "依据：%(article)s。"),
    "deadline_due_today": gettext_lazy(
        "案件 %(reference)s 的%(deadline)s为今天 %(due)s（北京时间 24 时前）。依据：%(article)s。"),
    "annual_report_overdue": gettext_lazy(
        "示范区 %(case)s 应于 %(due)s 前报送 %(year)s 年度工作情况（试行办法 第十八条），至今未报送。"
        "请尽快报送市场监管总局和所在地省级市场监管部门。"),
    "annual_report_submitted": gettext_lazy("示范区 %(case)s 已报送 %(year)s 年度工作情况（试行办法 第十八条）。"),
    "creation_period_extended": gettext_lazy(
        "市场监管总局决定将 %(case)s 的创建期由 %(previous_end)s 延长至 %(new_end)s。理由：%(reason)s"),
    "transition": gettext_lazy("案件 %(reference)s 现为“%(state)s”。"),
    "national_figures_missing": gettext_lazy(
        "%(case)s（案件 %(reference)s）的评分表需要以下全国数据，系统中尚未录入：%(figures)s。全国数据只能由管理员"
        "录入（注明来源），创建对象无法提供；录入后评分表重新计分即可使用。"),
    "experience_report_to_province": gettext_lazy(
        "%(case)s 报送典型经验“%(title)s”，请审核后报送市场监管总局（试行办法 第十九条）。"),
    "experience_report_to_samr": gettext_lazy(
        "%(case)s 的典型经验“%(title)s”已报送市场监管总局（第十九条）；所在地省级市场监管部门可查阅。"),
    "experience_report_published": gettext_lazy("市场监管总局已在公众页面发布 %(case)s 的典型经验“%(title)s”（办法 第二十条）。"),
    "supervision_visit_recorded": gettext_lazy(
        "%(case)s（案件 %(reference)s）于 %(day)s 接受督促指导（第二十二条），整改期限：%(due)s。请查阅发现问题和整改要求。"),
    "supervision_follow_up_done": gettext_lazy("%(case)s 已报告 %(day)s 督促指导的整改情况。"),
}

# The creation period's milestones and progress reports (creation.milestones, creation.reports).
SUBJECTS.update({
    "creation_task_reminder": gettext_lazy("%(case)s：创建任务 %(number)s「%(title)s」还有 %(days)s 天到期（%(due)s）"),
    "creation_task_due_today": gettext_lazy("%(case)s：创建任务 %(number)s「%(title)s」今天到期（%(due)s）"),
    "creation_task_overdue": gettext_lazy("%(case)s：创建任务 %(number)s「%(title)s」已逾期（%(due)s 到期）"),
    "creation_phase_reminder": gettext_lazy("%(case)s：创建阶段「%(title)s」还有 %(days)s 天结束（%(due)s）"),
    "creation_phase_due_today": gettext_lazy("%(case)s：创建阶段「%(title)s」今天结束（%(due)s）"),
    "creation_phase_overdue": gettext_lazy("%(case)s：创建阶段「%(title)s」已结束，仍有任务未完成"),
    "creation_progress_report": gettext_lazy("%(case)s：报送创建工作进展报告（%(period)s）"),
})
BODIES.update({
    "creation_task_reminder": gettext_lazy(
        "案件 %(reference)s 创建工作方案中的任务 %(number)s「%(title)s」完成时限为 %(due)s（北京时间），还有 %(days)s 天。"),
    "creation_task_due_today": gettext_lazy(
        "案件 %(reference)s 创建工作方案中的任务 %(number)s「%(title)s」完成时限为今天 %(due)s（北京时间 24 时前）。"),
    "creation_task_overdue": gettext_lazy(
        "案件 %(reference)s 创建工作方案中的任务 %(number)s「%(title)s」完成时限为 %(due)s，已逾期 %(overdue_days)s 天"
        "仍未完成。请牵头单位尽快推进并报送进展。"),
    "creation_phase_reminder": gettext_lazy(
        "案件 %(reference)s 创建工作方案的阶段「%(title)s」于 %(due)s 结束，还有 %(days)s 天，仍有任务未完成。"),
    "creation_phase_due_today": gettext_lazy(
        "案件 %(reference)s 创建工作方案的阶段「%(title)s」今天 %(due)s 结束，仍有任务未完成。"),
    "creation_phase_overdue": gettext_lazy(
        "案件 %(reference)s 创建工作方案的阶段「%(title)s」已于 %(due)s 结束（逾期 %(overdue_days)s 天），"
        "其中仍有任务未完成。"),
    "creation_progress_report": gettext_lazy(
        "%(case)s（案件 %(reference)s）报送了创建工作进展报告（报告期：%(period)s），请在创建工作台阅读。"),
})


def _labels(context):
    """Turn the context's codes into labels in the active language."""
    from cases.workflow import State
    from deadlines.models import DeadlineKind

    out = dict(context)
    if "kind" in out:
        out["deadline"] = str(DeadlineKind(out["kind"]).label)
    if "state" in out and out["state"] in State.values:
        out["state"] = str(State(out["state"]).label)
    return out


def render(event, *, language, context, fallback_subject="", fallback_body=""):
    """(subject, body) for ``event`` in ``language``. Transition events (a move's name) take the move's label;
    events this module does not know keep the subject their sender wrote."""
    from cases.services import MOVES

    with translation.override(language):
        ctx = _labels(context)
        if event in SUBJECTS:
            return str(SUBJECTS[event]) % ctx, str(BODIES[event]) % ctx
        if event in MOVES:
            subject = _("%(case)s：%(move)s") % {"case": ctx["case"], "move": MOVES[event].label}
            return subject, str(BODIES["transition"]) % ctx
        return fallback_subject, fallback_body
