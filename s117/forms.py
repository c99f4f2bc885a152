from django import forms

from s117 import nhs_number
from s117.models import RegisterEntry


class RegisterEntryForm(forms.ModelForm):
    # Wide enough for the spaced form people type ("943 476 5919"); stored as 10 digits.
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=13,
        required=False,
        help_text="10 digits; spaces are fine, e.g. 943 476 5919.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = RegisterEntry
        # The admin's fieldsets choose and order the fields shown.
        fields = "__all__"  # noqa: DJ007

    def clean_nhs_number(self) -> str:
        return nhs_number.normalise(self.cleaned_data["nhs_number"])
