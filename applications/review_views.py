"""The provincial reviewer's pages for 初审 (办法 第八条 / 试行办法 第七条). Thin: reads through applications.review,
applications.recommendations and cases.selectors; writes through applications.recommendations (which moves each
case through cases.services.perform_transition).

Who may use what (deny by default; outside it, or a case outside the user's scope, is a 404):
- 申请表 page and material viewer: provincial reviewers (their province's cases, from submission on) and SAMR
  officers (who decide on the recommendation, 办法 第九条);
- the recommendation lists: provincial reviewers, for their own province.
Return / decline / recommend of one case stay on the case page (cases.views.case_move).
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from cases import selectors as case_selectors
from cases.errors import DomainError, InvalidPayload, NotFound
from documents import content

from . import diff, recommendations, review
from .models import ApplicationCall, ApplicationForm

READERS = (Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER)


def _readable_case(user, case_id):
    if getattr(user, "role", None) not in READERS:
        raise Http404
    case = case_selectors.case_list(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def _int(value):
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


# ── the case page's 初审 panel ────────────────────────────────────────────────────────────────────────────────────
def case_panel(case, user):
    """For the case page (reviewers and officers): the 申请表 version the province reads with what changed, and the
    materials to open before acting. None for other roles, and before submission."""
    if getattr(user, "role", None) not in READERS or case.submitted_at is None:
        return None
    documents = case_selectors.case_documents(case)  # the model's order: kind, then newest first
    return {"form": review.summary(case), "documents": [(d, d.content_format in content.INLINE) for d in documents]}


# ── 申请表 ────────────────────────────────────────────────────────────────────────────────────────────────────────
@login_required
@require_GET
def application_form(request, case_id):
    """Provincial reviewers and SAMR officers in the case's scope: 《创建申请表》 as submitted, in its sections, with
    the differences to an earlier version highlighted (?version=, ?base=; by default the current version against the
    one the province read at the previous submission, else the version before)."""
    case = _readable_case(request.user, case_id)
    versions = review.readable_versions(case)
    current, base = review.choose(versions, request.GET)
    sections = diff.compare(current.form if current else None, base.form if base else None, model=ApplicationForm)
    return render(request, "applications/review/application_form.html", {
        "case": case, "versions": versions, "current": current, "base": base,
        "older": [v for v in versions if current and v.number < current.number],
        "sections": sections if current else [], "changed": sum(s.changed for s in sections) if current else 0,
    })


# ── materials ─────────────────────────────────────────────────────────────────────────────────────────────────────
@login_required
@require_GET
def material(request, case_id, document_id):
    """Provincial reviewers and SAMR officers in the case's scope: one material read in the page — a PDF in a frame,
    an image shown, other formats offered for download — beside the list of the case's materials. The file itself
    comes only from the scope-checked case-document view (documents.serving)."""
    case = _readable_case(request.user, case_id)
    documents = list(case.documents.select_related("uploaded_by").order_by("kind", "-uploaded_at", "-pk"))
    document = next((d for d in documents if d.pk == document_id), None)
    if document is None:
        raise Http404
    fmt = document.content_format or content.PDF
    return render(request, "applications/review/material.html", {
        "case": case, "document": document, "documents": documents,
        "shown_as": "pdf" if fmt == content.PDF else "image" if fmt in content.INLINE else "download",
    })


# ── the recommendation list per call (办法 第八条 择优推荐) ─────────────────────────────────────────────────────────
def _reviewer(user):
    if recommendations.province_of(user) is None:
        raise Http404
    return recommendations.province_of(user)


@login_required
@require_GET
def recommendation_calls(request):
    """Provincial reviewers: the calls with cities of their province, each with how many await the list and how
    many were recommended."""
    province = _reviewer(request.user)
    counts = recommendations.counts_per_call(request.user)  # three queries, whatever the number of calls
    rows = [{"call": call, **counts.get(call.pk, {})} for call in recommendations.calls_for(request.user)]
    return render(request, "applications/review/calls.html", {"province": province, "rows": rows})


def _list_context(request, call, *, error="", comment=""):
    province = recommendations.province_of(request.user)
    entries = recommendations.current_list(request.user, call)
    return {"province": province, "call": call, "entries": entries,
            "recommended": list(recommendations.recommended(province, call)),
            "error": error, "comment": comment, "order": ",".join(str(e.case.pk) for e in entries)}


def _call_for(request, call_id):
    _reviewer(request.user)
    call = recommendations.calls_for(request.user).filter(pk=call_id).first()
    if call is None:
        raise Http404
    return call


@login_required
@require_GET
def recommendation_list(request, call_id):
    """Provincial reviewers: the province's list for one call — the cities awaiting review in the order they will be
    recommended, with the rank each gets, move up / down, and submit the list together; below, the ranks already
    given in this call."""
    call = _call_for(request, call_id)
    return render(request, "applications/review/recommendation_list.html", _list_context(request, call))


@login_required
@require_POST
def recommendation_move(request, call_id):
    """Provincial reviewers: move one city up or down (POST case, direction). With htmx the list is swapped in
    place; without, the page is shown again (POST/redirect/GET)."""
    call = _call_for(request, call_id)
    try:
        recommendations.move_in_list(actor=request.user, call_id=call.pk, case_id=_int(request.POST.get("case")),
                                     direction=request.POST.get("direction", ""))
    except DomainError as error:
        if request.headers.get("HX-Request"):
            return render(request, "applications/review/_recommendation_list.html",
                          _list_context(request, call, error=str(error.message)))
        messages.error(request, error.message)
    if request.headers.get("HX-Request"):
        return render(request, "applications/review/_recommendation_list.html", _list_context(request, call))
    return redirect(reverse("review-recommendation-list", args=[call.pk]) + "#recommendation-list")


@login_required
@require_POST
def recommendation_submit(request, call_id):
    """Provincial reviewers: recommend every city of the list in its order, each with its rank, in one act (see
    applications.recommendations.submit_list). A refusal shows the list again with the message and the comment
    typed; nothing was recommended."""
    call = _call_for(request, call_id)
    comment = request.POST.get("comment", "")
    order = [_int(v) for v in request.POST.get("order", "").split(",") if v]
    try:
        if None in order:
            raise InvalidPayload(_("名单内容有误，请刷新后再报送。"))
        done = recommendations.submit_list(actor=request.user, call_id=call.pk, order=order, comment=comment)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        return render(request, "applications/review/recommendation_list.html",
                      _list_context(request, call, error=str(error.message), comment=comment),
                      status=error.http_status)
    messages.success(request, _("已按顺序推荐 %(count)s 个城市报送总局。") % {"count": len(done)})
    response_url = reverse("review-recommendation-list", args=[call.pk])
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = response_url
        return response
    return redirect(response_url)
