"""Forms of the notice pages (办法 第十五条). They check the shape of what is typed; the rules (who, when, which
cities) are the services' (publicity.services), whose refusals the views show on the same form."""
from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 20000
OBJECTION_MAX = 10000


class Styled:
    """Bootstrap's classes on every widget, the invalid mark on a field with errors, and a text field's length
    limit as maxlength (the page also names it before submit)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css
            if getattr(field, "max_length", None):
                widget.attrs["maxlength"] = field.max_length

    def add_error(self, field, error):
        super().add_error(field, error)  # validation and the views' refusals both come through here
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class NoticePublishForm(Styled, forms.Form):
    """SAMR: the cities of a round to list, the text the public reads, the first day (the last is computed)."""

    cases = forms.TypedMultipleChoiceField(label=_("列入公示名单的城市"), coerce=int,
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": _("请选择列入公示名单的城市。")})
    text = forms.CharField(label=_("公示内容（向社会公布）"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": _("请填写公示内容（将向社会公布）。")})
    first_day = forms.DateField(label=_("公示开始日"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(c.pk, c.creation_object.name) for c in cases]
        self.fields["first_day"].initial = timezone.localdate()

    def clean_first_day(self):
        day = self.cleaned_data["first_day"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("公示开始日不能早于今天。"))
        return day


class ObjectionDecisionForm(Styled, forms.Form):
    """SAMR: whether a verified objection stands, and why (办法 第十六条 经核实异议不成立的 …)."""

    outcome = forms.ChoiceField(label=_("核实结果"), widget=forms.RadioSelect,
                                choices=[("dismissed", _("异议不成立")), ("upheld", _("异议成立"))],
                                error_messages={"required": _("请选择核实结果。")})
    decision = forms.CharField(label=_("核实意见"), max_length=OBJECTION_MAX,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": _("请填写核实意见。")})


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the list may be empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CaptchaWidget(CaptchaTextInput):
    """django-simple-captcha's image and answer box, laid out for the public page (with a 换一张 button)."""

    template_name = "publicity/_captcha_widget.html"


class ObjectionForm(Styled, forms.Form):
    """Anyone, while the notice runs: the city the objection concerns, who objects and how to reach them (and, if
    they wish, an e-mail address for the receipt), the facts, optional attachments, and the captcha. Who objects
    is never shown to the public. The rules (the dates, the attachments' contents) are the service's, as on the
    API."""

    case = forms.TypedChoiceField(label=_("异议所涉城市"), coerce=int,
                                  error_messages={"required": _("请选择公示名单中的城市。")})
    name = forms.CharField(label=_("异议人"), max_length=100, error_messages={"required": _("请填写异议人姓名或单位名称。")})
    contact = forms.CharField(label=_("联系方式"), max_length=100, error_messages={"required": _("请填写联系方式。")})
    email = forms.EmailField(label=_("电子邮箱（选填，用于接收回执）"), max_length=254, required=False,
                             error_messages={"invalid": _("请填写有效的电子邮箱地址，或留空。")})
    content = forms.CharField(label=_("异议内容"), max_length=OBJECTION_MAX, widget=forms.Textarea(attrs={"rows": 6}),
                              error_messages={"required": _("请填写异议内容：事实和理由。")})
    attachments = MultipleFileField(label=_("附件（选填）"), required=False)
    captcha = CaptchaField(label=_("验证码"), widget=CaptchaWidget(),
                           error_messages={"invalid": _("验证码不正确，请按新图片重新输入。"),
                                           "required": _("请输入图片中的验证码。")})

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(e.case_id, e.case.creation_object.name) for e in entries]
        if len(entries) == 1:
            self.fields["case"].initial = entries[0].case_id
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["attachments"].widget.attrs["accept"] = ".pdf,.ofd,.docx,.xlsx,.jpg,.jpeg,.png"
        self.attachment_limits = {"files": settings.OBJECTION_ATTACHMENT_MAX_FILES,
                                  "mb": settings.OBJECTION_ATTACHMENT_MAX_BYTES // 1048576}
