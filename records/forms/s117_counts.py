"""Recording how many people a team has on the s117 register, where it reports a total."""

from django import forms

from caseload.models import Team
from partnerships.govuk_forms import GovukDateField, GovukForm

MAX_PEOPLE = 1_000_000


class RegisterCountForm(GovukForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        label="Team",
        empty_label="Choose a team",
        error_messages={"required": "Choose the team the count is for"},
    )
    as_at = GovukDateField(
        label="Date of the count",
        what="the date of the count",
        help_text="The day the team's register was counted, for example 31 3 2027",
    )
    people = forms.IntegerField(
        label="People entitled to s117 aftercare",
        min_value=0,
        max_value=MAX_PEOPLE,
        error_messages={
            "required": "Enter the number of people on the team's register",
            "invalid": "Enter the number of people as a whole number, such as 302",
            "min_value": "The number of people can't be below 0",
            "max_value": f"The number of people must be {MAX_PEOPLE:,} or fewer: check it",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    source = forms.CharField(
        label="Where the count came from (optional)",
        help_text="For example, the team's register report of 31 March 2027.",
        required=False,
        max_length=200,
        error_messages={"max_length": "Say where the count came from in 200 characters or fewer"},
    )

    def __init__(self, *args, agreement, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["team"].queryset = Team.objects.filter(agreement=agreement).order_by("name")

    def clean_as_at(self):
        as_at = self.cleaned_data["as_at"]
        if as_at is not None and as_at > self.today:
            raise forms.ValidationError("The date of the count must be today or in the past")
        return as_at

    def clean(self):
        cleaned = super().clean()
        team, as_at = cleaned.get("team"), cleaned.get("as_at")
        if team and as_at and not team.in_agreement_on(as_at):
            self.add_error(
                "as_at",
                f"{team.name} had left the agreement by then, on "
                f"{team.left_agreement_on:%-d %B %Y}: give a date before that",
            )
        return cleaned
