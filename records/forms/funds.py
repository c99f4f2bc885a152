"""The form that revises one fund in year: the date it was agreed, the reason and the
decision behind it, a change to any partner's contribution to any pot, and virements of a
partner's money between the fund's pots.

Fields are named by the contribution's id (a change) or the virement's place on the form
(`move_1_amount`), so every message can name the pot and the partner it is about.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from partnerships.govuk_forms import GovukDateField, GovukForm, govuk_markup

PENNY = Decimal("0.01")
MOST = Decimal(10) ** 12
MOVES = 3  # virement rows on the form


def parse_signed_amount(text: str, what: str, *, negative: bool = True) -> Decimal | None:
    """An amount in pounds to the penny, or None for a blank; "£", thousands commas and a
    minus sign (hyphen or "−") as people write them."""
    cleaned = text.strip().replace(",", "").replace(" ", "").replace("−", "-").replace("£", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(f"Enter {what} as an amount in pounds, like -250,000.00")
    if value.as_tuple().exponent < -2:
        raise ValidationError(f"Enter {what} to the penny at most (2 decimal places)")
    if abs(value) >= MOST:
        raise ValidationError(f"Enter {what} of less than £1,000,000,000,000")
    if not negative and value <= 0:
        raise ValidationError(f"Enter {what} of more than £0")
    return value.quantize(PENNY)


def _money_input() -> forms.TextInput:
    return forms.TextInput(
        attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
    )


class FundRevisionForm(GovukForm):
    """`contributions`: the fund's contributions with their pot and partner; `pots`, the
    fund's pots; `partners`, the agreement's partners; `decisions`, the agreement's."""

    made_on = GovukDateField(
        what="the date the revision was agreed",
        label="Date the revision was agreed",
        help_text="For example, 12 11 2026. It must be in the fund's financial year.",
    )
    reason = forms.CharField(
        label="Why the budget is being revised",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why the budget is being revised",
            "max_length": "Say why in 2,000 characters or fewer",
        },
    )
    decision = forms.ChoiceField(
        label="Decision that authorised it (optional)",
        required=False,
        help_text="Where the partners recorded a decision for it.",
    )

    def __init__(self, *args, contributions, pots, partners, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.contributions = list(contributions)
        self.pots = {str(pot.pk): pot for pot in pots}
        self.partners = {str(partner.pk): partner for partner in partners}
        self.decisions = {str(decision.pk): decision for decision in decisions}
        self.fields["decision"].choices = [("", "None recorded")] + [
            (key, str(decision)) for key, decision in self.decisions.items()
        ]
        for c in self.contributions:
            self.fields[f"change_{c.pk}"] = forms.CharField(
                label=f"{c.partner.short_name} into {c.pot.name}",
                required=False,
                help_text=f"Now {c.planned:,.2f}. More money in, like 50,000; less, like "
                "-50,000. Leave empty for no change.",
                widget=_money_input(),
            )
        pot_choices = [("", "Choose a pot")] + [(k, p.name) for k, p in self.pots.items()]
        partner_choices = [("", "Choose a partner")] + [
            (k, p.short_name) for k, p in self.partners.items()
        ]
        for n in range(1, MOVES + 1):
            self.fields[f"move_{n}_partner"] = forms.ChoiceField(
                label=f"Virement {n}: whose money", required=False, choices=partner_choices
            )
            self.fields[f"move_{n}_from"] = forms.ChoiceField(
                label=f"Virement {n}: from pot", required=False, choices=pot_choices
            )
            self.fields[f"move_{n}_to"] = forms.ChoiceField(
                label=f"Virement {n}: to pot", required=False, choices=pot_choices
            )
            self.fields[f"move_{n}_amount"] = forms.CharField(
                label=f"Virement {n}: amount", required=False, widget=_money_input()
            )
        govuk_markup(self)  # again, for the fields made here

    def change_fields(self):
        return [self[f"change_{c.pk}"] for c in self.contributions]

    def move_rows(self):
        return [
            [self[f"move_{n}_{part}"] for part in ("partner", "from", "to", "amount")]
            for n in range(1, MOVES + 1)
        ]

    def clean(self):
        data = super().clean()
        changes = []
        for c in self.contributions:
            name = f"change_{c.pk}"
            try:
                amount = parse_signed_amount(
                    self.data.get(name, ""),
                    f"the change to {c.partner.short_name}'s contribution to {c.pot.name}",
                )
            except ValidationError as error:
                self.add_error(name, error)
                continue
            if amount:
                changes.append((c.pot, c.partner, amount))
        moves = []
        for n in range(1, MOVES + 1):
            keys = {part: f"move_{n}_{part}" for part in ("partner", "from", "to", "amount")}
            given = {part: (self.data.get(key) or "").strip() for part, key in keys.items()}
            if not any(given.values()):
                continue
            missing = [part for part, value in given.items() if not value]
            labels = {
                "partner": "whose money",
                "from": "the pot it comes from",
                "to": "the pot it goes to",
                "amount": "the amount",
            }
            for part in missing:
                self.add_error(
                    keys[part],
                    f"Virement {n}: choose {labels[part]}"
                    if part != "amount"
                    else f"Virement {n}: enter the amount",
                )
            if missing:
                continue
            try:
                amount = parse_signed_amount(
                    given["amount"], f"virement {n}'s amount", negative=False
                )
            except ValidationError as error:
                self.add_error(keys["amount"], error)
                continue
            if given["from"] == given["to"]:
                self.add_error(
                    keys["to"], f"Virement {n}: choose a different pot to move the money to"
                )
                continue
            moves.append(
                (
                    self.partners[given["partner"]],
                    self.pots[given["from"]],
                    self.pots[given["to"]],
                    amount,
                )
            )
        if not changes and not moves and not self.errors:
            raise ValidationError("Enter at least one change to a contribution or a virement")
        data["changes"], data["moves"] = changes, moves
        data["decision_row"] = self.decisions.get(data.get("decision") or "")
        return data
