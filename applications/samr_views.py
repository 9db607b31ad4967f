"""SAMR's browser pages for stage 1–3: the calls for applications (办法 第七条) and the provinces' recommendation
lists per call with SAMR's decision on each city (办法 第八条、第九条). Thin: reads through applications.selectors,
writes through applications.services and cases.services.perform_transition — the same rules as the API
(/api/calls/, /api/cases/{id}/transitions/approve_creation|reject_creation/).

Who may use what (deny by default): every page here is for SAMR officers; anyone else signed in gets a 403, a
visitor the login page. A refused act shows the page again with the message and what was typed."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from cases.errors import DomainError, NotFound
from cases.services import MOVES, perform_transition
from cases.workflow import State
from demozone.forms import apply_errors

from . import selectors, services
from .samr_forms import ApproveForm, CallForm, RejectForm
from .models import ApplicationCall

SAMR = Role.SAMR_OFFICER


@role_required(SAMR)
@require_GET
def samr_desk(request):
    """SAMR officers: the officer's tools in the legal order, with what waits in each."""
    from deadlines.services import lapse_decisions_due
    from evaluation.selectors import rounds

    return render(request, "applications/samr_desk.html", {
        "calls": selectors.calls()[:5],
        "rounds": rounds()[:5],
        "lapses_due": lapse_decisions_due().count(),
        "under_evaluation": _under_evaluation(),
        "today": timezone.localdate(),
    })


def _under_evaluation():
    """The cases under SAMR evaluation with their number of experts in the current round (one query)."""
    from django.db.models import Count, F, Q

    from cases.models import Case

    return (Case.objects.filter(state=State.UNDER_EVALUATION).select_related("creation_object__province")
            .annotate(experts=Count("expert_assignments",
                                    filter=Q(expert_assignments__round=F("evaluation_failures") + 1)))
            .order_by("creation_object__province__code", "reference"))


@role_required(SAMR)
@require_GET
def call_list(request):
    """SAMR officers: every call for applications, with how many cities applied and await a decision."""
    return render(request, "applications/call_list.html", {"calls": selectors.calls(),
                                                           "today": timezone.localdate()})


@role_required(SAMR)
@require_http_methods(["GET", "POST"])
def call_create(request):
    """SAMR officers: open a call for applications (办法 第七条)."""
    form = CallForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_errors(form, error)
            return render(request, "applications/call_form.html", {"form": form}, status=error.http_status)
        messages.success(request, _("已发布申报通知“%(call)s”。") % {"call": call.title})
        return redirect("samr-calls")
    status = 400 if request.method == "POST" else 200
    return render(request, "applications/call_form.html", {"form": form}, status=status)


@role_required(SAMR)
@require_http_methods(["GET", "POST"])
def call_edit(request, call_id):
    """SAMR officers: correct a call before it opens; from its first day it reads only (办法 第七条)."""
    call = ApplicationCall.objects.filter(pk=call_id).first()
    if call is None:
        raise Http404
    initial = {k: getattr(call, k) for k in services.CALL_FIELDS}
    form = CallForm(request.POST or None, initial=initial)
    locked = selectors.is_open_or_past(call)
    context = {"form": form, "call": call, "locked": locked}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "applications/call_form.html", context, status=400)
        try:
            services.update_call(call_id=call.pk, actor=request.user, **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            apply_errors(form, error)
            return render(request, "applications/call_form.html", context, status=error.http_status)
        messages.success(request, _("已修改申报通知“%(call)s”。") % {"call": form.cleaned_data["title"]})
        return redirect("samr-calls")
    return render(request, "applications/call_form.html", context)


@role_required(SAMR)
@require_GET
def call_recommendations(request, call_id):
    """SAMR officers: the provinces' recommendation lists of one call side by side, each city in rank order with
    its key figures, and SAMR's decision on each (办法 第八条、第九条)."""
    return _render_lists(request, call_id)


def _render_lists(request, call_id, failed=None, status=200):
    call = ApplicationCall.objects.filter(pk=call_id).first()
    if call is None:
        raise Http404
    lists = selectors.recommendation_lists(call)
    failed_case, failed_kind, failed_form = failed or (None, None, None)
    for province_list in lists:
        for city in province_list.cities:
            city.approve_form = ApproveForm(initial={"creation_start": timezone.localdate(),
                                                     "creation_end": city.longest_end}, prefix=f"a{city.case.pk}")
            city.reject_form = RejectForm(prefix=f"r{city.case.pk}")
            if city.case.pk == failed_case:
                setattr(city, f"{failed_kind}_form", failed_form)
                city.failed = failed_kind
    return render(request, "applications/call_recommendations.html", {
        "call": call, "lists": lists, "awaiting": sum(p.awaiting for p in lists),
        "cities": sum(len(p.cities) for p in lists),
        "approve_label": MOVES["approve_creation"].label, "reject_label": MOVES["reject_creation"].label,
    }, status=status)


@role_required(SAMR)
@require_POST
def call_decide(request, call_id, case_id, kind):
    """SAMR officers: approve one recommended city's creation with its period, or refuse it with reasons
    (办法 第九条), through perform_transition. On a refusal the lists are shown again with what was typed."""
    from cases.models import Case

    if kind not in ("approve", "reject") or not Case.objects.filter(pk=case_id, call_id=call_id).exists():
        raise Http404
    form_class = ApproveForm if kind == "approve" else RejectForm
    form = form_class(request.POST, prefix=f"{kind[0]}{case_id}")
    name = "approve_creation" if kind == "approve" else "reject_creation"
    if not form.is_valid():
        return _render_lists(request, call_id, failed=(case_id, kind, form), status=400)
    payload = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    payload.setdefault("comment", "")
    version = request.POST.get("version", "")
    try:
        case = perform_transition(case_id=case_id, name=name, actor=request.user, payload=payload,
                                  expected_version=int(version) if version.isdigit() else None)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        apply_errors(form, error)
        return _render_lists(request, call_id, failed=(case_id, kind, form), status=error.http_status)
    if kind == "approve":
        messages.success(request, _("已同意%(city)s创建，创建期 %(start)s 至 %(end)s。") % {
            "city": case.creation_object, "start": case.creation_start, "end": case.creation_end})
    else:
        messages.success(request, _("已决定不同意%(city)s创建。") % {"city": case.creation_object})
    return redirect(reverse("samr-call-recommendations", args=[call_id]) + f"#case-{case_id}")
