"""Writers for stages 5–7: the self-assessment, the provincial pre-review, expert assignment, the result."""
from django.utils.translation import gettext as _, gettext_lazy

from accounts.models import Role
from cases.errors import Conflict, IllegalTransition, InvalidPayload, NotAllowed
from cases.services import locked_case, record_action
from cases.workflow import State

from .models import EvaluationResult, ExpertAssignment, PreReview, Round, SelfAssessment

SELF_ASSESSMENT_STATES = (State.CREATING, State.EVALUATION_RETURNED, State.AWAITING_RE_EVALUATION)


def record_self_assessment(*, case_id, actor, total_score, passed, summary="", expected_version=None):
    """办法 第十二条: the applicant records its self-assessment before applying for evaluation."""
    with locked_case(case_id, actor, expected_version) as case:
        if actor.role != Role.APPLICANT:
            raise NotAllowed(_("只有创建对象经办人可以记录自评结果。"))
        if case.state not in SELF_ASSESSMENT_STATES:
            raise IllegalTransition(_("当前状态不能记录自评结果。"), state=case.state)
        assessment = SelfAssessment.objects.create(case=case, total_score=total_score, passed=passed,
                                                   summary=summary, recorded_by=actor)
        record_action(case, actor=actor, name="record_self_assessment", label=_("记录自评结果"),
                      data={"total_score": str(total_score), "passed": passed}, comment=summary)
    return assessment


def record_pre_review(*, case, ctx, move):
    p = ctx.payload
    PreReview.objects.create(case=case, outcome=move.name, documents_checked=p.get("documents_checked", False),
                             data_compared=p.get("data_compared", False), site_checked=p.get("site_checked", False),
                             comment=p.get("comment", ""), reviewer=ctx.actor, reviewed_at=ctx.now)


def assign_expert(*, case_id, actor, expert):
    """办法 第十四条: SAMR assigns an expert to the case's current evaluation round."""
    with locked_case(case_id, actor) as case:
        if actor.role != Role.SAMR_OFFICER:
            raise NotAllowed(_("只有总局工作人员可以指派专家。"))
        if case.state != State.UNDER_EVALUATION:
            raise IllegalTransition(_("只有总局评估中的案件可以指派专家。"), state=case.state)
        if expert.role != Role.SAMR_EXPERT:
            raise InvalidPayload(_("%(user)s 不是评估专家。") % {"user": expert})
        assignment, created = ExpertAssignment.objects.get_or_create(
            case=case, expert=expert, round=case.evaluation_failures + 1, defaults={"assigned_by": actor})
        if created:
            record_action(case, actor=actor, name="assign_expert", label=_("指派评估专家"),
                          data={"expert": expert.username, "round": assignment.round})
    return assignment


def replace_expert(*, case_id, actor, replaced, expert):
    """办法 第十四条 with the usual recusal rule: SAMR assigns ``expert`` in place of ``replaced``, an expert of the
    case's current round who declared a conflict of interest on their score sheet. The conflicted assignment and
    its declaration stay (the result excuses them); the new one is added. Who may call it: SAMR officers, while
    the case is under evaluation. Writes the assignment and one audit entry naming both experts."""
    with locked_case(case_id, actor) as case:
        if actor.role != Role.SAMR_OFFICER:
            raise NotAllowed(_("只有总局工作人员可以改派专家。"))
        if case.state != State.UNDER_EVALUATION:
            raise IllegalTransition(_("只有总局评估中的案件可以改派专家。"), state=case.state)
        if expert.role != Role.SAMR_EXPERT:
            raise InvalidPayload(_("%(user)s 不是评估专家。") % {"user": expert}, errors={"expert": [_("没有该评估专家。")]})
        round_ = case.evaluation_failures + 1
        old = ExpertAssignment.objects.filter(case=case, expert=replaced, round=round_).first()
        if old is None:
            raise InvalidPayload(_("%(user)s 不是本轮指派的专家。") % {"user": replaced},
                                 errors={"replaces": [_("不是本轮指派的专家。")]})
        declared = old.score_sheets.filter(has_conflict=True).first()
        if declared is None:
            raise Conflict(_("%(user)s 未声明存在利益冲突，不能改派；请待其声明或评分。") % {"user": replaced},
                           errors={"replaces": [_("未声明存在利益冲突。")]})
        if ExpertAssignment.objects.filter(case=case, expert=expert, round=round_).exists():
            raise Conflict(_("%(user)s 已是本轮指派的专家，请另选。") % {"user": expert},
                           errors={"expert": [_("已指派。")]})
        assignment = ExpertAssignment.objects.create(case=case, expert=expert, round=round_, assigned_by=actor)
        record_action(case, actor=actor, name="replace_expert", label=gettext_lazy("改派评估专家"),
                      comment=declared.conflict_statement,
                      data={"expert": expert.username, "replaces": replaced.username, "round": round_})
    return assignment


def record_evaluation_result(*, case_id, actor, total_score, passed, summary="", rule_passed=None, weighing=None,
                             reasons="", expected_version=None):
    """办法 第十四条: SAMR records the result of this round; pass_evaluation / fail_evaluation read it."""
    with locked_case(case_id, actor, expected_version) as case:
        if actor.role != Role.SAMR_OFFICER:
            raise NotAllowed(_("只有总局工作人员可以记录评估结果。"))
        if case.state != State.UNDER_EVALUATION:
            raise IllegalTransition(_("只有总局评估中的案件可以记录评估结果。"), state=case.state)
        result = EvaluationResult.objects.create(case=case, round=case.evaluation_failures + 1,
                                                 total_score=total_score, passed=passed, summary=summary,
                                                 rule_passed=rule_passed, weighing=weighing or {}, reasons=reasons,
                                                 recorded_by=actor)
        record_action(case, actor=actor, name="record_evaluation_result", label=_("记录评估结果"),
                      comment=reasons or summary,
                      data={"round": result.round, "total_score": str(total_score), "passed": passed,
                            "rule_passed": rule_passed, "weighing": weighing or {}})
    return result


# ── rounds (评估批次) ─────────────────────────────────────────────────────────────────────────────────────────
ROUND_FIELDS = ("title", "document_number", "opens_on", "closes_on", "indicator_system")


def _check_round_dates(opens_on, closes_on):
    from django.utils import timezone

    from cases.errors import InvalidPayload

    if closes_on < opens_on:
        raise InvalidPayload(_("受理截止日不能早于开始日。"), errors={"closes_on": [_("日期无效。")]})
    if closes_on < timezone.localdate():
        raise InvalidPayload(_("受理截止日不能早于今天。"), errors={"closes_on": [_("日期无效。")]})


def open_round(*, actor, title, opens_on, closes_on, indicator_system, document_number=""):
    """SAMR opens an evaluation round (办法 第十二条–第十七条). Who may call it: SAMR officers."""
    from django.db import transaction

    if getattr(actor, "role", None) != Role.SAMR_OFFICER:
        raise NotAllowed(_("只有总局工作人员可以开启评估批次。"))
    _check_round_dates(opens_on, closes_on)
    with transaction.atomic():
        return Round.objects.create(title=title, document_number=document_number, opens_on=opens_on,
                                    closes_on=closes_on, indicator_system=indicator_system, created_by=actor)


def update_round(*, round_id, actor, **fields):
    """SAMR corrects a round: its title and 文号 at any time, its days and indicator version only before it opens."""
    from django.db import transaction
    from django.utils import timezone

    from cases.errors import Conflict, NotFound

    if getattr(actor, "role", None) != Role.SAMR_OFFICER:
        raise NotAllowed(_("只有总局工作人员可以修改评估批次。"))
    with transaction.atomic():
        round_ = Round.objects.select_for_update().filter(pk=round_id).first()
        if round_ is None:
            raise NotFound(_("未找到该评估批次。"))
        fixed = {k for k in ("opens_on", "closes_on", "indicator_system") if k in fields
                 and fields[k] != getattr(round_, k)}
        if fixed and round_.opens_on <= timezone.localdate():
            raise Conflict(_("评估批次已于 %(day)s 开始受理，受理期和指标体系不能再改。") % {"day": round_.opens_on})
        for key, value in fields.items():
            setattr(round_, key, value)
        _check_round_dates(round_.opens_on, round_.closes_on)
        round_.save()
    return round_


def next_round_after(round_, *, taking_on=None):
    """办法 第十七条 下一次示范区评估认定: the first round that opens after ``round_`` opened — with ``taking_on``,
    the first of those still taking applications on that day."""
    if round_ is None:
        return None
    rounds = Round.objects.filter(opens_on__gt=round_.opens_on)
    if taking_on is not None:
        rounds = rounds.filter(closes_on__gte=taking_on)
    return rounds.order_by("opens_on", "pk").first()


def re_evaluation_round(case):
    """办法 第十七条: the round a failed city applies again in — the next one it can still apply to. A round that
    opened after the failed one but closed before the failure was decided was never open to the re-application
    (evaluations can outlast a round's days), so it does not use up the city's one more evaluation."""
    from django.utils import timezone

    failed_on = timezone.localdate(case.evaluation_failed_at) if case.evaluation_failed_at else None
    return next_round_after(case.evaluation_round, taking_on=failed_on)
