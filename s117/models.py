import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.tabular import validate_not_formula
from s117.validators import validate_nhs_number

QUALIFYING_SECTIONS = ("3", "37", "45A", "47", "48")


class QualifyingSection(models.TextChoices):
    S3 = "3", "Section 3 (admission for treatment)"
    S37 = "37", "Section 37 (hospital order)"
    S45A = "45A", "Section 45A (hospital and limitation direction)"
    S47 = "47", "Section 47 (transfer of a sentenced prisoner)"
    S48 = "48", "Section 48 (transfer of an unsentenced prisoner)"


class SupportReason(models.TextChoices):
    """The primary support reason as councils report it nationally, by its sub-categories:
    the category is the part before the colon (`support_category`)."""

    PHYSICAL_ACCESS = "physical:access_mobility", "Physical support: access and mobility only"
    PHYSICAL_PERSONAL_CARE = "physical:personal_care", "Physical support: personal care support"
    SENSORY_VISUAL = "sensory:visual", "Sensory support: support for visual impairment"
    SENSORY_HEARING = "sensory:hearing", "Sensory support: support for hearing impairment"
    SENSORY_DUAL = "sensory:dual", "Sensory support: support for dual impairment"
    MEMORY = "memory_cognition", "Support with memory and cognition"
    LEARNING_DISABILITY = "learning_disability", "Learning disability support"
    MENTAL_HEALTH = "mental_health", "Mental health support"
    SOCIAL_SUBSTANCE = "social:substance_misuse", "Social support: substance misuse support"
    SOCIAL_ASYLUM = "social:asylum_seeker", "Social support: asylum seeker support"
    SOCIAL_ISOLATION = "social:isolation_other", "Social support: social isolation or other"


SUPPORT_CATEGORIES = {
    "physical": "Physical support",
    "sensory": "Sensory support",
    "memory_cognition": "Support with memory and cognition",
    "learning_disability": "Learning disability support",
    "mental_health": "Mental health support",
    "social": "Social support",
}


def support_category(reason: str) -> str:
    """The category of a primary support reason: "sensory:dual" -> "sensory"."""
    return reason.split(":", 1)[0]


class RegisterEntry(models.Model):
    """One person's entitlement to s117 aftercare. Holds personal data."""

    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.PROTECT, related_name="s117_entries"
    )
    person_reference = models.CharField(
        max_length=30,
        help_text="The register's own reference for the person: letters, digits, hyphens, "
        "full stops and underscores, such as BR-S117-0002.",
    )
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number]
    )
    full_name = models.CharField(max_length=200, blank=True, validators=[validate_not_formula])
    date_of_birth = models.DateField(null=True, blank=True)
    qualifying_section = models.CharField(
        "qualifying MHA section", max_length=3, choices=QualifyingSection.choices
    )
    detained_on = models.DateField()
    discharged_on = models.DateField(null=True, blank=True)
    responsible_council = models.ForeignKey(
        "partnerships.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "council"},
    )
    responsible_icb = models.ForeignKey(
        "partnerships.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="responsible ICB",
        limit_choices_to={"kind__in": ["icb", "ccg"]},
        help_text="The ICB (before July 2022, the CCG) that shares the duty.",
    )
    team = models.ForeignKey(
        "caseload.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    council_share_percent = models.DecimalField(
        "council's share of funding (%)",
        max_digits=5,
        decimal_places=2,
        default=50,
        help_text="The ICB funds the rest.",
    )
    review_due = models.DateField(null=True, blank=True)
    last_reviewed = models.DateField(null=True, blank=True)
    cto_in_force = models.BooleanField("Community Treatment Order in force", default=False)
    primary_support_reason = models.CharField(
        max_length=30,
        choices=SupportReason.choices,
        blank=True,
        help_text="Why the person needs support, as councils report it nationally.",
    )
    ended_on = models.DateField(
        null=True, blank=True, help_text="When the entitlement ends, by joint decision."
    )
    end_agreed_by_council_on = models.DateField(null=True, blank=True)
    end_agreed_by_icb_on = models.DateField("end agreed by ICB on", null=True, blank=True)
    end_reason = models.TextField(
        blank=True, validators=[MaxLengthValidator(2000), validate_not_formula]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "person_reference"]
        verbose_name = "s117 register entry"
        verbose_name_plural = "s117 register entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(primary_support_reason="")
                | Q(primary_support_reason__in=SupportReason.values),
                name="s117_entry_support_reason_valid",
            ),
            models.UniqueConstraint(
                fields=["agreement", "person_reference"], name="s117_entry_reference_unique"
            ),
            models.UniqueConstraint(
                fields=["agreement", "nhs_number"],
                condition=~Q(nhs_number="") & Q(ended_on__isnull=True),
                name="s117_entry_one_open_entitlement_per_nhs_number",
            ),
            models.CheckConstraint(
                condition=Q(qualifying_section__in=QUALIFYING_SECTIONS),
                name="s117_entry_qualifying_section_valid",
            ),
            models.CheckConstraint(
                condition=Q(nhs_number="") | Exact(Length("nhs_number"), 10),
                name="s117_entry_nhs_number_ten_digits",
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("detained_on")),
                name="s117_entry_discharge_after_detention",
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=True) | Q(date_of_birth__lte=F("detained_on")),
                name="s117_entry_born_before_detention",
            ),
            models.CheckConstraint(
                condition=Q(council_share_percent__gte=0, council_share_percent__lte=100),
                name="s117_entry_council_share_in_range",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(cto_in_force=False),
                name="s117_entry_not_ended_while_cto_in_force",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""),
                name="s117_entry_end_has_reason",
            ),
            # Aftercare ends only by a joint decision: both bodies must have agreed.
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(end_agreed_by_council_on__isnull=False, end_agreed_by_icb_on__isnull=False),
                name="s117_entry_end_agreed_by_both",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(discharged_on__isnull=False, ended_on__gte=F("discharged_on")),
                name="s117_entry_ends_after_discharge",
            ),
        ]

    def __str__(self) -> str:
        return self.person_reference

    @property
    def icb_share_percent(self):
        return 100 - self.council_share_percent

    def clean(self):
        errors = {}
        if self.responsible_council_id and self.responsible_council.kind != "council":
            errors["responsible_council"] = "Choose a council."
        if self.responsible_icb_id and self.responsible_icb.kind not in ("icb", "ccg"):
            errors["responsible_icb"] = (
                "Choose an integrated care board (or, before July 2022, a CCG)."
            )
        if errors:
            raise ValidationError(errors)

    def is_open(self) -> bool:
        return self.ended_on is None

    # In force and overdue for review, once each: in Python for one entry, and as a
    # condition for counting and listing in the database. A test holds them together.

    def in_force_on(self, day: datetime.date) -> bool:
        """Aftercare begins on discharge and lasts until it is ended."""
        started = self.discharged_on is not None and self.discharged_on <= day
        return started and (self.ended_on is None or self.ended_on > day)

    def review_overdue(self, day: datetime.date) -> bool:
        return self.in_force_on(day) and self.review_due is not None and self.review_due < day

    @staticmethod
    def in_force(day: datetime.date) -> Q:
        """`in_force_on(day)` as a condition on entries."""
        return Q(discharged_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))

    @classmethod
    def overdue_for_review(cls, day: datetime.date) -> Q:
        """`review_overdue(day)` as a condition on entries."""
        return cls.in_force(day) & Q(review_due__lt=day)


class Review(models.Model):
    """A review of a person's aftercare: whether s117 needs continue, and when next to look."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", "Aftercare continues"
        CHANGE = "change", "Aftercare continues with changes"
        END_PROPOSED = "end_proposed", "Ending proposed for joint decision"

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    next_review_due = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "-reviewed_on"]
        verbose_name = "s117 review"
        constraints = [
            models.UniqueConstraint(fields=["entry", "reviewed_on"], name="s117_review_once_a_day"),
            models.CheckConstraint(
                condition=Q(outcome__in=["continue", "change", "end_proposed"]),
                name="s117_review_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(next_review_due__isnull=True) | Q(next_review_due__gt=F("reviewed_on")),
                name="s117_review_next_after_this",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} reviewed {self.reviewed_on}"


class AftercarePackage(models.Model):
    """A service provided as s117 aftercare: its kind of placement, its provider, when it
    runs and what it costs, a week or a year, to the penny. Who pays what share of it is
    the joint funding panel's decision (`FundingDecision`); until one is recorded, the
    entry's own split applies."""

    class Placement(models.TextChoices):
        RESIDENTIAL = "residential", "Residential care"
        NURSING = "nursing", "Nursing care"
        SUPPORTED_LIVING = "supported_living", "Supported living"
        HOME_CARE = "home_care", "Home care"
        DAY_SERVICES = "day_services", "Day services"
        DIRECT_PAYMENT = "direct_payment", "Direct payment"
        OTHER = "other", "Other"

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="packages")
    reference = models.CharField(
        max_length=60,
        blank=True,
        validators=[validate_not_formula],
        help_text="The package's own reference, unique for the person (a packages file "
        "names packages by it).",
    )
    description = models.CharField(max_length=200, validators=[validate_not_formula])
    placement = models.CharField(max_length=20, choices=Placement.choices, default=Placement.OTHER)
    provider = models.CharField(max_length=200, blank=True, validators=[validate_not_formula])
    weekly_cost = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="A week, in pounds."
    )
    annual_cost = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="A year, in pounds."
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    review_due = models.DateField(
        null=True, blank=True, help_text="When the package itself is next to be reviewed."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "reference"],
                condition=~Q(reference=""),
                name="aftercare_package_reference_once_a_person",
            ),
            models.CheckConstraint(
                condition=Q(weekly_cost__gte=0) | Q(weekly_cost__isnull=True),
                name="aftercare_package_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(annual_cost__gte=0) | Q(annual_cost__isnull=True),
                name="aftercare_package_annual_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(weekly_cost__isnull=True, annual_cost__isnull=False)
                | Q(weekly_cost__isnull=False, annual_cost__isnull=True),
                name="aftercare_package_cost_weekly_or_annual",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="aftercare_package_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(
                    placement__in=[
                        "residential",
                        "nursing",
                        "supported_living",
                        "home_care",
                        "day_services",
                        "direct_payment",
                        "other",
                    ]
                ),
                name="aftercare_package_placement_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry}: {self.description}"


class FundingDecision(models.Model):
    """A joint funding panel's decision on who pays what share of a package, from a day:
    the council's percentage to two decimal places, the ICB the rest. A change of split
    is a new decision; the earlier ones stay, and each day of the package is paid as the
    latest decision in force that day says."""

    package = models.ForeignKey(
        AftercarePackage, on_delete=models.CASCADE, related_name="funding_decisions"
    )
    decided_on = models.DateField(help_text="The day the panel decided.")
    applies_from = models.DateField(help_text="The first day the split applies to.")
    council_share_percent = models.DecimalField(max_digits=5, decimal_places=2)
    agreed_by = models.CharField(
        max_length=200,
        validators=[validate_not_formula],
        help_text="Who agreed it, e.g. Joint funding panel (council and ICB).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["package", "applies_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "applies_from"], name="s117_funding_decision_once_a_day"
            ),
            models.CheckConstraint(
                condition=Q(council_share_percent__gte=0, council_share_percent__lte=100),
                name="s117_funding_decision_share_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(agreed_by=""), name="s117_funding_decision_says_who_agreed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package}: council {self.council_share_percent}% from {self.applies_from}"

    @property
    def icb_share_percent(self):
        return 100 - self.council_share_percent


class Responsibility(models.Model):
    """Which council and ICB are responsible for a person's aftercare from a day, and why
    it changed (ordinary residence before detention, Care Act 2014 s39 and the 2016 rules
    on moves between areas). The entry's own responsible bodies are the current ones; with
    no period recorded, they have been responsible since detention."""

    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, related_name="responsibilities"
    )
    starts_on = models.DateField(help_text="The first day these bodies are responsible.")
    responsible_council = models.ForeignKey(
        "partnerships.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "council"},
    )
    responsible_icb = models.ForeignKey(
        "partnerships.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="responsible ICB",
        limit_choices_to={"kind__in": ["icb", "ccg"]},
    )
    reason = models.TextField(validators=[MaxLengthValidator(2000), validate_not_formula])
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "starts_on"]
        verbose_name = "s117 responsibility"
        verbose_name_plural = "s117 responsibilities"
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "starts_on"], name="s117_responsibility_once_a_day"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="s117_responsibility_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.entry}: responsible from {self.starts_on}"


class RegisterCount(models.Model):
    """The number of people entitled to s117 aftercare in a team that reports only totals."""

    team = models.ForeignKey("caseload.Team", on_delete=models.CASCADE, related_name="s117_counts")
    as_at = models.DateField()
    people = models.IntegerField()
    source = models.CharField(max_length=200, blank=True, help_text="Where the count came from.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "-as_at"]
        verbose_name = "s117 register count"
        constraints = [
            models.UniqueConstraint(fields=["team", "as_at"], name="s117_count_once_per_team_date"),
            models.CheckConstraint(condition=Q(people__gte=0), name="s117_count_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.as_at}: {self.people}"


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The s117 access log can't be changed.")

    def delete(self):
        raise PermissionError("The s117 access log can't be deleted.")


class AccessLog(models.Model):
    """Who looked at whose s117 record, and when. Written once, never changed.

    Who looked and at whom are written into the row as they were at the time: a user's
    name or a person's reference can be changed later, and the log must go on naming who
    it named. The links to the user and the entry are kept for finding rows, not for
    naming anyone."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed the record"
        HISTORY = "history", "Viewed the record's history"
        CHANGE = "change", "Changed the record"
        EXPORT = "export", "Exported the record"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="s117_accesses"
    )
    username = models.CharField(max_length=150, help_text="The user's user name at the time.")
    user_full_name = models.CharField(
        max_length=300, blank=True, help_text="The user's name at the time."
    )
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="accesses")
    person_reference = models.CharField(
        max_length=30, help_text="The person's reference on the register at the time."
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    path = models.CharField(max_length=300, blank=True, help_text="The page that was opened.")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        base_manager_name = "objects"
        verbose_name = "s117 access log entry"
        verbose_name_plural = "s117 access log"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["view", "history", "change", "export"]),
                name="s117_access_log_action_valid",
            ),
            models.CheckConstraint(
                condition=~Q(username="") & ~Q(person_reference=""),
                name="s117_access_log_names_who_and_whom",
            ),
        ]

    def __str__(self) -> str:
        action = self.get_action_display().lower()
        return f"{self.username} {action} {self.person_reference} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # Append-only: an audit trail that could be edited would prove nothing.
        if self.pk is not None:
            raise PermissionError("The s117 access log can't be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The s117 access log can't be deleted.")

    @classmethod
    def about(cls, entry: RegisterEntry, *, by, action: str, path: str = "") -> "AccessLog":
        """A row saying that `by` did `action` to `entry`'s record, naming both as they are
        now; not yet saved."""
        return cls(
            user=by,
            username=by.get_username(),
            user_full_name=by.get_full_name()[:300],
            entry=entry,
            person_reference=entry.person_reference,
            action=action,
            path=path[:300],
        )


class ExportLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The s117 export log can't be changed.")

    def delete(self):
        raise PermissionError("The s117 export log can't be deleted.")


class ExportLog(models.Model):
    """Who downloaded what from the s117 register, when, found by which search, in which
    format, and how many rows. Written once, never changed.

    A download of the register's people also writes an AccessLog row for each person in
    it; a download of the breakdowns names no one, and is only here. Who downloaded is
    written into the row as they were named at the time, as in the access log."""

    class What(models.TextChoices):
        REGISTER = "register", "The register's people"
        BREAKDOWNS = "breakdowns", "The register's breakdowns"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="s117_exports"
    )
    username = models.CharField(max_length=150, help_text="The user's user name at the time.")
    user_full_name = models.CharField(
        max_length=300, blank=True, help_text="The user's name at the time."
    )
    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.PROTECT, related_name="s117_exports"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    what = models.CharField(max_length=10, choices=What.choices)
    file_format = models.CharField(max_length=4, choices=Format.choices)
    query = models.CharField(
        max_length=500, blank=True, help_text="The search and filters, as the address had them."
    )
    rows = models.PositiveIntegerField(help_text="The rows of figures or people in the file.")

    objects = ExportLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        base_manager_name = "objects"
        verbose_name = "s117 export log entry"
        verbose_name_plural = "s117 export log"
        constraints = [
            models.CheckConstraint(
                condition=Q(what__in=["register", "breakdowns"]),
                name="s117_export_log_what_valid",
            ),
            models.CheckConstraint(
                condition=Q(file_format__in=["csv", "xlsx"]),
                name="s117_export_log_format_valid",
            ),
            models.CheckConstraint(condition=~Q(username=""), name="s117_export_log_names_who"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.username} exported {self.what} as {self.file_format} "
            f"at {self.at:%Y-%m-%d %H:%M}"
        )

    def save(self, *args, **kwargs):
        # Append-only, as the access log is: a record of downloads that could be edited
        # would prove nothing.
        if self.pk is not None:
            raise PermissionError("The s117 export log can't be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The s117 export log can't be deleted.")
