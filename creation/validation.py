"""The checks the creation period's acts share on what people type."""
from django.utils.translation import gettext as _

from cases.errors import InvalidPayload


def clean_text(value, field, label, max_length, *, required=True):
    """``value`` stripped; a 400 naming the field when it is required and empty, or longer than ``max_length``."""
    value = (value or "").strip()
    if required and not value:
        raise InvalidPayload(_("请填写%(label)s。") % {"label": label}, errors={field: [_("此项为必填项。")]})
    if len(value) > max_length:
        raise InvalidPayload(_("%(label)s不能超过 %(n)s 个字符。") % {"label": label, "n": max_length},
                             errors={field: [_("最多 %(n)s 字。") % {"n": max_length}]})
    return value
