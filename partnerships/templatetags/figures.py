from django import template

from core import formatting

register = template.Library()


@register.filter
def wte(value) -> str:
    """Whole-time equivalent as the papers write it (core.formatting.wte): 41.5, 4.7, 0.25,
    35; a template's empty value is a figure nobody has entered."""
    return formatting.wte(None if value == "" else value)


@register.filter
def money(value) -> str:
    """Pounds and pence, as entered: £7,204,118.39."""
    return formatting.money(None if value == "" else value)


@register.filter
def pounds(value) -> str:
    """Rounded to the pound: £1,618,413."""
    return formatting.whole_pounds(None if value == "" else value)
