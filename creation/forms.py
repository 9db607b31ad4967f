"""Forms of the creation workspace's pages (creation.views). They only shape input; creation.services decides."""
from django import forms
from django.utils.translation import gettext_lazy as _

from demozone.forms import PageForm, WindowDateField

from .models import Task, Unit


class _VersionMixin(PageForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


def _date_field(label, required=True):
    return WindowDateField(label=label, required=required)


class UnitForm(PageForm):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=Unit.Kind.choices, initial=Unit.Kind.DEPARTMENT)


class UnitChangeForm(PageForm):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=Unit.Kind.choices)
    active = forms.BooleanField(label=_("在用"), required=False)


class LiaisonForm(PageForm):
    username = forms.CharField(label=_("登录用户名"), max_length=150)
    name = forms.CharField(label=_("姓名"), max_length=150)
    password = forms.CharField(label=_("初始密码"), max_length=128, strip=False,
                               widget=forms.PasswordInput(render_value=True),
                               help_text=_("至少 10 位，不能过于简单；请当面告知联络员。"))


class PlanForm(_VersionMixin):
    goals = forms.CharField(label=_("创建目标"), required=False, max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 5}))
    document = forms.TypedChoiceField(label=_("创建方案（申报材料）"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", _("（不关联）"))] + [(d.pk, d.title) for d in documents]


class PhaseForm(_VersionMixin):
    order = forms.IntegerField(label=_("序号"), min_value=1, max_value=99)
    name = forms.CharField(label=_("阶段名称"), max_length=50)
    starts_on = _date_field(_("开始日期"))
    ends_on = _date_field(_("结束日期"))
    description = forms.CharField(label=_("工作内容"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 2}))


def _unit_choices(units):
    return [(u.pk, u.name) for u in units if u.active]


class ResponsibilityForm(_VersionMixin):
    number = forms.TypedChoiceField(label=_("指标"), coerce=str)
    lead_unit = forms.TypedChoiceField(label=_("责任单位"), coerce=int)
    co_units = forms.TypedMultipleChoiceField(label=_("配合单位"), coerce=int, required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 4}))

    def __init__(self, *args, indicators=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].choices = [(str(n), f"{n}. {name}") for n, name in indicators]
        self.fields["lead_unit"].choices = _unit_choices(units)
        self.fields["co_units"].choices = _unit_choices(units)


class ImportForm(_VersionMixin):
    file = forms.FileField(label=_("工作簿（.xlsx）"))
    create_units = forms.BooleanField(label=_("自动新增未登记的单位"), required=False)


class TaskForm(_VersionMixin):
    title = forms.CharField(label=_("任务名称"), max_length=200)
    content = forms.CharField(label=_("任务内容"), required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    phase = forms.TypedChoiceField(label=_("所属阶段"), coerce=int, required=False, empty_value=None)
    lead_unit = forms.TypedChoiceField(label=_("牵头单位"), coerce=int)
    co_units = forms.TypedMultipleChoiceField(label=_("配合单位"), coerce=int, required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 5}))
    due_on = _date_field(_("完成时限"), required=False)

    def __init__(self, *args, phases=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", "—")] + [(p.order, p.name) for p in phases]
        self.fields["lead_unit"].choices = _unit_choices(units)
        self.fields["co_units"].choices = _unit_choices(units)


class ProgressForm(_VersionMixin):
    text = forms.CharField(label=_("进展情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("任务状态"), choices=Task.Status.choices)
    file = forms.FileField(label=_("附件（可选）"), required=False)
