from django.db import models
from django.db.models import Q


class GovernanceBody(models.Model):
    """A body that oversees an agreement, such as its Joint Management Group."""

    class Kind(models.TextChoices):
        JMG = "jmg", "Joint Management Group"
        PARTNERSHIP_BOARD = "board", "Partnership board"
        MONITORING_GROUP = "monitoring", "Monitoring group"

    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="governance_bodies"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    remit = models.TextField(blank=True, help_text="Terms of reference, in brief.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agreement", "name"]
        verbose_name_plural = "governance bodies"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="governance_body_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["jmg", "board", "monitoring"]),
                name="governance_body_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    quarter = models.ForeignKey(
        "partnerships.Quarter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="The quarter whose figures the meeting considers.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["body", "-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["body", "held_on"], name="meeting_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.body}, {self.held_on:%d %B %Y}"
