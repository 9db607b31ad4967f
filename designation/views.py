"""The case page's annual-report section (试行办法 第十八条) and its form. Who may use it: users in the case's
scope whose role reads annual reports (the zone's applicants, the province's reviewers, SAMR officers) see the
section; the zone's applicants submit. A case outside the user's scope is a 404. Thin: reads through
designation.selectors, writes through designation.services."""
import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from cases.errors import DomainError, NotFound
from cases import selectors as case_selectors
from cases.workflow import State

from . import selectors, services
from .api import READERS
from .forms import AnnualReportForm


def _case_in_scope(user, case_id):
    case = case_selectors.case_list(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


@dataclasses.dataclass
class AnnualReportSection:
    case: object
    rows: list
    form: AnnualReportForm | None
    error: str = ""
    pending: object = None  # a report file kept from a failed or unconfirmed post (documents.pending)


def annual_report_section(case, user, *, form=None, error=""):
    """The section for the case page, or None when there is nothing to show (measures without a dated annual
    report, a case never designated, or a role that does not read them)."""
    if getattr(user, "role", None) not in READERS:
        return None
    rows = selectors.annual_report_rows(case)
    if not rows:
        return None
    if form is None and user.role == Role.APPLICANT and case.state == State.DESIGNATED:
        years = [row.year for row in rows if not row.submitted]
        if years:
            form = AnnualReportForm(years=years, initial={"year": years[0]})
    return AnnualReportSection(case=case, rows=rows, form=form, error=error)


@login_required
@require_POST
def submit_annual_report(request, case_id):
    """The zone's applicants: report a year's work from the case page, in two steps — the filled form first shows a
    confirmation page (the year, the text, the file, kept on the server: documents.pending), and only its
    "确认报送" (confirm=1) submits. On success back to the case; on a refusal the section again (htmx swaps it;
    otherwise a page of its own) with the message, what was typed and the kept file."""
    from django.utils.datastructures import MultiValueDict

    from documents import pending as kept

    case = _case_in_scope(request.user, case_id)
    if request.user.role != Role.APPLICANT:
        raise PermissionDenied
    years = selectors.years_open_for_report(case)
    uploaded = request.FILES.get("file")
    file, held = kept.resolve(user=request.user, case=case, uploaded=uploaded, pending_id=request.POST.get("pending"))
    files = MultiValueDict({"file": [file]}) if file is not None else request.FILES
    form = AnnualReportForm(request.POST, files, years=years)
    error, status = "", 400
    confirming = request.POST.get("confirm") == "1" and "edit" not in request.POST
    try:
        if form.is_valid() and not confirming and "edit" not in request.POST:
            # Step 1: keep the file and ask for confirmation before anything is submitted.
            held = kept.keep_or_carry(user=request.user, case=case, uploaded=uploaded, pending=held)
            return render(request, "designation/annual_report_confirm.html", {
                "case": case, "form": form, "pending": held, "version": request.POST.get("version", "")})
        if form.is_valid() and confirming:
            version = request.POST.get("version", "")
            try:
                services.report_annual_work(case_id=case.pk, actor=request.user, year=form.cleaned_data["year"],
                                            summary=form.cleaned_data["summary"], file=form.cleaned_data["file"],
                                            expected_version=int(version) if version.isdigit() else None)
            except NotFound:
                raise Http404 from None
            except DomainError as refusal:
                error, status = str(refusal.message), refusal.http_status
                for field, messages_ in (refusal.extra.get("errors") or {}).items():
                    form.add_error(field if field in form.fields else None, [str(m) for m in messages_])
            else:
                kept.used(held)
                messages.success(request, _("已报送 %(year)s 年度工作情况。") % {"year": form.cleaned_data["year"]})
                url = reverse("case-detail", args=[case.pk]) + "#annual-reports-heading"
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = url
                    return response
                return redirect(url)
        elif "edit" in request.POST:
            status = 200  # back from the confirmation to change what was typed
    finally:
        if held is not None and file is not None:
            file.close()
    held = kept.keep_or_carry(user=request.user, case=case, uploaded=uploaded, pending=held)
    section = annual_report_section(case, request.user, form=form, error=error)
    section.pending = held
    if request.headers.get("HX-Request"):  # htmx swaps only 2xx answers by default: the refusal is the content
        return render(request, "designation/_annual_reports.html", {"case": case, "annual_reports": section})
    return render(request, "designation/annual_report_refused.html", {"case": case, "annual_reports": section},
                  status=status)
