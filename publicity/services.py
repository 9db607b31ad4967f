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

from .models import Notice, NoticeList, Objection


def _evaluation_summary(case):
    """The city's 评估情况 on the list (试行办法 第十三条): its latest evaluation result."""
    result = case.evaluation_results.order_by("-recorded_at", "-pk").first()
    if result is None:
        return ""
    return _("评估总分 %(score)s 分，评估合格。") % {"score": result.total_score}


def record_notice(*, case, ctx, move):
    """The case's entry in the notice list: the list publish_notice_list opened for it, or — a notice published
    for one case on its own — a one-city list."""
    listing = ctx.payload.get("listing")
    if listing is None:
        first_day = ctx.payload.get("first_day") or ctx.today
        listing = NoticeList.objects.create(
            round=case.evaluation_round, text=ctx.payload.get("text", ""), first_day=first_day,
            last_day=deadlines.notice_last_day(first_day, case.rule_set.notice_days),
            published_by=ctx.actor, published_at=ctx.now)
    Notice.objects.create(case=case, listing=listing, summary=_evaluation_summary(case), first_day=listing.first_day,
                          last_day=listing.last_day, text=listing.text, published_by=ctx.actor,
                          published_at=ctx.now)


def publish_notice_list(*, round_id, actor, cases, text, first_day=None):
    """办法 第十五条 / 试行办法 第十三条: SAMR publishes one notice per round naming every city that passed, each
    with its evaluation summary, for 15 days from the first day. One act: the list and each city's publish_notice
    move, all or nothing (each through perform_transition, with its own audit entry and notifications).

    Who may call it: SAMR officers. Each city must have passed its evaluation in this round."""
    from cases.services import perform_transition
    from evaluation.models import Round

    if getattr(actor, "role", None) != Role.SAMR_OFFICER:
        raise NotAllowed(_("只有总局工作人员可以发布公示。"))
    if not (text or "").strip():
        raise InvalidPayload(_("请填写公示内容（将向社会公布）。"), errors={"text": [_("此项为必填项。")]})
    case_ids = list(dict.fromkeys(cases or []))
    if not case_ids:
        raise InvalidPayload(_("请选择列入公示名单的城市。"), errors={"cases": [_("此项为必填项。")]})
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        raise NotFound(_("未找到该评估批次。"))
    today = timezone.localdate()
    first_day = first_day or today
    if first_day < today:
        raise InvalidPayload(_("公示开始日不能早于今天。"), errors={"first_day": [_("日期无效。")]})
    with transaction.atomic():
        found = {c.pk: c for c in Case.objects.select_related("rule_set").filter(pk__in=case_ids)}
        errors = [_("案件 %(id)s 不存在。") % {"id": i} for i in case_ids if i not in found]
        errors += [_("%(city)s 不属于评估批次“%(round)s”。") % {"city": found[i].creation_object, "round": round_.title}
                   for i in case_ids if i in found and found[i].evaluation_round_id != round_.pk]
        if errors:
            raise InvalidPayload(_("公示名单有误，请按提示修改。"), errors={"cases": errors})
        days = found[case_ids[0]].rule_set.notice_days
        listing = NoticeList.objects.create(round=round_, text=text, first_day=first_day,
                                            last_day=deadlines.notice_last_day(first_day, days),
                                            published_by=actor, published_at=timezone.now())
        from official.registry import issue_notice_list  # the list's one 公示, numbered (issue #11)

        issue_notice_list(listing=listing, cases=[found[i] for i in case_ids], actor=actor)
        for case_id in case_ids:
            perform_transition(case_id=case_id, name="publish_notice", actor=actor,
                               payload={"first_day": first_day, "text": text}, listed_in={"listing": listing})
    return listing


def record_notice_closed(*, case, ctx, move):
    case.notices.filter(closed_at__isnull=True).update(closed_at=ctx.now)


def _receipt(today):
    return f"YY{today:%Y%m%d}-{secrets.token_hex(4).upper()}"


def file_objection_on_list(*, listing_id, case_id, name, contact, content):
    """An objection to a notice list names the city it concerns (its case); a one-city list needs no name."""
    entries = list(Notice.objects.filter(listing_id=listing_id).values_list("pk", "case_id"))
    if not entries:
        raise NotFound(_("没有正在公示的该项公示。"))
    if case_id is None and len(entries) == 1:
        case_id = entries[0][1]
    notice_id = next((pk for pk, case in entries if case == case_id), None)
    if notice_id is None:
        raise InvalidPayload(_("请选择异议所涉的城市（公示名单中的一个）。"),
                             errors={"case": [_("请选择公示名单中的城市。")]})
    return file_objection(notice_id=notice_id, name=name, contact=contact, content=content)


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
        objection = Objection.objects.create(notice=notice, case=case, name=name, contact=contact, content=content,
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
