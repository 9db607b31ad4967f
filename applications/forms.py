"""The applicant's forms: starting a case (办法 第七条) and 《创建申请表》 in its sections."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApplicationForm


class NewCaseForm(forms.Form):
    """办法 第七条: 按照市场监管总局通知的要求 — under the current measures the case names the open call."""

    call = forms.TypedChoiceField(label=_("申报通知"), coerce=int, required=False, widget=forms.RadioSelect)
    title = forms.CharField(label=_("申请名称"), max_length=200,
                            initial=_("网络市场监管与服务示范区创建申请"))

    def __init__(self, *args, calls=(), call_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = {c.pk: c for c in calls}
        self.fields["call"].choices = [(c.pk, c.title) for c in calls]
        self.fields["call"].required = call_required
        if call_required:
            self.fields["call"].error_messages["required"] = _("请选择市场监管总局的申报通知（办法 第七条）。")
        if len(calls) == 1:
            self.fields["call"].initial = calls[0].pk

    def clean_call(self):
        value = self.cleaned_data.get("call")
        return self.calls.get(value) if value not in (None, "") else None


class ApplicationFormForm(forms.ModelForm):
    """《创建申请表》 as the applicant fills it; every version saved through applications.services."""

    class Meta:
        model = ApplicationForm
        fields = ApplicationForm.field_names()
        widgets = {name: forms.Textarea(attrs={"rows": 6})
                   for name in ("platform_economy", "supervision_and_service", "innovation")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-control"
            field.widget.attrs.setdefault("class", css)
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.setdefault("step", "0.01")
                field.widget.attrs.setdefault("inputmode", "decimal")
            if name == "contact_phone":
                field.widget.attrs.setdefault("inputmode", "tel")
        self.fields["contact_phone"].help_text = _("座机请带区号，如 0571-87000000；或11位手机号")

    def clean_contact_phone(self):
        import re

        phone = self.cleaned_data["contact_phone"].strip()
        if not re.fullmatch(r"[0-9+()\- ]{7,32}", phone) or sum(ch.isdigit() for ch in phone) < 7:
            raise forms.ValidationError(_("请填写有效的电话号码（数字、空格、-、+ 或括号，至少7位数字）。"))
        return phone

    def clean(self):
        data = super().clean()
        online, total = data.get("online_business_count"), data.get("business_count")
        if online is not None and total is not None and online > total:
            self.add_error("online_business_count", _("网络经营主体数量不能多于经营主体总数。"))
        return data

    def sections(self):
        """[(title, [bound fields])] in the order of ApplicationForm.SECTIONS."""
        return [(title, [self[name] for name in names]) for title, names in ApplicationForm.SECTIONS]

    def values(self):
        return {name: self.cleaned_data.get(name) for name in ApplicationForm.field_names()}
