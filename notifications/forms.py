from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(label=_("通知语言"), choices=settings.LANGUAGES,
                                 help_text=_("站内通知和邮件用这种语言书写；已收到的通知不变。"))
    email = forms.BooleanField(label=_("同时接收邮件通知"), required=False,
                               help_text=_("须在账户中登记邮箱地址；站内通知总会送达。"))
