import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from budgets import uplift
from budgets.shares import RiskShareRule
from core.formatting import money
from partnerships.models import FinancialYear, Quarter

MONEY = {"max_digits": 14, "decimal_places": 2}


class PooledBudget(models.Model):
    """One fund of an agreement for one financial year: a pool (mental health, carers'
    services, integrated equipment, a Better Care Fund...). An agreement may run several
    funds in a year; each is made of one or more pots (`Pot`), each partner contributing
    to each pot."""

    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="pooled_budgets"
    )
    financial_year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="pooled_budgets"
    )
    risk_share_rule = models.CharField(
        max_length=12,
        choices=[
            (RiskShareRule.PROPORTIONAL.value, "In proportion to planned contributions"),
            (RiskShareRule.OWN.value, "Each partner bears the variance on its own contribution"),
            (RiskShareRule.FIXED.value, "Fixed percentages agreed by the partners"),
        ],
        default=RiskShareRule.PROPORTIONAL.value,
    )
    name = models.CharField(
        max_length=120,
        default="Pooled budget",
        help_text="The fund's name in the agreement, e.g. Mental health or Better Care Fund.",
    )
    position = models.PositiveSmallIntegerField(
        default=1, help_text="The fund's place among the agreement's funds in the year."
    )
    scope = models.CharField(
        max_length=200, blank=True, help_text="What the pool covers, e.g. adults of working age."
    )
    notes = models.TextField(blank=True)
    # A revision's reason is kept on each history row it writes (simple_history's
    # `_change_reason`), as text: a reason given to the partners may be longer than the
    # 100 characters simple_history allows by default.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["agreement", "financial_year__start_year", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "financial_year", "name"],
                name="pooled_budget_fund_named_once_a_year",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="pooled_budget_fund_has_a_name"),
            models.CheckConstraint(
                condition=Q(risk_share_rule__in=[rule.value for rule in RiskShareRule]),
                name="pooled_budget_risk_share_rule_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.financial_year}: {self.name}"

    def default_pot(self) -> "Pot":
        """The fund's first pot, made if it has none: a fund set as a single pool is a
        fund of one pot."""
        pot = self.pots.order_by("position", "pk").first()
        if pot is None:
            pot = Pot.objects.create(pooled_budget=self, name=self.name)
        return pot


class Pot(models.Model):
    """A pot or funding stream within a fund (the NHS minimum contribution of a Better Care
    Fund, the disabled facilities grant; a "pooled", a "pooled aligned" and a
    "transformation" pot), with its own contributions. Pooled money is held in the pool
    and spent on its purposes under the host's management; an aligned budget is jointly
    managed but stays with the partner that holds it."""

    class Arrangement(models.TextChoices):
        POOLED = "pooled", "Pooled"
        ALIGNED = "aligned", "Aligned (jointly managed, not pooled)"

    pooled_budget = models.ForeignKey(PooledBudget, on_delete=models.CASCADE, related_name="pots")
    name = models.CharField(max_length=120)
    arrangement = models.CharField(
        max_length=10, choices=Arrangement.choices, default=Arrangement.POOLED
    )
    position = models.PositiveSmallIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pooled_budget", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pooled_budget", "name"], name="pot_named_once_a_fund"),
            models.CheckConstraint(condition=~Q(name=""), name="pot_has_a_name"),
            models.CheckConstraint(
                condition=Q(arrangement__in=["pooled", "aligned"]), name="pot_arrangement_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pooled_budget.name}: {self.name}"


class AgreedShare(models.Model):
    """A partner's share of a fund as the partners agreed it, a percentage to two decimal
    places (71.43%), which need not be what the amounts give once rounded. A fund's agreed
    shares add up to 100.00% (checked by the action that sets them together)."""

    pooled_budget = models.ForeignKey(
        PooledBudget, on_delete=models.CASCADE, related_name="agreed_shares"
    )
    partner = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="agreed_shares"
    )
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["pooled_budget", "-percent", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pooled_budget", "partner"], name="agreed_share_once_per_partner"
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="agreed_share_percent_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.short_name} {self.percent:.2f}% of {self.pooled_budget}"


class Contribution(models.Model):
    """One partner's money into one pot of a fund for its year: the budget as set at the
    start of the year (`original`) and as it stands after the year's revisions
    (`planned`, the budget that forecasts are set against).

    `pooled_budget` is always the pot's fund: save() sets it from the pot, so the two
    can't disagree (it is kept for the many reads by fund)."""

    pooled_budget = models.ForeignKey(
        PooledBudget, on_delete=models.CASCADE, related_name="contributions"
    )
    pot = models.ForeignKey(
        Pot, on_delete=models.CASCADE, related_name="contributions", blank=True
    )  # blank: save() puts a contribution given only its fund in the fund's first pot
    partner = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="contributions"
    )
    original = models.DecimalField(
        **MONEY,
        blank=True,  # save() takes the planned figure for a contribution set before revision
        help_text="The contribution as the budget was set for the year, in pounds.",
    )
    planned = models.DecimalField(
        **MONEY, help_text="The contribution as the budget now stands (revised), in pounds."
    )
    risk_share_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Only for a fixed risk-share rule: this partner's percentage of any variance.",
    )
    agreed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["pooled_budget", "pot__position", "pot__name", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pot", "partner"], name="contribution_once_per_partner_per_pot"
            ),
            models.CheckConstraint(
                condition=Q(planned__gte=0), name="contribution_planned_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(original__gte=0), name="contribution_original_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(risk_share_percent__isnull=True)
                | Q(risk_share_percent__gte=0, risk_share_percent__lte=100),
                name="contribution_risk_share_percent_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.short_name} → {self.pooled_budget}: {money(self.planned)}"

    def save(self, *args, **kwargs):
        if self.pot_id is None and self.pooled_budget_id is not None:
            self.pot = self.pooled_budget.default_pot()
        if self.pot_id is not None:
            self.pooled_budget_id = self.pot.pooled_budget_id
        if self.original is None:
            self.original = self.planned
        super().save(*args, **kwargs)

    def clean(self):
        if self.pooled_budget_id and self.partner_id:
            agreement = self.pooled_budget.agreement
            if not agreement.partners.filter(organisation_id=self.partner_id).exists():
                raise ValidationError(
                    {"partner": f"{self.partner} is not a partner in {agreement}."}
                )


class ContributionOutturn(models.Model):
    """A partner's forecast outturn for the year, and spend to date, as at a quarter's end."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="outturns"
    )
    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="+")
    month = models.PositiveSmallIntegerField(
        blank=True,
        help_text="The month of the financial year the position is at: 1 is April, 9 is "
        "December, 12 is March. A quarter's return is at its last month (3, 6, 9 or 12).",
    )
    forecast = models.DecimalField(**MONEY, help_text="Forecast outturn for the whole year.")
    actual_to_date = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="Actual spend from 1 April to the month's end."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["contribution", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "month"], name="contribution_outturn_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="contribution_outturn_month_in_year"
            ),
            models.CheckConstraint(
                condition=Q(forecast__gte=0), name="contribution_outturn_forecast_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(actual_to_date__isnull=True) | Q(actual_to_date__gte=0),
                name="contribution_outturn_actual_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contribution.partner.short_name} {self.quarter} month {self.month}"

    def save(self, *args, **kwargs):
        if self.month is None and self.quarter_id is not None:
            self.month = self.quarter.number * 3
        super().save(*args, **kwargs)

    def clean(self):
        if (
            self.month is not None
            and self.quarter_id
            and not ((self.quarter.number - 1) * 3 < self.month <= self.quarter.number * 3)
        ):
            raise ValidationError({"month": f"Month {self.month} is not in {self.quarter.name}."})
        if self.contribution_id and self.quarter_id:
            year = self.contribution.pooled_budget.financial_year
            if self.quarter.financial_year_id != year.pk:
                raise ValidationError(
                    {"quarter": f"{self.quarter} is not in {year}, the year of this pooled budget."}
                )


class BudgetRevision(models.Model):
    """An in-year revision of a fund's budget: changes to partners' contributions and
    virements between its pots, with the decision behind them. Each contribution's
    `planned` figure is its `original` plus the changes and virements of the year's
    revisions (the actions that write revisions keep it so; a data-quality check says
    where it is not)."""

    pooled_budget = models.ForeignKey(
        PooledBudget, on_delete=models.CASCADE, related_name="revisions"
    )
    made_on = models.DateField(help_text="The date the revision was agreed.")
    reason = models.TextField()
    decision = models.ForeignKey(
        "partnerships.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_revisions",
        help_text="The decision that authorised the revision, where one was recorded.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pooled_budget", "made_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="budget_revision_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"Revision of {self.pooled_budget} on {self.made_on:%d %B %Y}"


class RevisionChange(models.Model):
    """A revision's change to one partner's contribution to one pot: more money in
    (positive) or less (negative)."""

    revision = models.ForeignKey(BudgetRevision, on_delete=models.CASCADE, related_name="changes")
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="revision_changes"
    )
    amount = models.DecimalField(**MONEY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["revision", "contribution"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "contribution"], name="revision_change_once_per_contribution"
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="revision_change_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.contribution.partner.short_name} {money(self.amount)}"


class Virement(models.Model):
    """Money a partner moves from one pot of a fund to another by a revision. One row is
    both sides of the move, so a virement always balances: the fund's total is unchanged."""

    revision = models.ForeignKey(BudgetRevision, on_delete=models.CASCADE, related_name="virements")
    partner = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="virements"
    )
    from_pot = models.ForeignKey(Pot, on_delete=models.CASCADE, related_name="virements_out")
    to_pot = models.ForeignKey(Pot, on_delete=models.CASCADE, related_name="virements_in")
    amount = models.DecimalField(**MONEY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["revision", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="virement_amount_positive"),
            models.CheckConstraint(
                condition=~Q(from_pot=F("to_pot")), name="virement_between_two_pots"
            ),
        ]

    def __str__(self) -> str:
        return f"{money(self.amount)} from {self.from_pot.name} to {self.to_pot.name}"


class ValueProjection(models.Model):
    """An agreement's annual value and the yearly uplift that carries it forward."""

    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="value_projections"
    )
    base_value = models.DecimalField(**MONEY, help_text="The annual value in the base year.")
    base_year_ending = models.DateField(
        help_text="The last day of the agreement year the base value is for."
    )
    uplift_rate = models.DecimalField(
        max_digits=6, decimal_places=4, help_text="Yearly uplift as a fraction: 0.0250 is 2.5%."
    )
    uplift_basis = models.CharField(
        max_length=200, blank=True, help_text="e.g. in line with CPI and the National Minimum Wage"
    )
    decision = models.ForeignKey(
        "partnerships.Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="value_projections",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "base_year_ending"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "base_year_ending"], name="value_projection_once_per_base"
            ),
            models.CheckConstraint(
                condition=Q(base_value__gte=0), name="value_projection_base_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(uplift_rate__gte=0, uplift_rate__lte=Decimal("0.5")),
                name="value_projection_uplift_rate_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {money(self.base_value)} a year from {self.base_year_ending}"

    def years_to(self, last_day: datetime.date) -> list[uplift.YearValue]:
        """Projected values for every agreement year ending on or before `last_day`."""
        count = 0
        while uplift.anniversary(self.base_year_ending, count + 1) <= last_day:
            count += 1
        return uplift.project(
            self.base_value,
            self.uplift_rate,
            base_year_ending=self.base_year_ending,
            years=count,
        )

    def cost_of(self, start: datetime.date, end: datetime.date) -> Decimal:
        return uplift.cost_of_period(self.years_to(end), start, end)
