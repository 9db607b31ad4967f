"""Writers for stages 1–3: the application form and its materials, the provincial review, SAMR's decision.
Stage recorders (record_*) run inside cases.services.perform_transition's transaction."""
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from cases.errors import Conflict, IllegalTransition, InvalidPayload, NotAllowed
from cases.services import locked_case, record_action
from cases.workflow import State

from .models import ApplicationCall, ApplicationForm, CreationDecision, PreliminaryReview

EDITABLE_STATES = (State.DRAFT, State.RETURNED)
FORM_FIELDS = tuple(ApplicationForm.field_names())


def save_application_form(*, case_id, actor, expected_version=None, **fields):
    """The applicant saves 《创建申请表》 as a new version (earlier versions stay). Draft or returned cases only."""
    with locked_case(case_id, actor, expected_version) as case:
        if actor.role != Role.APPLICANT:
            raise NotAllowed(_("只有创建对象经办人可以填写申请表。"))
        if case.state not in EDITABLE_STATES:
            raise IllegalTransition(_("申请已提交，申请表不能再修改。"), state=case.state)
        values = {k: fields[k] for k in FORM_FIELDS if k in fields}
        _check_form(values)
        last = case.application_forms.order_by("-version").first()
        form = ApplicationForm.objects.create(case=case, version=(last.version + 1 if last else 1), saved_by=actor,
                                              **values)
        record_action(case, actor=actor, name="save_application_form", label=_("保存申请表"),
                      data={"version": form.version})
    return form


def _check_form(values):
    """What the database would refuse, said as a user reads it (a 400, never a 500)."""
    online, total = values.get("online_business_count"), values.get("business_count")
    if online is not None and total is not None and online > total:
        message = _("网络经营主体数量不能多于经营主体总数。")
        raise InvalidPayload(message, errors={"online_business_count": [message]})


def record_preliminary_review(*, case, ctx, move):
    """The province's outcome. A recommendation's rank is unique per province and call (办法 第八条 择优推荐):
    the province row is locked while the rank is taken, so two reviewers ranking at once are served in turn, and
    the database constraint refuses a rank already used — by a case in any state."""
    from regions.models import Province

    province = case.creation_object.province
    rank = ctx.payload.get("rank")
    if rank is not None:
        Province.objects.select_for_update().filter(pk=province.pk).first()
        taken = PreliminaryReview.objects.filter(province=province, call_id=case.call_id, rank=rank,
                                                 outcome=PreliminaryReview.Outcome.RECOMMENDED)
        if case.call_id and taken.exists():
            raise Conflict(_("推荐排序 %(rank)s 已用于本省在“%(call)s”中推荐的其他城市，请另选排序（办法 第八条）。")
                           % {"rank": rank, "call": case.call.title}, errors={"rank": [_("该排序已被使用。")]})
    try:
        with transaction.atomic():
            PreliminaryReview.objects.create(case=case, outcome=move.name, rank=rank, province=province,
                                             call_id=case.call_id, comment=ctx.payload.get("comment", ""),
                                             reviewer=ctx.actor, reviewed_at=ctx.now)
    except IntegrityError:
        raise Conflict(_("推荐排序 %(rank)s 已被使用，请刷新后另选排序（办法 第八条）。") % {"rank": rank},
                       errors={"rank": [_("该排序已被使用。")]}) from None


def record_creation_decision(*, case, ctx, move):
    CreationDecision.objects.create(
        case=case, approved=move.name == "approve_creation", creation_start=case.creation_start,
        creation_end=case.creation_end, comment=ctx.payload.get("comment", ""), decided_by=ctx.actor,
        decided_at=ctx.now,
    )


def create_call(*, actor, **fields):
    """SAMR opens a call for applications (办法 第七条)."""
    if actor.role != Role.SAMR_OFFICER:
        raise NotAllowed(_("只有总局工作人员可以发布申报通知。"))
    _check_call_dates(fields["opens_on"], fields["submission_deadline"], fields["recommendation_deadline"])
    return ApplicationCall.objects.create(created_by=actor, **fields)


CALL_FIELDS = ("title", "document_number", "year", "opens_on", "submission_deadline", "recommendation_deadline")


def _check_call_dates(opens_on, submission_deadline, recommendation_deadline):
    if not opens_on <= submission_deadline <= recommendation_deadline:
        raise InvalidPayload(_("日期须依次为：开始受理 ≤ 报送截止 ≤ 省级推荐截止。"),
                             errors={"submission_deadline": [_("日期顺序有误。")]})


def update_call(*, call_id, actor, **fields):
    """SAMR corrects a call for applications before it opens (办法 第七条: the cities apply 按照总局通知的要求 — once
    a call is taking applications, what it asked of them no longer changes). Who may call it: SAMR officers.
    Changes the call's fields; refused (Conflict) from its first day on."""
    from django.utils import timezone

    from cases.errors import NotFound

    if getattr(actor, "role", None) != Role.SAMR_OFFICER:
        raise NotAllowed(_("只有总局工作人员可以修改申报通知。"))
    with transaction.atomic():
        call = ApplicationCall.objects.select_for_update().filter(pk=call_id).first()
        if call is None:
            raise NotFound(_("未找到该申报通知。"))
        if call.opens_on <= timezone.localdate():
            raise Conflict(_("申报通知“%(call)s”已于 %(day)s 开始受理，不能再修改。") % {"call": call.title,
                                                                          "day": call.opens_on})
        for key in CALL_FIELDS:
            if key in fields:
                setattr(call, key, fields[key])
        _check_call_dates(call.opens_on, call.submission_deadline, call.recommendation_deadline)
        if call.opens_on < timezone.localdate():
            raise InvalidPayload(_("开始受理日不能早于今天。"), errors={"opens_on": [_("日期无效。")]})
        call.save()
    return call
