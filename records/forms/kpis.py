"""A KPI's definition, target and amber threshold, as commissioners keep them."""

from decimal import Decimal

from django import forms

from partnerships.govuk_forms import GovukModelForm
from partnerships.models import KPI
from partnerships.rag import Direction

THRESHOLD_HINT = (
    "The value at which the indicator turns from amber to red: at or below the target when "
    "higher is better, at or above it when lower is better. A value that reaches the target "
    "is green; one short of the target but not past this threshold is amber. Leave both "
    "empty if the KPI has no target."
)


def _number(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": f"Enter the {label.lower()} as a number, like 85 or 27.5",
            "max_decimal_places": f"Enter the {label.lower()} to no more than 2 decimal places",
            "max_digits": f"Enter the {label.lower()} with no more than 10 digits before the point",
            "max_whole_digits": (
                f"Enter the {label.lower()} with no more than 10 digits before the point"
            ),
        },
    )


class KPIForm(GovukModelForm):
    target = _number("Target", "Optional. A percentage is from 0 to 100.")
    amber_threshold = _number("Amber threshold", THRESHOLD_HINT)

    class Meta:
        model = KPI
        fields = ["code", "name", "definition", "unit", "direction", "target", "amber_threshold"]
        labels = {
            "code": "Code",
            "name": "Name",
            "definition": "Definition",
            "unit": "Unit",
            "direction": "Which way is better?",
        }
        help_texts = {
            "code": "A short reference, unique in this partnership, for example KPI 3.",
            "definition": "How the value is counted: its numerator and denominator.",
        }
        widgets = {
            "code": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
            "definition": forms.Textarea(attrs={"rows": 4}),
            "direction": forms.RadioSelect,
        }
        error_messages = {
            "code": {"required": "Enter a code for the KPI, for example KPI 3"},
            "name": {"required": "Enter the KPI's name"},
            "definition": {"required": "Enter how the KPI's value is counted"},
            "unit": {"required": "Select the unit the KPI is measured in"},
            "direction": {"required": "Select whether higher or lower is better"},
        }

    def __init__(self, *args, agreement, **kwargs):
        self.agreement = agreement
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "Select a unit"), *KPI.Unit.choices]
        self.fields["direction"].choices = Direction.choices

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        taken = KPI.objects.filter(agreement=self.agreement, code__iexact=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"This partnership already has a KPI with code {code}")
        return code

    def clean(self):
        cleaned = super().clean()
        target, threshold = cleaned.get("target"), cleaned.get("amber_threshold")
        if "target" in self.errors or "amber_threshold" in self.errors:
            return cleaned
        if (target is None) != (threshold is None):
            missing = "amber_threshold" if threshold is None else "target"
            self.add_error(
                missing,
                "Enter an amber threshold as well as the target, or leave both empty"
                if missing == "amber_threshold"
                else "Enter a target as well as the amber threshold, or leave both empty",
            )
            return cleaned
        if target is None:
            return cleaned
        self._check_percentages(cleaned.get("unit"), target, threshold)
        self._check_side(cleaned.get("direction"), target, threshold)
        return cleaned

    def _check_percentages(self, unit, target: Decimal, threshold: Decimal) -> None:
        if unit != KPI.Unit.PERCENT:
            return
        for name, value in (("target", target), ("amber_threshold", threshold)):
            if not Decimal(0) <= value <= Decimal(100):
                what = "target" if name == "target" else "amber threshold"
                self.add_error(name, f"Enter a {what} from 0 to 100, as the KPI is a percentage")

    def _check_side(self, direction, target: Decimal, threshold: Decimal) -> None:
        if direction == Direction.HIGHER and threshold > target:
            self.add_error(
                "amber_threshold",
                "The amber threshold must be at or below the target, as higher is better",
            )
        elif direction == Direction.LOWER and threshold < target:
            self.add_error(
                "amber_threshold",
                "The amber threshold must be at or above the target, as lower is better",
            )
