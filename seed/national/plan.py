"""How much to generate: the row totals at scale 1.0, the Plan that scales them (never
below one of each kind of organisation, agreement, team, post and register entry), and
`spread`, which shares a total unevenly but exactly between agreements or teams."""

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# At scale 1.0. Teams, posts and register entries are shared out unevenly between
# agreements (and posts between teams), but always add up to these totals, scaled.
TARGETS = {
    "councils": 150,
    "trusts": 45,
    "icbs": 42,
    "agreements": 300,
    "teams": 3000,
    "posts": 30000,
    "s117_entries": 250000,
}


@dataclass(frozen=True)
class Plan:
    councils: int
    trusts: int
    icbs: int
    agreements: int
    teams: int
    posts: int
    s117_entries: int


def scaled(target: int, scale: Decimal, minimum: int) -> int:
    """`target` × `scale`, rounded half up, and never below `minimum`."""
    exact = Decimal(target) * scale
    return max(minimum, int(exact.to_integral_value(rounding=ROUND_HALF_UP)))


def plan_for(scale: Decimal) -> Plan:
    """At least one of each kind of organisation and an agreement; every agreement at least
    a team and a register entry, and every team a post."""
    agreements = scaled(TARGETS["agreements"], scale, 1)
    teams = scaled(TARGETS["teams"], scale, agreements)
    return Plan(
        councils=scaled(TARGETS["councils"], scale, 1),
        trusts=scaled(TARGETS["trusts"], scale, 1),
        icbs=scaled(TARGETS["icbs"], scale, 1),
        agreements=agreements,
        teams=teams,
        posts=scaled(TARGETS["posts"], scale, teams),
        s117_entries=scaled(TARGETS["s117_entries"], scale, agreements),
    )


def spread(total: int, bins: int, rng: random.Random, *, low: int = 0) -> list[int]:
    """`total` shared between `bins`, each at least `low` and otherwise within about 40% of
    the mean, adding up to `total` exactly (the largest remainders get the leftovers)."""
    spare = total - low * bins
    if spare < 0:
        raise ValueError(f"{total} can't give {bins} bins at least {low} each.")
    weights = [rng.uniform(0.6, 1.4) for _ in range(bins)]
    exact = [spare * weight / sum(weights) for weight in weights]
    counts = [int(share) for share in exact]
    by_remainder = sorted(range(bins), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: spare - sum(counts)]:
        counts[i] += 1
    return [low + count for count in counts]
