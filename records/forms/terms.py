"""The forms of an agreement's terms: a proposed extension or variation, and the decision on
it. They check what each field must hold; what depends on the agreement (a new end after
the current one, one open proposal) is the action's (records.actions.terms)."""

from decimal import Decimal

from django import forms

from partnerships.govuk_forms import GovukDateField, GovukDateInput, error_links
from partnerships.models import Decision, Proposal
from partnerships.standing import months_later


def _date(label: str, *, required: bool, hint: str) -> GovukDateField:
    return GovukDateField(
        label=label,
        required=required,
        what=f"the {label.lower()}",
        help_text=hint,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def _money(label: str, hint: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
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
    option_years = forms.IntegerField(
        label="Option of further years",
        required=False,
        min_value=1,
        max_value=10,
        help_text="For an extension with an option to extend again, as in a 1+1 extension: "
        "how many more years the option would give. Leave blank if there is no option.",
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}
        ),
        error_messages={
            "invalid": "Enter the option's years as a whole number, for example 1",
            "min_value": "Enter the option's years as a whole number, for example 1",
            "max_value": "An option can give at most 10 more years",
        },
    )
    option_exercise_by = _date(
        "Option to be exercised by",
        required=False,
        hint="The last day the partners may exercise the option: on or before the extension's "
        "end. For example, 31 5 2027",
    )
    option_value = _money(
        "Value of the option period",
        "What the option's years would commit, in pounds, if it is exercised.",
        required=False,
    )
    summary = forms.CharField(
        label="Summary",
        help_text="What is proposed and why.",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        error_messages={"required": "Enter a summary of what is proposed"},
    )

    def __init__(self, data=None, **kwargs):
        data = _clean_money_text(_clean_money_text(data, "value"), "option_value")
        super().__init__(data, **kwargs)
        self._describe()

    def clean(self):
        cleaned = super().clean()
        extension = cleaned.get("kind") == Proposal.Kind.EXTENSION
        missing = not cleaned.get("proposed_end_date") and "proposed_end_date" not in self.errors
        if extension and missing:
            self.add_error("proposed_end_date", "Enter the new end date the extension would give")
        self._clean_option(cleaned, extension)
        return cleaned

    def _clean_option(self, cleaned, extension: bool) -> None:
        """The option's years become the end date it would give: the extension's end, that
        many years on. Its date and value are then needed; without years, neither is kept."""
        years = cleaned.pop("option_years", None)
        cleaned["option_end_date"] = None
        if years is None:
            cleaned["option_exercise_by"] = cleaned["option_value"] = None
            return
        if not extension:
            self.add_error("option_years", "Only an extension can come with an option")
            return
        if cleaned.get("proposed_end_date"):
            cleaned["option_end_date"] = months_later(cleaned["proposed_end_date"], 12 * years)
        if not cleaned.get("option_exercise_by") and "option_exercise_by" not in self.errors:
            self.add_error(
                "option_exercise_by", "Enter the date by which the option must be exercised"
            )
        if cleaned.get("option_value") is None and "option_value" not in self.errors:
            self.add_error(
                "option_value",
                "Enter the value of the option period in pounds, for example 1965273.00",
            )


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


class OptionForm(Described):
    """Exercising an extension's option, by a decision, or recording that it lapsed."""

    outcome = forms.ChoiceField(
        label="What happened to the option",
        choices=[("exercised", "The partners exercised it"), ("lapsed", "It lapsed")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the option was exercised or lapsed"},
    )
    decided_on = _date(
        "Date",
        required=True,
        hint="The day it was exercised (the decision's date) or lapsed. For example, 31 5 2027",
    )
    body = forms.CharField(
        label="Exercised by",
        max_length=200,
        required=False,
        help_text="If exercised: who decided, e.g. the partners by letter, or the Director of "
        "Adult Social Care by officer decision.",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"max_length": "Enter who decided in 200 characters or fewer"},
    )
    reference = forms.CharField(
        label="Reference",
        max_length=60,
        required=False,
        help_text="The letter's or decision's reference, if it has one.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
        error_messages={"max_length": "Enter the reference in 60 characters or fewer"},
    )
    value = _money(
        "Value", "If exercised: the value the decision authorised, in pounds.", required=False
    )
    summary = forms.CharField(
        label="What was decided",
        required=False,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(_clean_money_text(data, "value"), **kwargs)
        self._describe()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "exercised":
            if not cleaned.get("body"):
                self.add_error("body", "Enter who decided to exercise the option")
            if not cleaned.get("summary"):
                self.add_error("summary", "Enter what was decided")
        return cleaned
