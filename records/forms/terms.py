"""The forms of an agreement's terms: a proposed extension or variation, and the decision on
it. They check what each field must hold; what depends on the agreement (a new end after
the current one, one open proposal) is the action's (records.actions.terms)."""

from decimal import Decimal

from django import forms

from partnerships.models import Decision, Proposal
from records.forms.govuk_markup import GovukDateField, GovukDateInput, error_links


def _date(label: str, *, required: bool, hint: str) -> GovukDateField:
    return GovukDateField(
        label=label,
        required=required,
        what=f"the {label.lower()}",
        help_text=hint,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def _money(label: str, hint: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=hint,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}
        ),
        error_messages={
            "required": f"Enter the {label.lower()} in pounds, for example 1917339.00",
            "invalid": f"Enter the {label.lower()} in pounds, for example 1917339.00",
            "min_value": f"The {label.lower()} can't be negative",
            "max_decimal_places": f"Enter the {label.lower()} to the penny: at most 2 decimal "
            "places",
            "max_digits": f"The {label.lower()} must be under £1,000,000,000,000",
            "max_whole_digits": f"The {label.lower()} must be under £1,000,000,000,000",
        },
    )


def _clean_money_text(data, name):
    """Accept "£1,917,339.00" as people write it."""
    if data is None or name not in data:
        return data
    data = data.copy()
    data[name] = data[name].replace("£", "").replace(",", "").strip()
    return data


class Described(forms.Form):
    """Each input names its hint and, once checked, its error (aria-describedby), and is
    marked as in error, as the GOV.UK Design System asks."""

    @property
    def error_links(self) -> list[tuple[str, str]]:
        return error_links(self)

    def _describe(self):
        for name, field in self.fields.items():
            if isinstance(field.widget, GovukDateInput):
                # its fieldset names the hint and error (records/field.html); the boxes
                # are marked in error here
                if name in self.errors:
                    for box in field.widget.widgets:
                        if "govuk-input--error" not in box.attrs["class"]:
                            box.attrs["class"] += " govuk-input--error"
                continue
            ids = [f"id_{name}-hint"] if field.help_text else []
            if name in self.errors:
                ids.append(f"id_{name}-error")
                css = field.widget.attrs.get("class", "")
                error_class = css.split()[0] + "--error" if css else ""
                if error_class and error_class not in css:
                    field.widget.attrs["class"] = f"{css} {error_class}"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self):
        super().full_clean()
        self._describe()


class ProposalForm(Described):
    kind = forms.ChoiceField(
        label="What is proposed",
        choices=[("", "Choose one"), *Proposal.Kind.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Choose whether this is an extension or a variation"},
    )
    proposed_end_date = _date(
        "New end date",
        required=False,
        hint="For an extension: the day the agreement would end. For example, 30 11 2027",
    )
    value = _money("Value", "The value it commits, in pounds. Enter 0 if it commits none.")
    summary = forms.CharField(
        label="Summary",
        help_text="What is proposed and why.",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        error_messages={"required": "Enter a summary of what is proposed"},
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(_clean_money_text(data, "value"), **kwargs)
        self._describe()

    def clean(self):
        cleaned = super().clean()
        extension = cleaned.get("kind") == Proposal.Kind.EXTENSION
        missing = not cleaned.get("proposed_end_date") and "proposed_end_date" not in self.errors
        if extension and missing:
            self.add_error("proposed_end_date", "Enter the new end date the extension would give")
        return cleaned


class DecisionForm(Described):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=[("", "Choose one"), *Decision.Outcome.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Choose whether the proposal was approved or refused"},
    )
    decided_on = _date("Date of the decision", required=True, hint="For example, 29 11 2026")
    body = forms.CharField(
        label="Decided by",
        max_length=200,
        help_text="The body that decided, e.g. Executive.",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={
            "required": "Enter the body that decided, for example Executive",
            "max_length": "Enter the body's name in 200 characters or fewer",
        },
    )
    reference = forms.CharField(
        label="Reference",
        max_length=60,
        required=False,
        help_text="The report or minute reference, if it has one, e.g. DSSH04050.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
        error_messages={"max_length": "Enter the reference in 60 characters or fewer"},
    )
    value = _money("Value", "The value the decision authorised, in pounds.")
    summary = forms.CharField(
        label="What was decided",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        error_messages={"required": "Enter what was decided"},
    )
    end_date = _date(
        "Approved end date",
        required=False,
        hint="For an approved extension: the end date approved. For example, 30 11 2027",
    )

    def __init__(self, data=None, *, proposal: Proposal, **kwargs):
        super().__init__(_clean_money_text(data, "value"), **kwargs)
        self._describe()
        self.proposal = proposal
        if proposal.kind != Proposal.Kind.EXTENSION:
            del self.fields["end_date"]

    def clean(self):
        cleaned = super().clean()
        approved = cleaned.get("outcome") == Decision.Outcome.APPROVED
        missing = "end_date" in self.fields and not cleaned.get("end_date")
        if approved and missing and "end_date" not in self.errors:
            self.add_error("end_date", "Enter the end date the extension was approved to")
        return cleaned
