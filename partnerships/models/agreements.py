import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.formatting import long_date, money


class Agreement(models.Model):
    """A partnership agreement under s75 NHS Act 2006 or s31 Health Act 1999.

    Access to everything in the product is granted per agreement: an agreement is
    "a partnership" to its members.
    """

    class LegalBasis(models.TextChoices):
        S75 = "s75", "Section 75, NHS Act 2006"
        S31 = "s31", "Section 31, Health Act 1999"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "In force"
        ENDED = "ended", "Ended"
        TERMINATED = "terminated", "Terminated early"

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=120, help_text="Used in navigation and tables.")
    legal_basis = models.CharField(max_length=3, choices=LegalBasis.choices)
    pooled_fund = models.BooleanField(
        default=False, help_text="The partners pool money into a fund managed by the host."
    )
    lead_commissioning = models.BooleanField(
        default=False, help_text="One partner commissions services on behalf of both."
    )
    integrated_provision = models.BooleanField(
        default=False, help_text="One partner provides both health and social care services."
    )
    functions = models.TextField(
        blank=True, help_text="The functions delegated and the services covered."
    )
    population = models.TextField(blank=True, help_text="Who the agreement serves.")
    s117_review_months = models.PositiveSmallIntegerField(
        "s117 review interval (months)",
        default=12,
        db_default=12,  # rows written by code that predates it (older migrations' tests) too
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How long after a review of a person's s117 aftercare the next is due, "
        "unless a package's own review comes sooner.",
    )
    start_date = models.DateField()
    end_date = models.DateField(
        help_text="The current end date, including any extensions in force."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["short_title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="agreement_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(legal_basis__in=["s75", "s31"]), name="agreement_legal_basis_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "ended", "terminated"]),
                name="agreement_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.short_title

    def arrangement_types(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.pooled_fund, "pooled fund"),
                (self.lead_commissioning, "lead commissioning"),
                (self.integrated_provision, "integrated provision"),
            )
            if flag
        ]

    def ends_within(self, days: int, *, today: datetime.date) -> bool:
        return today <= self.end_date <= today + datetime.timedelta(days=days)


class AgreementPartnerQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> "AgreementPartnerQuerySet":
        """Partners on `day`: those whose time in the agreement includes it."""
        return self.during(day, day)

    def during(self, first: datetime.date, last: datetime.date) -> "AgreementPartnerQuerySet":
        """Partners for any part of `first` to `last` (both included)."""
        return self.filter(
            Q(from_date__isnull=True) | Q(from_date__lte=last),
            Q(to_date__isnull=True) | Q(to_date__gte=first),
        )


class AgreementPartner(models.Model):
    """An organisation that is party to an agreement, what it does in it, and for how
    long: a CCG is a partner to 30 June 2022 and its ICB from 1 July 2022, so the years
    before stay with the body that signed for them."""

    class Role(models.TextChoices):
        LEAD_PROVIDER = "lead_provider", "Lead provider"
        COMMISSIONER = "commissioner", "Commissioner"
        PARTNER = "partner", "Partner"
        CONSENTING = "consenting", "Consenting body"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="agreement_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_host = models.BooleanField(
        "host partner",
        default=False,
        help_text="Hosts the pooled fund and employs its pooled fund manager.",
    )
    from_date = models.DateField(
        "partner from",
        null=True,
        blank=True,
        help_text="Its first day as a partner; blank: from the start of the agreement.",
    )
    to_date = models.DateField(
        "partner to",
        null=True,
        blank=True,
        help_text="Its last day as a partner; blank: to the end of the agreement.",
    )
    history = HistoricalRecords()

    objects = AgreementPartnerQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "-is_host", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agreement_partner_once"
            ),
            # One host at a time: a host whose time has ended (a CCG) leaves room for the
            # one that took over from it. Overlapping dates are the action's to refuse.
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(is_host=True, to_date__isnull=True),
                name="agreement_one_host",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["lead_provider", "commissioner", "partner", "consenting"]),
                name="agreement_partner_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(from_date__isnull=True)
                | Q(to_date__isnull=True)
                | Q(to_date__gte=F("from_date")),
                name="agreement_partner_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    def is_partner_on(self, day: datetime.date) -> bool:
        return (self.from_date is None or self.from_date <= day) and (
            self.to_date is None or day <= self.to_date
        )

    def time_in_agreement(self) -> str:
        """When it is a partner, as the agreement page says it: "To 30 June 2022,
        succeeded by NHS X Integrated Care Board", "From 1 July 2022", or
        "Throughout the agreement". Reads the organisation and its successor."""
        first, last = self.from_date, self.to_date
        if first and last:
            text = f"{long_date(first)} to {long_date(last)}"
        elif last:
            text = f"To {long_date(last)}"
        elif first:
            text = f"From {long_date(first)}"
        else:
            return "Throughout the agreement"
        organisation = self.organisation
        if last and organisation.successor_id and organisation.dissolved_on == last:
            text += f", succeeded by {organisation.successor.name}"
        return text

    def clean(self):
        if self.from_date and self.to_date and self.to_date < self.from_date:
            raise ValidationError({"to_date": "A partner's last day is on or after its first."})


class Decision(models.Model):
    """A formal decision about an agreement: its approval, an extension, a variation."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", "Approval to enter the agreement"
        EXTENSION = "extension", "Extension"
        VARIATION = "variation", "Variation"
        TERMINATION = "termination", "Termination"
        SCRUTINY = "scrutiny", "Scrutiny"

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    outcome = models.CharField(
        max_length=8,
        choices=Outcome.choices,
        default=Outcome.APPROVED,
        help_text="A refusal is a decision too: it is kept, and authorises no term.",
    )
    decided_on = models.DateField()
    body = models.CharField(max_length=200, help_text="Who decided, e.g. Executive.")
    reference = models.CharField(
        max_length=60, blank=True, help_text="The report or minute reference, e.g. DSSH04050."
    )
    summary = models.TextField()
    value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The value the decision authorised, in pounds, where it has one.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "decided_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="decision_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["approval", "extension", "variation", "termination", "scrutiny"]
                ),
                name="decision_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["approved", "refused"]), name="decision_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        refused = " (refused)" if self.outcome == self.Outcome.REFUSED else ""
        return f"{self.get_kind_display()}{refused}: {self.body}, {self.decided_on:%d %B %Y}"


class AgreementTerm(models.Model):
    """A period the agreement runs for: the initial term, then each extension."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial term"
        EXTENSION = "extension", "Extension"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    authorised_by = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        related_name="terms",
        help_text="The decision that authorised this term.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="agreement_term_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["agreement", "start_date"], name="agreement_term_start_unique"
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(kind="initial"),
                name="agreement_one_initial_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y}"

    def clean(self):
        if (
            self.authorised_by_id
            and self.agreement_id
            and self.authorised_by.agreement_id != self.agreement_id
        ):
            raise ValidationError({"authorised_by": "Choose a decision about this agreement."})
        if self.authorised_by_id and self.authorised_by.outcome == Decision.Outcome.REFUSED:
            raise ValidationError({"authorised_by": "A refused decision authorises no term."})
        if not (self.agreement_id and self.start_date and self.end_date):
            return
        others = AgreementTerm.objects.filter(agreement_id=self.agreement_id).exclude(pk=self.pk)
        overlapping = others.filter(start_date__lte=self.end_date, end_date__gte=self.start_date)
        if overlapping.exists():
            raise ValidationError(f"This term overlaps the {overlapping.first()}.")
        if self.kind == self.Kind.EXTENSION:
            before = others.filter(end_date__lt=self.start_date).order_by("-end_date").first()
            if before is None:
                raise ValidationError({"kind": "An extension must follow an earlier term."})
            day_after = before.end_date + datetime.timedelta(days=1)
            if self.start_date != day_after:
                raise ValidationError(
                    {
                        "start_date": "An extension starts the day after the term before it "
                        f"ends: {long_date(day_after)}."
                    }
                )

    def length_in_years(self) -> Decimal:
        days = (self.end_date - self.start_date).days + 1
        return (Decimal(days) / Decimal("365.25")).quantize(Decimal("0.1"))


class ApprovalThreshold(models.Model):
    """A partner's rule for who must approve a decision over a value, e.g. a council's
    contract procedure rule that extensions over £1,000,000 go to the Executive."""

    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.CASCADE, related_name="approval_thresholds"
    )
    decision_kind = models.CharField(max_length=12, choices=Decision.Kind.choices)
    exceeds = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Applies to values over this, in pounds."
    )
    approver = models.CharField(max_length=200, help_text="Who must approve, e.g. Executive.")
    also_required = models.TextField(blank=True, help_text="Others who must agree first.")
    rule = models.CharField(max_length=100, blank=True, help_text="e.g. CPR 13.1")

    class Meta:
        ordering = ["organisation", "decision_kind", "exceeds"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "decision_kind", "exceeds"],
                name="approval_threshold_unique",
            ),
            models.CheckConstraint(
                condition=Q(exceeds__gte=0), name="approval_threshold_not_negative"
            ),
        ]

    def __str__(self) -> str:
        over = f"{self.decision_kind} over {money(self.exceeds)}"
        return f"{self.organisation.short_name}: {over} → {self.approver}"


class Proposal(models.Model):
    """A proposed extension or variation of an agreement, awaiting the partners' decision.

    Kept apart from Decision because a Decision records something a body decided (on a
    date, under a reference): a proposal has neither yet, and may be refused. When the
    decision is recorded, the proposal points to it and is no longer open; its history
    keeps what was proposed. Only one proposal is open per agreement at a time: two open
    extensions would each start the day after the same end date.
    """

    class Kind(models.TextChoices):
        EXTENSION = "extension", "Extension"
        VARIATION = "variation", "Variation"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    proposed_end_date = models.DateField(
        null=True, blank=True, help_text="The new end date an extension would give."
    )
    value = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="The value it commits, in pounds."
    )
    option_end_date = models.DateField(
        null=True,
        blank=True,
        help_text="An extension with an option: the end date exercising the option would give.",
    )
    option_exercise_by = models.DateField(
        null=True, blank=True, help_text="The last day the option may be exercised."
    )
    option_value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The value the option period would commit, in pounds.",
    )
    summary = models.TextField()
    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        help_text="The decision on it, once recorded.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["extension", "variation"]), name="proposal_kind_valid"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="proposal_value_not_negative"),
            models.CheckConstraint(
                condition=Q(kind="variation") | Q(proposed_end_date__isnull=False),
                name="proposal_extension_has_end_date",
            ),
            models.CheckConstraint(
                condition=Q(kind="extension") | Q(proposed_end_date__isnull=True),
                name="proposal_variation_keeps_end_date",
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(decision__isnull=True),
                name="proposal_one_open_per_agreement",
            ),
            models.CheckConstraint(
                condition=Q(
                    option_end_date__isnull=True,
                    option_exercise_by__isnull=True,
                    option_value__isnull=True,
                )
                | Q(
                    kind="extension",
                    option_end_date__isnull=False,
                    option_exercise_by__isnull=False,
                    option_value__isnull=False,
                ),
                name="proposal_option_whole_and_on_an_extension",
            ),
            models.CheckConstraint(
                condition=Q(option_end_date__isnull=True)
                | Q(
                    option_end_date__gt=F("proposed_end_date"),
                    option_exercise_by__lte=F("proposed_end_date"),
                    option_value__gte=0,
                ),
                name="proposal_option_follows_the_extension",
            ),
        ]

    def __str__(self) -> str:
        return f"Proposed {self.get_kind_display().lower()}: {self.summary[:60]}"

    @property
    def is_open(self) -> bool:
        return self.decision_id is None

    @property
    def has_option(self) -> bool:
        return self.option_end_date is not None

    @property
    def value_with_option(self) -> Decimal:
        """What the proposal commits if the option is exercised: the approval route is
        applied to this, as councils' contract rules count options in a contract's value."""
        return self.value + (self.option_value or Decimal(0))


class ExtensionOption(models.Model):
    """An option the partners may exercise to run the agreement on after an extension: the
    "+1" of a "1+1" extension. Approved with the extension, it is not a term: the
    agreement's end date, its standing and its terms stay as the extension left them until
    the option is exercised by a decision made by `exercise_by`, which adds the term it
    gives (`term`). Otherwise it lapses.

    Kept apart from AgreementTerm so that every reader of terms (the end date, standing,
    the terms table, papers, reminders) stays right without learning to leave options out.
    That it starts the day after its extension ends spans two rows: `clean` and the write
    actions (records.actions.terms) check it, as ADR 0005 has for such rules.
    """

    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        EXERCISED = "exercised", "Exercised"
        LAPSED = "lapsed", "Lapsed"

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="extension_options"
    )
    extension = models.OneToOneField(
        AgreementTerm,
        on_delete=models.PROTECT,
        related_name="option",
        help_text="The extension the option would follow.",
    )
    start_date = models.DateField()
    end_date = models.DateField()
    exercise_by = models.DateField(help_text="The last day the partners may exercise it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    exercised_by = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exercised_options",
        help_text="The decision that exercised it, once exercised.",
    )
    term = models.OneToOneField(
        AgreementTerm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="from_option",
        help_text="The term exercising it gave.",
    )
    lapsed_on = models.DateField(null=True, blank=True, help_text="When it was recorded lapsed.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="extension_option_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(exercise_by__lt=F("start_date")),
                name="extension_option_exercised_before_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["available", "exercised", "lapsed"]),
                name="extension_option_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="exercised", exercised_by__isnull=False, term__isnull=False)
                    | (~Q(status="exercised") & Q(exercised_by__isnull=True, term__isnull=True))
                ),
                name="extension_option_exercised_has_decision_and_term",
            ),
            models.CheckConstraint(
                condition=Q(status="lapsed", lapsed_on__isnull=False)
                | (~Q(status="lapsed") & Q(lapsed_on__isnull=True)),
                name="extension_option_lapsed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Option to extend to {long_date(self.end_date)} ({self.get_status_display().lower()})"
        )

    @property
    def is_available(self) -> bool:
        return self.status == self.Status.AVAILABLE

    @property
    def text(self) -> str:
        """As the agreement page and papers say it."""
        if self.status == self.Status.EXERCISED:
            return f"the option to extend to {long_date(self.end_date)} was exercised"
        if self.status == self.Status.LAPSED:
            return f"the option to extend to {long_date(self.end_date)} lapsed"
        return (
            f"with an option to extend to {long_date(self.end_date)} "
            f"(to be exercised by {long_date(self.exercise_by)})"
        )

    def clean(self):
        if not (self.extension_id and self.start_date):
            return
        if self.agreement_id and self.extension.agreement_id != self.agreement_id:
            raise ValidationError({"extension": "Choose an extension of this agreement."})
        if self.extension.kind != AgreementTerm.Kind.EXTENSION:
            raise ValidationError({"extension": "An option follows an extension."})
        day_after = self.extension.end_date + datetime.timedelta(days=1)
        if self.start_date != day_after:
            raise ValidationError(
                {
                    "start_date": "An option starts the day after the extension before it "
                    f"ends: {long_date(day_after)}."
                }
            )
