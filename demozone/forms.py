"""What every page form shares: Bootstrap classes on the widgets, and a date field bounded like the API's."""
from django import forms
from django.utils.translation import gettext_lazy as _

from demozone.fields import date_window


class PageForm(forms.Form):
    """A form rendered with templates/_form_field.html: Bootstrap classes on every widget, and a text field's
    length limit shown before submit (maxlength and the hint)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class WindowDateField(forms.DateField):
    """A date within the window around today (USER_DATE_WINDOW_YEARS), like demozone.fields.BoundedDateField."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def clean(self, value):
        day = super().clean(value)
        if day is not None:
            earliest, latest = date_window()
            if not earliest <= day <= latest:
                raise forms.ValidationError(_("日期须在 %(earliest)s 至 %(latest)s 之间。")
                                            % {"earliest": earliest, "latest": latest})
        return day


def apply_errors(form, error):
    """Put a service's refusal (a cases.errors.DomainError) on the form: field errors on their fields, the
    message on top. Returns whether any field error was placed."""
    errors = error.extra.get("errors")
    placed = False
    if isinstance(errors, dict):
        for field, values in errors.items():
            values = values if isinstance(values, (list, tuple)) else [values]
            if field in form.fields:
                for value in values:
                    form.add_error(field, str(value))
                placed = True
    form.add_error(None, str(error.message))
    return placed
