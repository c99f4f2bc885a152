from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.tabular import validate_not_formula


class QuarterlyReturn(models.Model):
    """A partnership's figures for one quarter, as a whole: entered as a draft, submitted,
    signed off by a JMG member, and reopened (with a reason) if they must change.

    The figures themselves live in their own tables (outturns, snapshots, activity, KPI
    values, action-plan progress), keyed by quarter; the return governs who may change
    them and when, and its version number refuses a second, concurrent save.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SIGNED_OFF = "signed_off", "Signed off"
        REOPENED = "reopened", "Reopened"

    EDITABLE = (Status.DRAFT, Status.REOPENED)

    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.PROTECT, related_name="returns"
    )
    quarter = models.ForeignKey("partnerships.Quarter", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up with every saved change; a save based on an older one is refused.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)
    sign_off_comment = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(2000), validate_not_formula],
        help_text="What the JMG member signing off wanted kept with the return.",
    )
    # The tables keep the names they had when returns were part of partnerships.
    history = HistoricalRecords(table_name="partnerships_historicalquarterlyreturn")

    class Meta:
        db_table = "partnerships_quarterlyreturn"
        ordering = ["agreement", "-quarter__financial_year__start_year", "-quarter__number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "quarter"], name="quarterly_return_once"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "signed_off", "reopened"]),
                name="quarterly_return_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed_off")
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="quarterly_return_sign_off_says_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(status="reopened") | ~Q(reopened_reason=""),
                name="quarterly_return_reopened_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.quarter}"

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE


class ReturnSchedule(models.Model):
    """When a partnership's quarterly returns are due, as its JMG sets it: a number of
    working days after the quarter ends (England and Wales bank holidays counted, as
    core.workdays does), and then a number more for the JMG to sign it off."""

    DEFAULT_RETURN_DAYS = 20
    DEFAULT_SIGN_OFF_DAYS = 10

    agreement = models.OneToOneField(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="return_schedule"
    )
    return_working_days = models.PositiveSmallIntegerField(
        "working days after the quarter ends for the return",
        default=DEFAULT_RETURN_DAYS,
        help_text="The return is due this many working days after the quarter's last day.",
    )
    sign_off_working_days = models.PositiveSmallIntegerField(
        "working days after that for sign-off",
        default=DEFAULT_SIGN_OFF_DAYS,
        help_text="Sign-off is due this many working days after the return is due.",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(return_working_days__gte=1, return_working_days__lte=130),
                name="return_schedule_return_days_in_range",
            ),
            models.CheckConstraint(
                condition=Q(sign_off_working_days__lte=130),
                name="return_schedule_sign_off_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Return timetable for {self.agreement}"


class SectionState(models.Model):
    """What the person entering a return said of one of its sections: still in progress,
    completed, or nothing to report this quarter. A section nobody has marked is worked
    out from its figures (returns.tasklist)."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        NOTHING_TO_REPORT = "nothing", "Nothing to report this quarter"

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="section_states"
    )
    section = models.SlugField(max_length=30, help_text="The section's name in the file format.")
    state = models.CharField(max_length=12, choices=State.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "section"], name="return_section_state_once"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["in_progress", "completed", "nothing"]),
                name="return_section_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarterly_return} {self.section}: {self.get_state_display()}"
