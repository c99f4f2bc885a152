"""GOV.UK Design System markup for the forms that keep records (records.forms, and the s117
package pages' s117.forms): each widget gets its GOV.UK class, its hint and error
described to assistive technology, and a date is entered as the Design System's day,
month and year boxes.

Rendered by templates/records/field.html, which tells the kinds of field apart by
Django's `BoundField.widget_type`.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError

CLASSES = {
    forms.TextInput: "govuk-input",
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
}


class GovukDateInput(forms.MultiWidget):
    """Day, month and year, as three boxes (widget_type "govukdate")."""

    def __init__(self, attrs=None):
        box = {"class": "govuk-input govuk-date-input__input", "inputmode": "numeric"}
        super().__init__(
            {
                "day": forms.TextInput(box | {"class": f"{box['class']} govuk-input--width-2"}),
                "month": forms.TextInput(box | {"class": f"{box['class']} govuk-input--width-2"}),
                "year": forms.TextInput(box | {"class": f"{box['class']} govuk-input--width-4"}),
            },
            attrs,
        )

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date from day, month and year boxes; a message that says what was expected."""

    widget = GovukDateInput

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter {what}")
        kwargs["error_messages"].setdefault(
            "invalid", f"{what[0].upper()}{what[1:]} must be a real date, like 31 3 2027"
        )
        parts = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(part not in (None, "") for part in data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        try:
            if len(year) != 4:
                raise ValueError(year)
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class GovukForm(forms.Form):
    """Base of the area's forms: GOV.UK classes on every widget, and (once validated) the
    error class and the error's id in each widget's description."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_markup(self)

    def _post_clean(self):
        super()._post_clean()
        mark_errors(self)

    @property
    def error_links(self) -> list[tuple[str, str]]:
        return error_links(self)


class GovukModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_markup(self)

    def _post_clean(self):
        super()._post_clean()
        mark_errors(self)

    @property
    def error_links(self) -> list[tuple[str, str]]:
        return error_links(self)


def _described_by(form, name) -> list[str]:
    field = form[name]
    return [f"{field.auto_id}-hint"] if field.help_text else []


def govuk_markup(form) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        for kind, css in CLASSES.items():
            if type(widget) is kind:
                widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
        described = _described_by(form, name)
        if described and not isinstance(widget, forms.RadioSelect | GovukDateInput):
            widget.attrs["aria-describedby"] = " ".join(described)


def mark_errors(form) -> None:
    for name in form.errors:
        if name not in form.fields:
            continue
        widget = form.fields[name].widget
        if isinstance(widget, GovukDateInput):
            for box in widget.widgets:
                box.attrs["class"] += " govuk-input--error"
            continue
        if isinstance(widget, forms.RadioSelect):
            continue  # the fieldset carries the error, in the template
        base = widget.attrs.get("class", "").split()[0]
        widget.attrs["class"] += f" {base}--error"
        error_id = f"{form[name].auto_id}-error"
        widget.attrs["aria-describedby"] = " ".join([*_described_by(form, name), error_id])


def error_links(form) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary: each error links to its field's first box
    or option."""
    links = []
    for name, errors in form.errors.items():
        if name not in form.fields:
            links += [("", error) for error in errors]
            continue
        anchor = form[name].auto_id
        if isinstance(form.fields[name].widget, forms.RadioSelect | GovukDateInput):
            anchor += "_0"
        links += [(anchor, error) for error in errors]
    return links
