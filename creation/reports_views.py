"""Pages of the creation period's milestones, progress reports and checks (issue 9, part 6). Thin: reads through
creation.reports / creation.milestones, writes through creation.reports. Who may use what (deny by default; a case
outside the user's workspace scope is a 404 — creation.selectors):
- 进展报告 (list + submit): the office submits; the office, the province's reviewers and SAMR officers list. A
  report's page: its text; a reader's first opening for their organisation is the reading receipt; the office
  sees who read it when. Liaisons: 404 (their workspace has no progress reports).
- 自查与验收: the office records a unit's self-check or the acceptance check; a liaison its own unit's self-check
  and sees only its own unit's; the readers read.
- 工作节点: phases and tasks with due days and overdue marks (a liaison: its own unit's tasks).
- a file attached to a report or check, to those who may see the record."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases.errors import DomainError, NotFound
from demozone.forms import apply_errors
from publicity.forms import Styled

from . import milestones, reports, selectors
from .models import Check


class ProgressReportForm(Styled, forms.Form):
    period = forms.CharField(label=gettext_lazy("报告期"), max_length=reports.PERIOD_MAX,
                             help_text=gettext_lazy("如“2026年第3季度”“2026年上半年”。"),
                             error_messages={"required": gettext_lazy("请填写报告期。")})
    body = forms.CharField(label=gettext_lazy("工作进展"), max_length=reports.TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": gettext_lazy("请填写工作进展。")})
    file = forms.FileField(label=gettext_lazy("附件（可选）"), required=False)


class CheckForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=Check.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": gettext_lazy("请选择类别。")})
    unit = forms.TypedChoiceField(label=gettext_lazy("成员单位"), coerce=int, required=False, empty_value=None)
    conclusion = forms.CharField(label=gettext_lazy("结论"), max_length=reports.TEXT_MAX,
                                 widget=forms.Textarea(attrs={"rows": 5}),
                                 error_messages={"required": gettext_lazy("请填写结论。")})
    file = forms.FileField(label=gettext_lazy("报告文件（可选）"), required=False)

    def __init__(self, *args, kinds=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, Check.Kind(k).label) for k in kinds]
        self.fields["unit"].choices = [("", "—")] + [(u.pk, u.name) for u in units]

    def clean(self):
        data = super().clean()
        if data.get("kind") == Check.Kind.UNIT_SELF_CHECK and not data.get("unit"):
            self.add_error("unit", _("成员单位自查须选择成员单位。"))
        return data


def _case(request, case_id):
    return selectors.workspace_case(request.user, case_id)  # 404 outside the scope


def _base(request, case, tab):
    return {"case": case, "tab": tab, "is_office": selectors.is_office(request.user, case),
            "is_reader": selectors.is_reader(request.user),
            "may_report": reports.may_read_reports(request.user, case)}


# ── progress reports ─────────────────────────────────────────────────────────────────────────────────────────
@login_required
@require_http_methods(["GET", "POST"])
def progress_reports(request, case_id):
    case = _case(request, case_id)
    if not reports.may_read_reports(request.user, case):
        raise Http404  # liaisons: the progress reports are the office's, to the province and SAMR
    office = selectors.is_office(request.user, case)
    may_submit = office and case.state in selectors.WORKING_STATES
    form, error, status = None, "", 200
    if request.method == "POST":
        if not may_submit:
            raise Http404
        form = ProgressReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = reports.submit_progress_report(
                    case_id=case.pk, actor=request.user, period=form.cleaned_data["period"],
                    body=form.cleaned_data["body"], file=form.cleaned_data.get("file"))
            except NotFound:
                raise Http404 from None
            except DomainError as refusal:
                error, status = str(refusal.message), refusal.http_status
                apply_errors(form, refusal)
            else:
                messages.success(request, _("已报送创建进展报告（%(period)s），省级市场监管部门和总局将收到通知。")
                                 % {"period": report.period})
                return redirect("creation-progress-report", case.pk, report.pk)
        else:
            status = 400
        if request.FILES.get("file"):
            error = error or _("请重新选择附件：出错后文件不会保留。")
    if form is None and may_submit:
        form = ProgressReportForm(initial={"period": reports.suggested_period()})
    rows = list(reports.reports_of(request.user, case))
    return render(request, "creation/reports/progress_reports.html",
                  {**_base(request, case, "reports"), "reports": rows, "form": form, "error": error}, status=status)


@login_required
@require_GET
def progress_report(request, case_id, report_id):
    case = _case(request, case_id)
    if not reports.may_read_reports(request.user, case):
        raise Http404
    try:
        report, created = reports.read_progress_report(user=request.user, case=case, report_id=report_id)
    except NotFound:
        raise Http404 from None
    return render(request, "creation/reports/progress_report.html",
                  {**_base(request, case, "reports"), "report": report, "receipt_created": created})


# ── checks ───────────────────────────────────────────────────────────────────────────────────────────────────
def _check_form(request, case, data=None, files=None):
    kinds = [k for k in (Check.Kind.UNIT_SELF_CHECK, Check.Kind.ACCEPTANCE)
             if reports.may_record(request.user, case, k)]
    if not kinds:
        return None
    units = reports.units_for_check(request.user, case)
    initial = {"kind": kinds[0], "unit": units[0].pk if len(units) == 1 else None}
    return CheckForm(data, files, kinds=kinds, units=units, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def checks(request, case_id):
    case = _case(request, case_id)
    form, error, status = None, "", 200
    if request.method == "POST":
        form = _check_form(request, case, request.POST, request.FILES)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                check = reports.record_check(case_id=case.pk, actor=request.user, kind=form.cleaned_data["kind"],
                                             unit_id=form.cleaned_data.get("unit"),
                                             conclusion=form.cleaned_data["conclusion"],
                                             file=form.cleaned_data.get("file"))
            except NotFound:
                raise Http404 from None
            except DomainError as refusal:
                error, status = str(refusal.message), refusal.http_status
                apply_errors(form, refusal)
            else:
                messages.success(request, _("已记录：%(kind)s。") % {"kind": check.get_kind_display()})
                return redirect("creation-checks", case.pk)
        else:
            status = 400
        if request.FILES.get("file"):
            error = error or _("请重新选择附件：出错后文件不会保留。")
    if form is None:
        form = _check_form(request, case)
    status_ = reports.check_status(case)
    liaison_unit = selectors.liaison_unit(request.user)
    unit_rows = [(u, c) for u, c in status_.units if liaison_unit is None or u.pk == liaison_unit.pk]
    return render(request, "creation/reports/checks.html",
                  {**_base(request, case, "checks"), "checks": list(reports.checks_of(request.user, case)),
                   "form": form, "error": error, "status": status_, "unit_rows": unit_rows}, status=status)


# ── milestones ───────────────────────────────────────────────────────────────────────────────────────────────
@login_required
@require_GET
def milestone_page(request, case_id):
    case = _case(request, case_id)
    plan = getattr(case, "plan", None)
    overview = milestones.case_overview(case, selectors.tasks_visible(request.user, plan)) if plan else None
    return render(request, "creation/reports/milestones.html",
                  {**_base(request, case, "milestones"), "plan": plan, "overview": overview,
                   "thresholds": milestones.thresholds()})


# ── files ────────────────────────────────────────────────────────────────────────────────────────────────────
@login_required
@require_GET
def record_file(request, case_id, document_id):
    """A file attached to a progress report or a check, to whoever may see that record."""
    from documents.serving import file_response

    case = _case(request, case_id)
    visible = (reports.reports_of(request.user, case).filter(document_id=document_id).exists()
               or reports.checks_of(request.user, case).filter(document_id=document_id).exists())
    if not visible:
        raise Http404
    document = case.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return file_response(document, download=request.GET.get("download") == "1")

