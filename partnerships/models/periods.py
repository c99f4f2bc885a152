"""Financial years (1 April to 31 March) and their quarters: the periods every figure is
kept by. The arithmetic of periods is core.periods; these are the rows figures point at."""

import datetime

from django.db import models
from django.db.models import Q

from core import periods
from core.formatting import financial_year_label, quarter_label


class FinancialYear(models.Model):
    """1 April to 31 March, named by its two years, e.g. 2023/24."""

    start_year = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        db_table = "budgets_financialyear"  # the name it had when budgets held it
        ordering = ["start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__gte=1990, start_year__lte=2100),
                name="financial_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return financial_year_label(self.start_year)

    @property
    def start_date(self) -> datetime.date:
        return periods.financial_year_dates(self.start_year)[0]

    @property
    def end_date(self) -> datetime.date:
        return periods.financial_year_dates(self.start_year)[1]


class Quarter(models.Model):
    financial_year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="quarters"
    )
    number = models.PositiveSmallIntegerField()

    class Meta:
        db_table = "budgets_quarter"
        ordering = ["financial_year__start_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["financial_year", "number"], name="quarter_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=4), name="quarter_number_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.financial_year.label}-Q{self.number}"

    @property
    def title(self) -> str:
        """The quarter as pages and papers name it, 2022/23 Q4 (the label, 2022/23-Q4, is how
        an address or a file names it)."""
        return quarter_label(self.financial_year.start_year, self.number)

    @property
    def slug(self) -> str:
        """The label as it sits in a URL, 2022-23-Q4: a slash can't sit in a URL segment."""
        return self.label.replace("/", "-")

    @property
    def start_date(self) -> datetime.date:
        return periods.quarter_dates(self.financial_year.start_year, self.number)[0]

    @property
    def end_date(self) -> datetime.date:
        return periods.quarter_dates(self.financial_year.start_year, self.number)[1]
