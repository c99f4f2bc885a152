"""The forms of an entitlement's lifecycle (s117.lifecycle): ending it by joint decision,
ending a package or changing its own review date, and a change of who is responsible, in
GOV.UK markup (partnerships.govuk_forms). The forms read what was typed; what may be
saved is the action's to say, on the same fields."""

from django import forms

from partnerships.govuk_forms import GovukDateField, GovukForm
from partnerships.models import Organisation

REASON_LIMIT = {"max_length": "Give the reason in 2,000 characters or fewer"}


def _reason(label: str, hint: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": required_message} | REASON_LIMIT,
    )


class EndEntitlementForm(GovukForm):
    """The joint decision of the council and the ICB to end a person's aftercare."""

    ended_on = GovukDateField(
        label="Date aftercare ends",
        what="the date aftercare ends",
        help_text="On or after discharge, for example 30 11 2026",
    )
    end_agreed_by_council_on = GovukDateField(
        label="Date the council agreed",
        what="the date the council agreed: ending is a joint decision",
        help_text="For example, 20 11 2026",
    )
    end_agreed_by_icb_on = GovukDateField(
        label="Date the ICB agreed",
        what="the date the ICB agreed: ending is a joint decision",
        help_text="For example, 24 11 2026",
    )
    end_reason = _reason(
        "Reason",
        "Why both bodies are satisfied the person no longer needs s117 aftercare services.",
        "Give the reason for ending aftercare",
    )


class PackageEndForm(GovukForm):
    end_date = GovukDateField(
        label="Last day of the package",
        what="the package's last day",
        help_text="On or after its start, for example 31 12 2026",
    )


class PackageReviewForm(GovukForm):
    review_due = GovukDateField(
        label="Next review of the package",
        what="the date the package is next to be reviewed",
        required=False,
        help_text="After its start, for example 1 3 2027. Leave it empty if none is set.",
    )


def _bodies(kinds):
    return Organisation.objects.filter(kind__in=kinds).order_by("name")


class ResponsibilityForm(GovukForm):
    """A change of the council and ICB responsible for a person's aftercare, from a day."""

    starts_on = GovukDateField(
        label="Responsible from",
        what="the day the change of responsibility applies from",
        help_text="The first day the bodies below are responsible, for example 1 11 2026",
    )
    responsible_council = forms.ModelChoiceField(
        label="Responsible council",
        queryset=_bodies(["council"]),
        error_messages={
            "required": "Choose the responsible council",
            "invalid_choice": "Choose the responsible council",
        },
    )
    responsible_icb = forms.ModelChoiceField(
        label="Responsible ICB",
        queryset=_bodies(["icb", "ccg"]),
        help_text="The integrated care board (before July 2022, the CCG).",
        error_messages={
            "required": "Choose the responsible ICB",
            "invalid_choice": "Choose the responsible ICB",
        },
    )
    reason = _reason(
        "Reason",
        "For example: moved to Lambeth; ordinary residence before detention (Care Act 2014 "
        "s39, and the 2016 rules).",
        "Give the reason responsibility changes",
    )

    def __init__(self, *args, entry, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "responsible_council": entry.responsible_council_id,
                "responsible_icb": entry.responsible_icb_id,
            },
        )
        super().__init__(*args, **kwargs)
