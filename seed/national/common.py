"""What every part of the national generator shares: the `national-` prefix and the
twenty financial years the figures cover, date and money helpers that draw from an agreement's
random generator, the Sink that bulk-inserts rows in batches and counts them, the Context of
one run (its seed, sink, financial years, quarters and source systems) and the Partnership,
an agreement being built, that each per-agreement builder works from."""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from budgets import uplift
from caseload.models import SourceSystem
from core.periods import financial_year_start, quarter_dates
from partnerships.models import Agreement, FinancialYear, Organisation, Quarter
from seed.national.vocabulary import Service

PREFIX = "national-"
FIRST_YEAR, LAST_YEAR = 2007, 2026
WINDOW_START, WINDOW_END = datetime.date(2007, 4, 1), datetime.date(2027, 3, 31)
BATCH_SIZE = 2000
DAY = datetime.timedelta(days=1)
CCGS_FROM = datetime.date(2013, 4, 1)  # CCGs took over from PCTs (ICBs: 1 July 2022)
PENNY = Decimal("0.01")


def month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The last day of each month from `first`'s month, up to `last`."""
    ends, year, month = [], first.year, first.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = datetime.date(year, month, 1) - DAY
        if end > last:
            return ends
        ends.append(end)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + rng.randint(0, max(0, (last - first).days)) * DAY


def pounds(amount: Decimal) -> Decimal:
    return uplift.whole_pounds(amount).quantize(PENNY)


def factor(rng: random.Random, mean: float, sd: float) -> Decimal:
    """1 plus a random fraction, as an exact Decimal in basis points: money is never a float."""
    return 1 + Decimal(round(rng.gauss(mean, sd) * 10_000)).scaleb(-4)


class Sink:
    """Writes rows in batches and counts them. `create` writes at once (children need the
    rows' ids); `add` buffers rows that nothing refers to."""

    def __init__(self, batch_size: int = BATCH_SIZE):
        self.batch_size = batch_size
        self.pending: dict[type, list] = {}
        self.counts: dict[str, int] = {}

    def create(self, rows: list) -> list:
        if rows:
            model = type(rows[0])
            model.objects.bulk_create(rows, batch_size=self.batch_size)
            self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(rows)
        return rows

    def add(self, row) -> None:
        rows = self.pending.setdefault(type(row), [])
        rows.append(row)
        if len(rows) >= self.batch_size:
            self.create(rows)
            rows.clear()

    def flush(self) -> None:
        for rows in self.pending.values():
            self.create(rows)
        self.pending = {}


@dataclass
class Context:
    seed: int
    sink: Sink
    years: dict[int, FinancialYear]
    quarters: dict[tuple[int, int], Quarter]
    las: SourceSystem
    carenotes: SourceSystem
    nhs_cursor: int = 0
    users: dict[str, int] = field(default_factory=dict)  # the national users' ids, by name


@dataclass
class Partnership:
    """An agreement being built, and what its other rows are built from."""

    agreement: Agreement
    number: int
    rng: random.Random
    service: Service
    council: Organisation
    trust: Organisation
    icb: Organisation
    partners: list[Organisation]
    base_planned: dict[int, Decimal]  # organisation id: planned contribution in 2007/08
    growth: Decimal
    # Where the agreement passed down the NHS commissioners of their time (a PCT to 31
    # March 2013, its CCG to 30 June 2022, then the ICB): each body with the first
    # financial year it was the partner, and the contributor, in the ICB's place.
    commissioners: list[tuple[int, Organisation]] = field(default_factory=list)

    def contributor(self, partner: Organisation, year: int) -> Organisation:
        """Who put `partner`'s money in for the year starting in `year`: for the ICB, the
        body of the time (a PCT's and a CCG's years stay theirs)."""
        if partner != self.icb:
            return partner
        for first_year, body in reversed(self.commissioners):
            if year >= first_year:
                return body
        return partner

    @property
    def data_start(self) -> datetime.date:
        """Figures begin with the agreement or with 2007/08, whichever is later."""
        return max(WINDOW_START, self.agreement.start_date)

    def quarters(self, before: datetime.date | None = None) -> list[tuple[int, int]]:
        """Quarters with figures: from the one the figures begin in to 2026/27 Q4, or to
        the last that ends before `before`."""
        last = WINDOW_END if before is None else before - DAY
        return [
            (year, number)
            for year in range(financial_year_start(self.data_start), LAST_YEAR + 1)
            for number in (1, 2, 3, 4)
            if self.data_start <= quarter_dates(year, number)[1] <= last
        ]

    def planned(self, organisation: Organisation, year: int) -> Decimal:
        """A partner's planned contribution in a year, before the year's own variation."""
        return pounds(self.base_planned[organisation.pk] * (1 + self.growth) ** (year - FIRST_YEAR))
