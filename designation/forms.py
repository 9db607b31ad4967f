from django import forms
from django.utils.translation import gettext_lazy as _

from publicity.forms import Styled


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


class AnnouncementForm(Styled, forms.Form):
    """SAMR: the round's cities to designate together and the text of the numbered announcement (办法 第十六条)."""

    cases = forms.TypedMultipleChoiceField(label=_("认定的城市"), coerce=int, widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": _("请选择认定的城市。")})
    text = forms.CharField(label=_("公告内容（向社会公布）"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": _("请填写公告内容（将向社会公布）。")})

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(c.pk, c.creation_object.name) for c in cases]


class RefuseDesignationForm(Styled, forms.Form):
    """SAMR: not designated, with the reasons (办法 第十六条 — e.g. an objection verified as well-founded)."""

    comment = forms.CharField(label=_("不予认定的理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("请填写不予认定的理由。")})


SANCTION_MOVES = ("interview", "warn", "revoke")


class SanctionForm(Styled, forms.Form):
    """SAMR: 约谈 / 警示 / 取消资格 on one of 第二十二条's grounds, in the words of the zone's own measures."""

    move = forms.ChoiceField(label=_("措施"), widget=forms.RadioSelect,
                             error_messages={"required": _("请选择措施。")})
    ground = forms.ChoiceField(label=_("情形（第二十二条）"), error_messages={"required": _("请选择情形。")})
    comment = forms.CharField(label=_("事实与理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": _("请填写事实与理由。")})
    # 第二十二条（三） 检查指导中发现: the supervision visits the decision relies on (creation.SupervisionVisit).
    visits = forms.TypedMultipleChoiceField(label=_("所依据的督促指导（仅情形（三））"), coerce=int, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, rule_set=None, moves=(), visits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move"].choices = [(m.name, m.label) for m in moves]
        grounds = rule_set.sanction_grounds if rule_set is not None else {}
        self.fields["ground"].choices = [("", _("请选择"))] + list(grounds.items())
        self.fields["visits"].choices = [(v.pk, f"{v.visited_on:%Y-%m-%d} · {v.organisation.name} · "
                                                f"{v.findings[:60]}") for v in visits]
