from django import forms
from django.utils.translation import gettext_lazy as _


class AnnualReportForm(forms.Form):
    """A zone's annual report from the case page: the year (one still owed), the text and/or a file."""

    year = forms.TypedChoiceField(label=_("报告年度"), coerce=int)
    summary = forms.CharField(label=_("年度工作情况"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("报告文件（可选）"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]

    def clean(self):
        data = super().clean()
        if not (data.get("summary") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("请填写年度工作情况或上传报告文件。"))
        return data
