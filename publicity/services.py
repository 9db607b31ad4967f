"""Writers for stage 8 (办法 第十五条): the notice and its objections."""
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from cases import deadlines
from cases.errors import IllegalTransition, InvalidPayload, NotAllowed, NotFound
from cases.models import Case
from cases.services import SYSTEM_ACTOR, locked_case, record_action
from cases.workflow import SAMR, State

from .models import Notice, Objection


def record_notice(*, case, ctx, move):
    first_day = ctx.payload.get("first_day") or ctx.today
    Notice.objects.create(case=case, first_day=first_day,
                          last_day=deadlines.notice_last_day(first_day, case.rule_set.notice_days),
                          text=ctx.payload.get("text", ""), published_by=ctx.actor, published_at=ctx.now)


def record_notice_closed(*, case, ctx, move):
    case.notices.filter(closed_at__isnull=True).update(closed_at=ctx.now)


def _receipt(today):
    return f"YY{today:%Y%m%d}-{secrets.token_hex(4).upper()}"


def file_objection(*, notice_id, name, contact, content):
    """Anyone may object while the notice runs (办法 第十五条: 接受社会监督). Audited on the case as the public.

    One transaction: the objection, its audit entry and SAMR's notification exist together or not at all. The
    case row is locked waiting (not NOWAIT): a citizen is never refused because an officer or another objector
    holds the case for a moment."""
    if not content.strip():
        raise InvalidPayload(_("请填写异议内容。"), errors={"content": [_("此项为必填项。")]})
    with transaction.atomic():
        notice = Notice.objects.filter(pk=notice_id).values("case_id").first()
        if notice is None:
            raise NotFound(_("没有正在公示的该项公示。"))
        case = (Case.objects.select_for_update(of=("self",)).select_related("creation_object", "rule_set")
                .get(pk=notice["case_id"]))
        notice = Notice.objects.get(pk=notice_id)
        if case.state != State.IN_PUBLICITY:
            raise NotFound(_("没有正在公示的该项公示。"))
        today = timezone.localdate()
        if not notice.is_open_on(today):
            raise InvalidPayload(_("公示期为 %(first)s 至 %(last)s，现不在公示期内。")
                                 % {"first": notice.first_day, "last": notice.last_day})
        objection = Objection.objects.create(notice=notice, name=name, contact=contact, content=content,
                                             receipt=_receipt(today))
        record_action(case, actor=SYSTEM_ACTOR, name="objection_filed", label=_("收到异议"),
                      data={"objection": objection.pk, "receipt": objection.receipt}, notify=[SAMR])
    return objection


def decide_objection(*, objection_id, actor, upheld, decision):
    """SAMR records whether a verified objection stands (办法 第十六条: 经核实异议不成立的 …)."""
    objection = Objection.objects.select_related("notice").filter(pk=objection_id).first()
    if objection is None:
        raise NotFound(_("未找到该异议。"))
    with locked_case(objection.notice.case_id, actor) as case:
        if actor.role != Role.SAMR_OFFICER:
            raise NotAllowed(_("只有总局工作人员可以核实异议。"))
        if case.state not in (State.IN_PUBLICITY, State.AWAITING_DESIGNATION):
            raise IllegalTransition(_("当前状态不能处理异议。"), state=case.state)
        objection = Objection.objects.select_for_update().get(pk=objection_id)
        if objection.status != Objection.Status.OPEN:
            raise IllegalTransition(_("该异议已核实，不能再次处理。"), state=case.state)
        if not decision.strip():
            raise InvalidPayload(_("请填写核实意见。"), errors={"decision": [_("此项为必填项。")]})
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
        objection.decision, objection.decided_by, objection.decided_at = decision, actor, timezone.now()
        objection.save()
        record_action(case, actor=actor, name="decide_objection", label=_("核实异议"), comment=decision,
                      data={"objection": objection.pk, "upheld": upheld})
    return objection
