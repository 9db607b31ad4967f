"""The applicant's evaluation application page (办法 第十二条; 试行办法 第十条): the self-assessment beside the
评估申请表 and 自评报告 uploads, the evaluation round (评估批次) and the application itself — and the re-evaluation at
the next round after a failure (办法 第十七条), or the corrected application after a return.

Who may use it: applicants, on their own creation object's case (a case outside the scope is a 404; other roles
403). Thin: the move goes through cases.services.perform_transition, uploads through documents.services."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from applications.panel import applicant_panel, return_entry
from cases import deadlines
from cases import selectors as case_selectors
from cases import services as case_services
from cases.errors import DomainError, NotFound
from cases.workflow import State

from .models import Round, SelfAssessment

MOVE_BY_STATE = {
    State.CREATING: "apply_for_evaluation",
    State.AWAITING_RE_EVALUATION: "apply_for_re_evaluation",
    State.EVALUATION_RETURNED: "resubmit_evaluation",
}


def rounds_to_choose(case, move_name, today):
    """The rounds the application may name today: under the current measures an open round, and for a
    re-evaluation only the next round after the failed one (办法 第十七条); a corrected application stays in its
    round; the 2022 trial measures have none."""
    from .services import re_evaluation_round

    if not case.rule_set.evaluation_rounds or move_name in (None, "resubmit_evaluation"):
        return []
    if move_name == "apply_for_re_evaluation" and case.evaluation_round_id:
        following = re_evaluation_round(case)
        return [following] if following is not None and following.is_open_on(today) else []
    return list(Round.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "pk"))


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_application(request, case_id):
    case = case_selectors.case_list(request.user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if request.user.role != Role.APPLICANT:
        raise PermissionDenied
    today = timezone.localdate()
    move_name = MOVE_BY_STATE.get(case.state)
    move = case_services.MOVES.get(move_name) if move_name else None
    rounds = rounds_to_choose(case, move_name, today)
    chosen = request.POST.get("round", "") or (str(rounds[0].pk) if len(rounds) == 1 else "")
    error, field_error, status = "", "", 200
    if request.method == "POST":
        if move is None:
            error, status = _("案件当前状态为“%(state)s”，不能提交评估申请。") % {"state": case.get_state_display()}, 409
        else:
            payload = {"round": int(chosen)} if rounds and chosen.isdigit() else {}
            version = request.POST.get("version", "")
            try:
                case_services.perform_transition(case_id=case.pk, name=move_name, actor=request.user,
                                                 payload=payload,
                                                 expected_version=int(version) if version.isdigit() else None)
            except NotFound:
                raise Http404 from None
            except DomainError as refusal:
                error, status = str(refusal.message), refusal.http_status
                field_error = "；".join(str(e) for e in (refusal.extra.get("errors") or {}).get("round", []))
            else:
                messages.success(request, _("已执行“%(move)s”。") % {"move": move.label})
                return redirect("case-detail", case_id=case.pk)
        case.refresh_from_db()
    since = case.evaluation_failed_at
    assessments = SelfAssessment.objects.filter(case=case)
    if since is not None:
        assessments = assessments.filter(recorded_at__gt=since)  # 办法 第十七条: a new self-assessment
    assessment = assessments.order_by("-recorded_at", "-pk").first()
    reasons = []
    if move is not None:
        reasons = next((r for m, r in case_services.available_moves(case, request.user) if m.name == move_name), [])
    first, last = deadlines.evaluation_window(case)
    url = reverse("evaluation-application", args=[case.pk])
    return render(request, "evaluation/apply.html", {
        "case": case, "move": move, "rounds": rounds, "chosen": chosen, "error": error, "field_error": field_error,
        "reasons": reasons, "assessment": assessment, "since": since, "window_first": first, "window_last": last,
        "panel": applicant_panel(case, request.user), "next": url, "returned": return_entry(case),
        "needs_round": bool(case.rule_set.evaluation_rounds and move_name not in (None, "resubmit_evaluation")),
    }, status=status)
