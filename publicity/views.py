"""SAMR officers' pages for the notice (公示, 办法 第十五条) and its objections (第十六条 经核实).

Who may use them: SAMR officers only (anyone else signed in: 403; anonymous: the login page). Thin: reads through
publicity.selectors, writes through publicity.services and cases.services.perform_transition — the same acts as
POST /api/rounds/{id}/notices/, POST /api/objections/{id}/decision/ and the case's close_notice move."""
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from cases import deadlines
from cases.errors import DomainError, NotFound
from cases.models import Case
from cases.services import perform_transition
from cases.workflow import State
from evaluation.models import Round
from official import selectors as official_selectors

from . import selectors, services
from .forms import NoticePublishForm, ObjectionDecisionForm
from .models import Objection, ObjectionAttachment

DEFAULT_NOTICE_DAYS = 15  # 办法 第十五条 / 试行办法 第十三条, when no case is at hand to read its rule set


def samr_only(view):
    """Deny by default: the view is for signed-in SAMR officers; anyone else signed in gets a 403."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if getattr(request.user, "role", None) != Role.SAMR_OFFICER:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _version(request):
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() else None


def add_refusal(form, refusal):
    """A service's refusal on the form: its field errors where the form has the field, the message on top."""
    errors = refusal.extra.get("errors") or {}
    for field, words in (errors.items() if isinstance(errors, dict) else []):
        words = words if isinstance(words, (list, tuple)) else [words]
        form.add_error(field if field in form.fields else None, [str(w) for w in words])
    return str(refusal.message)


@samr_only
@require_GET
def hub(request):
    """SAMR officers: the work of stages 8–9 in one place — the cities that passed and wait for their notice (per
    round), the notice lists running or over and not yet closed (with the objections still to verify), and the
    cities waiting for designation (per round)."""
    running, past = selectors.notice_lists_for_samr()
    awaiting_notice = selectors.cases_by_round(State.EVALUATION_PASSED)
    awaiting_designation = selectors.cases_by_round(State.AWAITING_DESIGNATION)
    return render(request, "publicity/samr_hub.html", {
        "awaiting_notice": awaiting_notice, "awaiting_notice_count": sum(len(g.cases) for g in awaiting_notice),
        "running": running, "past": past,
        "awaiting_designation": awaiting_designation,
        "awaiting_designation_count": sum(len(g.cases) for g in awaiting_designation),
    })


def _period(first_day, days):
    return {"first_day": first_day, "last_day": deadlines.notice_last_day(first_day, days), "days": days}


def _publish_page(request, *, round_, cases, single=None):
    """The publish form for a round's passed cities (one list), or for one case evaluated without rounds."""
    days = cases[0].rule_set.notice_days if cases else DEFAULT_NOTICE_DAYS
    error, status = "", 200
    if request.method == "POST":
        form = NoticePublishForm(request.POST, cases=cases)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if single is not None:
                    # 试行办法 第十三条: a case without a round is published on its own (a one-city list).
                    perform_transition(case_id=single.pk, name="publish_notice", actor=request.user,
                                       payload={"text": data["text"], "first_day": data["first_day"]},
                                       expected_version=_version(request))
                    listing_id = single.notices.order_by("-pk").values_list("listing_id", flat=True).first()
                else:
                    listing_id = services.publish_notice_list(round_id=round_.pk, actor=request.user,
                                                              cases=data["cases"], text=data["text"],
                                                              first_day=data["first_day"]).pk
            except NotFound:
                raise Http404 from None
            except DomainError as refusal:
                error, status = add_refusal(form, refusal), refusal.http_status
            else:
                messages.success(request, _("公示已发布：%(first)s 至 %(last)s（含首尾两日）。") % {
                    "first": data["first_day"], "last": deadlines.notice_last_day(data["first_day"], days)})
                return redirect("samr-notice", listing_id=listing_id)
        else:
            status = 400
        first_day = parse_date(request.POST.get("first_day") or "") or timezone.localdate()
    else:
        form = NoticePublishForm(cases=cases, initial={"cases": [c.pk for c in cases]})
        first_day = parse_date(request.GET.get("first_day") or "") or timezone.localdate()
    return render(request, "publicity/samr_publish.html", {
        "round": round_, "cases": cases, "single": single, "form": form, "error": error,
        "period": _period(first_day, days),
    }, status=status)


@samr_only
@require_http_methods(["GET", "POST"])
def publish_for_round(request, round_id):
    """SAMR officers: publish the round's notice list (办法 第十五条) — pick the passed cities, write the text the
    public reads, choose the first day; the 15 days are counted from it, inclusive."""
    round_ = get_object_or_404(Round, pk=round_id)
    return _publish_page(request, round_=round_, cases=selectors.round_cases(round_, State.EVALUATION_PASSED))


@samr_only
@require_http_methods(["GET", "POST"])
def publish_for_case(request, case_id):
    """SAMR officers: publish the notice of one passed case evaluated without rounds (试行办法 第十三条)."""
    case = get_object_or_404(Case.objects.select_related("creation_object__province", "rule_set"), pk=case_id,
                             state=State.EVALUATION_PASSED, evaluation_round__isnull=True)
    return _publish_page(request, round_=None, cases=[case], single=case)


def _notice_page(request, listing_id, *, failed=None, page_error="", status=200):
    """The list with its cities and their objections. ``failed``: (objection id, bound form, message) of a
    decision refused, shown on that objection's form with what was typed."""
    listing = selectors.notice_list_for_samr(listing_id)
    if listing is None:
        raise Http404
    today = timezone.localdate()
    failed_id, failed_form, failed_error = failed or (None, None, "")
    rows = []
    for entry in listing.entries.all():
        objections = []
        for objection in entry.objections.all():
            form = None
            if objection.status == Objection.Status.OPEN:
                form = failed_form if objection.pk == failed_id else ObjectionDecisionForm(
                    prefix=f"o{objection.pk}")
            objections.append({"objection": objection, "form": form,
                               "error": failed_error if objection.pk == failed_id else ""})
        in_publicity = entry.case.state == State.IN_PUBLICITY
        rows.append({"entry": entry, "case": entry.case, "objections": objections,
                     "open_count": sum(1 for o in objections if o["form"] is not None),
                     "in_publicity": in_publicity,
                     "blockers": selectors.close_blockers(entry, today) if in_publicity else []})
    return render(request, "publicity/samr_notice.html", {
        "listing": listing, "rows": rows, "today": today, "running": listing.is_open_on(today),
        "days_left": (listing.last_day - today).days, "page_error": page_error,
        "official_document": official_selectors.issued_for_lists(listings=[listing]).get(listing.pk),
    }, status=status)



@samr_only
@require_GET
def notice_detail(request, listing_id):
    """SAMR officers: one notice list — its text and days, each city with its objections (content and
    verification record), the decision form for each objection still open, and closing each city's notice."""
    return _notice_page(request, listing_id)


@samr_only
@require_POST
def decide_objection(request, objection_id):
    """SAMR officers: record a verified objection as upheld or not, with the reasons (办法 第十六条)."""
    objection = get_object_or_404(Objection.objects.select_related("notice"), pk=objection_id)
    listing_id = objection.notice.listing_id
    form = ObjectionDecisionForm(request.POST, prefix=f"o{objection.pk}")
    if not form.is_valid():
        return _notice_page(request, listing_id, failed=(objection.pk, form, _("提交的内容有误，请按提示修改。")),
                            status=400)
    try:
        services.decide_objection(objection_id=objection.pk, actor=request.user,
                                  upheld=form.cleaned_data["outcome"] == "upheld",
                                  decision=form.cleaned_data["decision"])
    except NotFound:
        raise Http404 from None
    except DomainError as refusal:
        return _notice_page(request, listing_id, failed=(objection.pk, form, add_refusal(form, refusal)),
                            status=refusal.http_status)
    messages.success(request, _("已记录异议 %(receipt)s 的核实结果。") % {"receipt": objection.receipt or objection.pk})
    return redirect(reverse("samr-notice", args=[listing_id]) + f"#objection-{objection.pk}")


@samr_only
@require_POST
def close_notice(request, listing_id, case_id):
    """SAMR officers: close a city's notice once its 15 days are over and every objection is verified (the
    close_notice move, 办法 第十六条); the city then waits for designation."""
    if not Case.objects.filter(pk=case_id, notices__listing_id=listing_id).exists():
        raise Http404
    try:
        case = perform_transition(case_id=case_id, name="close_notice", actor=request.user,
                                  expected_version=_version(request))
    except NotFound:
        raise Http404 from None
    except DomainError as refusal:
        return _notice_page(request, listing_id, page_error=str(refusal.message), status=refusal.http_status)
    messages.success(request, _("%(city)s 公示期满，待认定。") % {"city": case.creation_object})
    return redirect("samr-notice", listing_id=listing_id)


@samr_only
@require_GET
def objection_attachment(request, attachment_id):
    """SAMR officers: an objector's attachment, as a download (never inline: it came from anyone). Its format was
    read from its bytes when it was filed (publicity.services.check_attachments)."""
    from django.http import FileResponse

    from documents import content

    attachment = get_object_or_404(ObjectionAttachment, pk=attachment_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name or
                            f"attachment.{content.EXTENSIONS.get(attachment.content_format, 'bin')}",
                            content_type=content.CONTENT_TYPES.get(attachment.content_format,
                                                                   "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    return response
