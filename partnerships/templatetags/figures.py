from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def wte(value) -> str:
    """Whole-time equivalent as the papers write it: 41.5, 4.7, 0.25, 35."""
    if value is None or value == "":
        return "Not recorded"
    exact = Decimal(value).quantize(Decimal("0.01")).normalize()
    return f"{exact:,f}"
