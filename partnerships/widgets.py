"""Form widgets written in Python rather than through Django's widget templates."""

from django import forms
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime


class GovukSelect(forms.Select):
    """A GOV.UK select (class govuk-select), the same elements and attributes as Django's
    Select writes: its template includes a template for every option and another for each
    option's attributes, which made a page's three filter selects several milliseconds of
    its time. Options and their order, labels, values and selection come from
    Select.get_context, as Django's own do."""

    def __init__(self, attrs=None, choices=()):
        attrs = dict(attrs or {})
        attrs["class"] = " ".join(dict.fromkeys(["govuk-select", *attrs.get("class", "").split()]))
        super().__init__(attrs, choices)

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', _shown(group_name)))
            parts += [
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),  # as the template's stringformat:"s"
                    _attrs(option["attrs"]),
                    _shown(option["label"]),
                )
                for option in options
            ]
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        # Safe: each part is made by format_html, or is one of the two closing tags.
        return mark_safe("\n".join(parts))  # noqa: S308  # nosec B308 B703


def _shown(value):
    """A label as the template writes {{ label }}: a date or number localized, text as it is."""
    return value if isinstance(value, str) else localize(template_localtime(value))


def _attrs(attrs: dict) -> SafeString:
    """As django/forms/widgets/attrs.html: False leaves an attribute out, True writes its
    name alone, anything else name="value"."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )
