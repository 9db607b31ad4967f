"""The conditions a move checks before it may happen.

Each guard is a function of the case that returns None when the condition holds, or the message a user reads
when it does not (naming the thing and the fix). ``@guard`` turns it into a django-fsm condition (truthy when
met) that still gives its reason. Guards read the clock (timezone.now), so a late act is refused even if no
periodic job has run. Guards that later issues refine (the self-assessment and evaluation scores) read the
decision recorded on the case until then.
"""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import deadlines


class Guard:
    def __init__(self, func):
        self.func = func
        self.__name__ = func.__name__
        self.__doc__ = func.__doc__

    def __call__(self, case):
        return self.reason(case) is None

    def reason(self, case):
        return self.func(case)

    def __repr__(self):
        return f"<guard {self.__name__}>"


def guard(func):
    return Guard(func)


def _today():
    return timezone.localdate()


def _missing_documents(case, kinds, since=None):
    from documents.models import Document

    documents = case.documents.filter(kind__in=kinds)
    if since is not None:
        documents = documents.filter(uploaded_at__gt=since)
    present = set(documents.values_list("kind", flat=True))
    return [Document.Kind(kind).label for kind in kinds if kind not in present]


@guard
def application_complete(case):
    """办法 第七条: 申请表、创建方案和相关材料."""
    from documents.models import Document

    missing = []
    if not case.application_forms.exists():
        missing.append(_("申请表"))
    missing += _missing_documents(case, [Document.Kind.CREATION_PLAN])
    if missing:
        return _("申请材料不全：缺少%(items)s。请补齐后再提交。") % {"items": "、".join(str(m) for m in missing)}
    return None


@guard
def within_application_deadline(case):
    """试行办法 第七条: 每年5月底前; 办法 第七条: 按照总局通知的要求."""
    today = _today()
    if case.rule_set.application_calendar == "per_call":
        if not case.call_id:
            return _("请先选择市场监管总局的申报通知（办法 第七条）。")
        if today < case.call.opens_on:
            return _("申报通知“%(call)s”自 %(day)s 起接受申报。") % {"call": case.call.title, "day": case.call.opens_on}
    deadline = deadlines.application_deadline(case, today)
    if deadline and today > deadline:
        return _("已过申报截止日 %(day)s，本轮不再接受申报。") % {"day": deadline}
    return None


@guard
def within_correction_deadline(case):
    """A corrected application must reach the province before it has to forward its list."""
    deadline = deadlines.forward_deadline(case)
    if deadline and _today() > deadline:
        return _("补正期限已过（省级报送截止日 %(day)s）。") % {"day": deadline}
    return None


@guard
def within_province_review_deadline(case):
    """试行办法 第七条: 6月底前报送总局; 办法: the call's recommendation date. The trial measures' "1个月内初审" is
    the province's duty — when late it is flagged and SAMR and the province are told (deadlines.services
    .flag_late_province_reviews) — but it does not by itself bar a recommendation made by 30 June."""
    deadline = deadlines.forward_deadline(case)
    if deadline and _today() > deadline:
        return _("已过省级初审报送截止日 %(day)s，不能再报送总局。") % {"day": deadline}
    return None


@guard
def self_assessment_window_open(case):
    """办法 第十二条: 创建期满后; 试行办法 第十条: 条件成熟的, 创建期内."""
    first, last = deadlines.evaluation_window(case)
    today = _today()
    if first is None:
        return _("尚无创建期，不能申请评估。")
    if today < first:
        return _("评估申请须在创建期满后提交（现为创建中，期满日 %(end)s）。") % {"end": case.creation_end}
    if today > last:
        return _("评估申请期限已于 %(day)s 届满。") % {"day": last}
    return None


@guard
def evaluation_materials_complete(case):
    """办法 第十二条: 评估申请表、自评报告和相关材料; 自评合格的方可申请."""
    from documents.models import Document

    since = case.evaluation_failed_at  # 办法 第十七条: after a failure only new materials and a new self-assessment count
    missing = _missing_documents(case, [Document.Kind.EVALUATION_APPLICATION, Document.Kind.SELF_ASSESSMENT_REPORT],
                                 since=since)
    if missing:
        if since is not None:
            return _("再次申请评估须提交未通过评估后新的材料（办法 第十七条）：缺少%(items)s。") % {
                "items": "、".join(str(m) for m in missing)}
        return _("评估申请材料不全：缺少%(items)s。") % {"items": "、".join(str(m) for m in missing)}
    assessments = case.self_assessments.all()
    if since is not None:
        assessments = assessments.filter(recorded_at__gt=since)
    assessment = assessments.order_by("-recorded_at", "-pk").first()
    if assessment is None:
        if since is not None:
            return _("再次申请评估须重新自评（办法 第十七条）：未通过评估后尚未记录新的自评结果。")
        return _("尚未记录自评结果。")
    if not assessment.passed:
        return _("自评结果为不合格（%(score)s 分），不能申请评估。") % {"score": assessment.total_score}
    return None


@guard
def re_evaluation_available(case):
    """办法 第十七条: 可再次提交评估申请 — once."""
    if case.evaluation_failures > case.rule_set.re_evaluations_allowed:
        return _("再次评估机会已用完，可重新提出创建申请（办法 第十七条）。")
    return None


def _current_result(case):
    return case.evaluation_results.filter(round=case.evaluation_failures + 1).order_by("-recorded_at", "-pk").first()


@guard
def evaluation_result_passed(case):
    """办法 第十四条: the recorded evaluation result of this round is a pass."""
    result = _current_result(case)
    if result is None:
        return _("尚未记录本轮评估结果。")
    if not result.passed:
        return _("本轮评估结果为不合格，不能作评估合格处理。")
    return None


@guard
def evaluation_result_failed(case):
    result = _current_result(case)
    if result is None:
        return _("尚未记录本轮评估结果。")
    if result.passed:
        return _("本轮评估结果为合格，不能作未通过处理。")
    return None


def _current_notice(case):
    return case.notices.order_by("-first_day", "-pk").first()


@guard
def notice_period_over(case):
    """办法 第十六条: 公示期满."""
    notice = _current_notice(case)
    if notice is None:
        return _("尚未发布公示。")
    if _today() <= notice.last_day:
        return _("公示期至 %(day)s 止，期满后方可处理。") % {"day": notice.last_day}
    return None


@guard
def objections_all_decided(case):
    """办法 第十六条: 异议须经核实."""
    notice = _current_notice(case)
    if notice is not None and notice.objections.filter(status="open").exists():
        return _("尚有异议未核实，请先处理异议。")
    return None


@guard
def no_upheld_objection(case):
    """办法 第十六条: 社会无异议或者经核实异议不成立的, 方可认定."""
    notice = _current_notice(case)
    if notice is not None and notice.objections.filter(status="upheld").exists():
        return _("有经核实成立的异议，不能认定。")
    return None


@guard
def evaluation_window_closed(case):
    """The evaluation window is over and no application came: the case lapses."""
    last = deadlines.evaluation_window(case)[1]  # not "_, last": that would shadow gettext here
    if last is None or _today() <= last:
        return _("评估申请期限至 %(day)s 止，尚未届满。") % {"day": last}
    return None


@guard
def next_round_passed(case):
    """办法 第十七条: the next round after the failed one has closed and no re-evaluation application came."""
    from evaluation.services import re_evaluation_round

    if not case.rule_set.evaluation_rounds:
        return None
    following = re_evaluation_round(case)
    if following is None:
        return _("下一评估批次尚未开启，可再次申请评估（办法 第十七条）。")
    if _today() <= following.closes_on:
        return _("下一评估批次“%(round)s”受理至 %(day)s，尚可再次申请评估（办法 第十七条）。") % {
            "round": following.title, "day": following.closes_on}
    return None
