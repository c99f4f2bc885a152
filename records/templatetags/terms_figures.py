"""Money on the terms pages, written as everywhere else (core.formatting.money)."""

from django import template

from core.formatting import money

register = template.Library()


@register.filter
def pounds(value) -> str:
    """£1,917,339.00; "None recorded" for a decision with no value."""
    return money(value, missing="None recorded")
