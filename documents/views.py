"""Uploading a material from the applicant's pages. Who may use it: applicants, on a case of their own creation
object that is not closed (a case outside the scope is a 404). Writes through documents.services.upload_document
(content checks, audit). A file chosen in a post that fails is kept (documents.pending) and used by the next one."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from applications.panel import applicant_panel, kinds_for
from cases import selectors as case_selectors
from cases.errors import DomainError, NotFound

from . import pending as kept
from . import services
from .forms import MaterialForm


def _next_url(request, case):
    target = request.POST.get("next") or request.GET.get("next") or ""
    case_prefix = reverse("case-detail", args=[case.pk])
    if target.startswith(case_prefix) and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return case_prefix + "#materials"


@login_required
@require_http_methods(["GET", "POST"])
def upload_material(request, case_id):
    """GET: the upload form alone; POST: upload, then back to the page it came from (the case or the evaluation
    application). On a failure the form again with the message, what was typed and the kept file (4xx)."""
    case = case_selectors.case_list(request.user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if request.user.role != Role.APPLICANT:
        raise PermissionDenied
    kinds = kinds_for(case)
    if not kinds:
        raise PermissionDenied
    status, error, held = 200, "", None
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        file, held = kept.resolve(user=request.user, case=case, uploaded=uploaded,
                                  pending_id=request.POST.get("pending"))
        form = MaterialForm(request.POST, request.FILES, kinds=kinds, has_pending=held is not None)
        file_refused = False
        try:
            if form.is_valid():
                document = services.upload_document(case_id=case.pk, actor=request.user,
                                                    kind=form.cleaned_data["kind"],
                                                    title=form.cleaned_data["title"] or file.name, file=file)
                kept.used(held)
                messages.success(request, _("已上传“%(title)s”（%(kind)s）。")
                                 % {"title": document.title, "kind": document.get_kind_display()})
                return redirect(_next_url(request, case))
            status, error = 400, _("材料未上传，请按提示修改。")
        except NotFound:
            raise Http404 from None
        except DomainError as refusal:
            error, status = str(refusal.message), refusal.http_status
            refused = refusal.extra.get("errors") or {}
            file_refused = "file" in refused
            for field, errors in refused.items():
                form.add_error(field if field in form.fields else None, [str(e) for e in errors])
        finally:
            if held is not None:
                file.close()
        if file_refused:  # the bytes themselves are refused: keeping them would only invite the same refusal
            if held is not None:
                kept.discard(held)
            held = None
        else:
            held = kept.keep_or_carry(user=request.user, case=case, uploaded=uploaded, pending=held)
    else:
        form = MaterialForm(kinds=kinds)
    panel = applicant_panel(case, request.user, upload_form=form, pending=held, upload_error=error)
    return render(request, "documents/upload.html", {"case": case, "panel": panel,
                                                      "next": _next_url(request, case)}, status=status)
