from django import forms

from s117 import nhs_number
from s117.models import SUPPORT_CATEGORIES, AftercarePackage, RegisterEntry
from s117.validators import validate_person_reference


class RegisterEntryForm(forms.ModelForm):
    # Wide enough for the spaced form people type ("943 476 5919"); stored as 10 digits.
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=13,
        required=False,
        help_text="10 digits; spaces are fine, e.g. 943 476 5919.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    # The version of the entry the form was opened on: a save is refused if the entry has
    # changed since (an upload, another officer), rather than putting back what it held.
    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RegisterEntry
        # The admin's fieldsets choose and order the fields shown.
        fields = "__all__"  # noqa: DJ007

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self._version()

    def _version(self) -> str:
        latest = self.instance.history.order_by("-history_id").values_list("history_id")[:1]
        return str(next(iter(latest), ("",))[0])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            # The admin saves inside a transaction: the row stays locked until it is saved.
            RegisterEntry.objects.select_for_update().filter(pk=self.instance.pk).exists()
            if self.data.get(self.add_prefix("seen_version"), "") != self._version():
                raise forms.ValidationError(
                    "This entry has changed since you opened it (an upload or another "
                    "officer saved it): nothing was saved. Open it again to see it as it is "
                    "now, then make your change.",
                    code="changed_since_opened",
                )
        return cleaned

    def clean_nhs_number(self) -> str:
        return nhs_number.normalise(self.cleaned_data["nhs_number"])

    def clean_person_reference(self) -> str:
        """A new or changed reference keeps to the rule; one stored before it may stay."""
        reference = self.cleaned_data["person_reference"]
        if self.instance.pk is None or reference != self.instance.person_reference:
            validate_person_reference(reference)
        return reference


class PeopleSearchForm(forms.Form):
    """The s117 officer's search of the register and its filters, read from the address
    so that a search can be bookmarked, paged and exported as it is."""

    q = forms.CharField(label="NHS number or reference", required=False, max_length=40, strip=True)
    team = forms.ChoiceField(label="Team", required=False)
    reason = forms.ChoiceField(
        label="Primary support reason",
        required=False,
        choices=[("", "Any"), *SUPPORT_CATEGORIES.items()],
    )
    placement = forms.ChoiceField(
        label="Placement in force today",
        required=False,
        choices=[("", "Any"), *AftercarePackage.Placement.choices],
    )
    overdue = forms.BooleanField(label="Review overdue", required=False)
    cto = forms.BooleanField(label="Community Treatment Order in force", required=False)

    def __init__(self, data, *, teams):
        super().__init__(data)
        self.fields["team"].choices = [("", "Any"), *((str(t.pk), t.name) for t in teams)]

    def criteria(self) -> dict:
        """What was asked for, with anything that doesn't read left out."""
        self.is_valid()  # a choice no longer offered is left out, not an error page
        return {name: value for name, value in self.cleaned_data.items() if value}
