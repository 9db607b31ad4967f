"""Pages of the creation workspace (办法 第十条: 开展创建): the hub, units and liaisons, the plan (goals, phases,
responsibilities, XLSX import/export, versions and their diff), tasks and their progress. Thin: reads through
creation.selectors, writes through creation.services / creation.xlsx.

Who may open what (creation.selectors; outside the scope a 404): the city's office manages everything; a unit's
liaison sees the hub and their own unit's tasks and indicators, and reports progress on those tasks; the province
and SAMR read (no forms). Each POST that fails shows the page again with what was typed and the message."""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from cases.errors import DomainError, NotFound
from documents.models import Document

from . import api, forms, selectors, services, xlsx
from .models import Liaison, Plan, PlanRevision, Task, TaskProgress, Unit

SOON_DAYS = 30


def _case(request, case_id):
    return selectors.workspace_case(request.user, case_id)


def _version(form):
    return form.cleaned_data.get("version") if form.is_valid() else None


def _refused(form, refusal):
    """Put a service's refusal onto the form: per field where it names one, else on the form."""
    errors = refusal.extra.get("errors") or {}
    placed = False
    for field, messages_ in errors.items():
        if field in form.fields:
            for message in messages_ if isinstance(messages_, (list, tuple)) else [messages_]:
                form.add_error(field, str(message))
            placed = True
    if not placed or refusal.http_status == 409:
        form.add_error(None, str(refusal.message))


def _indicators(case):
    from evaluation.sheets import system_for_case

    try:
        return list(system_for_case(case).indicators.order_by("number").values_list("number", "name"))
    except DomainError:
        return []


def _plan(case):
    return Plan.objects.filter(case=case).prefetch_related("phases").first()


def _units(case):
    return list(api.units_of(case))


# ── the hub ────────────────────────────────────────────────────────────────────────────────────────────────
@login_required
@require_GET
def workspace(request, case_id):
    """The hub: phases on a timeline, tasks by status, the viewer's own tasks and indicators (a liaison), units."""
    case = _case(request, case_id)
    user = request.user
    plan = _plan(case)
    today = timezone.localdate()
    tasks, rows, phases = [], [], []
    if plan is not None:
        tasks = list(api.tasks_for(user, case, plan))
        rows = sorted(selectors.responsibilities_visible(user, plan).select_related("lead_unit")
                      .prefetch_related("co_units"), key=services.indicator_order)
        phases = list(plan.phases.all())
    by_status = [(value, label, [t for t in tasks if t.status == value]) for value, label in Task.Status.choices]
    unit = selectors.liaison_unit(user)
    names = dict(_indicators(case)) if rows else {}
    for row in rows:
        row.indicator_name = names.get(int(row.number) if row.number.isdigit() else row.number, "")
    return render(request, "creation/workspace.html", {
        "case": case, "plan": plan, "phases": phases, "tasks": tasks, "by_status": by_status, "today": today,
        "responsibilities": rows, "units": _units(case) if unit is None else [], "unit": unit,
        "office": selectors.is_office(user, case), "reader": selectors.is_reader(user),
        "working": case.state in selectors.WORKING_STATES,
        "due_soon": [t for t in tasks if t.due_on and t.status != Task.Status.DONE
                     and t.due_on <= today + datetime.timedelta(days=SOON_DAYS)],
    })


# ── units and liaisons ─────────────────────────────────────────────────────────────────────────────────────
def _units_page(request, case, *, unit_form=None, change_forms=None, liaison_forms=None, status=200):
    if request.user.role == Role.MEMBER_LIAISON:
        raise Http404  # a liaison works on their own unit; the list of units is the office's
    units = _units(case)
    office = selectors.is_office(request.user, case)
    change_forms = change_forms or {}
    liaison_forms = liaison_forms or {}
    for unit in units:
        unit.change_form = change_forms.get(unit.pk) or forms.UnitChangeForm(
            initial={"name": unit.name, "kind": unit.kind, "active": unit.active}, prefix=f"u{unit.pk}")
        unit.liaison_form = liaison_forms.get(unit.pk) or forms.LiaisonForm(prefix=f"l{unit.pk}")
    return render(request, "creation/units.html", {
        "case": case, "units": units, "office": office, "unit_form": unit_form or forms.UnitForm(),
    }, status=status)


@login_required
def units(request, case_id):
    """GET the units with their liaisons; POST (the office) a new unit."""
    case = _case(request, case_id)
    if request.method != "POST":
        return _units_page(request, case)
    form = forms.UnitForm(request.POST)
    if form.is_valid():
        try:
            unit = services.add_unit(case_id=case.pk, actor=request.user, **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("已新增成员单位“%(name)s”。") % {"name": unit.name})
            return redirect("creation-units", case_id=case.pk)
    return _units_page(request, case, unit_form=form, status=400)


@login_required
@require_POST
def unit_change(request, case_id, unit_id):
    """The office renames, reclassifies, retires or restores a unit."""
    case = _case(request, case_id)
    form = forms.UnitChangeForm(request.POST, prefix=f"u{unit_id}")
    if form.is_valid():
        try:
            services.change_unit(case_id=case.pk, actor=request.user, unit_id=unit_id, **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("已保存。"))
            return redirect("creation-units", case_id=case.pk)
    return _units_page(request, case, change_forms={unit_id: form}, status=400)


@login_required
@require_POST
def liaison_create(request, case_id, unit_id):
    """The office creates a liaison login for a unit."""
    case = _case(request, case_id)
    form = forms.LiaisonForm(request.POST, prefix=f"l{unit_id}")
    if form.is_valid():
        try:
            liaison = services.create_liaison(case_id=case.pk, actor=request.user, unit_id=unit_id,
                                              **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("已为“%(unit)s”开设联络员账号 %(username)s。")
                             % {"unit": liaison.unit.name, "username": liaison.user.username})
            return redirect("creation-units", case_id=case.pk)
    return _units_page(request, case, liaison_forms={unit_id: form}, status=400)


# ── the plan ───────────────────────────────────────────────────────────────────────────────────────────────
def _plan_page(request, case, *, plan_form=None, phase_form=None, row_form=None, import_form=None,
               import_errors=None, status=200):
    user = request.user
    if not (selectors.is_office(user, case) or selectors.is_reader(user)):
        raise Http404
    plan = _plan(case)
    units = _units(case)
    indicators = _indicators(case)
    version = plan.version if plan else None
    documents = list(Document.objects.filter(case=case, kind=Document.Kind.CREATION_PLAN).order_by("-uploaded_at"))
    rows = []
    if plan is not None:
        rows = list(plan.responsibilities.select_related("lead_unit").prefetch_related("co_units"))
    by_number = {r.number: r for r in rows}
    table = [(number, name, by_number.get(str(number))) for number, name in indicators]
    return render(request, "creation/plan.html", {
        "case": case, "plan": plan, "office": selectors.is_office(user, case),
        "working": case.state in selectors.WORKING_STATES, "table": table,
        "plan_form": plan_form or forms.PlanForm(documents=documents, initial={
            "goals": plan.goals if plan else "", "document": plan.document_id if plan else None, "version": version}),
        "phase_form": phase_form or forms.PhaseForm(initial={
            "order": (max((p.order for p in plan.phases.all()), default=0) + 1) if plan else 1, "version": version}),
        "row_form": row_form or forms.ResponsibilityForm(indicators=indicators, units=units,
                                                         initial={"version": version}),
        "import_form": import_form or forms.ImportForm(initial={"version": version}),
        "import_errors": import_errors or [],
    }, status=status)


@login_required
def plan_page(request, case_id):
    """GET the plan; POST (the office) its goals and the link to the 创建方案."""
    case = _case(request, case_id)
    if request.method != "POST":
        return _plan_page(request, case)
    documents = Document.objects.filter(case=case, kind=Document.Kind.CREATION_PLAN)
    return _plan_form_posted(
        request, case, forms.PlanForm(request.POST, documents=documents), slot="plan_form",
        act=lambda data: services.save_plan(case_id=case.pk, actor=request.user, goals=data["goals"],
                                            document_id=data["document"] or "", expected_version=data["version"]),
        done=_("创建工作方案已保存。"))


def _plan_form_posted(request, case, form, *, slot, act, done, anchor=""):
    """One of the plan page's forms, posted: valid, ``act(cleaned_data)`` and back to the page (at ``anchor``) with
    ``done``; invalid or refused, the page with the form's errors and what was typed (400) in its ``slot``."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, done)
            return redirect(reverse("creation-plan", args=[case.pk]) + anchor)
    return _plan_page(request, case, status=400, **{slot: form})


@login_required
@require_POST
def phase_save(request, case_id):
    case = _case(request, case_id)

    def save(data):
        data = dict(data)
        services.save_phase(case_id=case.pk, actor=request.user, expected_version=data.pop("version"), **data)

    return _plan_form_posted(request, case, forms.PhaseForm(request.POST), slot="phase_form", act=save,
                             done=_("阶段已保存。"), anchor="#phases")


@login_required
@require_POST
def responsibility_save(request, case_id):
    case = _case(request, case_id)
    form = forms.ResponsibilityForm(request.POST, indicators=_indicators(case), units=_units(case))
    return _plan_form_posted(
        request, case, form, slot="row_form",
        act=lambda data: services.set_responsibility(
            case_id=case.pk, actor=request.user, number=data["number"], lead_unit=data["lead_unit"],
            co_units=data["co_units"], expected_version=data["version"]),
        done=_("指标责任分工已保存。"), anchor="#responsibilities")


@login_required
@require_POST
def plan_import(request, case_id):
    """The office imports the plan from the workbook: every error with sheet, row and column, or all of it."""
    case = _case(request, case_id)
    form = forms.ImportForm(request.POST, request.FILES)
    cell_errors = []
    if form.is_valid():
        try:
            plan, created = xlsx.import_plan(case_id=case.pk, actor=request.user, data=form.cleaned_data["file"].read(),
                                             create_units=form.cleaned_data["create_units"],
                                             expected_version=form.cleaned_data["version"])
        except NotFound:
            raise Http404 from None
        except xlsx.WorkbookRefused as refusal:
            form.add_error(None, str(refusal.message))
            cell_errors = refusal.cell_errors
        except DomainError as refusal:
            _refused(form, refusal)
        else:
            note = (_("新增单位：%(names)s。") % {"names": "、".join(u.name for u in created)}) if created else ""
            messages.success(request, _("已导入创建工作方案（第 %(version)s 版）。") % {"version": plan.version} + note)
            return redirect("creation-plan", case_id=case.pk)
    return _plan_page(request, case, import_form=form, import_errors=cell_errors, status=400)


@login_required
@require_GET
def plan_export(request, case_id, template=False):
    case = _case(request, case_id)
    if not (selectors.is_office(request.user, case) or selectors.is_reader(request.user)):
        raise Http404
    return api.workbook_response(case, template=template)


@login_required
@require_GET
def revisions(request, case_id):
    """The plan's versions, and the diff between two of them (?a=&b=)."""
    case = _case(request, case_id)
    if not (selectors.is_office(request.user, case) or selectors.is_reader(request.user)):
        raise Http404
    rows = list(PlanRevision.objects.filter(plan__case=case).select_related("created_by").order_by("-number")
                .defer("snapshot"))
    numbers = [r.number for r in rows]
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    diff, before, after = None, None, None
    if a.isdigit() and b.isdigit() and int(a) in numbers and int(b) in numbers:
        found = {r.number: r for r in PlanRevision.objects.filter(plan__case=case, number__in=[int(a), int(b)])}
        before, after = found[int(a)], found[int(b)]
        diff = services.diff_snapshots(before.snapshot, after.snapshot)
    elif len(numbers) >= 2:
        a, b = str(numbers[1]), str(numbers[0])
    return render(request, "creation/revisions.html", {
        "case": case, "revisions": rows, "diff": diff, "before": before, "after": after, "a": a, "b": b,
        "sections": {"plan": _("方案"), "phases": _("阶段"), "tasks": _("任务"), "responsibilities": _("指标责任分工")},
    })


# ── tasks ──────────────────────────────────────────────────────────────────────────────────────────────────
def _tasks_page(request, case, *, form=None, status=200):
    plan = _plan(case)
    tasks = list(api.tasks_for(request.user, case, plan)) if plan else []
    office = selectors.is_office(request.user, case)
    if office and form is None and plan is not None:
        form = forms.TaskForm(phases=plan.phases.all(), units=_units(case), initial={"version": plan.version})
    return render(request, "creation/tasks.html", {
        "case": case, "plan": plan, "tasks": tasks, "office": office, "form": form,
        "working": case.state in selectors.WORKING_STATES, "unit": selectors.liaison_unit(request.user),
    }, status=status)


@login_required
def tasks(request, case_id):
    """GET the tasks (a liaison: their unit's); POST (the office) a new task."""
    case = _case(request, case_id)
    if request.method != "POST":
        return _tasks_page(request, case)
    plan = _plan(case)
    form = forms.TaskForm(request.POST, phases=plan.phases.all() if plan else (), units=_units(case))
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            task = services.create_task(case_id=case.pk, actor=request.user, expected_version=data.pop("version"),
                                        **data)
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("已新增任务 %(n)s。") % {"n": task.number})
            return redirect("creation-task", case_id=case.pk, task_id=task.pk)
    return _tasks_page(request, case, form=form, status=400)


def _task_page(request, case, task_id, *, edit_form=None, progress_form=None, status=200):
    try:
        task = api._task_detail(request.user, case.pk, task_id)
    except NotFound:
        raise Http404 from None
    office = selectors.is_office(request.user, case)
    may_work = selectors.may_work_on_task(request.user, task)
    if office and edit_form is None:
        edit_form = forms.TaskForm(phases=task.plan.phases.all(), units=_units(case), initial={
            "title": task.title, "content": task.content, "phase": task.phase.order if task.phase else None,
            "lead_unit": task.lead_unit_id, "co_units": [u.pk for u in task.co_units.all()], "due_on": task.due_on,
            "version": task.version}, prefix="edit")
    if may_work and progress_form is None:
        progress_form = forms.ProgressForm(initial={"status": task.status, "version": task.version})
    return render(request, "creation/task.html", {
        "case": case, "task": task, "office": office, "may_work": may_work,
        "edit_form": edit_form if office else None, "progress_form": progress_form if may_work else None,
    }, status=status)


@login_required
def task_detail(request, case_id, task_id):
    """GET a task and its progress; POST (the office) its definition."""
    case = _case(request, case_id)
    if request.method != "POST":
        return _task_page(request, case, task_id)
    plan = _plan(case)
    form = forms.TaskForm(request.POST, phases=plan.phases.all() if plan else (), units=_units(case), prefix="edit")
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_task(case_id=case.pk, actor=request.user, task_id=task_id,
                                 expected_version=data.pop("version"), **data)
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("任务已保存（方案新版本）。"))
            return redirect("creation-task", case_id=case.pk, task_id=task_id)
    return _task_page(request, case, task_id, edit_form=form, status=400)


@login_required
@require_POST
def task_progress(request, case_id, task_id):
    """A liaison of the lead or a co-unit (or the office): a progress note with an optional attachment."""
    case = _case(request, case_id)
    form = forms.ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_progress(case_id=case.pk, actor=request.user, task_id=task_id, text=data["text"],
                                  status=data["status"], files_=[data["file"]] if data.get("file") else [],
                                  expected_version=data["version"])
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("进展已报送。"))
            return redirect("creation-task", case_id=case.pk, task_id=task_id)
    return _task_page(request, case, task_id, progress_form=form, status=400)


__all__ = ["Count", "Liaison", "Prefetch", "TaskProgress", "Unit"]
