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
