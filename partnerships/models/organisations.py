import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

# The NHS bodies that commissioned care, one after the other: primary care trusts to
# 31 March 2013, clinical commissioning groups from 1 April 2013 to 30 June 2022 and
# integrated care boards from 1 July 2022 (Health and Social Care Act 2012; Health and
# Care Act 2022). Each held in its time the duties (s117 aftercare among them) and the
# agreements that its successor holds now.
NHS_COMMISSIONER_KINDS = ("pct", "ccg", "icb")
ICBS_FROM = datetime.date(2022, 7, 1)


class Organisation(models.Model):
    """A partner body of its time: a council of any kind, an NHS trust or foundation trust,
    or an NHS commissioner (primary care trust, clinical commissioning group or integrated
    care board). A body that was dissolved names its successor, which took over its
    duties the day after."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        NHS_TRUST = "nhs_trust", "NHS trust"
        NHS_FOUNDATION_TRUST = "nhs_foundation_trust", "NHS foundation trust"
        PCT = "pct", "Primary care trust"
        CCG = "ccg", "Clinical commissioning group"
        ICB = "icb", "Integrated care board"

    class CouncilType(models.TextChoices):
        COUNTY = "county", "County council"
        DISTRICT = "district", "District council"
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN = "metropolitan", "Metropolitan borough"
        LONDON_BOROUGH = "london_borough", "London borough"
        OTHER = "other", "Other (City of London, Isles of Scilly)"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=20, help_text="The abbreviation used in papers, e.g. OCC, OHFT, LBB."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    council_type = models.CharField(
        max_length=20,
        choices=CouncilType.choices,
        blank=True,
        # In the database too, so code written before the type existed can still add rows.
        db_default="",
        help_text="For a council: what kind of council it is.",
    )
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
    established_on = models.DateField(
        null=True, blank=True, help_text="When the body came into being, where it matters."
    )
    dissolved_on = models.DateField(
        null=True,
        blank=True,
        help_text="Its last day, if it has been dissolved (e.g. 30 June 2022 for a CCG).",
    )
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="The body that took over its duties the day after it was dissolved "
        "(e.g. the ICB that replaced a CCG).",
    )
    history = HistoricalRecords()

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
                condition=Q(
                    kind__in=["council", "nhs_trust", "nhs_foundation_trust", "pct", "ccg", "icb"]
                ),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(gss_code="") | Q(kind="council"),
                name="organisation_gss_code_only_for_councils",
            ),
            models.CheckConstraint(
                condition=Q(council_type="")
                | Q(
                    kind="council",
                    council_type__in=[
                        "county",
                        "district",
                        "unitary",
                        "metropolitan",
                        "london_borough",
                        "other",
                    ],
                ),
                name="organisation_council_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(established_on__isnull=True)
                | Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gte=F("established_on")),
                name="organisation_dissolved_after_established",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(dissolved_on__isnull=False),
                name="organisation_successor_needs_dissolved_on",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | ~Q(successor=F("pk")),
                name="organisation_not_its_own_successor",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        """What the body is, as a reader would say it: "London borough" for a council whose
        type is known, else its kind ("Clinical commissioning group")."""
        if self.kind == self.Kind.COUNCIL and self.council_type not in ("", self.CouncilType.OTHER):
            return self.get_council_type_display()
        return self.get_kind_display()

    @property
    def succeeded_on(self) -> datetime.date | None:
        """The day its successor took over: the day after it was dissolved."""
        if self.successor_id is None or self.dissolved_on is None:
            return None
        return self.dissolved_on + datetime.timedelta(days=1)

    def clean(self):
        errors = {}
        if self.council_type and self.kind != self.Kind.COUNCIL:
            errors["council_type"] = "Only a council has a council type."
        if self.successor_id and self.dissolved_on is None:
            errors["dissolved_on"] = (
                "Enter the day it was dissolved: its successor takes over the day after."
            )
        if self.successor_id and self.pk and self.successor_id == self.pk:
            errors["successor"] = "A body can't succeed itself."
        if self.established_on and self.dissolved_on and self.dissolved_on < self.established_on:
            errors["dissolved_on"] = "A body is dissolved on or after the day it was established."
        if errors:
            raise ValidationError(errors)
