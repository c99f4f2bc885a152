from decimal import Decimal, InvalidOperation

from django import forms

from partnerships.govuk_forms import GovukDateField, GovukForm
from s117 import nhs_number
from s117.models import SUPPORT_CATEGORIES, AftercarePackage, RegisterEntry, Review
from s117.validators import validate_person_reference


class RegisterEntryForm(forms.ModelForm):
    # Wide enough for the spaced form people type ("943 476 5919"); stored as 10 digits.
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=13,
        required=False,
        help_text="10 digits; spaces are fine, e.g. 943 476 5919.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    # The version of the entry the form was opened on: a save is refused if the entry has
    # changed since (an upload, another officer), rather than putting back what it held.
    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RegisterEntry
        # The admin's fieldsets choose and order the fields shown.
        fields = "__all__"  # noqa: DJ007

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self._version()

    def _version(self) -> str:
        latest = self.instance.history.order_by("-history_id").values_list("history_id")[:1]
        return str(next(iter(latest), ("",))[0])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            # The admin saves inside a transaction: the row stays locked until it is saved.
            RegisterEntry.objects.select_for_update().filter(pk=self.instance.pk).exists()
            if self.data.get(self.add_prefix("seen_version"), "") != self._version():
                raise forms.ValidationError(
                    "This entry has changed since you opened it (an upload or another "
                    "officer saved it): nothing was saved. Open it again to see it as it is "
                    "now, then make your change.",
                    code="changed_since_opened",
                )
        return cleaned

    def clean_nhs_number(self) -> str:
        return nhs_number.normalise(self.cleaned_data["nhs_number"])

    def clean_person_reference(self) -> str:
        """A new or changed reference keeps to the rule; one stored before it may stay."""
        reference = self.cleaned_data["person_reference"]
        if self.instance.pk is None or reference != self.instance.person_reference:
            validate_person_reference(reference)
        return reference


class PeopleSearchForm(forms.Form):
    """The s117 officer's search of the register and its filters, read from the address
    so that a search can be bookmarked, paged and exported as it is."""

    q = forms.CharField(label="NHS number or reference", required=False, max_length=40, strip=True)
    team = forms.ChoiceField(label="Team", required=False)
    reason = forms.ChoiceField(
        label="Primary support reason",
        required=False,
        choices=[("", "Any"), *SUPPORT_CATEGORIES.items()],
    )
    placement = forms.ChoiceField(
        label="Placement in force today",
        required=False,
        choices=[("", "Any"), *AftercarePackage.Placement.choices],
    )
    funder = forms.ChoiceField(
        label="Who pays today",
        required=False,
        choices=[
            ("", "Anyone"),
            ("council", "The council alone"),
            ("icb", "The ICB alone"),
            ("joint", "Both, each a share"),
        ],
        help_text="By the joint funding panel's split in force today for each package "
        "(the register's own split for someone with no package in force).",
    )
    overdue = forms.BooleanField(label="Review overdue", required=False)
    cto = forms.BooleanField(label="Community Treatment Order in force", required=False)

    def __init__(self, data, *, teams):
        super().__init__(data)
        self.fields["team"].choices = [("", "Any"), *((str(t.pk), t.name) for t in teams)]

    def criteria(self) -> dict:
        """What was asked for, with anything that doesn't read left out."""
        self.is_valid()  # a choice no longer offered is left out, not an error page
        return {name: value for name, value in self.cleaned_data.items() if value}


# The aftercare package pages (s117.views.add_package, record_funding_decision), in GOV.UK
# markup (partnerships.govuk_forms): each message names its field, so that the error
# summary reads on its own.

PENNY = Decimal("0.01")
COST_BASIS = [("weekly", "A week"), ("annual", "A year")]
MOST_WEEKLY = Decimal(10) ** 8  # the model's 10 digits, 2 of them pence
MOST_ANNUAL = Decimal(10) ** 10  # 12 digits


def parse_decimal(
    text: str, what: str, *, most: Decimal | None = None, example: str, suffix: str = ""
) -> Decimal:
    """A number as people write it (£ and thousands commas for money, % for a share), not
    negative, to the penny (2 decimal places) at most, and below `most`."""
    cleaned = text.strip().replace(",", "").replace(" ", "").removeprefix("£")
    cleaned = cleaned.removesuffix(suffix) if suffix else cleaned
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise forms.ValidationError(f"Enter {what} as a number, like {example}")
    if value < 0:
        raise forms.ValidationError(f"{what[0].upper()}{what[1:]} can't be negative")
    if value.as_tuple().exponent < -2:
        raise forms.ValidationError(f"Enter {what} to 2 decimal places at most")
    if most is not None and value > most:
        raise forms.ValidationError(f"{what[0].upper()}{what[1:]} must be {most:,} or less")
    return value.quantize(PENNY)


def _text(width: str = "", mode: str = "") -> forms.TextInput:
    attrs = {"spellcheck": "false"} | ({"inputmode": mode} if mode else {})
    if width:
        attrs["class"] = f"govuk-input--width-{width}"
    return forms.TextInput(attrs=attrs)


class DecisionFields(forms.Form):
    """A joint funding panel's decision: when, from which day, the council's share, who."""

    decided_on = GovukDateField(
        label="Date the panel decided",
        what="the date the panel decided",
        help_text="For example, 20 3 2026",
    )
    applies_from = GovukDateField(
        label="Applies from",
        what="the day the split applies from",
        help_text="The first day the council pays this share, for example 1 4 2026",
    )
    council_share_percent = forms.CharField(
        label="Council's share, in per cent",
        help_text="To 2 decimal places at most, for example 50 or 62.5. The ICB pays the rest.",
        widget=_text("4", "decimal"),
        error_messages={"required": "Enter the council's share"},
    )
    agreed_by = forms.CharField(
        label="Agreed by",
        help_text="For example, Joint funding panel (council and ICB).",
        max_length=200,
        error_messages={
            "required": "Say who agreed the decision",
            "max_length": "Say who agreed the decision in 200 characters or fewer",
        },
    )

    def clean_decided_on(self):
        decided_on = self.cleaned_data["decided_on"]
        if decided_on is not None and decided_on > self.today:
            raise forms.ValidationError("The date the panel decided must be today or in the past")
        return decided_on

    def clean_council_share_percent(self):
        text = self.cleaned_data["council_share_percent"]
        if not text.strip():
            return None
        share = parse_decimal(text, "the council's share", example="50", suffix="%")
        if share > 100:
            raise forms.ValidationError("The council's share must be from 0% to 100%")
        return share

    def funding(self):
        data = self.cleaned_data
        return (
            data["decided_on"],
            data["applies_from"],
            data["council_share_percent"],
            data["agreed_by"],
        )


class FundingDecisionForm(GovukForm, DecisionFields):
    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today


class PackageForm(GovukForm, DecisionFields):
    """A new package and, if the panel has decided who pays it, its first decision: the
    decision's fields are then all needed (its day, by default, the package's start)."""

    description = forms.CharField(
        label="Service",
        help_text="What is provided, for example Supported living flat.",
        max_length=200,
        error_messages={
            "required": "Enter the service provided",
            "max_length": "Describe the service in 200 characters or fewer",
        },
    )
    placement = forms.ChoiceField(
        label="Placement",
        choices=AftercarePackage.Placement.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of placement",
            "invalid_choice": "Choose the kind of placement",
        },
    )
    provider = forms.CharField(
        label="Provider (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Name the provider in 200 characters or fewer"},
    )
    cost_basis = forms.ChoiceField(
        label="Is the cost a week or a year?",
        choices=COST_BASIS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the cost is a week's or a year's",
            "invalid_choice": "Choose whether the cost is a week's or a year's",
        },
    )
    cost = forms.CharField(
        label="Cost, in pounds",
        help_text="To the penny, for example £700.00 or 44,200.",
        widget=_text("10", "decimal"),
        error_messages={"required": "Enter the package's cost"},
    )
    start_date = GovukDateField(
        label="Start date", what="the start date", help_text="For example, 1 4 2026"
    )
    end_date = GovukDateField(
        label="End date (optional)",
        what="the end date",
        required=False,
        help_text="Its last day, if it is known, for example 31 3 2027",
    )
    review_due = GovukDateField(
        label="Next review of the package (optional)",
        what="the date the package is next to be reviewed",
        required=False,
        help_text="For example, 1 10 2026",
    )

    field_order = [
        "description",
        "placement",
        "provider",
        "cost_basis",
        "cost",
        "start_date",
        "end_date",
        "review_due",
        "decided_on",
        "applies_from",
        "council_share_percent",
        "agreed_by",
    ]
    package_fields = field_order[:8]
    decision_fields = field_order[8:]

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name in self.decision_fields:
            self.fields[name].required = False
        self.fields["applies_from"].help_text = (
            "The first day the council pays this share. Leave it blank for the package's "
            "start date."
        )

    def clean_cost(self):
        basis = self.data.get(self.add_prefix("cost_basis"))
        most = MOST_ANNUAL if basis == "annual" else MOST_WEEKLY
        return parse_decimal(self.cleaned_data["cost"], "the cost", most=most, example="700.00")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date")
        self._clean_decision(cleaned)
        return cleaned

    def _clean_decision(self, cleaned):
        if not any(self._given(name) for name in self.decision_fields):
            self.deciding = False
            return
        self.deciding = True
        missing = {
            "decided_on": "Enter the date the panel decided, or leave the decision out",
            "council_share_percent": "Enter the council's share, or leave the decision out",
            "agreed_by": "Say who agreed the decision, or leave the decision out",
        }
        for name, message in missing.items():
            if name not in self.errors and cleaned.get(name) in (None, ""):
                self.add_error(name, message)
        if cleaned.get("applies_from") is None and "applies_from" not in self.errors:
            cleaned["applies_from"] = cleaned.get("start_date")

    def _given(self, name: str) -> bool:
        value = self.fields[name].widget.value_from_datadict(
            self.data, self.files, self.add_prefix(name)
        )
        parts = value if isinstance(value, list | tuple) else [value]
        return any(str(part or "").strip() for part in parts)

    def package_values(self) -> dict:
        data = self.cleaned_data
        weekly = data["cost_basis"] == "weekly"
        return {
            "description": data["description"].strip(),
            "placement": data["placement"],
            "provider": data["provider"].strip(),
            "weekly_cost": data["cost"] if weekly else None,
            "annual_cost": None if weekly else data["cost"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "review_due": data["review_due"],
            "funding": self.funding() if self.deciding else None,
        }


class ReviewForm(GovukForm):
    """A review of the person's aftercare, with the next one scheduled unless a date is
    given for it."""

    reviewed_on = GovukDateField(
        label="Date of the review",
        what="the date of the review",
        help_text="For example, 2 12 2026",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Review.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the review's outcome",
            "invalid_choice": "Choose the review's outcome",
        },
    )
    next_review_due = GovukDateField(
        label="Next review due (optional)",
        what="the date the next review is due",
        required=False,
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Keep the notes to 2,000 characters or fewer"},
    )

    def __init__(self, *args, months: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_review_due"].help_text = (
            f"Leave it empty to schedule it {months} months after this review, or sooner "
            "where a package's own review comes first."
        )

    def clean(self):
        cleaned = super().clean()
        reviewed, due = cleaned.get("reviewed_on"), cleaned.get("next_review_due")
        if reviewed and due and due <= reviewed:
            self.add_error("next_review_due", "The next review must be after this one")
        return cleaned
