"""Browser pages of stages 9–10. Thin: reads through designation.selectors, writes through designation.services
and cases.services.perform_transition.

- The case page's annual-report section (试行办法 第十八条) and its form: users in the case's scope whose role reads
  annual reports (the zone's applicants, the province's reviewers, SAMR officers) see the section; the zone's
  applicants submit. A case outside the user's scope is a 404.
- SAMR officers' pages (anyone else signed in: 403): designation in a numbered announcement or refusal (办法 第十六条),
  the zones, and 约谈 / 警示 / 取消资格 (第二十二条)."""
import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from cases.errors import DomainError, NotFound
from cases import selectors as case_selectors
from cases.models import Case
from cases.services import available_moves, perform_transition
from cases.workflow import State
from evaluation.models import Round
from publicity.selectors import round_cases
from publicity.views import add_refusal, samr_only

from . import selectors, services
from .api import READERS
from .forms import SANCTION_MOVES, AnnouncementForm, AnnualReportForm, RefuseDesignationForm, SanctionForm


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


# ── SAMR officers: designation (办法 第十六条) and the measures of 第二十二条 ───────────────────────────────────────
# Who may use them: SAMR officers only (anyone else signed in: 403). The same acts as
# POST /api/rounds/{id}/announcements/ and the case's designate / refuse_designation / interview / warn / revoke
# moves (POST /api/cases/{id}/transitions/{name}/), through designation.services and perform_transition.


def _version(request):
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() else None


def _designation_page(request, *, round_, cases, single=None, form=None, error="", refused=None, status=200):
    """The designation form for a round's cities (one numbered announcement), or for one case evaluated without
    rounds; each city with its objections and its refusal form. ``refused``: (case id, bound form, message)."""
    rows = selectors.designation_rows(cases)
    designable = [row.case for row in rows if not row.blockers]
    if form is None:
        form = AnnouncementForm(cases=designable, initial={"cases": [c.pk for c in designable]})
    refused_id, refused_form, refused_error = refused or (None, None, "")
    for row in rows:
        row.refuse_form = refused_form if row.case.pk == refused_id else RefuseDesignationForm(prefix=f"r{row.case.pk}")
        row.refuse_error = refused_error if row.case.pk == refused_id else ""
    return render(request, "designation/samr_designate.html", {
        "round": round_, "rows": rows, "single": single, "form": form, "error": error,
    }, status=status)


def _designate(request, *, round_, cases, single=None):
    if request.method != "POST":
        return _designation_page(request, round_=round_, cases=cases, single=single)
    rows = selectors.designation_rows(cases)
    form = AnnouncementForm(request.POST, cases=[row.case for row in rows if not row.blockers])
    if not form.is_valid():
        return _designation_page(request, round_=round_, cases=cases, single=single, form=form,
                                 error=_("提交的内容有误，请按提示修改。"), status=400)
    data = form.cleaned_data
    try:
        if single is not None:
            case = perform_transition(case_id=single.pk, name="designate", actor=request.user,
                                      payload={"comment": data["text"]}, expected_version=_version(request))
            announcement = case.designations.filter(announcement__isnull=False).latest("pk").announcement
        else:
            announcement = services.publish_announcement(round_id=round_.pk, actor=request.user,
                                                         cases=data["cases"], text=data["text"])
    except NotFound:
        raise Http404 from None
    except DomainError as refusal:
        return _designation_page(request, round_=round_, cases=cases, single=single, form=form,
                                 error=add_refusal(form, refusal), status=refusal.http_status)
    messages.success(request, _("已认定并发布认定公告 %(number)s。") % {"number": announcement.number})
    return redirect("samr-zones")


@samr_only
@require_http_methods(["GET", "POST"])
def designate_for_round(request, round_id):
    """SAMR officers: designate the round's cities whose notice is over together, in one numbered announcement
    (办法 第十六条 认定并向社会公布); a city with an objection verified as well-founded cannot be picked."""
    round_ = get_object_or_404(Round, pk=round_id)
    return _designate(request, round_=round_, cases=round_cases(round_, State.AWAITING_DESIGNATION))


@samr_only
@require_http_methods(["GET", "POST"])
def designate_for_case(request, case_id):
    """SAMR officers: designate one case evaluated without rounds (试行办法 第十四条), in its own announcement."""
    case = get_object_or_404(Case.objects.select_related("creation_object__province", "rule_set"), pk=case_id,
                             state=State.AWAITING_DESIGNATION, evaluation_round__isnull=True)
    return _designate(request, round_=None, cases=[case], single=case)


@samr_only
@require_POST
def refuse_designation(request, case_id):
    """SAMR officers: not designated, with the reasons (the refuse_designation move, 办法 第十六条)."""
    case = get_object_or_404(Case.objects.select_related("creation_object", "evaluation_round"), pk=case_id,
                             state=State.AWAITING_DESIGNATION)
    round_ = case.evaluation_round
    back = (lambda **kw: _designate_page_for(request, case, **kw))
    form = RefuseDesignationForm(request.POST, prefix=f"r{case.pk}")
    if not form.is_valid():
        return back(refused=(case.pk, form, _("提交的内容有误，请按提示修改。")), status=400)
    try:
        perform_transition(case_id=case.pk, name="refuse_designation", actor=request.user,
                           payload={"comment": form.cleaned_data["comment"]}, expected_version=_version(request))
    except NotFound:
        raise Http404 from None
    except DomainError as refusal:
        return back(refused=(case.pk, form, add_refusal(form, refusal)), status=refusal.http_status)
    messages.success(request, _("已决定%(city)s不予认定。") % {"city": case.creation_object})
    if round_ is not None and round_cases(round_, State.AWAITING_DESIGNATION):
        return redirect("samr-designate-round", round_id=round_.pk)
    return redirect("samr-publicity")


def _designate_page_for(request, case, **kwargs):
    if case.evaluation_round_id:
        return _designation_page(request, round_=case.evaluation_round,
                                 cases=round_cases(case.evaluation_round, State.AWAITING_DESIGNATION), **kwargs)
    return _designation_page(request, round_=None, cases=[case], single=case, **kwargs)


@samr_only
@require_GET
def zone_list(request):
    """SAMR officers: every zone, designated or revoked, with its announcement and its measures so far."""
    return render(request, "designation/samr_zones.html", {"zones": selectors.zones()})


def _visits(case):
    from creation.experience import visits_of

    return visits_of(case)


def _zone_page(request, zone, *, form=None, error="", status=200):
    moves = [m for m, _reasons in available_moves(zone.case, request.user) if m.name in SANCTION_MOVES]
    if form is None and moves:
        form = SanctionForm(rule_set=zone.case.rule_set, moves=moves, visits=_visits(zone.case))
    return render(request, "designation/samr_zone.html", {
        "zone": zone, "case": zone.case, "form": form if moves else None, "error": error,
        "article": zone.case.rule_set.article("revoke"),
    }, status=status)


@samr_only
@require_http_methods(["GET", "POST"])
def zone_detail(request, case_id):
    """SAMR officers: a zone's measures so far, and 约谈 / 警示 / 取消资格 on one of 第二十二条's grounds in the words
    of the zone's own measures. A revocation is asked once more, naming the city, the ground and the article,
    before it is made."""
    zone = next(iter(selectors.zones(case_id=case_id, with_visits=True)), None)
    if zone is None:
        raise Http404
    if request.method != "POST":
        return _zone_page(request, zone)
    moves = [m for m, _reasons in available_moves(zone.case, request.user) if m.name in SANCTION_MOVES]
    form = SanctionForm(request.POST, rule_set=zone.case.rule_set, moves=moves, visits=_visits(zone.case))
    if not form.is_valid():
        return _zone_page(request, zone, form=form, error=_("提交的内容有误，请按提示修改。"), status=400)
    data = form.cleaned_data
    confirmed = request.POST.get("confirmed")
    if data["move"] == "revoke" and confirmed == "0":  # back from the confirmation, to change what was typed
        return _zone_page(request, zone, form=form)
    if data["move"] == "revoke" and confirmed != "1":
        # 办法 第二十二条 直至取消其示范区资格: the heaviest measure is confirmed on a page of its own.
        return render(request, "designation/samr_revoke_confirm.html", {
            "zone": zone, "case": zone.case, "form": form, "ground_text": zone.case.rule_set.sanction_grounds[
                data["ground"]], "article": zone.case.rule_set.article("revoke"), "data": data})
    try:
        perform_transition(case_id=zone.case.pk, name=data["move"], actor=request.user,
                           payload={"ground": data["ground"], "comment": data["comment"], "visits": data["visits"]},
                           expected_version=_version(request))
    except NotFound:
        raise Http404 from None
    except DomainError as refusal:
        return _zone_page(request, zone, form=form, error=add_refusal(form, refusal), status=refusal.http_status)
    label = dict(form.fields["move"].choices)[data["move"]]
    messages.success(request, _("已对%(city)s作出“%(move)s”。") % {"city": zone.case.creation_object, "move": label})
    return redirect("samr-zone", case_id=zone.case.pk)
