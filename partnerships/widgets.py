"""Form widgets in GOV.UK markup: Django's own widgets, given GOV.UK's classes."""

from django import forms


class GovukSelect(forms.Select):
    """Django's Select, written by its own templates, with GOV.UK's class (govuk-select)
    first and any class the form gives it after, so a filter form's select is styled as
    GOV.UK's without each form saying so."""

    def __init__(self, attrs=None, choices=()):
        attrs = dict(attrs or {})
        attrs["class"] = " ".join(dict.fromkeys(["govuk-select", *attrs.get("class", "").split()]))
        super().__init__(attrs, choices)
