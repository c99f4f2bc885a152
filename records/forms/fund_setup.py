"""The forms that add a fund to a year (its name, scope, risk-share rule, pots and each
partner's contribution to each pot, and optional agreed shares) and that set a fund's
agreed shares on their own.

The pots are a fixed number of rows (`POT_ROWS`); a row left blank is ignored. Fields are
named by the pot's row and the partner's id (`pot_2_17`), so every message can say which
pot and which partner it is about ("Pot 2: RC's contribution …") and read on its own in
the error summary.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from budgets.funds import PotPlan
from budgets.models import PooledBudget, Pot
from core.formatting import financial_year_label
from partnerships.govuk_forms import GovukForm, govuk_markup

PENNY = Decimal("0.01")
MOST = Decimal(10) ** 12  # the models' 14 digits, 2 of them pence
POT_ROWS = 6
RULE_CHOICES = PooledBudget._meta.get_field("risk_share_rule").choices


def _number(text: str, *, strip: str) -> Decimal | None:
    """The number as people write it, or None for a blank; ValueError if it is none."""
    cleaned = text.strip().replace(",", "").replace(" ", "")
    for mark in strip:
        cleaned = cleaned.replace(mark, "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def parse_pounds(text: str, what: str) -> Decimal | None:
    """An amount of £0 or more to the penny, or None for a blank; "£" and thousands
    commas as people write them. `what` starts every message ("Pot 2: RC's contribution")."""
    try:
        value = _number(text, strip="£")
    except ValueError:
        raise ValidationError(f"{what} should be an amount in pounds, like 250,000.00") from None
    if value is None:
        return None
    if value < 0:
        raise ValidationError(f"{what} can't be negative: enter 0 or more, or leave it blank")
    if value.as_tuple().exponent < -2:
        raise ValidationError(f"{what} should be to the penny (2 decimal places at most)")
    if value >= MOST:
        raise ValidationError(f"{what} should be less than £1,000,000,000,000")
    return value.quantize(PENNY)


def parse_percent(text: str, what: str) -> Decimal | None:
    """A percentage from 0 to 100 to 2 decimal places, or None for a blank ("%" allowed)."""
    try:
        value = _number(text, strip="%")
    except ValueError:
        raise ValidationError(f"{what} should be a percentage, like 71.43") from None
    if value is None:
        return None
    if value.as_tuple().exponent < -2:
        raise ValidationError(f"{what} should be to 2 decimal places at most, like 71.43")
    if not 0 <= value <= 100:
        raise ValidationError(f"{what} should be between 0% and 100%")
    return value.quantize(PENNY)


def shares_total_problem(percents: dict) -> str | None:
    """Why the given shares can't be agreed shares (they must add up to exactly 100.00%)."""
    total = sum(percents.values(), Decimal(0))
    if percents and total != 100:
        return f"The agreed shares add up to {total:.2f}%: they must add up to exactly 100.00%"
    return None


def _money_input() -> forms.TextInput:
    return forms.TextInput(
        attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
    )


def _percent_input() -> forms.TextInput:
    return forms.TextInput(
        attrs={"class": "govuk-input--width-4", "inputmode": "decimal", "spellcheck": "false"}
    )


class ActionErrors:
    """Refusals from a budgets action, on the field they name where the form has it."""

    def add_action_errors(self, error: ValidationError) -> None:
        found = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, said in found.items():
            for message in said:
                self.add_error(field if field in self.fields else None, message)


class NewFundForm(ActionErrors, GovukForm):
    """`years`: the start years a fund may be added to (the agreement's term, latest first);
    `partners`: the agreement's partner organisations, host first."""

    financial_year = forms.ChoiceField(
        label="Financial year",
        help_text="April to March, within the agreement's term. A year may have several funds.",
        error_messages={
            "required": "Choose the financial year of the fund",
            "invalid_choice": "Choose a financial year of the agreement's term",
        },
    )
    name = forms.CharField(
        label="Name of the fund",
        help_text="As the agreement names it, for example Mental health or Better Care Fund.",
        max_length=120,
        error_messages={
            "required": "Enter the fund's name",
            "max_length": "The fund's name must be 120 characters or fewer",
        },
    )
    scope = forms.CharField(
        label="What the fund covers (optional)",
        help_text="For example, adults of working age.",
        required=False,
        max_length=200,
        error_messages={"max_length": "What the fund covers must be 200 characters or fewer"},
    )
    risk_share_rule = forms.ChoiceField(
        label="How any over- or underspend is shared",
        choices=RULE_CHOICES,
        error_messages={"required": "Choose how any over- or underspend is shared"},
    )

    def __init__(self, *args, years, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = list(partners)
        self.fields["financial_year"].choices = [(str(y), financial_year_label(y)) for y in years]
        for n in range(1, POT_ROWS + 1):
            self.fields[f"pot_{n}_name"] = forms.CharField(
                label="Name of the pot",
                required=False,
                max_length=120,
                error_messages={"max_length": f"Pot {n}: the name must be 120 characters or fewer"},
            )
            self.fields[f"pot_{n}_arrangement"] = forms.ChoiceField(
                label="Pooled or aligned",
                choices=Pot.Arrangement.choices,
                initial=Pot.Arrangement.POOLED,
                required=False,
                error_messages={"invalid_choice": f"Pot {n}: choose pooled or aligned"},
            )
            for partner in self.partners:
                self.fields[f"pot_{n}_{partner.pk}"] = forms.CharField(
                    label=f"{partner.short_name}'s contribution",
                    required=False,
                    widget=_money_input(),
                )
        for partner in self.partners:
            self.fields[f"share_{partner.pk}"] = forms.CharField(
                label=f"{partner.short_name}'s agreed share",
                required=False,
                widget=_percent_input(),
            )
        govuk_markup(self)  # again, for the fields made here

    def pot_rows(self) -> list[dict]:
        """Each pot row's fields, as the template lays them out."""
        return [
            {
                "number": n,
                "name": self[f"pot_{n}_name"],
                "arrangement": self[f"pot_{n}_arrangement"],
                "amounts": [self[f"pot_{n}_{p.pk}"] for p in self.partners],
            }
            for n in range(1, POT_ROWS + 1)
        ]

    def share_fields(self) -> list:
        return [self[f"share_{p.pk}"] for p in self.partners]

    def clean_financial_year(self) -> int:
        return int(self.cleaned_data["financial_year"])

    def clean(self):
        data = super().clean()
        pots = self._clean_pots()
        contributing = {partner for pot in pots for partner in pot.contributions}
        # A partner whose contribution was refused may still put money in once it is right.
        pot_errors = any(name.startswith("pot_") for name in self.errors)
        shares = {}
        for partner in self.partners:
            key = f"share_{partner.pk}"
            try:
                percent = parse_percent(
                    self.data.get(key, ""), f"{partner.short_name}'s agreed share"
                )
            except ValidationError as error:
                self.add_error(key, error)
                continue
            if percent is None:
                continue
            if partner not in contributing and not pot_errors:
                self.add_error(
                    key,
                    f"{partner.short_name} puts nothing into the fund: leave its agreed share "
                    "blank",
                )
                continue
            shares[partner] = percent
        if not any(name.startswith("share_") for name in self.errors):
            problem = shares_total_problem(shares)
            if problem:
                self.add_error(f"share_{next(iter(shares)).pk}", problem)
        data["pots"], data["shares"] = pots, shares
        return data

    def _clean_pots(self) -> list[PotPlan]:
        pots, names = [], {}
        for n in range(1, POT_ROWS + 1):
            name_key = f"pot_{n}_name"
            name = (self.data.get(name_key) or "").strip()
            amounts, row_errors = {}, False
            given = bool(name)
            for partner in self.partners:
                key = f"pot_{n}_{partner.pk}"
                text = self.data.get(key) or ""
                given = given or bool(text.strip())
                try:
                    amount = parse_pounds(text, f"Pot {n}: {partner.short_name}'s contribution")
                except ValidationError as error:
                    self.add_error(key, error)
                    row_errors = True
                    continue
                if amount is not None:
                    amounts[partner] = amount
            if not given:
                continue  # a blank row
            if not name:
                self.add_error(name_key, f"Pot {n}: enter the pot's name")
                continue
            if name.casefold() in names:
                self.add_error(
                    name_key,
                    f"Pot {n}: pot {names[name.casefold()]} is already called {name}: give each "
                    "pot its own name",
                )
                continue
            names[name.casefold()] = n
            if not amounts and not row_errors and self.partners:
                self.add_error(
                    f"pot_{n}_{self.partners[0].pk}",
                    f"Pot {n}: enter at least one partner's contribution to {name}",
                )
                continue
            arrangement = self.cleaned_data.get(f"pot_{n}_arrangement") or Pot.Arrangement.POOLED
            pots.append(PotPlan(name, amounts, arrangement))
        if not pots and not any(name.startswith("pot_") for name in self.errors):
            self.add_error(
                "pot_1_name",
                "Enter at least one pot: its name and each partner's contribution to it",
            )
        return pots


class AgreedSharesForm(ActionErrors, GovukForm):
    """`partners`: the partners contributing to the fund (and any with an agreed share)."""

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = list(partners)
        for partner in self.partners:
            self.fields[f"share_{partner.pk}"] = forms.CharField(
                label=f"{partner.short_name}'s agreed share",
                required=False,
                widget=_percent_input(),
            )
        govuk_markup(self)

    def share_fields(self) -> list:
        return [self[f"share_{p.pk}"] for p in self.partners]

    def clean(self):
        data = super().clean()
        percents = {}
        for partner in self.partners:
            key = f"share_{partner.pk}"
            try:
                percent = parse_percent(
                    self.data.get(key, ""), f"{partner.short_name}'s agreed share"
                )
            except ValidationError as error:
                self.add_error(key, error)
                continue
            if percent is not None:
                percents[partner] = percent
        if not self.errors:
            problem = shares_total_problem(percents)
            if problem:
                self.add_error(f"share_{next(iter(percents)).pk}", problem)
        data["percents"] = percents
        return data
