"""Input fields every API and page shares, so the same class of input is bounded the same way everywhere.

A date a user sends lies within USER_DATE_WINDOW_YEARS of today (default 20): an extension to 9999-12-31 is a
400 naming the window, never a stored date that later breaks a page. Version tokens and years are small whole
numbers; anything else is a 400 with the field named.
"""
import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_VERSION = 2_147_483_647


def date_window(today=None):
    """(earliest, latest) day a user may send."""
    today = today or timezone.localdate()
    years = settings.USER_DATE_WINDOW_YEARS
    return (_years_from(today, -years), _years_from(today, years))


def _years_from(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_date_in_window(day):
    earliest, latest = date_window()
    if not earliest <= day <= latest:
        raise serializers.ValidationError(
            _("日期须在 %(earliest)s 至 %(latest)s 之间。") % {"earliest": earliest, "latest": latest})
    return day


class BoundedDateField(serializers.DateField):
    """A date within the window around today (USER_DATE_WINDOW_YEARS)."""

    def to_internal_value(self, value):
        return check_date_in_window(super().to_internal_value(value))


class VersionField(serializers.IntegerField):
    """The optimistic-lock token a client read (Case.version starts at 1)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("乐观锁：您读到的案件版本"))
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_VERSION, **kwargs)


class YearField(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=2000, max_value=2100, **kwargs)


def earliest_sane_date():
    return date_window()[0]


__all__ = ["BoundedDateField", "VersionField", "YearField", "check_date_in_window", "date_window", "datetime"]
