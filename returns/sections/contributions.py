"""Pooled budget: each contributing partner's forecast outturn for the year and its spend
to date, as at the quarter's end (one `ContributionOutturn` a contribution a quarter, at
the quarter's last month).

A contribution is named by its partner where the year has one fund of one pot, as the
template has always named it; where the agreement runs several funds or pots, by fund,
pot and partner ("Better Care Fund / Disabled facilities grant / RBC"), the fund alone
where it has one pot."""

from budgets.models import Contribution, ContributionOutturn
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
    return [(f"{where}{partner} {MEASURES[name]}", getattr(row, name)) for name in MEASURES]


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
            ("contribution__partner", "contribution__pot", "contribution__pooled_budget"),
            _history_labels,
            lambda agreement, quarter: {
                "contribution__pooled_budget__agreement": agreement,
                "quarter": quarter,
                "month": quarter.number * 3,
            },
        ),
    )

    def __init__(self, context):
        super().__init__(context)
        self.month = context.quarter.number * 3
        self.contributions = item_names(
            Contribution.objects.filter(
                pooled_budget__agreement=context.agreement,
                pooled_budget__financial_year_id=context.quarter.financial_year_id,
            )
            .select_related("partner", "pot", "pooled_budget")
            .order_by()
        )
        self.outturns = {
            o.contribution_id: o
            for o in ContributionOutturn.objects.filter(
                contribution__in=self.contributions.values(), month=self.month
            ).order_by()
        }

    def _figure(self, partner: str, measure: str) -> Figure:
        row = self.outturns.get(self.contributions[partner].pk)
        value = getattr(row, measure) if row else None
        label = f"{partner} {MEASURES[measure]}"
        return Figure(self.name, partner, measure, label, Kind.MONEY, value)

    def figures(self) -> list[Figure]:
        return [
            self._figure(partner, measure)
            for partner in sorted(self.contributions)
            for measure in MEASURES
        ]

    def cannot_start_because(self) -> str:
        return "The partnership has no pooled budget with contributions for this year."

    def planned(self, figure: Figure):
        """A partner's forecast outturn is set against its planned contribution."""
        if figure.measure != "forecast":
            return None
        return self.contributions[figure.item].planned

    def find(self, item: str, measure: str) -> Figure:
        self.pick(self.contributions, item, "a contributing partner in this year's pool")
        if measure not in MEASURES:
            raise Refused("measure", "should be forecast or actual_to_date.")
        return self._figure(item, measure)

    def check_together(self, changes: list[Change]) -> list[tuple[Change, str]]:
        """Spend to date alone can't start an outturn: it needs the year's forecast."""
        mine = [change for change in changes if change.section == self.name]
        forecasts = {change.item for change in mine if change.measure == "forecast"}
        return [
            (
                change,
                f"needs a forecast row for {change.item} too: give the year's forecast outturn.",
            )
            for change in mine
            if change.measure == "actual_to_date"
            and change.item not in forecasts
            and self.contributions[change.item].pk not in self.outturns
        ]

    def write(self, writer, change: Change) -> None:
        """A partner's forecast and spend to date are one row, set from both before it is
        saved, whatever their order in the file."""
        contribution = self.contributions[change.item]
        row = writer.held(
            self.outturns,
            contribution.pk,
            lambda: ContributionOutturn(
                contribution=contribution, quarter=self.context.quarter, month=self.month
            ),
        )
        setattr(row, change.measure, change.value)
        writer.touch(row, contribution.pk, change.measure)
