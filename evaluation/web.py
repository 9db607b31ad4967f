"""SAMR's browser pages for the evaluation stage: expert assignment per case, with each expert's conflict-of-interest
declaration and the replacement of one who declared a conflict (办法 第十四条), and the evaluation rounds (评估批次,
办法 第十二条–第十七条). Thin: reads through evaluation.selectors, writes through evaluation.services — the same
rules as the API (/api/cases/{id}/experts/, /api/rounds/).

Who may use what (deny by default): SAMR officers only. Anyone else signed in: a case outside their scope is a
404, any other page a 403; a visitor is sent to the login page."""
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from cases.errors import DomainError, InvalidPayload, NotFound
from cases.selectors import case_list
from cases.workflow import State
from demozone.forms import PageForm, WindowDateField, apply_errors
from indicators.models import IndicatorSystem

from . import selectors, services
from .models import Round

SAMR = Role.SAMR_OFFICER


def samr_case(user, case_id):
    """The case for a SAMR page: outside the user's scope a 404, in scope but not an officer a 403."""
    case = case_list(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if getattr(user, "role", None) != SAMR:
        raise PermissionDenied
    return case


# ── experts ─────────────────────────────────────────────────────────────────────────────────────────────────
def _experts_context(case):
    rows = selectors.assignment_rows(case)
    round_ = case.evaluation_failures + 1
    current = [r for r in rows if r.round == round_]
    taken = {r.expert.pk for r in current}
    available = [e for e in selectors.assignable_experts() if e.pk not in taken]
    return {
        "case": case, "round": round_, "current": current, "earlier": [r for r in rows if r.round != round_],
        "available": available, "may_assign": case.state == State.UNDER_EVALUATION,
        "to_replace": [r for r in current if r.conflicted and r.replaced_by is None],
    }


@login_required
@require_GET
def case_experts(request, case_id):
    """SAMR officers: the case's experts, round by round, with each one's conflict-of-interest declaration; choose
    experts for the current round and replace one who declared a conflict (办法 第十四条)."""
    case = samr_case(request.user, case_id)
    return render(request, "evaluation/experts.html", _experts_context(case))


def _refused(request, case, error, **typed):
    context = {**_experts_context(case), "error": str(error.message), **typed}
    return render(request, "evaluation/experts.html", context, status=error.http_status)


@login_required
@require_POST
def assign_experts(request, case_id):
    """SAMR officers: assign the experts ticked, in one act (all of them or none)."""
    case = samr_case(request.user, case_id)
    usernames = request.POST.getlist("experts")
    chosen = list(selectors.assignable_experts().filter(username__in=usernames))
    try:
        if not chosen or len(chosen) != len(set(usernames)):
            raise InvalidPayload(_("请选择一位评估专家。"))
        with transaction.atomic():
            for expert in chosen:
                services.assign_expert(case_id=case.pk, actor=request.user, expert=expert)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        return _refused(request, case, error, chosen=usernames)
    messages.success(request, _("已指派评估专家：%(names)s。") % {"names": "、".join(_name(e) for e in chosen)})
    return redirect("case-experts", case_id=case.pk)


@login_required
@require_POST
def replace_expert(request, case_id):
    """SAMR officers: assign another expert in place of one who declared a conflict of interest."""
    case = samr_case(request.user, case_id)
    experts = get_user_model().objects.filter(role=Role.SAMR_EXPERT)
    replaced = experts.filter(username=request.POST.get("replaces", "")).first()
    expert = experts.filter(username=request.POST.get("expert", ""), is_active=True).first()
    try:
        if replaced is None or expert is None:
            raise InvalidPayload(_("请选择接替的评估专家。"))
        services.replace_expert(case_id=case.pk, actor=request.user, replaced=replaced, expert=expert)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        return _refused(request, case, error, replacing=request.POST.get("replaces", ""),
                        replacement=request.POST.get("expert", ""))
    messages.success(request, _("已改派：%(new)s 接替 %(old)s。") % {"new": _name(expert), "old": _name(replaced)})
    return redirect("case-experts", case_id=case.pk)


def _name(user):
    return user.get_full_name() or user.username


# ── rounds ──────────────────────────────────────────────────────────────────────────────────────────────────
class RoundForm(PageForm):
    title = forms.CharField(label=gettext_lazy("批次名称"), max_length=200)
    document_number = forms.CharField(label=gettext_lazy("文号"), max_length=50, required=False,
                                      help_text=gettext_lazy("如 市监网监〔2026〕12号"))
    opens_on = WindowDateField(label=gettext_lazy("受理开始日"))
    closes_on = WindowDateField(label=gettext_lazy("受理截止日"))
    indicator_system = forms.ModelChoiceField(label=gettext_lazy("评估指标体系版本"), to_field_name="code",
                                              queryset=IndicatorSystem.objects.order_by("-effective_date", "code"))

    def __init__(self, *args, opened=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_system"].label_from_instance = lambda s: f"{s.title}（{s.get_status_display()}）"
        if opened:  # 受理期和指标体系 are fixed once the round takes applications (evaluation.services.update_round)
            for name in ("opens_on", "closes_on", "indicator_system"):
                self.fields[name].disabled = True


@role_required(SAMR)
@require_GET
def round_list(request):
    """SAMR officers: every evaluation round with its days, indicator version and the cities in it."""
    rounds = selectors.rounds().annotate(cities=Count("cases", distinct=True))
    return render(request, "evaluation/round_list.html", {"rounds": rounds, "today": timezone.localdate()})


@role_required(SAMR)
@require_http_methods(["GET", "POST"])
def round_create(request):
    """SAMR officers: open an evaluation round (办法 第十二条)."""
    form = RoundForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "evaluation/round_form.html", {"form": form}, status=400)
        try:
            round_ = services.open_round(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_errors(form, error)
            return render(request, "evaluation/round_form.html", {"form": form}, status=error.http_status)
        messages.success(request, _("已开启评估批次“%(round)s”。") % {"round": round_.title})
        return redirect("samr-rounds")
    return render(request, "evaluation/round_form.html", {"form": form})


@role_required(SAMR)
@require_http_methods(["GET", "POST"])
def round_edit(request, round_id):
    """SAMR officers: correct a round — its title and 文号 at any time, its days and version before it opens."""
    round_ = Round.objects.select_related("indicator_system").filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    opened = round_.opens_on <= timezone.localdate()
    initial = {"title": round_.title, "document_number": round_.document_number, "opens_on": round_.opens_on,
               "closes_on": round_.closes_on, "indicator_system": round_.indicator_system.code}
    form = RoundForm(request.POST or None, initial=initial, opened=opened)
    context = {"form": form, "round": round_, "opened": opened}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "evaluation/round_form.html", context, status=400)
        changed = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            services.update_round(round_id=round_.pk, actor=request.user, **changed)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            apply_errors(form, error)
            return render(request, "evaluation/round_form.html", context, status=error.http_status)
        messages.success(request, _("已修改评估批次“%(round)s”。") % {"round": form.cleaned_data["title"]})
        return redirect("samr-rounds")
    return render(request, "evaluation/round_form.html", context)

