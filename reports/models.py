from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Report(models.Model):
    """A paper about a partnership for a period: drafted, then published as frozen versions.

    Once a version is published, the database refuses a change of partnership, kind or
    period (migration 0004): what was published for one partnership stays theirs."""

    class Kind(models.TextChoices):
        JMG = "jmg", "JMG quarterly paper"
        SCRUTINY = "scrutiny", "Scrutiny report"
        DECISION = "decision", "Decision report"

    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period = models.CharField(
        max_length=12, help_text="A financial year (2023/24) or quarter (2023/24-Q2)."
    )
    title = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "-period", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "period"], name="report_once_per_kind_and_period"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["jmg", "scrutiny", "decision"]), name="report_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Paragraph(models.Model):
    """Narrative written by the officer for one section of a report's draft."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="paragraphs")
    section = models.SlugField(max_length=40)
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "section", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "section", "position"], name="paragraph_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} §{self.section} {self.position}"


class PublishedVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("A published version can't be changed: publish a correction.")

    def delete(self):
        raise PermissionError("A published version can't be deleted: publish a correction.")


class PublishedVersion(models.Model):
    """A frozen, published version of a report. Never changed once written."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    change_note = models.TextField(
        blank=True, help_text="What changed from the previous version (required after the first)."
    )
    data = models.JSONField(help_text="The figures the version was built from.")
    html = models.TextField()
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the PDF, as published.")
    html_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the HTML, as published.")

    objects = PublishedVersionQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="published_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="published_version_from_1"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(change_note=""),
                name="published_version_correction_says_what_changed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def save(self, *args, **kwargs):
        # What was published stays published: a correction is a new version.
        if self.pk is not None:
            raise PermissionError("A published version can't be changed: publish a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A published version can't be deleted: publish a correction.")
