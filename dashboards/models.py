from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.tabular import validate_not_formula


class QualitySettings(models.Model):
    """A partnership's thresholds for its data-quality checks (dashboards.quality): how far
    its case systems' counts for a team may be apart, how far its funded posts may run over
    a team's establishment, and how far a figure may move in a quarter before each is
    flagged."""

    DEFAULT_SYSTEMS_APART_PERCENT = 25
    DEFAULT_POSTS_TOLERANCE_WTE = Decimal("0.50")
    DEFAULT_MOVEMENT_TIMES_USUAL = 3
    DEFAULT_MOVEMENT_PERCENT = 50

    agreement = models.OneToOneField(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="quality_settings"
    )
    systems_apart_percent = models.PositiveSmallIntegerField(
        "case systems apart by more than (%)",
        default=DEFAULT_SYSTEMS_APART_PERCENT,
        help_text="A team's counts in two case systems further apart than this, as a "
        "percentage of the larger, are flagged.",
    )
    posts_tolerance_wte = models.DecimalField(
        "funded posts over the establishment by more than (WTE)",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_POSTS_TOLERANCE_WTE,
        help_text="A team whose funded posts, filled and vacant, are more than its "
        "establishment by more than this is flagged.",
    )
    movement_times_usual = models.PositiveSmallIntegerField(
        "a figure moving more than this many times its usual quarterly change",
        default=DEFAULT_MOVEMENT_TIMES_USUAL,
        help_text="The usual change is the median of the figure's changes over the eight "
        "quarters before, when it has at least four of them.",
    )
    movement_percent = models.PositiveSmallIntegerField(
        "with less history, a figure moving by more than (%)",
        default=DEFAULT_MOVEMENT_PERCENT,
        help_text="A move of more than this percentage of the quarter before's value is "
        "flagged when the figure has fewer than four earlier changes.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "quality settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(systems_apart_percent__gte=1, systems_apart_percent__lte=100),
                name="quality_settings_systems_apart_in_range",
            ),
            models.CheckConstraint(
                condition=Q(posts_tolerance_wte__gte=0, posts_tolerance_wte__lte=100),
                name="quality_settings_posts_tolerance_in_range",
            ),
            models.CheckConstraint(
                condition=Q(movement_times_usual__gte=2, movement_times_usual__lte=20),
                name="quality_settings_movement_times_in_range",
            ),
            models.CheckConstraint(
                condition=Q(movement_percent__gte=1, movement_percent__lte=1000),
                name="quality_settings_movement_percent_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Data-quality thresholds for {self.agreement}"


class FlagExplanation(models.Model):
    """Why a figure a check flagged is right, as a commissioner recorded it: kept, and shown
    with the flag wherever it is shown."""

    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="flag_explanations"
    )
    quarter = models.ForeignKey("partnerships.Quarter", on_delete=models.PROTECT, related_name="+")
    check_code = models.SlugField(max_length=40)
    key = models.CharField(max_length=200, help_text="What the flag is about, e.g. team:12.")
    text = models.TextField(validators=[MaxLengthValidator(1000), validate_not_formula])
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    explained_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "quarter", "check_code", "key"],
                name="flag_explanation_once",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="flag_explanation_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.quarter} {self.check_code} {self.key}"
