"""Forms for SAMR's pages of stage 1–3. They parse what was typed; the rules (date order, editable only before a
call opens, the creation period's longest term) are the services' and the move payloads', as on the API."""
from django import forms
from django.utils.translation import gettext_lazy as _

from demozone.forms import PageForm, WindowDateField


class CallForm(PageForm):
    """办法 第七条: a SAMR call for applications and its days (inclusive, Beijing time)."""

    title = forms.CharField(label=_("通知名称"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=64, required=False,
                                      help_text=_("如 市监网监〔2026〕12号"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    opens_on = WindowDateField(label=_("开始受理"))
    submission_deadline = WindowDateField(label=_("创建对象报送截止日"))
    recommendation_deadline = WindowDateField(label=_("省级推荐截止日"))


class ApproveForm(PageForm):
    """办法 第九条: the creation period SAMR approves — at most the rule set's maximum, shorter if SAMR decides."""

    creation_start = WindowDateField(label=_("创建期开始日"))
    creation_end = WindowDateField(label=_("创建期届满日"))
    comment = forms.CharField(label=_("意见"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(PageForm):
    comment = forms.CharField(label=_("不同意创建的理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
