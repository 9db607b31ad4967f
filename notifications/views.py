"""Browser pages for the inbox and notification preferences. Who may use them: anyone signed in, for their own
notifications and preference only (someone else's notification is a 404). Thin: reads through selectors,
writes through services."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import PreferenceForm

PER_PAGE = 25


@login_required
@require_GET
def inbox(request):
    """Signed-in users: their own notifications, newest first; ?unread=1 for the unread ones."""
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.notifications_for(request.user, unread=True if unread_only else None)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def mark_read(request, notification_id):
    """Signed-in users: mark one of their own notifications read. With htmx only the item is swapped."""
    if selectors.notification_of(request.user, notification_id) is None:
        raise Http404
    services.mark_read(notification_id=notification_id, user=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "notifications/_item.html",
                      {"note": selectors.notification_of(request.user, notification_id), "swapped": True})
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    """Signed-in users: mark all their unread notifications read."""
    marked = services.mark_all_read(user=request.user)
    messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": marked})
    return redirect(_back(request))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Signed-in users: their notification language and whether they also want e-mail. A form that fails
    keeps what was chosen."""
    preference = selectors.preference_of(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.set_preference(user=request.user, **form.cleaned_data)
            messages.success(request, _("通知设置已保存。"))
            return redirect("notification-preferences")
        status = 400
    else:
        form = PreferenceForm(initial={"language": preference.language, "email": preference.email})
        status = 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("notification-list")
