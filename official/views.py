"""Pages of official documents: public verification (anyone); the correction of an issued document (officers of the
issuing organisation). The case page's documents panel is a partial (templates/official/_case_panel.html, filled by
the official template tags); the download buttons on the act pages are templates/official/_issued.html; their links
are the API's, which check the scope."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _
from django.views.decorators.http import require_http_methods

from cases.errors import DomainError, NotFound

from . import selectors, services
from .models import OfficialDocument


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("文号"), max_length=80, help_text=_("如：市监网监〔2026〕12号"))
    file = forms.FileField(label=_("公文 PDF 文件"), required=False,
                           help_text=_("上传收到的 PDF 文件，由服务器计算其 SHA-256。"))
    sha256 = forms.RegexField(label=_("或填写 SHA-256"), regex=r"^\s*[0-9a-fA-F]{64}\s*$", required=False,
                              error_messages={"invalid": _("SHA-256 应为 64 位十六进制数。")})

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None and upload.size > settings.DOCUMENT_MAX_BYTES:
            self.add_error("file", _("文件过大。"))
        elif upload is None and not data.get("sha256") and not self.errors:
            raise forms.ValidationError(_("请上传公文 PDF 文件，或填写其 SHA-256。"))
        return data


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone: check a copy of an official document — its 文号 and the PDF (hashed here) or its SHA-256."""
    result = None
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            digest = services.sha256_of(upload) if upload is not None else form.cleaned_data["sha256"].strip().lower()
            result = {**services.verify(number=form.cleaned_data["number"], sha256=digest), "sha256": digest}
        else:
            status = 400
    else:
        form = VerifyForm(initial={"number": request.GET.get("number", "")})
    return render(request, "official/verify.html", {"form": form, "result": result}, status=status)


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("更正事由"), max_length=services.REASON_MAX,
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
                             help_text=_("必填。印在更正文件的“更正说明”中，并记入案件的审计记录。"))


def _document_in_scope(user, document_id):
    document = selectors.document_for(user, document_id)
    if document is None:
        raise Http404
    return (OfficialDocument.objects.select_related("issuer", "replaces", "replaced_by", "case__creation_object",
                                                    "listing").get(pk=document.pk))


def _after_correction(document):
    if document.case_id is not None:
        return reverse("case-detail", args=[document.case_id])
    if document.listing_id is not None:
        return reverse("samr-notice", args=[document.listing_id])
    return reverse("official-correct", args=[document.pk])


@login_required
@require_http_methods(["GET", "POST"])
def correct(request, document_id):
    """An officer of the issuing organisation issues a correction of a document (official.services.correct): the
    reason is required; the new document is numbered, the old one stays as it was and is marked superseded.
    Others who may read the document see it and who may correct it (403 on POST); outside the scope: 404."""
    document = _document_in_scope(request.user, document_id)
    allowed = services.may_correct(request.user, document)
    form = CorrectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not allowed and document.superseded_by is None:
            status = 403
            messages.error(request, gettext("只有发文机关的工作人员可以更正该公文。"))
        elif form.is_valid():
            try:
                corrected = services.correct(actor=request.user, document_id=document.pk,
                                             reason=form.cleaned_data["reason"])
            except NotFound:
                raise Http404 from None
            except DomainError as refusal:
                for field, errors in (refusal.extra.get("errors") or {}).items():
                    if field in form.fields:
                        for error in errors:
                            form.add_error(field, str(error))
                form.add_error(None, str(refusal.message))
                status = refusal.http_status
            else:
                messages.success(request, gettext("已印发更正文件%(number)s，替代%(old)s。")
                                 % {"number": corrected.number, "old": document.number})
                return redirect(_after_correction(document))
        else:
            status = 400
    return render(request, "official/correct.html", {"document": document, "form": form, "allowed": allowed},
                  status=status)
