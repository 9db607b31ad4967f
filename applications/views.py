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
from .forms import ApproveForm, CallForm, RejectForm
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



"""The applicant's pages for the application (办法 第七条): start a case under a SAMR call, fill in 《创建申请表》
in its sections as versioned drafts, compare a version with the one before it, and the applicant's panel on the
case page (what is missing, the return's reasons, materials). Thin: reads through selectors, writes through
cases.services and applications.services.

Who may use what (deny by default; a case outside the user's scope is a 404):
- start a case, edit the form: applicants (their own creation object's cases);
- read the versions and their differences: every case role in the case's scope."""
import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from cases import selectors as case_selectors
from cases import services as case_services
from cases.errors import DomainError, NotFound
from cases.workflow import TERMINAL_STATE_VALUES, State

from . import services
from .forms import ApplicationFormForm, NewCaseForm
from .models import ApplicationCall, ApplicationForm

CASE_ROLES = (Role.APPLICANT, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER, Role.SAMR_EXPERT)


def _case_in_scope(user, case_id, roles=CASE_ROLES):
    """The case if the user may see it (else 404) and their role is one of ``roles`` (else 403)."""
    case = case_selectors.case_list(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if getattr(user, "role", None) not in roles:
        raise PermissionDenied
    return case


def _require_applicant(user):
    if getattr(user, "role", None) != Role.APPLICANT or not getattr(user.organisation, "creation_object_id", None):
        raise PermissionDenied


def open_calls(day):
    """The SAMR calls taking applications on ``day`` (办法 第七条), soonest deadline first."""
    return list(ApplicationCall.objects.filter(opens_on__lte=day, submission_deadline__gte=day)
                .order_by("submission_deadline", "pk"))


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """Applicants: start a case for their own creation object. Under the current measures the case names a SAMR
    call taking applications today (办法 第七条); under the 2022 trial measures none is needed (试行办法 第七条)."""
    from rulesets.selectors import rule_set_in_force

    _require_applicant(request.user)
    creation_object = request.user.organisation.creation_object
    today = timezone.localdate()
    rule_set = rule_set_in_force(today)
    live = (case_selectors.cases_visible_to(request.user).exclude(state__in=TERMINAL_STATE_VALUES)
            .order_by("-created_at").first())
    calls = open_calls(today) if rule_set is not None and rule_set.application_calendar == "per_call" else []
    call_required = rule_set is not None and rule_set.application_calendar == "per_call"
    form = NewCaseForm(request.POST or None, calls=calls, call_required=call_required)
    error, status = "", 200
    if request.method == "POST" and live is None:
        if form.is_valid():
            try:
                case = case_services.create_case(actor=request.user, title=form.cleaned_data["title"],
                                                 call=form.cleaned_data["call"])
            except DomainError as refusal:
                error, status = str(refusal.message), refusal.http_status
                for field, errors in (refusal.extra.get("errors") or {}).items():
                    form.add_error(field if field in form.fields else None, [str(e) for e in errors])
            else:
                messages.success(request, _("已创建草稿，请填写申请表。"))
                return redirect("application-form", case_id=case.pk)
        else:
            status = 400
    return render(request, "applications/case_new.html", {
        "form": form, "calls": calls, "call_required": call_required, "rule_set": rule_set, "live": live,
        "creation_object": creation_object, "error": error,
    }, status=status)


def _latest(case):
    return case.application_forms.order_by("-version").first()


@login_required
@require_http_methods(["GET", "POST"])
def application_form(request, case_id):
    """Applicants, on their own draft or returned case: fill in 《创建申请表》; each save is a new version
    (applications.services.save_application_form). Anyone else in scope is sent to the read-only versions."""
    case = _case_in_scope(request.user, case_id)
    latest = _latest(case)
    editable = request.user.role == Role.APPLICANT and case.state in services.EDITABLE_STATES
    if not editable:
        if request.method == "POST":
            raise PermissionDenied
        if latest is None:
            raise Http404
        return redirect("application-form-version", case_id=case.pk, version=latest.version)
    status, error = 200, ""
    if request.method == "POST":
        form = ApplicationFormForm(request.POST)
        if form.is_valid():
            version = request.POST.get("case_version", "")
            try:
                saved = services.save_application_form(
                    case_id=case.pk, actor=request.user, **form.values(),
                    expected_version=int(version) if version.isdigit() else None)
            except NotFound:
                raise Http404 from None
            except DomainError as refusal:
                error, status = str(refusal.message), refusal.http_status
                for field, errors in (refusal.extra.get("errors") or {}).items():
                    form.add_error(field if field in form.fields else None, [str(e) for e in errors])
            else:
                messages.success(request, _("已保存申请表第 %(version)s 版。") % {"version": saved.version})
                return redirect("application-form", case_id=case.pk)
        else:
            status, error = 400, _("申请表有误，请按提示修改后再保存。")
    else:
        form = ApplicationFormForm(instance=latest) if latest else ApplicationFormForm()
    versions = list(case.application_forms.order_by("-version").values("version", "saved_at"))
    return _no_store(render(request, "applications/form.html", {
        "case": case, "form": form, "latest": latest, "versions": versions, "error": error,
        "text_limit": ApplicationForm.TEXT_LIMIT,
    }, status=status))


@login_required
@require_POST
def application_form_validate(request, case_id):
    """htmx, applicants on their own case: check one field of 《创建申请表》 as it is left (the same rules as a save),
    and answer its feedback — saves a round trip of the whole page. Without JavaScript the save checks it."""
    case = _case_in_scope(request.user, case_id, roles=(Role.APPLICANT,))
    name = request.headers.get("HX-Trigger-Name") or request.POST.get("_field", "")
    form = ApplicationFormForm(request.POST)
    if name not in form.fields:
        return HttpResponse(status=204)
    form.is_valid()
    errors = form.errors.get(name, [])
    if name in ("online_business_count", "business_count"):
        errors = list(errors) + [e for e in form.non_field_errors()]
    return render(request, "applications/_field_feedback.html", {"case": case, "name": name, "errors": errors})


@dataclasses.dataclass
class Change:
    name: str
    label: str
    before: object
    after: object

    @property
    def changed(self):
        return self.before != self.after


def diff(before, after):
    """[(section title, [Change])] field by field; ``before`` may be None (the first version)."""
    sections = []
    for title, names in ApplicationForm.SECTIONS:
        rows = []
        for name in names:
            field = ApplicationForm._meta.get_field(name)
            old = getattr(before, name) if before is not None else None
            new = getattr(after, name)
            rows.append(Change(name, str(field.verbose_name), _display(old), _display(new)))
        sections.append((title, rows))
    return sections


def _display(value):
    return "" if value is None else str(value)


@login_required
def application_form_version(request, case_id, version):
    """Every case role in the case's scope: one version of 《创建申请表》 beside the version before it, field by field,
    the changed fields marked. ``?against=N`` compares with another earlier version."""
    case = _case_in_scope(request.user, case_id)
    forms = {f.version: f for f in case.application_forms.select_related("saved_by").order_by("version")}
    current = forms.get(version)
    if current is None:
        raise Http404
    against = request.GET.get("against", "")
    previous_number = int(against) if against.isdigit() and int(against) in forms and int(against) != version \
        else max((n for n in forms if n < version), default=None)
    previous = forms.get(previous_number) if previous_number is not None else None
    sections = diff(previous, current)
    changed = sum(1 for _title, rows in sections for row in rows if row.changed)
    return render(request, "applications/version.html", {
        "case": case, "current": current, "previous": previous, "sections": sections, "changed": changed,
        "versions": sorted(forms.values(), key=lambda f: -f.version),
        "editable": request.user.role == Role.APPLICANT and case.state in services.EDITABLE_STATES,
    })
