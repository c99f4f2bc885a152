import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.formatting import long_date


class TeamKind(models.TextChoices):
    AMHT = "amht", "Adult Mental Health Team"
    IMHT = "imht", "Integrated Mental Health Team"
    CMHT = "cmht", "Community Mental Health Team"
    EIS = "eis", "Early Intervention Service"
    FS = "fs", "Forensic Service"
    OA = "oa", "Older Adults team"
    AMHP = "amhp", "AMHP service"
    MANAGEMENT = "management", "Management"


class StaffRole(models.TextChoices):
    HEAD_OF_SERVICE = "head", "Head of social care"
    TEAM_MANAGER = "manager", "Team manager"
    SENIOR_PRACTITIONER = "senior", "Senior practitioner social worker"
    SOCIAL_WORKER = "social_worker", "Social worker"
    AMHP = "amhp", "Approved Mental Health Professional"
    SUPPORT_WORKER = "support", "Support worker"
    ADMINISTRATOR = "admin", "Administrator"


CARE_ACT_COUNTS = (
    "referrals",
    "assessments",
    "reviews",
    "carers_assessments",
    "safeguarding_enquiries",
)


class Team(models.Model):
    """A team delivering the agreement's services, e.g. a locality AMHT."""

    Kind = TeamKind

    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    locality = models.CharField(max_length=100, blank=True)
    operated_by = models.ForeignKey(
        "partnerships.Organisation",
        on_delete=models.PROTECT,
        related_name="teams",
        help_text="The partner that manages the team day to day.",
    )
    establishment_wte = models.DecimalField(
        "whole team establishment (WTE)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=(
            "All staff in the team, health and social care, as reported by the operator; "
            "posts funded by the agreement are recorded separately as staff posts."
        ),
    )
    left_agreement_on = models.DateField(
        null=True, blank=True, help_text="When the team's work moved out of the agreement."
    )
    left_agreement_note = models.TextField(blank=True)
    # Who changed the establishment, and from what (records.actions.staffing).
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="team_name_unique"),
            models.CheckConstraint(condition=Q(kind__in=TeamKind.values), name="team_kind_valid"),
            models.CheckConstraint(
                condition=Q(establishment_wte__isnull=True)
                | Q(establishment_wte__gte=0, establishment_wte__lte=5000),
                name="team_establishment_wte_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def in_agreement_on(self, day: datetime.date) -> bool:
        return self.left_agreement_on is None or day < self.left_agreement_on


class StaffPost(models.Model):
    """A post funded by the agreement: who funds it, who employs its holder, and on what basis."""

    StaffRole = StaffRole

    class Basis(models.TextChoices):
        SECONDED = "seconded", "Seconded"
        TUPE = "tupe", "TUPE transferred"
        DIRECT = "direct", "Directly employed"
        VACANT = "vacant", "Vacant"

    class Origin(models.TextChoices):
        SECONDED = "seconded", "Seconded at the start"
        TUPE = "tupe", "TUPE transferred at the start"
        CREATED = "created", "Created since the start"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="posts")
    reference = models.CharField(max_length=30, help_text="The establishment post number.")
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    wte = models.DecimalField("WTE", max_digits=4, decimal_places=2)
    case_holding = models.BooleanField(default=True)
    funder = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="funded_posts"
    )
    employer = models.ForeignKey(
        "partnerships.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employed_posts",
        help_text="Empty while the post is vacant.",
    )
    basis = models.CharField(max_length=10, choices=Basis.choices)
    origin = models.CharField(
        max_length=10,
        choices=Origin.choices,
        help_text="How the post came into the partnership when it began.",
    )
    valid_from = models.DateField()
    valid_to = models.DateField(
        null=True, blank=True, help_text="The last day of the post; empty while it exists."
    )
    changed_on = models.DateField(
        "latest change took effect",
        null=True,
        blank=True,
        help_text=(
            "The day the post's latest recorded change took effect: it fell vacant or was "
            "filled, or its WTE, funder, employer or basis changed. Empty if none since it began."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "reference"], name="staff_post_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(wte__gt=0, wte__lte=Decimal("1.00")), name="staff_post_wte_in_range"
            ),
            models.CheckConstraint(
                condition=Q(basis="vacant", employer__isnull=True)
                | (~Q(basis="vacant") & Q(employer__isnull=False)),
                name="staff_post_employer_iff_filled",
            ),
            models.CheckConstraint(
                condition=Q(basis__in=["seconded", "tupe", "direct", "vacant"]),
                name="staff_post_basis_valid",
            ),
            models.CheckConstraint(
                condition=Q(origin__in=["seconded", "tupe", "created"]),
                name="staff_post_origin_valid",
            ),
            models.CheckConstraint(
                condition=Q(role__in=StaffRole.values),
                name="staff_post_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="staff_post_end_after_start",
            ),
            # A post is as it is now since `changed_on`, which falls within the post's life.
            models.CheckConstraint(
                condition=Q(changed_on__isnull=True) | Q(changed_on__gte=F("valid_from")),
                name="staff_post_change_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(changed_on__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(changed_on__lte=F("valid_to")),
                name="staff_post_change_not_after_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_role_display()} ({self.wte} WTE)"

    @property
    def vacant(self) -> bool:
        return self.basis == self.Basis.VACANT

    @property
    def since(self) -> datetime.date:
        """The day the post has been as it is now: its latest change, else its start."""
        return self.changed_on or self.valid_from

    def ended_by(self, day: datetime.date) -> bool:
        return self.valid_to is not None and self.valid_to < day

    def check_change_on(self, day: datetime.date, *, today: datetime.date) -> None:
        """A change (vacancy, filling, WTE, funder, employer or basis) taking effect on
        `day`: within the post's life, not before its latest recorded change (the post is
        kept as it is now, so an earlier change would be lost behind it), and not later
        than today (a change is recorded once it has happened)."""
        if day < self.since:
            why = "its latest change took effect" if self.changed_on else "the post began"
            raise ValidationError(
                f"The date must be on or after {long_date(self.since)}, when {why}."
            )
        if self.valid_to is not None and day > self.valid_to:
            raise ValidationError(
                f"The date must be on or before {long_date(self.valid_to)}, the post's last day."
            )
        if day > today:
            raise ValidationError(
                "The date must be today or earlier: record a change once it has happened."
            )

    def check_last_day(self, day: datetime.date) -> None:
        if day < self.since:
            why = "its latest change took effect" if self.changed_on else "the post began"
            raise ValidationError(
                f"The last day must be on or after {long_date(self.since)}, when {why}."
            )

    def clean(self):
        # Approved Mental Health Professionals act for the council, which must employ them
        # (the reason Bromley's social workers were seconded, not transferred: seed ¶3.4).
        if self.role == StaffRole.AMHP and self.employer_id and self.employer.kind != "council":
            message = "An Approved Mental Health Professional must be employed by a council."
            raise ValidationError({"employer": message})


class SourceSystem(models.Model):
    """A case-management system that caseload figures are extracted from (LAS, Carenotes…)."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    operated_by = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CaseloadSnapshot(models.Model):
    """Open cases held by a team, as extracted from one source system at one date.

    A case recorded in two systems appears in both extracts; the team's combined
    caseload subtracts the CaseloadOverlap for the date (docs/adr/0004).
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="caseload_snapshots")
    source_system = models.ForeignKey(SourceSystem, on_delete=models.PROTECT, related_name="+")
    as_at = models.DateField()
    open_cases = models.IntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "-as_at", "source_system"]
        indexes = [
            # A team's latest date, and its cases at a date, are one probe each (the unique
            # index below has the source system between the team and the date). No index on
            # the date alone: SQLite, without statistics, would read every team's snapshots
            # at the date for one partnership's.
            models.Index(fields=["team", "-as_at"], name="caseload_snapshot_team_latest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "source_system", "as_at"],
                name="caseload_snapshot_once_per_team_system_date",
            ),
            models.CheckConstraint(
                condition=Q(open_cases__gte=0), name="caseload_snapshot_cases_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.source_system.code} {self.as_at}: {self.open_cases}"


class CaseloadOverlap(models.Model):
    """Open cases of a team recorded in more than one system on a date (found by matching
    the extracts), so that the combined caseload counts each case once."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="caseload_overlaps")
    as_at = models.DateField()
    cases_in_more_than_one_system = models.IntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "-as_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "as_at"], name="caseload_overlap_once_per_team_date"
            ),
            models.CheckConstraint(
                condition=Q(cases_in_more_than_one_system__gte=0),
                name="caseload_overlap_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.as_at}: {self.cases_in_more_than_one_system} in two systems"


class CareActActivity(models.Model):
    """Care Act 2014 activity counts of a team in one quarter."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="care_act_activity")
    quarter = models.ForeignKey("partnerships.Quarter", on_delete=models.PROTECT, related_name="+")
    # A count nobody reported is None, never 0: "received 0 referrals" is a claim.
    referrals = models.IntegerField(null=True, blank=True)
    assessments = models.IntegerField("Care Act assessments", null=True, blank=True)
    reviews = models.IntegerField(null=True, blank=True)
    carers_assessments = models.IntegerField("carers' assessments", null=True, blank=True)
    safeguarding_enquiries = models.IntegerField(null=True, blank=True)
    history = HistoricalRecords()

    COUNTS = CARE_ACT_COUNTS

    class Meta:
        ordering = ["team", "quarter"]
        verbose_name = "Care Act activity"
        verbose_name_plural = "Care Act activity"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "quarter"], name="care_act_activity_once_a_quarter"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0}),
                    name=f"care_act_activity_{field}_not_negative",
                )
                for field in CARE_ACT_COUNTS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.quarter}"


class ActivityPeriod(models.IntegerChoices):
    """The part of a financial year a figure covers: the whole year, or one of its months,
    numbered from April. A month is kept as its place in the year, so it can't lie outside
    the year it is filed under."""

    YEAR = 0, "the whole year"
    APRIL = 1, "April"
    MAY = 2, "May"
    JUNE = 3, "June"
    JULY = 4, "July"
    AUGUST = 5, "August"
    SEPTEMBER = 6, "September"
    OCTOBER = 7, "October"
    NOVEMBER = 8, "November"
    DECEMBER = 9, "December"
    JANUARY = 10, "January"
    FEBRUARY = 11, "February"
    MARCH = 12, "March"


class PeriodActivity(models.Model):
    """Care Act activity of a team for a financial year or one month of it, where papers
    report it so ("1,240 assessments in 2023/24", monthly figures), beside the quarterly
    counts of CareActActivity. The year's figure is kept as reported, never replaced by the
    sum of its months or quarters (caseload.activity_periods compares them)."""

    Period = ActivityPeriod

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="period_activity")
    financial_year = models.ForeignKey(
        "partnerships.FinancialYear", on_delete=models.PROTECT, related_name="+"
    )
    period = models.PositiveSmallIntegerField(choices=ActivityPeriod.choices)
    # A count nobody reported is None, never 0 (ADR 0019).
    referrals = models.IntegerField(null=True, blank=True)
    assessments = models.IntegerField("Care Act assessments", null=True, blank=True)
    reviews = models.IntegerField(null=True, blank=True)
    carers_assessments = models.IntegerField("carers' assessments", null=True, blank=True)
    safeguarding_enquiries = models.IntegerField(null=True, blank=True)
    days_to_complete = models.DecimalField(
        "average days to complete an assessment",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Average days from the request to the completed Care Act assessment.",
    )
    history = HistoricalRecords()

    COUNTS = CARE_ACT_COUNTS
    MEASURES = (*CARE_ACT_COUNTS, "days_to_complete")

    class Meta:
        ordering = ["team", "financial_year", "period"]
        verbose_name = "Care Act activity in a year or month"
        verbose_name_plural = "Care Act activity in years and months"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "financial_year", "period"],
                name="period_activity_once_a_period",
            ),
            models.CheckConstraint(
                condition=Q(period__gte=0, period__lte=12), name="period_activity_period_valid"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0}),
                    name=f"period_activity_{field}_not_negative",
                )
                for field in CARE_ACT_COUNTS
            ),
            models.CheckConstraint(
                condition=Q(days_to_complete__gte=0), name="period_activity_days_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.financial_year} {self.get_period_display()}"

    @property
    def month_start(self) -> datetime.date | None:
        """The first day of the month, None for the whole year."""
        if self.period == ActivityPeriod.YEAR:
            return None
        return month_start(self.financial_year.start_year, self.period)


def month_start(start_year: int, period: int) -> datetime.date:
    """The first day of month `period` (1 = April) of the year starting in `start_year`."""
    month = (period + 2) % 12 + 1
    return datetime.date(start_year + (1 if month < 4 else 0), month, 1)


def quarter_months(quarter_number: int) -> tuple[int, int, int]:
    """The periods (months numbered from April) of a quarter: Q4 is 10, 11, 12."""
    first = (quarter_number - 1) * 3 + 1
    return (first, first + 1, first + 2)
