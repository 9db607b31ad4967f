"""Small helpers for the score sheet pages. Presentation only."""
from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def percent(value):
    """A rate as the engine writes it ("0.95") shown as a percentage ("95.00%")."""
    try:
        return f"{(Decimal(str(value)) * 100).quantize(Decimal('0.01'))}%"
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def get(mapping, key):
    """mapping[key] for templates ({{ row|get:'x' }}); empty when absent."""
    try:
        return mapping.get(key, "") if hasattr(mapping, "get") else mapping[key]
    except (KeyError, IndexError, TypeError):
        return ""
