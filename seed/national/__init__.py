"""A synthetic data set shaped like England, for benchmarking at national scale.

At scale 1.0, `generate` writes about 150 councils, 45 mental health trusts and 42 ICBs,
300 agreements with figures for the 20 financial years 2007/08 to 2026/27, 3,000 teams,
30,000 posts, 250,000 s117 register entries (with 240,000 aftercare packages and 100,000
funding panel decisions) and 1.4 million caseload snapshots. It sits
beside anything else in the database (the demo, real partnerships): every organisation,
agreement slug and team it writes starts with `national-`, and its ODS and GSS codes start
with Z, which no real code does. Financial years, quarters and the LAS and Carenotes source
systems are shared: found, or created where missing.

Rows are built in Python, correct by construction, and written with bulk_create (the tests
run full_clean over a sample of every model). So no model's save() runs: no simple-history
rows are written, and Recommendation.sort_key is set here. Every random choice comes from
random.Random seeded from `seed`, one generator per agreement so that an agreement's rows
don't depend on the others (and a second for its funds' pots and revisions, so that adding
them shifted no other figure); no date comes from the clock.

The package, by area: `generator` (the entry point, shared rows and users), `plan` (how
many rows, and how they are shared out), `agreements` (organisations, agreements, terms and
decisions), `governance` (the review, its recommendations, and KPIs), `pooled_budgets`,
`teams` (teams, posts, caseload and activity), `register` (s117), `aftercare` (s117
support reasons, packages and funding decisions, from a generator of their own), `removal`
(finding and deleting national data), `common` (constants, helpers, the Sink, Context and
Partnership) and `vocabulary` (the names, texts and proportions drawn from).
"""

from .common import DAY, FIRST_YEAR, LAST_YEAR, WINDOW_END, WINDOW_START
from .generator import USERS, analyse, generate
from .plan import Plan, plan_for, spread
from .register import nhs_number_at
from .removal import NationalDataError, deletion_plan

__all__ = [
    "DAY",
    "FIRST_YEAR",
    "LAST_YEAR",
    "USERS",
    "WINDOW_END",
    "WINDOW_START",
    "NationalDataError",
    "Plan",
    "analyse",
    "deletion_plan",
    "generate",
    "nhs_number_at",
    "plan_for",
    "spread",
]
