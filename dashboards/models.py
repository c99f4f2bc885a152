from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.tabular import validate_not_formula


class QualitySettings(models.Model):
    """A partnership's thresholds for its data-quality checks (dashboards.quality): how far
    its case systems' counts for a team may be apart before they are flagged."""

    DEFAULT_SYSTEMS_APART_PERCENT = 25

    agreement = models.OneToOneField(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="quality_settings"
    )
    systems_apart_percent = models.PositiveSmallIntegerField(
        "case systems apart by more than (%)",
        default=DEFAULT_SYSTEMS_APART_PERCENT,
        help_text="A team's counts in two case systems further apart than this, as a "
        "percentage of the larger, are flagged.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "quality settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(systems_apart_percent__gte=1, systems_apart_percent__lte=100),
                name="quality_settings_systems_apart_in_range",
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
