"""Form widgets in GOV.UK markup: Django's own widgets, given GOV.UK's classes."""

import datetime

from django import forms


class GovukSelect(forms.Select):
    """Django's Select, written by its own templates, with GOV.UK's class (govuk-select)
    first and any class the form gives it after, so a filter form's select is styled as
    GOV.UK's without each form saying so."""

    def __init__(self, attrs=None, choices=()):
        attrs = dict(attrs or {})
        attrs["class"] = " ".join(dict.fromkeys(["govuk-select", *attrs.get("class", "").split()]))
        super().__init__(attrs, choices)


class GovukDateInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year as three numeric boxes. The page writes it
    with templates/includes/date_input.html, which reads the three parts' names and values."""

    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
            for part in self.parts
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error messages."""

    widget = GovukDateInput

    def __init__(self, *, what: str = "the date", **kwargs):
        self.what = what
        fields = [forms.CharField(required=False) for _ in GovukDateInput.parts]
        super().__init__(fields, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter {what}"

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (part.strip() for part in data_list)
        missing = [
            name
            for name, part in zip(GovukDateInput.parts, (day, month, year), strict=True)
            if not part
        ]
        if missing:
            raise forms.ValidationError(f"{self.what.capitalize()} must include a {missing[0]}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(
                f"{self.what.capitalize()} must be a real date, such as 31 3 2027"
            )
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self.what.capitalize()} must be a real date, such as 31 3 2027"
            ) from None


class GovukForm(forms.Form):
    """A form whose inputs point at their hint and error (aria-describedby) and take GOV.UK's
    error class once the errors are known, as templates/includes/form_field.html writes
    them. A GovukDateField's fieldset does this itself (includes/date_input.html)."""

    ERROR_CLASSES = {forms.Select: "govuk-select--error", forms.Textarea: "govuk-textarea--error"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text and not isinstance(field, GovukDateField):
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def _post_clean(self):
        super()._post_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is None or isinstance(field, GovukDateField):
                continue
            attrs = field.widget.attrs
            error_class = next(
                (c for kind, c in self.ERROR_CLASSES.items() if isinstance(field.widget, kind)),
                "govuk-input--error",
            )
            attrs["class"] = f"{attrs.get('class', '')} {error_class}".strip()
            attrs["aria-describedby"] = (
                f"{attrs.get('aria-describedby', '')} id_{name}-error".strip()
            )
