"""The form that sets or revises a year's pooled budget: the year (when setting), the
risk-share rule, scope and notes, and for each partner of the agreement its planned
contribution, the date it was agreed and (for the fixed rule) its risk share.

Every message names the partner and what was expected, so the error summary reads on its
own. Fields are named by the partner's id, never by its place in the form.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from budgets.models import PooledBudget
from budgets.shares import RiskShareRule, fixed_shares_problem
from budgets.years import year_problem
from core.formatting import financial_year_label
from partnerships.widgets import GovukSelect
from records.actions.budgets import PlannedContribution

PENNY = Decimal("0.01")
MOST_MONEY = Decimal(10) ** 12  # the models' 14 digits, 2 of them pence
RULE_CHOICES = PooledBudget._meta.get_field("risk_share_rule").choices


def parse_amount(text: str, what: str, *, most: Decimal, example: str) -> Decimal | None:
    """A non-negative amount to at most 2 decimal places, or None for a blank; £, % and
    thousands commas are allowed as people write them."""
    cleaned = text.strip().replace(",", "").replace(" ", "").removeprefix("£").removesuffix("%")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(f"Enter {what} as a number, like {example}")
    if value < 0:
        raise ValidationError(f"{what[0].upper()}{what[1:]} can't be negative")
    if value.as_tuple().exponent < -2:
        raise ValidationError(f"Enter {what} to 2 decimal places at most")
    if value > most:
        raise ValidationError(f"{what[0].upper()}{what[1:]} must be {example_of(most)} or less")
    return value.quantize(PENNY)


def example_of(most: Decimal) -> str:
    return "100" if most == 100 else f"£{most:,.0f}"


def parse_date(day: str, month: str, year: str, what: str, *, today) -> datetime.date | None:
    parts = [part.strip() for part in (day, month, year)]
    if not any(parts):
        return None
    if not all(parts):
        raise ValidationError(f"{what[0].upper()}{what[1:]} must include a day, month and year")
    try:
        found = datetime.date(*(int(part) for part in reversed(parts)))
    except ValueError:
        found = None
    if found is None or len(parts[2]) != 4:
        raise ValidationError(f"{what[0].upper()}{what[1:]} must be a real date, like 27 3 2023")
    if found > today:
        raise ValidationError(f"{what[0].upper()}{what[1:]} must be today or in the past")
    return found


def _input(width: int, mode: str = "decimal", extra: str = "") -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "class": f"govuk-input govuk-input--width-{width} {extra}".strip(),
            "inputmode": mode,
            "spellcheck": "false",
        }
    )


@dataclass
class PartnerFields:
    """One partner's part of the form, as the template lays it out."""

    organisation: object
    planned: forms.BoundField
    share: forms.BoundField
    day: forms.BoundField
    month: forms.BoundField
    year: forms.BoundField
    hint: str

    @property
    def date_errors(self):
        return self.day.errors

    @property
    def date_parts(self):
        return (self.day, self.month, self.year)


class PooledBudgetForm(forms.Form):
    """`years`: the years that may be set (latest first), or None when revising a year.
    `kept`: the partners that already have a contribution (they must keep one).
    `previous`: figures the fields were prefilled from, by partner, to say so in hints."""

    risk_share_rule = forms.ChoiceField(
        label="How any over- or underspend is shared",
        choices=RULE_CHOICES,
        widget=GovukSelect,
        error_messages={"required": "Choose how any over- or underspend is shared"},
    )
    scope = forms.CharField(
        label="Scope (optional)",
        required=False,
        max_length=200,
        help_text="What the pool covers, for example adults of working age.",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"max_length": "Scope must be 200 characters or fewer"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
    )

    def __init__(
        self,
        data=None,
        *,
        agreement,
        partners,
        taken,
        years,
        kept=(),
        previous=None,
        initial=None,
        today,
    ):
        super().__init__(data, initial=initial)
        self.agreement, self.partners, self.taken, self.today = agreement, partners, taken, today
        self.setting, self.kept, self.previous = years is not None, set(kept), previous or {}
        if self.setting:
            self.fields = {"financial_year": self._year_field(years), **self.fields}
        for organisation in partners:
            self._add_partner(organisation)
        if not self.setting:
            self.fields["reason"] = forms.CharField(
                label="Why is the budget being revised?",
                help_text="Kept with every change in the budget's history, for example the "
                "decision or meeting that agreed it.",
                max_length=1000,
                widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
                error_messages={
                    "required": "Say why the budget is being revised",
                    "max_length": "Keep the reason to 1,000 characters or fewer",
                },
            )

    def _year_field(self, years) -> forms.Field:
        return forms.CharField(
            label="Financial year",
            help_text="April to March. Only years within the agreement's term that have no "
            "budget yet can be set.",
            widget=GovukSelect(choices=[(str(y), financial_year_label(y)) for y in years]),
            error_messages={"required": "Choose the financial year to set the budget for"},
        )

    def _add_partner(self, organisation) -> None:
        pk, name = organisation.pk, organisation.short_name
        self.fields[f"planned_{pk}"] = forms.CharField(
            label="Planned contribution", required=False, widget=_input(10)
        )
        self.fields[f"share_{pk}"] = forms.CharField(
            label="Fixed risk share",
            required=False,
            help_text=f"Only for fixed percentages: {name}'s part of any over- or underspend. "
            "The partners' shares must add up to 100.",
            widget=_input(4),
        )
        for part, width in (("day", 2), ("month", 2), ("year", 4)):
            self.fields[f"agreed_{pk}_{part}"] = forms.CharField(
                label=part.capitalize(),
                required=False,
                widget=_input(width, "numeric", "govuk-date-input__input"),
            )

    def __getitem__(self, name):
        """The bound field, its widget described by its hint and error, and marked as in
        error, as GOV.UK's markup has it."""
        bound = super().__getitem__(name)
        attrs = bound.field.widget.attrs
        classes = [c for c in attrs.get("class", "").split() if not c.endswith("--error")]
        error_name = f"{name.rsplit('_', 1)[0]}_day" if name.startswith("agreed_") else name
        in_error = self.is_bound and bool(self.errors.get(error_name))
        if in_error:
            kind = {"Select": "select", "Textarea": "textarea"}.get(
                type(bound.field.widget).__name__.removeprefix("Govuk"), "input"
            )
            classes.append(f"govuk-{kind}--error")
        attrs["class"] = " ".join(classes)
        if not name.startswith("agreed_"):
            described = [f"{bound.id_for_label}-hint"] if self._has_hint(name) else []
            described += [f"{bound.id_for_label}-error"] if in_error else []
            if described:
                attrs["aria-describedby"] = " ".join(described)
            else:
                attrs.pop("aria-describedby", None)
        return bound

    def _has_hint(self, name: str) -> bool:
        return bool(self.fields[name].help_text) or name.startswith("planned_")

    def partner_rows(self) -> list[PartnerFields]:
        rows = []
        for organisation in self.partners:
            pk = organisation.pk
            rows.append(
                PartnerFields(
                    organisation,
                    self[f"planned_{pk}"],
                    self[f"share_{pk}"],
                    *(self[f"agreed_{pk}_{part}"] for part in ("day", "month", "year")),
                    hint=self._planned_hint(organisation),
                )
            )
        return rows

    def _planned_hint(self, organisation) -> str:
        before = self.previous.get(organisation.pk)
        if before is not None:
            return f"Prefilled from {before}: change it only if it has moved."
        if organisation.pk in self.kept:
            return "Enter 0 if this partner puts nothing in this year."
        return "Leave blank if this partner puts nothing into the pool this year."

    def error_links(self) -> list[tuple[str, str]]:
        """(the field's id, message) for the error summary, in the form's order."""
        found = [("", error) for error in self.non_field_errors()]
        for name in self.fields:
            for error in self.errors.get(name, []):
                found.append((self[name].id_for_label, error))
        return found

    def clean_financial_year(self) -> int:
        text = self.cleaned_data["financial_year"].strip()
        if not text.isdigit():
            raise ValidationError("Choose the financial year to set the budget for")
        problem = year_problem(self.agreement, int(text), self.taken)
        if problem:
            raise ValidationError(problem)
        return int(text)

    def clean(self):
        rule = self.cleaned_data.get("risk_share_rule")
        self.planned = {}
        for organisation in self.partners:
            self._clean_partner(organisation, rule)
        if not self.planned and not self._has_partner_error():
            first = self.partners[0].pk if self.partners else None
            self._error(f"planned_{first}", "Enter at least one partner's planned contribution")
        if rule == RiskShareRule.FIXED and self.planned and not self._has_partner_error():
            problem = fixed_shares_problem(
                {pk: entry.risk_share_percent for pk, entry in self.planned.items()}
            )
            if problem:
                self._error(f"share_{next(iter(self.planned))}", problem)
        return self.cleaned_data

    def _clean_partner(self, organisation, rule) -> None:
        pk, name = organisation.pk, organisation.short_name
        value = self._read(
            f"planned_{pk}",
            lambda text: parse_amount(
                text, f"{name}'s planned contribution", most=MOST_MONEY, example="1618413.50"
            ),
        )
        share = self._read(
            f"share_{pk}",
            lambda text: parse_amount(
                text, f"{name}'s fixed risk share", most=Decimal(100), example="50.00"
            ),
        )
        day, month, year = (
            self.data.get(self.add_prefix(f"agreed_{pk}_{part}"), "")
            for part in ("day", "month", "year")
        )
        try:
            agreed_on = parse_date(
                day, month, year, f"the date {name} agreed its contribution", today=self.today
            )
        except ValidationError as error:
            self._error(f"agreed_{pk}_day", error)
            return
        if value is None:
            if pk in self.kept and f"planned_{pk}" not in self.errors:
                self._error(
                    f"planned_{pk}",
                    f"Enter {name}'s planned contribution: enter 0 if it puts nothing in this year",
                )
            return
        if rule == RiskShareRule.FIXED and share is None and f"share_{pk}" not in self.errors:
            self._error(f"share_{pk}", f"Enter {name}'s fixed risk share, as a percentage")
        self.planned[pk] = PlannedContribution(organisation, value, share, agreed_on)

    def _read(self, name: str, parse):
        try:
            return parse(self.cleaned_data.get(name) or "")
        except ValidationError as error:
            self._error(name, error)
            return None

    def _error(self, name: str, error) -> None:
        if name in self.fields:
            self.add_error(name, error)
        else:
            self.add_error(None, error)

    def _has_partner_error(self) -> bool:
        return any(name.startswith(("planned_", "share_", "agreed_")) for name in self.errors)

    def contributions(self) -> list[PlannedContribution]:
        return list(self.planned.values())

    def add_action_errors(self, error: ValidationError) -> None:
        """Refusals from the action (another commissioner got there first, say), on the
        field they name where the form has it."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                for item in errors:
                    self._error(name, item)
        else:
            for item in error.error_list:
                self._error(None, item)
