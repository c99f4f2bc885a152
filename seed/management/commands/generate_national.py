import time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seed import national

MAX_SCALE = Decimal(100)


def scale_value(text: str) -> Decimal:
    """A scale read exactly (0.29 × 100 is 29, not 28.999…), so the row counts round as
    documented."""
    try:
        scale = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not (0 < scale <= MAX_SCALE):
        raise ValueError(text)
    return scale


scale_value.__name__ = "scale"  # argparse names the type in its error message


class Command(BaseCommand):
    help = (
        "Generate a synthetic, England-shaped data set for benchmarking: at --scale 1.0 about "
        "150 councils, 45 trusts, 42 ICBs, 300 agreements with 20 financial years of figures "
        "(2007/08 to 2026/27), 3,000 teams, 30,000 posts, 250,000 s117 register entries and "
        "1.4 million caseload snapshots, plus users national.jmg, national.commissioner, "
        "national.scrutiny and national.s117 (no usable password) in every national agreement. "
        "Its organisations, agreements and teams are named national-…, beside the demo. "
        "Rows are bulk-inserted, so no simple-history rows are written for them, and the "
        "database's planner statistics are gathered afresh at the end. The same --seed gives "
        "the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=scale_value,
            default=Decimal(1),
            help=f"Size relative to England, above 0 and at most {MAX_SCALE} (default 1.0).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed, the same data."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the national data already in the database first (never the demo's "
            "or anyone else's). Refused once an s117 access log entry or a published report "
            "refers to it: those are append-only.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Generate even though DJANGO_ENV=production.",
        )

    def handle(self, *args, scale, seed, replace, allow_production, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Refusing to generate synthetic national data in a production database. "
                "Pass --allow-production if this really is a benchmarking server."
            )
        started = time.monotonic()
        try:
            result = national.generate(scale=Decimal(scale), seed=seed, replace=replace)
        except national.NationalDataError as error:
            raise CommandError(str(error)) from error
        national.analyse()
        elapsed = time.monotonic() - started
        if options["verbosity"] < 1:
            return
        if result["deleted"]:
            deleted = sum(result["deleted"].values())
            self.stdout.write(f"Deleted the previous national data: {deleted:,} rows.")
        created = result["created"]
        self.stdout.write(f"National data at scale {scale}, seed {seed}: rows created")
        width = max(len(label) for label in created)
        for label, count in sorted(created.items()):
            self.stdout.write(f"  {label:<{width}}  {count:>10,}")
        self.stdout.write(f"  {'total':<{width}}  {sum(created.values()):>10,}")
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s."))
