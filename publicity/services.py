"""Writers for stage 8 (办法 第十五条): the notice and its objections."""
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from cases import deadlines
from cases.errors import IllegalTransition, InvalidPayload, NotAllowed, NotFound
from cases.models import Case
from cases.services import SYSTEM_ACTOR, locked_case, record_action
from cases.workflow import SAMR, State

from .models import Notice, NoticeList, Objection, ObjectionAttachment

log = logging.getLogger(__name__)

# What an objector may attach: the formats officials exchange (documents.content reads them from the bytes).
ATTACHMENT_FORMATS = ["pdf", "ofd", "docx", "xlsx", "jpeg", "png"]


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


def check_attachments(files):
    """The objector's files, each read from its bytes (documents.content): the formats in ATTACHMENT_FORMATS, at
    most OBJECTION_ATTACHMENT_MAX_FILES of at most OBJECTION_ATTACHMENT_MAX_BYTES each. Returns [(file, format)];
    InvalidPayload naming the file and the fix if one is refused."""
    from documents import content

    files = [f for f in (files or []) if f]
    if len(files) > settings.OBJECTION_ATTACHMENT_MAX_FILES:
        message = _("附件最多 %(n)s 个。") % {"n": settings.OBJECTION_ATTACHMENT_MAX_FILES}
        raise InvalidPayload(message, errors={"attachments": [message]})
    checked, errors = [], []
    labels = "、".join(content.LABELS[f] for f in ATTACHMENT_FORMATS)
    for upload in files:
        if upload.size > settings.OBJECTION_ATTACHMENT_MAX_BYTES:
            errors.append(_("“%(name)s”过大（每个附件不超过 %(mb)s MB）。") % {
                "name": upload.name, "mb": settings.OBJECTION_ATTACHMENT_MAX_BYTES // 1048576})
            continue
        found = content.sniff(upload)
        if found not in ATTACHMENT_FORMATS:
            errors.append(_("“%(name)s”的内容不是可接受的格式：附件只接受 %(allowed)s（按文件内容判断，不看文件名）。")
                          % {"name": upload.name, "allowed": labels})
            continue
        checked.append((upload, found))
    if errors:
        raise InvalidPayload(_("附件有误，请按提示修改后重新选择。"), errors={"attachments": errors})
    return checked


def _save_attachments(objection, checked):
    from documents import content, files

    for upload, found in checked:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        attachment = ObjectionAttachment(objection=objection, name=(upload.name or "")[:200], content_format=found,
                                         size=upload.size, sha256=digest.hexdigest())
        attachment.file.save(content.EXTENSIONS[found], upload, save=False)
        files.track(attachment.file.name)  # removed again if the objection does not commit
        attachment.save()


def _email_receipt(objection, city):
    """The receipt to the objector's e-mail address (after the commit: only an objection that exists is
    confirmed). A mail server that refuses is logged; the objection stands and its receipt was shown."""
    subject = _("异议回执 %(receipt)s") % {"receipt": objection.receipt}
    body = _("您对%(city)s提出的异议已于 %(when)s 收到，将由市场监管总局核实处理（办法 第十五条、第十六条）。\n\n"
             "回执编号：%(receipt)s\n\n本邮件由系统自动发送，请勿回复。") % {
        "city": city, "receipt": objection.receipt,
        "when": timezone.localtime(objection.filed_at).strftime("%Y-%m-%d %H:%M")}
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [objection.email])
    except Exception:  # noqa: BLE001 — any mail failure: logged, never an error for the citizen
        log.exception("objection %s: the receipt could not be e-mailed", objection.pk)


def file_objection_on_list(*, listing_id, case_id, name, contact, content, email="", attachments=()):
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
    return file_objection(notice_id=notice_id, name=name, contact=contact, content=content, email=email,
                          attachments=attachments)


def file_objection(*, notice_id, name, contact, content, email="", attachments=()):
    """Anyone may object while the notice runs (办法 第十五条: 接受社会监督). Audited on the case as the public.

    One transaction: the objection, its audit entry and SAMR's notification exist together or not at all. The
    case row is locked waiting (not NOWAIT): a citizen is never refused because an officer or another objector
    holds the case for a moment. Attachments are checked by their bytes (check_attachments) and stored only if
    the objection commits; the receipt is e-mailed, if an address was given, after the commit."""
    if not content.strip():
        raise InvalidPayload(_("请填写异议内容。"), errors={"content": [_("此项为必填项。")]})
    checked = check_attachments(attachments)
    with transaction.atomic():
        notice = Notice.objects.filter(pk=notice_id).values("case_id").first()
        if notice is None:
            raise NotFound(_("没有正在公示的该项公示。"))
        case = (Case.objects.select_for_update(of=("self",)).select_related("creation_object", "rule_set")
                .get(pk=notice["case_id"]))
        notice = Notice.objects.get(pk=notice_id)
        today = timezone.localdate()
        if today < notice.first_day:  # dated ahead: not yet public
            raise NotFound(_("没有正在公示的该项公示。"))
        # 办法 第十五条: objections are taken during the notice only — refused outside it, naming both days.
        if not notice.is_open_on(today) or case.state != State.IN_PUBLICITY:
            raise InvalidPayload(_("公示期为 %(first)s 至 %(last)s，现不在公示期内，不再受理异议。")
                                 % {"first": notice.first_day, "last": notice.last_day})
        objection = Objection.objects.create(notice=notice, case=case, name=name, contact=contact, content=content,
                                             email=email or "", receipt=_receipt(today))
        _save_attachments(objection, checked)
        record_action(case, actor=SYSTEM_ACTOR, name="objection_filed", label=_("收到异议"),
                      data={"objection": objection.pk, "receipt": objection.receipt,
                            "attachments": [a.sha256 for a in objection.attachments.all()]}, notify=[SAMR])
        if objection.email:
            city = case.creation_object.name
            transaction.on_commit(lambda: _email_receipt(objection, city))
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
