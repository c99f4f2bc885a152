import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from budgets import uplift
from budgets.shares import RiskShareRule
from core.formatting import money
from partnerships.models import FinancialYear, Quarter

MONEY = {"max_digits": 14, "decimal_places": 2}


class PooledBudget(models.Model):
    """The pooled fund of an agreement for one financial year."""

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
    scope = models.CharField(
        max_length=200, blank=True, help_text="What the pool covers, e.g. adults of working age."
    )
    notes = models.TextField(blank=True)
    # A revision's reason is kept on each history row it writes (simple_history's
    # `_change_reason`), as text: a reason given to the partners may be longer than the
    # 100 characters simple_history allows by default.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["agreement", "financial_year__start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "financial_year"], name="pooled_budget_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(risk_share_rule__in=[rule.value for rule in RiskShareRule]),
                name="pooled_budget_risk_share_rule_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.financial_year}"


class Contribution(models.Model):
    """One partner's money into a pooled budget for its year."""

    pooled_budget = models.ForeignKey(
        PooledBudget, on_delete=models.CASCADE, related_name="contributions"
    )
    partner = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="contributions"
    )
    planned = models.DecimalField(**MONEY, help_text="The planned contribution, in pounds.")
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
        ordering = ["pooled_budget", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pooled_budget", "partner"], name="contribution_once_per_partner_per_year"
            ),
            models.CheckConstraint(
                condition=Q(planned__gte=0), name="contribution_planned_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(risk_share_percent__isnull=True)
                | Q(risk_share_percent__gte=0, risk_share_percent__lte=100),
                name="contribution_risk_share_percent_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.short_name} → {self.pooled_budget}: {money(self.planned)}"

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
    forecast = models.DecimalField(**MONEY, help_text="Forecast outturn for the whole year.")
    actual_to_date = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="Actual spend from 1 April to the quarter's end."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["contribution", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "quarter"], name="contribution_outturn_once_a_quarter"
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
        return f"{self.contribution.partner.short_name} {self.quarter}"

    def clean(self):
        if self.contribution_id and self.quarter_id:
            year = self.contribution.pooled_budget.financial_year
            if self.quarter.financial_year_id != year.pk:
                raise ValidationError(
                    {"quarter": f"{self.quarter} is not in {year}, the year of this pooled budget."}
                )


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
