"""What the JMG monitors: a review of the partnership with its recommendations (the
actions), each with a progress note unless not started; 3 or 4 KPIs with a value every
quarter, near target but biased, so that some are red, some amber and most green; and each
quarter's return, signed off but for the latest, which is still a draft."""

import datetime
import zoneinfo
from decimal import Decimal

from core.periods import quarter_dates
from partnerships.models import (
    KPI,
    GovernanceBody,
    KPIValue,
    ProgressNote,
    Recommendation,
    Review,
)
from returns.models import QuarterlyReturn
from seed.national.common import DAY, WINDOW_END, Context, Partnership, day_between
from seed.national.vocabulary import KPIS, OWNERS, PROGRESS_NOTES, RECOMMENDATIONS

LONDON = zoneinfo.ZoneInfo("Europe/London")


def build_review(context: Context, p: Partnership, jmg: GovernanceBody) -> None:
    rng = p.rng
    year = rng.randint(max(2012, p.data_start.year + 3), 2025)
    reported_on = datetime.date(year + 1, rng.randint(1, 12), rng.randint(1, 28))
    review = Review(
        agreement=p.agreement,
        title=f"Review of the partnership, {year}",
        carried_out=f"{rng.choice(('First', 'Second'))} half of {year}",
        reported_on=reported_on,
        reported_to=jmg.name,
        reference=f"N{p.number:04d}-R",
        overseen_by=jmg,
    )
    context.sink.create([review])
    recommendations = []
    for n, text in enumerate(rng.sample(RECOMMENDATIONS, rng.randint(3, 10)), start=1):
        reference = f"3.8.{n}"
        status = rng.choices(Recommendation.Status.values, weights=(15, 25, 50, 10))[0]
        due = reported_on + rng.randint(90, 720) * DAY
        completed = None
        if status == Recommendation.Status.COMPLETE:
            completed = day_between(rng, reported_on + 30 * DAY, min(due + 180 * DAY, WINDOW_END))
        recommendations.append(
            Recommendation(
                review=review,
                reference=reference,
                text=text,
                owner=rng.choice(OWNERS),
                due_date=due,
                status=status,
                completed_on=completed,
                sort_key=Recommendation.sort_key_for(reference),  # save() isn't called
            )
        )
    context.sink.create(recommendations)
    for recommendation in recommendations:
        if recommendation.status != Recommendation.Status.NOT_STARTED:
            context.sink.add(
                ProgressNote(
                    recommendation=recommendation,
                    written_on=recommendation.completed_on
                    or min(reported_on + 180 * DAY, WINDOW_END),
                    note=PROGRESS_NOTES[recommendation.status],
                    status_after=recommendation.status,
                )
            )


def build_kpis(context: Context, p: Partnership) -> None:
    """3 or 4 KPIs, each with a value every quarter, near its target but for a bias of
    its own, so that some are red, some amber and most green."""
    rng = p.rng
    chosen = sorted(rng.sample(KPIS, rng.randint(3, 4)))
    kpis = context.sink.create(
        [
            KPI(
                agreement=p.agreement,
                code=spec.code,
                name=spec.name,
                definition=spec.definition,
                unit=spec.unit,
                direction=spec.direction,
                target=Decimal(spec.target),
                amber_threshold=Decimal(spec.amber),
            )
            for spec in chosen
        ]
    )
    for kpi, spec in zip(kpis, chosen, strict=True):
        bias = rng.gauss(0, spec.spread / 2)
        for quarter in p.quarters():
            value = max(0.0, float(spec.target) + bias + rng.gauss(0, spec.spread))
            if spec.unit == KPI.Unit.PERCENT:
                value = min(value, 100.0)
            tenths = round(value) * 10 if spec.unit == KPI.Unit.COUNT else round(value * 10)
            context.sink.add(
                KPIValue(
                    kpi_id=kpi.pk,
                    quarter_id=context.quarters[quarter].pk,
                    value=Decimal(tenths) / 10,
                )
            )


def build_returns(context: Context, p: Partnership) -> None:
    """A return for every quarter with figures, as a partnership that files them each
    quarter has: submitted by the commissioner two weeks after the quarter ends and signed
    off by the JMG member two weeks later, but for the latest quarter's, a draft still
    being filled in. Times are fixed (10:00 London time), not drawn: no date comes from the
    clock, and the agreement's other rows don't move."""
    quarters = p.quarters()
    commissioner = context.users["national.commissioner"]
    jmg_member = context.users["national.jmg"]
    for year, number in quarters[:-1]:
        ended = quarter_dates(year, number)[1]
        context.sink.add(
            QuarterlyReturn(
                agreement=p.agreement,
                quarter_id=context.quarters[(year, number)].pk,
                status=QuarterlyReturn.Status.SIGNED_OFF,
                submitted_by_id=commissioner,
                submitted_at=_at_ten(ended + 14 * DAY),
                signed_off_by_id=jmg_member,
                signed_off_at=_at_ten(ended + 28 * DAY),
            )
        )
    if quarters:
        context.sink.add(
            QuarterlyReturn(agreement=p.agreement, quarter_id=context.quarters[quarters[-1]].pk)
        )


def _at_ten(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=LONDON)
