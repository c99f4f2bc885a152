"""Pooled budget: each contributing partner's forecast outturn for the year and its spend
to date, as at the quarter's end (one `ContributionOutturn` a contribution a quarter, at
the quarter's last month), and, where a partner reports monthly, as at another month of the
quarter (measure `2026-11:forecast`: month 8 of 2026/27), kept beside the quarter's.

A contribution is named by its partner where the year has one fund of one pot, as the
template has always named it; where the agreement runs several funds or pots, by fund,
pot and partner ("Better Care Fund / Disabled facilities grant / RBC"), the fund alone
where it has one pot."""

from budgets.models import Contribution, ContributionOutturn
from caseload.models import month_start, quarter_months
from core.formatting import month_label
from returns.sections.base import Change, Figure, Kind, Refused, Section, Source

MEASURES = {"forecast": "forecast outturn", "actual_to_date": "spend to date"}


def _history_labels(row) -> list[tuple[str, object]]:
    contribution = row.contribution
    partner = contribution.partner.short_name
    fund, pot = contribution.pooled_budget.name, contribution.pot.name
    where = (
        ""
        if fund == pot == "Pooled budget"
        else f"{fund} / "
        if pot == fund
        else f"{fund} / {pot} / "
    )
    at = "" if row.month % 3 == 0 else f", {_month_name(row.quarter.financial_year, row.month)}"
    return [(f"{where}{partner} {MEASURES[name]}{at}", getattr(row, name)) for name in MEASURES]


def _month_name(financial_year, month: int) -> str:
    return month_label(financial_year.start_year, month).split(" ", 1)[1]  # "month 8 (Nov…)"


def item_names(contributions) -> dict[str, object]:
    """Each contribution under the name a return gives it."""
    contributions = list(contributions)
    funds = {c.pooled_budget_id for c in contributions}
    pots_of: dict[int, set] = {}
    for c in contributions:
        pots_of.setdefault(c.pooled_budget_id, set()).add(c.pot_id)
    if len(funds) <= 1 and all(len(pots) == 1 for pots in pots_of.values()):
        return {c.partner.short_name: c for c in contributions}
    names = {}
    for c in contributions:
        parts = [c.pooled_budget.name]
        if len(pots_of[c.pooled_budget_id]) > 1:
            parts.append(c.pot.name)
        names[" / ".join([*parts, c.partner.short_name])] = c
    return names


class Contributions(Section):
    name = "contribution"
    title = "Pooled budget: forecast outturn and spend to date (£)"
    history = (
        Source(
            ContributionOutturn,
            (
                "contribution__partner",
                "contribution__pot",
                "contribution__pooled_budget",
                "quarter__financial_year",
            ),
            _history_labels,
            lambda agreement, quarter: {
                "contribution__pooled_budget__agreement": agreement,
                "quarter": quarter,
                "month__in": quarter_months(quarter.number),
            },
        ),
    )

    def __init__(self, context):
        super().__init__(context)
        self.month = context.quarter.number * 3
        self.year = context.quarter.financial_year
        self.months = {
            f"{month_start(self.year.start_year, month):%Y-%m}": month
            for month in quarter_months(context.quarter.number)
        }
        self.contributions = item_names(
            Contribution.objects.filter(
                pooled_budget__agreement=context.agreement,
                pooled_budget__financial_year_id=context.quarter.financial_year_id,
            )
            .select_related("partner", "pot", "pooled_budget")
            .order_by()
        )
        self.outturns = {
            (o.contribution_id, o.month): o
            for o in ContributionOutturn.objects.filter(
                contribution__in=self.contributions.values(), month__in=self.months.values()
            ).order_by()
        }

    def _figure(self, partner: str, measure: str, month: int | None = None) -> Figure:
        month = month or self.month
        row = self.outturns.get((self.contributions[partner].pk, month))
        value = getattr(row, measure) if row else None
        label = f"{partner} {MEASURES[measure]}"
        code = measure
        if month != self.month:  # a position at another month of the quarter
            label = f"{label}, {_month_name(self.year, month)}"
            code = f"{month_start(self.year.start_year, month):%Y-%m}:{measure}"
        return Figure(self.name, partner, code, label, Kind.MONEY, value)

    def figures(self) -> list[Figure]:
        """The quarter's positions, and any recorded at another month of it."""
        others = sorted({month for _, month in self.outturns if month != self.month})
        return [
            self._figure(partner, measure, month)
            for partner in sorted(self.contributions)
            for month in [*others, self.month]
            if month == self.month or (self.contributions[partner].pk, month) in self.outturns
            for measure in MEASURES
        ]

    def form_figures(self) -> list[Figure]:
        """On the section's page, a position at each earlier month of the quarter too, for
        a partner that reports monthly; the template lists those only once given."""
        earlier = [month for month in self.months.values() if month != self.month]
        return [
            self._figure(partner, measure, month)
            for partner in sorted(self.contributions)
            for month in [*earlier, self.month]
            for measure in MEASURES
        ]

    @staticmethod
    def _parts(measure: str) -> tuple[str, str]:
        """(the month's token or "", the measure): `2026-11:forecast`, `forecast`."""
        token, _, what = measure.rpartition(":")
        return token, what

    def cannot_start_because(self) -> str:
        return "The partnership has no pooled budget with contributions for this year."

    def planned(self, figure: Figure):
        """A partner's forecast outturn is set against its planned contribution."""
        if self._parts(figure.measure)[1] != "forecast":
            return None
        return self.contributions[figure.item].planned

    def find(self, item: str, measure: str) -> Figure:
        self.pick(self.contributions, item, "a contributing partner in this year's pool")
        token, what = self._parts(measure)
        if what not in MEASURES or (token and token not in self.months):
            months = ", ".join(self.months)
            raise Refused(
                "measure",
                "should be forecast or actual_to_date, for a month of the quarter given "
                f"first ({months}), such as {next(iter(self.months))}:forecast.",
            )
        return self._figure(item, what, self.months.get(token))

    def check_together(self, changes: list[Change]) -> list[tuple[Change, str]]:
        """Spend to date alone can't start an outturn: it needs the year's forecast."""
        mine = [change for change in changes if change.section == self.name]
        forecasts = {
            (change.item, self._month_of(change)) for change in mine
            if self._parts(change.measure)[1] == "forecast"
        }  # fmt: skip
        return [
            (
                change,
                f"needs a forecast row for {change.item} too: give the year's forecast outturn.",
            )
            for change in mine
            if self._parts(change.measure)[1] == "actual_to_date"
            and (change.item, self._month_of(change)) not in forecasts
            and (self.contributions[change.item].pk, self._month_of(change)) not in self.outturns
        ]

    def _month_of(self, change: Change) -> int:
        return self.months.get(self._parts(change.measure)[0], self.month)

    def write(self, writer, change: Change) -> None:
        """A partner's forecast and spend to date are one row, set from both before it is
        saved, whatever their order in the file."""
        contribution = self.contributions[change.item]
        month, measure = self._month_of(change), self._parts(change.measure)[1]
        row = writer.held(
            self.outturns,
            (contribution.pk, month),
            lambda: ContributionOutturn(
                contribution=contribution, quarter=self.context.quarter, month=month
            ),
        )
        setattr(row, measure, change.value)
        writer.touch(row, (contribution.pk, month), measure)
