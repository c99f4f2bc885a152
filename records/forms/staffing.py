"""The staffing forms: a new post, a change to a post, a team's establishment.

Each says what it expects in words an officer would use, names the field at fault, and
checks the models' own rules (StaffPost.clean, its constraints, its change dates) before
anything is saved, so a refused form saves nothing and says why.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from caseload.models import StaffPost
from core.formatting import wte
from records.forms.staffing_fields import (
    GovukDateField,
    GovukForm,
    OrganisationField,
    WTEField,
    select,
)

Basis = StaffPost.Basis
FILLED_BASES = [(value, label) for value, label in Basis.choices if value != Basis.VACANT]
AMHP_MESSAGE = "An Approved Mental Health Professional must be employed by a council."
YES_NO = [("yes", "Yes"), ("no", "No")]


def _employer_rules(form, basis: str | None, employer, role: str | None) -> None:
    """Vacant means no employer; filled means one, a council's for an AMHP."""
    if not basis:
        return
    if basis == Basis.VACANT and employer is not None:
        form.add_error(
            "employer",
            "A vacant post has no employer: choose “None: the post is vacant”, "
            "or choose the basis the post is filled on.",
        )
    elif basis != Basis.VACANT and employer is None:
        form.add_error(
            "employer",
            "Choose the employer of the post's holder: a filled post must have one.",
        )
    elif role == StaffPost.StaffRole.AMHP and employer is not None and employer.kind != "council":
        form.add_error("employer", AMHP_MESSAGE)


class AddPostForm(GovukForm):
    team = forms.TypedChoiceField(label="Team", coerce=int)
    reference = forms.CharField(
        label="Post reference",
        max_length=30,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "spellcheck": "false"}
        ),
        help_text="The establishment post number, such as CMHT-SW-16. Unique in the team.",
        error_messages={
            "required": "Enter the post reference, such as CMHT-SW-16.",
            "max_length": "The post reference must be 30 characters or fewer.",
        },
    )
    role = select(
        StaffPost.StaffRole.choices,
        empty_label="Choose a role",
        label="Role",
        error_messages={"required": "Choose the post's role."},
    )
    wte = WTEField(required=True)
    case_holding = forms.ChoiceField(
        label="Does the post hold cases?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the post holds cases."},
    )
    basis = select(
        Basis.choices,
        empty_label="Choose a basis",
        label="Basis",
        help_text="Seconded: a council's employee working in the trust. Vacant: nobody holds it.",
        error_messages={"required": "Choose the basis: seconded, TUPE, direct or vacant."},
    )
    origin = select(
        StaffPost.Origin.choices,
        empty_label="Choose how the post came in",
        label="How the post came into the partnership",
        error_messages={"required": "Choose how the post came into the partnership."},
    )
    valid_from = GovukDateField(
        what="the start date",
        label="Start date",
        help_text="The first day the agreement funds the post, for example 1 4 2026.",
    )

    def __init__(self, data=None, *, teams, partners, initial_team=None):
        super().__init__(data, initial={"team": initial_team})
        self.teams = {team.pk: team for team in teams}
        self.fields["team"].choices = [("", "Choose a team")] + [
            (team.pk, team.name) for team in teams
        ]
        self.fields["team"].widget.attrs["class"] = "govuk-select"
        self.fields["team"].error_messages |= {
            "required": "Choose the team the post is in.",
            "invalid_choice": "Choose one of the partnership's teams from the list.",
        }
        self.fields["funder"] = OrganisationField(
            partners,
            empty_label="Choose the funder",
            label="Funder",
            help_text="The partner whose contribution pays for the post.",
            error_messages={"required": "Choose the partner that funds the post."},
        )
        self.fields["employer"] = OrganisationField(
            partners,
            empty_label="None: the post is vacant",
            label="Employer",
            help_text="Who employs the post's holder. Leave as “None” for a vacant post.",
            required=False,
        )
        self.order_fields(["team", "reference", "role", "wte", "case_holding", "funder"])
        self._describe()

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()

    def clean(self):
        data = super().clean()
        team = self.teams.get(data.get("team"))
        data["team"] = team
        data["case_holding"] = data.get("case_holding") == "yes"
        _employer_rules(self, data.get("basis"), data.get("employer"), data.get("role"))
        reference = data.get("reference")
        if team is not None and reference and team.posts.filter(reference=reference).exists():
            self.add_error(
                "reference",
                f"{team.name} already has a post {reference}: give this post another reference.",
            )
        return data


class Change:
    VACANT = "vacant"
    FILLED = "filled"
    WTE = "wte"
    EMPLOYMENT = "employment"
    ENDED = "ended"


# The fields each kind of change reads; the others are left as they are, right or wrong.
READS = {
    Change.VACANT: set(),
    Change.FILLED: {"employer", "basis"},
    Change.WTE: {"wte"},
    Change.EMPLOYMENT: {"funder", "employer", "basis"},
    Change.ENDED: set(),
}


class ChangePostForm(GovukForm):
    """What has changed about a post, and from when. The choices follow the post: a filled
    post can fall vacant, a vacant one be filled."""

    change = forms.ChoiceField(
        label="What has changed?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what has changed about the post.",
            # The choices follow the post as it is now: someone may have changed it since.
            "invalid_choice": "That no longer applies: the post has changed since this page "
            "was shown. Check it and choose again.",
        },
    )
    wte = WTEField(label="New WTE", required=False)
    basis = select(FILLED_BASES, empty_label="Choose a basis", label="Basis", required=False)
    on = GovukDateField(
        what="the date",
        label="When did it happen?",
        help_text=(
            "The day the change took effect, for example 1 12 2026. "
            "For a post that has ended, its last day (which may be to come)."
        ),
    )

    def __init__(self, data=None, *, post: StaffPost, partners):
        super().__init__(data, initial={"wte": post.wte, "basis": post.basis})
        self.post = post
        vacant = post.vacant
        self.fields["change"].choices = [
            (Change.FILLED, "The post has been filled")
            if vacant
            else (Change.VACANT, "The post has fallen vacant"),
            (Change.WTE, "Its WTE has changed"),
            (Change.EMPLOYMENT, "Its funder has changed")
            if vacant
            else (Change.EMPLOYMENT, "Its funder, employer or basis has changed"),
            (Change.ENDED, "The post has ended, or will end"),
        ]
        self.fields["funder"] = OrganisationField(
            partners, empty_label="Choose the funder", label="Funder", required=False
        )
        self.fields["employer"] = OrganisationField(
            partners, empty_label="Choose the employer", label="Employer", required=False
        )
        self.initial |= {"funder": str(post.funder_id), "employer": str(post.employer_id or "")}
        if vacant:
            self.initial["basis"] = ""
        self._describe()

    def clean(self):
        data = super().clean()
        change, on = data.get("change"), data.get("on")
        for name in {"wte", "basis", "funder", "employer"} - READS.get(change, set()):
            self.errors.pop(name, None)  # a field of another kind of change
        if change == Change.WTE:
            self._clean_wte(data)
        elif change in (Change.FILLED, Change.EMPLOYMENT):
            self._clean_employment(change, data)
        if on is None or change is None:
            return data
        try:
            if change == Change.ENDED:
                self.post.check_last_day(on)
            else:
                self.post.check_change_on(on, today=timezone.localdate())
        except ValidationError as error:
            self.add_error("on", error)
        return data

    def _clean_wte(self, data):
        if "wte" not in data:
            return  # its own message is given
        if data["wte"] is None:
            self.add_error("wte", "Enter the post's new WTE, such as 0.80.")
        elif data["wte"] == self.post.wte:
            self.add_error(
                "wte", f"The post is {wte(self.post.wte)} WTE already: enter its new WTE."
            )

    def _clean_employment(self, change, data):
        post = self.post
        if change == Change.EMPLOYMENT and post.vacant:
            data["employer"], data["basis"] = None, Basis.VACANT
        elif not data.get("basis"):
            self.add_error("basis", "Choose the basis the post is filled on.")
        if change == Change.FILLED or not post.vacant:
            _employer_rules(
                self, data.get("basis") or Basis.SECONDED, data.get("employer"), post.role
            )
        if change == Change.EMPLOYMENT:
            data["funder"] = data.get("funder")
            if data["funder"] is None:
                self.add_error("funder", "Choose the partner that funds the post.")
            elif (data["funder"], data.get("employer"), data.get("basis")) == (
                post.funder,
                post.employer,
                post.basis,
            ):
                self.add_error(
                    "funder",
                    "Nothing has changed: choose a new funder, employer or basis, "
                    "or another kind of change.",
                )


class EstablishmentForm(GovukForm):
    establishment = forms.CharField(
        label="Establishment (WTE)",
        help_text=(
            "All the team's staff, health and social care, in whole-time equivalents, as "
            "the operator reports it: for example 52.50."
        ),
        error_messages={"required": "Enter the team's establishment in WTE, such as 52.50."},
    )

    def __init__(self, data=None, *, team):
        self.team = team
        establishment = "" if team.establishment_wte is None else f"{team.establishment_wte}"
        super().__init__(data, initial={"establishment": establishment})
        self.fields["establishment"].widget.attrs.update(
            {
                "class": "govuk-input govuk-input--width-5",
                "inputmode": "decimal",
                "spellcheck": "false",
            }
        )
        self._describe()

    def clean_establishment(self) -> Decimal:
        text = self.cleaned_data["establishment"].strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError("Enter the establishment as a number, such as 52.50.") from None
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(5000):
            raise ValidationError(f"The establishment must be from 0 to 5,000 WTE: {text} is not.")
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError("The establishment must have no more than two decimal places.")
        if value == self.team.establishment_wte:
            raise ValidationError(
                f"The establishment is {value} WTE already: enter the new figure."
            )
        return value.quantize(Decimal("0.01"))
