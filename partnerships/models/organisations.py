from django.db import models
from django.db.models import Q


class Organisation(models.Model):
    """A partner body: a council, an NHS trust or an integrated care board."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        NHS_TRUST = "nhs_trust", "NHS trust"
        ICB = "icb", "Integrated care board"
        CCG = "ccg", "Clinical commissioning group (to 2022)"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=20, help_text="The abbreviation used in papers, e.g. OCC, OHFT, LBB."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ods_code = models.CharField(
        "ODS code",
        max_length=10,
        blank=True,
        help_text="NHS Organisation Data Service code, e.g. RNU for Oxford Health NHS FT.",
    )
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        blank=True,
        help_text="ONS Government Statistical Service code of a council, e.g. E09000006.",
    )
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="The body that took over its duties (e.g. the ICB that replaced a CCG).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"],
                condition=~Q(ods_code=""),
                name="organisation_ods_code_unique",
            ),
            models.UniqueConstraint(
                fields=["gss_code"],
                condition=~Q(gss_code=""),
                name="organisation_gss_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["council", "nhs_trust", "icb", "ccg"]),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(gss_code="") | Q(kind="council"),
                name="organisation_gss_code_only_for_councils",
            ),
        ]

    def __str__(self) -> str:
        return self.name
