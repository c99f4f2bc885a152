"""Fields the staffing forms share, written as GOV.UK writes them: a date as three boxes
(day, month, year), a WTE as text with the numeric keyboard, an organisation chosen from
the agreement's partners (read once for every select on the form)."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

WTE_HINT = "From 0.01 to 1.00: 1.00 is full time, 0.50 half time."


class DateWidget(forms.MultiWidget):
    def __init__(self):
        super().__init__(
            widgets={"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class GovukBoundField(forms.BoundField):
    @property
    def anchor(self) -> str:
        """Where the error summary's link for this field goes: its first input."""
        if isinstance(self.field.widget, forms.RadioSelect):
            return f"{self.auto_id}_0"
        return self.auto_id


class DateParts(GovukBoundField):
    """A date field's three boxes, for templates/records/staffing_date.html."""

    LABELS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    @property
    def parts(self) -> list[dict]:
        if self.form.is_bound:
            values = self.field.widget.value_from_datadict(
                self.form.data, self.form.files, self.html_name
            )
        else:
            values = self.field.widget.decompress(self.value())
        return [
            {
                "name": f"{self.html_name}_{key}",
                "id": f"{self.auto_id}_{key}",
                "label": label,
                "width": width,
                "value": value or "",
            }
            for (key, label, width), value in zip(self.LABELS, values, strict=True)
        ]

    @property
    def anchor(self) -> str:
        return f"{self.auto_id}_day"


class GovukDateField(forms.Field):
    """A date entered as day, month and year, with GOV.UK's messages for each mistake.
    `what` names the date in them: "the start date"."""

    widget = DateWidget
    bound_field_class = DateParts

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        super().__init__(**kwargs)

    def to_python(self, value):
        parts = [str(part or "").strip() for part in [*(value or []), None, None, None][:3]]
        if not any(parts):
            return None
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise ValidationError(
                f"{self.what.capitalize()} must include a {' and a '.join(missing)}."
            )
        if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
            raise ValidationError(
                f"{self.what.capitalize()} must be a real date, such as 27 3 2026."
            )
        try:
            return datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValidationError(
                f"{self.what.capitalize()} must be a real date, such as 27 3 2026."
            ) from None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(f"Enter {self.what}.")


class WTEField(forms.Field):
    """A post's whole-time equivalent, 0.01 to 1.00, to two decimal places."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "WTE")
        kwargs.setdefault("help_text", WTE_HINT)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "class": "govuk-input govuk-input--width-4",
                "inputmode": "decimal",
                "spellcheck": "false",
            }
        )

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        try:
            wte = Decimal(text)
        except InvalidOperation:
            raise ValidationError("Enter the WTE as a number, such as 0.80.") from None
        if not wte.is_finite() or not Decimal("0.01") <= wte <= Decimal("1.00"):
            raise ValidationError(f"The WTE must be from 0.01 to 1.00: {text} is not.")
        if wte != wte.quantize(Decimal("0.01")):
            raise ValidationError(
                "The WTE must have no more than two decimal places, such as 0.75."
            )
        return wte.quantize(Decimal("0.01"))

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError("Enter the WTE, such as 1.00 for full time.")


class OrganisationField(forms.TypedChoiceField):
    """One of the agreement's partners, from a list read once for the form."""

    def __init__(self, partners, *, empty_label: str, **kwargs):
        self.by_pk = {str(org.pk): org for org in partners}
        choices = [("", empty_label), *((str(org.pk), org.name) for org in partners)]
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault(
            "invalid_choice", "Choose one of the agreement's partners from the list."
        )
        super().__init__(choices=choices, coerce=self.by_pk.get, empty_value=None, **kwargs)
        self.widget.attrs["class"] = "govuk-select"


def select(choices, *, empty_label: str, **kwargs) -> forms.ChoiceField:
    field = forms.ChoiceField(choices=[("", empty_label), *choices], **kwargs)
    field.widget.attrs["class"] = "govuk-select"
    return field


class GovukForm(forms.Form):
    """Each field's hint and error read with it (aria-describedby), and GOV.UK's error
    styling on a field with an error, once the form has been checked."""

    bound_field_class = GovukBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self):
        super().full_clean()
        self._describe()

    def _describe(self) -> None:
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            described = [f"{auto_id}-hint"] if field.help_text else []
            if name in errors:
                described.append(f"{auto_id}-error")
            widgets = getattr(field.widget, "widgets", [field.widget])
            for widget in widgets:
                if described:
                    widget.attrs["aria-describedby"] = " ".join(described)
                css = widget.attrs.get("class", "")
                for base in ("govuk-select", "govuk-input"):
                    if base in css.split() and name in errors and f"{base}--error" not in css:
                        widget.attrs["class"] = f"{css} {base}--error"
