"""The public's pages (no login): the notices running and past (办法 第十五条 公示, 接受社会监督), a notice with its
objection form, the designated zones — revoked ones kept and marked (第十六条 向社会公布, 第二十二条) — and the
designation announcements. They show only what SAMR has published: no draft, no case before its notice, nothing
about who objected. The same reads and writes as GET /api/public/… and POST /api/public/notices/{id}/objections/."""
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.errors import DomainError, NotFound
from designation import selectors as designation_selectors
from official import selectors as official_selectors

from . import selectors, services
from .forms import ObjectionForm
from .throttle import objection_allowed
from .views import add_refusal


@require_GET
def notices(request):
    """Anyone: the notice lists running today with both days and their cities; ``?archive=1`` the past ones."""
    archive = request.GET.get("archive") == "1"
    today = timezone.localdate()
    lists = selectors.public_notice_lists(archive=archive, today=today)
    for listing in lists:
        listing.days_left = (listing.last_day - today).days
    return render(request, "publicity/public_notices.html", {"lists": lists, "archive": archive})


@require_http_methods(["GET", "POST"])
def notice(request, listing_id):
    """Anyone: one notice list — its text, both days (inclusive, Beijing time), days left, its cities with their
    evaluation summaries — and, while it runs, the objection form. A filed objection's receipt number is shown
    once, on the answer to the POST. Objections from one address are limited as on the API (429 with the wait)."""
    listing = selectors.public_notice_list(listing_id)
    if listing is None:
        raise Http404
    today = timezone.localdate()
    entries = selectors.objectable_entries(listing, today)
    error, status = "", 200
    if request.method == "POST":
        form = ObjectionForm(request.POST, entries=entries)
        allowed, wait = objection_allowed(request)
        if not allowed:
            error, status = _("提交过于频繁，请在 %(wait)s 秒后再试。您填写的内容已保留。") % {"wait": wait}, 429
        elif not entries:
            error, status = _("公示期为 %(first)s 至 %(last)s，现不在公示期内。") % {
                "first": listing.first_day, "last": listing.last_day}, 400
        elif form.is_valid():
            data = form.cleaned_data
            try:
                objection = services.file_objection_on_list(listing_id=listing.pk, case_id=data["case"],
                                                            name=data["name"], contact=data["contact"],
                                                            content=data["content"])
            except NotFound:
                raise Http404 from None
            except DomainError as refusal:
                error, status = add_refusal(form, refusal), refusal.http_status
            else:
                return render(request, "publicity/public_receipt.html", {
                    "listing": listing, "objection": objection,
                    "city": next(e.case.creation_object for e in entries if e.case_id == objection.case_id)})
        else:
            error, status = _("提交的内容有误，请按提示修改。"), 400
    else:
        form = ObjectionForm(entries=entries)
    return render(request, "publicity/public_notice.html", {
        "listing": listing, "entries": listing.entries.all(), "objectable": entries, "form": form,
        "error": error, "today": today, "days_left": (listing.last_day - today).days,
        "running": listing.is_open_on(today),
        "official_document": official_selectors.issued_for_lists(listings=[listing]).get(listing.pk),
    }, status=status)



@require_GET
def zones(request):
    """Anyone: every demonstration zone in the order of designation; a revoked zone stays on the list, marked
    revoked with the day and the ground (办法 第二十二条)."""
    return render(request, "publicity/public_zones.html", {"zones": designation_selectors.zones()})


@require_GET
def announcements(request):
    """Anyone: the numbered designation announcements, newest first, each with its text and cities."""
    shown = list(designation_selectors.announcements()[:100])
    issued = official_selectors.issued_for_lists(announcements=shown)
    for announcement in shown:
        announcement.official_document_or_none = issued.get(announcement.pk)
    return render(request, "publicity/public_announcements.html", {"announcements": shown})
