"""Writers for stages 1–3: the application form and its materials, the provincial review, SAMR's decision.
Stage recorders (record_*) run inside cases.services.perform_transition's transaction."""
from django.utils.translation import gettext as _

from accounts.models import Role
from cases.errors import IllegalTransition, NotAllowed
from cases.services import locked_case, record_action
from cases.workflow import State

from .models import ApplicationCall, ApplicationForm, CreationDecision, PreliminaryReview

EDITABLE_STATES = (State.DRAFT, State.RETURNED)
FORM_FIELDS = ("contact_name", "contact_phone", "platform_economy", "supervision_and_service", "innovation",
               "online_retail_sales")


def save_application_form(*, case_id, actor, expected_version=None, **fields):
    """The applicant saves 《创建申请表》 as a new version (earlier versions stay). Draft or returned cases only."""
    with locked_case(case_id, actor, expected_version) as case:
        if actor.role != Role.APPLICANT:
            raise NotAllowed(_("只有创建对象经办人可以填写申请表。"))
        if case.state not in EDITABLE_STATES:
            raise IllegalTransition(_("申请已提交，申请表不能再修改。"), state=case.state)
        last = case.application_forms.order_by("-version").first()
        form = ApplicationForm.objects.create(case=case, version=(last.version + 1 if last else 1), saved_by=actor,
                                              **{k: fields[k] for k in FORM_FIELDS if k in fields})
        record_action(case, actor=actor, name="save_application_form", label=_("保存申请表"),
                      data={"version": form.version})
    return form


def record_preliminary_review(*, case, ctx, move):
    PreliminaryReview.objects.create(case=case, outcome=move.name, rank=ctx.payload.get("rank"),
                                     comment=ctx.payload.get("comment", ""), reviewer=ctx.actor, reviewed_at=ctx.now)


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
    return ApplicationCall.objects.create(created_by=actor, **fields)
