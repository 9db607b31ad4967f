"""The province's evaluation pre-review page (评估初审: 办法 第十三条 / 试行办法 第十一条).

省级市场监管部门收到评估申请后，根据评估指标体系，通过资料审查、数据比对、实地核查等方式对创建对象进行评估初审。评估申请材料
齐全、初审合格的，……报市场监管总局. One page brings together what the province reads (the evaluation application,
the self-assessment report, the city's self-assessment and its sheet), the pre-review score sheet (the sheet pages
by URL name), the three checks, and the two moves — forward to SAMR or return with reasons — made through
cases.services.perform_transition with cases.payloads.PreReviewPayload.

Who may use it (deny by default; otherwise, or outside the user's scope, a 404): provincial reviewers and SAMR
officers in the case's scope, once the case has an evaluation application; only reviewers act (the moves' roles).
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from cases import selectors as case_selectors, services as case_services
from cases.errors import DomainError, InvalidPayload, NotFound
from cases.workflow import State
from documents import content
from documents.models import Document

from .models import PreReview, SelfAssessment

READERS = (Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER)
MOVES = ("forward_evaluation", "return_evaluation")
# 办法 第十三条's three ways, as PreReviewPayload names them, with what each asks of the reviewer.
CHECKS = [
    ("documents_checked", gettext_lazy("资料审查"),
     gettext_lazy("评估申请表、自评报告和相关材料齐全、真实、有效；报送总局前必须完成。")),
    ("data_compared", gettext_lazy("数据比对"),
     gettext_lazy("自评所用数据与统计、监管数据及全国数据一致。")),
    ("site_checked", gettext_lazy("实地核查"),
     gettext_lazy("到创建对象现场核实创建工作和自评情况。")),
]
CHECK_NAMES = [name for name, _label, _help in CHECKS] + ["comment"]
EVALUATION_KINDS = (Document.Kind.EVALUATION_APPLICATION, Document.Kind.SELF_ASSESSMENT_REPORT)
SHEET_STAGES = ("self_assessment", "pre_review")


def _case(user, case_id):
    if getattr(user, "role", None) not in READERS:
        raise Http404
    case = case_selectors.case_list(user).filter(pk=case_id).first()
    if case is None or case.evaluation_applied_at is None:
        raise Http404
    return case


def _sheets(case):
    """The self-assessment (submitted) and pre-review sheets of the case's current evaluation round (办法 第十七条: a
    re-evaluation is a new round) — what a provincial reviewer may read of the score sheets."""
    current_round = case.evaluation_failures + 1
    sheets = (case.score_sheets.filter(stage__in=SHEET_STAGES, round=current_round)
              .select_related("author").order_by("stage", "attempt", "pk"))
    rows = [s for s in sheets if s.stage == "pre_review" or s.status == "submitted"]
    return {"self_assessment": [s for s in rows if s.stage == "self_assessment"],
            "pre_review": [s for s in rows if s.stage == "pre_review"]}


def _context(request, case, *, posted=None, error="", field_errors=None):
    user = request.user
    field_errors = field_errors or {}
    since = case.evaluation_failed_at  # 办法 第十七条: a re-evaluation rests on materials made after the failure
    documents = list(case.documents.select_related("uploaded_by").order_by("kind", "-uploaded_at", "-pk"))
    evaluation_documents = [d for d in documents if d.kind in EVALUATION_KINDS
                            and (since is None or d.uploaded_at > since)]
    assessments = case.self_assessments.order_by("-recorded_at", "-pk")
    if since is not None:
        assessments = assessments.filter(recorded_at__gt=since)
    available = {m.name: reasons for m, reasons in case_services.available_moves(case, user) if m.name in MOVES}
    checks = [{"name": name, "label": label, "help": help_text,
               "checked": posted.get(name) in ("on", "true", "1") if posted is not None else False,
               "errors": field_errors.get(name, [])} for name, label, help_text in CHECKS]
    return {
        "case": case, "checks": checks, "documents": evaluation_documents,
        "other_documents": [d for d in documents if d not in evaluation_documents],
        "inline": content.INLINE, "assessment": assessments.first(), "sheets": _sheets(case),
        "may_act": bool(available), "blocked": available.get("forward_evaluation") or [],
        "pre_reviews": PreReview.objects.filter(case=case).select_related("reviewer").order_by("-reviewed_at", "-pk"),
        "comment": posted.get("comment", "") if posted is not None else "",
        "comment_errors": field_errors.get("comment", []),
        "error": error,
        "other_errors": [e for key, errors in field_errors.items() if key not in CHECK_NAMES for e in errors],
        "article": case.rule_set.article("forward_evaluation"),
        "awaiting": case.state == State.EVALUATION_APPLIED,
    }


@login_required
@require_http_methods(["GET", "POST"])
def pre_review(request, case_id):
    """GET: the pre-review page. POST (provincial reviewers, case 评估申请待省级初审): ``move`` forward_evaluation or
    return_evaluation with the three checks and the opinion; success goes back to the case page, a refusal shows
    the page again with the message and what was typed."""
    case = _case(request.user, case_id)
    if request.method == "GET":
        return render(request, "evaluation/pre_review.html", _context(request, case))
    name = request.POST.get("move", "")
    if name not in MOVES:
        return render(request, "evaluation/pre_review.html",
                      _context(request, case, posted=request.POST, error=_("请选择“报送总局”或“退回补正”。")), status=400)
    payload = {check: request.POST.get(check) in ("on", "true", "1") for check, _label, _help in CHECKS}
    payload["comment"] = request.POST.get("comment", "")
    version = request.POST.get("version", "")
    try:
        case_services.perform_transition(case_id=case.pk, name=name, actor=request.user, payload=payload,
                                         expected_version=int(version) if version.isdigit() else None)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        field_errors = {}
        if isinstance(error, InvalidPayload):
            from cases.views import _flatten_errors

            field_errors = _flatten_errors(error.extra.get("errors"))
        case.refresh_from_db()
        return render(request, "evaluation/pre_review.html",
                      _context(request, case, posted=request.POST, error=str(error.message), field_errors=field_errors),
                      status=error.http_status)
    messages.success(request, _("已执行“%(move)s”。") % {"move": case_services.MOVES[name].label})
    return redirect(reverse("case-detail", args=[case.pk]))


urlpatterns = [path("cases/<int:case_id>/review/pre-review/", pre_review, name="review-pre-review")]
