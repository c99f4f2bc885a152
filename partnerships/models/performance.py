from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.tabular import validate_not_formula
from partnerships.rag import RAG, Direction, rag_status


class KPI(models.Model):
    """A key performance indicator of an agreement, with its target and RAG rule."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "Per cent"
        COUNT = "count", "Count"
        DAYS = "days", "Days"
        POUNDS = "pounds", "Pounds"

    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="kpis"
    )
    code = models.CharField(max_length=20, help_text="A short reference, e.g. KPI 3.")
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="How the value is counted: numerator, denominator.")
    unit = models.CharField(max_length=10, choices=Unit.choices)
    direction = models.CharField(max_length=6, choices=Direction.choices)
    # A KPI may have no target (one being baselined, or watched without one): it then has
    # no amber threshold either, and its values are shown as "No target", never rated.
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amber_threshold = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=(
            "The value at which the indicator turns from amber to red: below it when higher is "
            "better, above it when lower is better."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "code"]
        verbose_name = "KPI"
        verbose_name_plural = "KPIs"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "code"], name="kpi_code_unique"),
            models.CheckConstraint(
                condition=Q(direction__in=["higher", "lower"]), name="kpi_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(unit__in=["percent", "count", "days", "pounds"]),
                name="kpi_unit_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(target__isnull=True, amber_threshold__isnull=True)
                    | Q(target__isnull=False, amber_threshold__isnull=False)
                ),
                name="kpi_target_and_amber_threshold_together",
            ),
            # Both checks below hold when there is no target: a comparison with NULL is
            # unknown, which a CHECK constraint lets pass.
            models.CheckConstraint(
                condition=(
                    Q(direction="higher", amber_threshold__lte=F("target"))
                    | Q(direction="lower", amber_threshold__gte=F("target"))
                    # an unknown direction is kpi_direction_valid's to refuse
                    | ~Q(direction__in=["higher", "lower"])
                ),
                name="kpi_amber_threshold_on_the_far_side_of_target",
            ),
            models.CheckConstraint(
                condition=~Q(unit="percent") | Q(target__gte=0, target__lte=100),
                name="kpi_percent_target_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(unit="percent") | Q(amber_threshold__gte=0, amber_threshold__lte=100),
                name="kpi_percent_amber_threshold_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def has_target(self) -> bool:
        return self.target is not None

    def rag(self, value) -> RAG | None:
        """The value's rating, or None when the KPI has no target to rate it against."""
        if not self.has_target:
            return None
        return rag_status(
            value,
            target=self.target,
            amber_threshold=self.amber_threshold,
            direction=Direction(self.direction),
        )


class KPIValue(models.Model):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="values")
    quarter = models.ForeignKey("partnerships.Quarter", on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "quarter"]
        verbose_name = "KPI value"
        constraints = [
            models.UniqueConstraint(fields=["kpi", "quarter"], name="kpi_value_once_a_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.quarter}: {self.value}"

    @property
    def rag(self):
        return self.kpi.rag(self.value)


class Review(models.Model):
    """A review of the partnership, whose recommendations make up an action plan."""

    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="reviews"
    )
    title = models.CharField(max_length=200)
    carried_out = models.CharField(max_length=100, help_text="When, e.g. second half of 2021.")
    reported_on = models.DateField(null=True, blank=True)
    reported_to = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=60, blank=True)
    overseen_by = models.ForeignKey(
        "partnerships.GovernanceBody",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="The body overseeing the action plan.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "-reported_on"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "title"], name="review_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Recommendation(models.Model):
    """One recommendation of a review, tracked as an action with an owner and due date."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        DROPPED = "dropped", "Closed without completion"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    reference = models.CharField(max_length=20, help_text="The paragraph number, e.g. 3.8.4.")
    text = models.TextField()
    owner = models.CharField(max_length=200, help_text="A role title, not a person's name.")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)
    sort_key = models.CharField(max_length=60, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reference"], name="recommendation_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress", "complete", "dropped"]),
                name="recommendation_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="complete", completed_on__isnull=False)
                    | (~Q(status="complete") & Q(completed_on__isnull=True))
                ),
                name="recommendation_completed_on_iff_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.text[:60]}"

    def save(self, *args, **kwargs):
        # A derived, denormalised sort key (3.8.10 after 3.8.9) rather than business logic:
        # deriving it here means no path (admin, loader, import, shell) can forget it.
        self.sort_key = self.sort_key_for(self.reference)
        super().save(*args, **kwargs)

    # Overdue: still to do (neither complete nor dropped) and due before today. The same
    # rule in Python and, for counting in the database, as a condition; a test holds them
    # together.
    STILL_TO_DO = (Status.NOT_STARTED, Status.IN_PROGRESS)

    def is_overdue(self, today) -> bool:
        return (
            self.status in self.STILL_TO_DO and self.due_date is not None and self.due_date < today
        )

    @classmethod
    def overdue_on(cls, today) -> Q:
        """`is_overdue(today)` as a condition on recommendations."""
        return Q(status__in=cls.STILL_TO_DO, due_date__lt=today)

    @staticmethod
    def sort_key_for(reference: str) -> str:
        """3.8.10 sorts after 3.8.9: pad each numeric part."""
        return ".".join(part.zfill(4) if part.isdigit() else part for part in reference.split("."))


class ProgressNote(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="progress_notes"
    )
    written_on = models.DateField()
    note = models.TextField(validators=[validate_not_formula])
    status_after = models.CharField(
        max_length=12,
        choices=Recommendation.Status.choices,
        help_text="The status of the recommendation after this update.",
    )
    quarter = models.ForeignKey(
        "partnerships.Quarter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "written_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status_after__in=["not_started", "in_progress", "complete", "dropped"]),
                name="progress_note_status_after_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.reference}, {self.written_on:%d/%m/%Y}"
