"""The public's pages (no login): the notices running and past (办法 第十五条 公示, 接受社会监督), a notice with its
objection form, the designated zones — revoked ones kept and marked (第十六条 向社会公布, 第二十二条) — and the
designation announcements. They show only what SAMR has published: no draft, no case before its notice, nothing
about who objected. The same reads and writes as GET /api/public/… and POST /api/public/notices/{id}/objections/.
Every page is counted per real client address (throttle.public_read_limited). They are kept in the public cache
(publicity/cache.py, issue #13) where their URLs are declared (web_urls.py) — and, for the portal, which is also the
home page `/` of a visitor not signed in (cases.views.home), here: `cached_portal`."""
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from cases.errors import DomainError, NotFound
from designation import selectors as designation_selectors
from official import selectors as official_selectors

from . import selectors, services
from .cache import public_cache
from .forms import ObjectionForm
from .throttle import objection_allowed, public_read_limited
from .views import add_refusal

PORTAL_ANNOUNCEMENTS = 3  # the newest designation announcements on the front page


@require_safe
@public_read_limited
def portal(request):
    """Anyone not signed in, at ``/``: the portal — the notices running now (with both days, days left and their
    cities), the newest designation announcements, and the zones at a glance (designated / revoked)."""
    today = timezone.localdate()
    lists = selectors.public_notice_lists(today=today)
    for listing in lists:
        listing.days_left = (listing.last_day - today).days
    counts = designation_selectors.zone_counts()
    return render(request, "publicity/public_portal.html", {
        "lists": lists, "announcements": list(designation_selectors.announcements()[:PORTAL_ANNOUNCEMENTS]),
        "designated_count": counts["designated"], "revoked_count": counts["revoked"]})


# The portal through the public cache: at /public/ and, for a visitor not signed in, at / (cases.views.home; the
# path is part of the key, so each has its own copy). Signed-in users never reach it there.
cached_portal = public_cache(portal)


@require_GET
@public_read_limited
def notices(request):
    """Anyone: the notice lists running today with both days and their cities; ``?archive=1`` the past ones."""
    archive = request.GET.get("archive") == "1"
    today = timezone.localdate()
    lists = selectors.public_notice_lists(archive=archive, today=today)
    for listing in lists:
        listing.days_left = (listing.last_day - today).days
    return render(request, "publicity/public_notices.html", {"lists": lists, "archive": archive})


@require_http_methods(["GET", "POST"])
@public_read_limited
def notice(request, listing_id):
    """Anyone: one notice list — its text, both days (inclusive, Beijing time), days left, its cities with their
    evaluation summaries — and, while it runs, the objection form. A filed objection's receipt number is shown
    once, on the answer to the POST (and e-mailed if an address was given). The captcha is checked by the form;
    the rules (dates, attachments) by the service, as on the API. Objections from one address are limited as on
    the API (429 with the wait); with the counter's cache down, the objection is taken (throttle.py)."""
    listing = selectors.public_notice_list(listing_id)
    if listing is None:
        raise Http404
    today = timezone.localdate()
    entries = selectors.objectable_entries(listing, today)
    error, status = "", 200
    if request.method == "POST":
        form = ObjectionForm(request.POST, request.FILES, entries=entries)
        allowed, wait = objection_allowed(request)
        if not allowed:
            error, status = _("提交过于频繁，请在 %(wait)s 秒后再试。您填写的内容已保留。") % {"wait": wait}, 429
        elif not entries:
            error, status = _("公示期为 %(first)s 至 %(last)s，现不在公示期内，不再受理异议。") % {
                "first": listing.first_day, "last": listing.last_day}, 400
        elif form.is_valid():
            data = form.cleaned_data
            try:
                objection = services.file_objection_on_list(listing_id=listing.pk, case_id=data["case"],
                                                            name=data["name"], contact=data["contact"],
                                                            content=data["content"], email=data["email"],
                                                            attachments=data["attachments"])
            except NotFound:
                raise Http404 from None
            except DomainError as refusal:
                error, status = add_refusal(form, refusal), refusal.http_status
            else:
                return render(request, "publicity/public_receipt.html", {
                    "listing": listing, "objection": objection,
                    "attachment_count": len(data["attachments"]),
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
@public_read_limited
def zones(request):
    """Anyone: every demonstration zone in the order of designation; a revoked zone stays on the list, marked
    revoked with the day and the ground (办法 第二十二条)."""
    return render(request, "publicity/public_zones.html", {"zones": designation_selectors.zones()})


@require_GET
@public_read_limited
def zone(request, case_id):
    """Anyone: one zone (designated or revoked) and its history of public acts — the designation announcement
    (办法 第十六条 向社会公布) and, if it came to that, the revocation with its day and ground (第二十二条). Interviews
    and warnings (约谈、警示) are SAMR's supervision, not published acts, and are not shown; nor is anything
    from before the designation but the notice the public already read."""
    found = designation_selectors.zones(case_id=case_id)
    if not found:
        raise Http404
    zone = found[0]
    notice_lists = selectors.public_notice_lists_of_case(case_id)
    return render(request, "publicity/public_zone.html", {
        "zone": zone, "history": designation_selectors.public_history(zone, notice_lists)})


@require_GET
@public_read_limited
def announcements(request):
    """Anyone: the numbered designation announcements, newest first, each with its text and cities."""
    shown = list(designation_selectors.announcements()[:100])
    issued = official_selectors.issued_for_lists(announcements=shown)
    for announcement in shown:
        announcement.official_document_or_none = issued.get(announcement.pk)
    return render(request, "publicity/public_announcements.html", {"announcements": shown})
