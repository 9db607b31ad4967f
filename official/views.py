"""Pages of official documents: public verification (anyone). The case page's documents panel is a partial
(templates/official/_case_panel.html, filled by the official template tags); its links are the API's, which check
the scope."""
from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import services


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
