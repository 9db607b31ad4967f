"""SAMR's browser pages for the creation period's end: extending a creation period (办法 第九条: 创建活动周期「一般」
不超过3年) and the queue of lapse decisions — the cases the sweep flagged, to terminate (the ``lapse`` move) or
extend (办法 第九条、第十二条). Thin: reads through deadlines.selectors and deadlines.services.lapse_decisions_due,
writes through deadlines.services.extend_creation_period and cases.services.perform_transition — the same rules
as the API (/api/cases/{id}/creation-extensions/, /api/cases/?lapse_decision_due=true, the lapse transition).

Who may use what (deny by default): SAMR officers only. Anyone else signed in: a case outside their scope is a
404, any other page a 403; a visitor is sent to the login page."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from cases import deadlines as case_deadlines
from cases.errors import DomainError, NotFound
from cases.services import MOVES, perform_transition
from demozone.forms import PageForm, WindowDateField, apply_errors
from evaluation.web import samr_case

from . import selectors, services


class ExtensionForm(PageForm):
    new_end = WindowDateField(label=gettext_lazy("延长后届满日"))
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class TerminateForm(PageForm):
    comment = forms.CharField(label=gettext_lazy("终止理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


def _extension_context(case, form=None):
    return {"case": case, "extensions": selectors.extensions_of(case), "form": form or ExtensionForm(),
            "lapse_due": case.state == "creating" and case.lapse_flagged_for == case.creation_end,
            "window": case_deadlines.evaluation_window(case)}


@login_required
@require_GET
def creation_extensions(request, case_id):
    """SAMR officers: the case's creation period, its extensions so far, and the form to extend it again."""
    case = samr_case(request.user, case_id)
    return render(request, "deadlines/extensions.html", _extension_context(case))


def _extend(request, case, prefix=None):
    """Run the extension form; returns (extension, form) — extension None when refused (form carries why)."""
    form = ExtensionForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return None, form, 400
    version = request.POST.get("version", "")
    try:
        extension = services.extend_creation_period(
            case_id=case.pk, actor=request.user, expected_version=int(version) if version.isdigit() else None,
            **form.cleaned_data)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        apply_errors(form, error)
        return None, form, error.http_status
    messages.success(request, _("已将%(city)s的创建期延长至 %(day)s。") % {"city": case.creation_object,
                                                                      "day": extension.new_end})
    return extension, form, 200


@login_required
@require_POST
def extend(request, case_id):
    """SAMR officers: extend the case's creation period (deadlines.services.extend_creation_period)."""
    case = samr_case(request.user, case_id)
    extension, form, status = _extend(request, case)
    if extension is None:
        return render(request, "deadlines/extensions.html", _extension_context(case, form), status=status)
    return redirect("case-creation-extensions", case_id=case.pk)


# ── the lapse queue ──────────────────────────────────────────────────────────────────────────────────────────
def _lapse_rows(failed=None):
    failed_case, failed_kind, failed_form = failed or (None, None, None)
    cases = list(services.lapse_decisions_due().select_related("creation_object__province", "rule_set")
                 .order_by("creation_end", "pk"))
    for case in cases:
        case.window_closed = case_deadlines.evaluation_window(case)[1]
        case.terminate_form = TerminateForm(prefix=f"t{case.pk}")
        case.extend_form = ExtensionForm(prefix=f"e{case.pk}")
        if case.pk == failed_case:
            setattr(case, f"{failed_kind}_form", failed_form)
            case.failed = failed_kind
    return cases


@role_required(Role.SAMR_OFFICER)
@require_GET
def lapse_queue(request):
    """SAMR officers: the creating cases whose evaluation window closed with no application (flagged by the
    sweep), each with its facts, to terminate with reasons or extend (办法 第九条、第十二条)."""
    return render(request, "deadlines/lapses.html", {"cases": _lapse_rows(), "lapse_label": MOVES["lapse"].label})


@role_required(Role.SAMR_OFFICER)
@require_POST
def lapse_decide(request, case_id, kind):
    """SAMR officers: terminate (the ``lapse`` move, through perform_transition) or extend one flagged case."""
    if kind not in ("terminate", "extend") or not services.lapse_decisions_due().filter(pk=case_id).exists():
        raise Http404
    case = samr_case(request.user, case_id)
    if kind == "extend":
        extension, form, status = _extend(request, case, prefix=f"e{case.pk}")
    else:
        form = TerminateForm(request.POST, prefix=f"t{case.pk}")
        extension, status = None, 400
        if form.is_valid():
            version = request.POST.get("version", "")
            try:
                perform_transition(case_id=case.pk, name="lapse", actor=request.user, payload=form.cleaned_data,
                                   expected_version=int(version) if version.isdigit() else None)
                status = 200
            except NotFound:
                raise Http404 from None
            except DomainError as error:
                apply_errors(form, error)
                status = error.http_status
        if status == 200:
            messages.success(request, _("已终止%(city)s的创建（创建期满未申请评估）。") % {"city": case.creation_object})
    if status != 200:
        return render(request, "deadlines/lapses.html", {
            "cases": _lapse_rows(failed=(case.pk, kind, form)), "lapse_label": MOVES["lapse"].label}, status=status)
    return redirect(reverse("samr-lapses"))
