from django import forms
from django.utils.translation import gettext_lazy as _

from . import content
from .models import Document


class MaterialForm(forms.Form):
    """One material from the applicant's pages: its kind (those the stage takes), a title and the file — or the
    file kept from the failed post before (documents.pending)."""

    kind = forms.ChoiceField(label=_("材料类别"), error_messages={"required": _("请选择该文件的材料类别。")})
    title = forms.CharField(label=_("标题（可选，缺省为文件名）"), max_length=200, required=False)
    file = forms.FileField(label=_("文件"), required=False)
    pending = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kinds=(), has_pending=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("请选择"))] + [(k, Document.Kind(k).label) for k in kinds]
        self.has_pending = has_pending

    def clean(self):
        data = super().clean()
        if not data.get("file") and not self.has_pending:
            self.add_error("file", _("请选择要上传的材料文件。"))
        return data


def accepted_formats(kind):
    return "、".join(content.LABELS[f] for f in content.ALLOWED_BY_KIND.get(kind, []))
