"""The action plan as JMG members and commissioners keep it: reviews, their
recommendations, each action's owner, due date and status, and progress notes."""

from django import forms
from django.utils import timezone

from partnerships.govuk_forms import GovukDateField, GovukModelForm
from partnerships.models import ProgressNote, Recommendation, Review

OWNER_HINT = "A role title, not a person's name, for example Head of Mental Health Social Work."


class ReviewForm(GovukModelForm):
    reported_on = GovukDateField(
        what="the date it was reported on",
        label="Reported on (optional)",
        required=False,
        help_text="For example, 27 4 2023.",
    )

    class Meta:
        model = Review
        fields = ["title", "carried_out", "reported_on", "reported_to", "reference"]
        labels = {
            "title": "Title",
            "carried_out": "When it was carried out",
            "reported_to": "Reported to (optional)",
            "reference": "Reference (optional)",
        }
        help_texts = {
            "title": "For example, Section 31 Review 2021.",
            "carried_out": "For example, second half of 2021.",
            "reported_to": "The committee or board, for example Health Scrutiny Sub-Committee.",
            "reference": "The report's reference, for example ACH23-019.",
        }
        error_messages = {
            "title": {"required": "Enter the review's title"},
            "carried_out": {"required": "Enter when the review was carried out"},
        }

    def __init__(self, *args, agreement, **kwargs):
        self.agreement = agreement
        super().__init__(*args, **kwargs)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if Review.objects.filter(agreement=self.agreement, title__iexact=title).exists():
            raise forms.ValidationError(f"This partnership already has a review called {title}")
        return title


class RecommendationForm(GovukModelForm):
    due_date = GovukDateField(
        what="the due date",
        label="Due date (optional)",
        required=False,
        help_text="For example, 31 3 2027.",
    )

    class Meta:
        model = Recommendation
        fields = ["reference", "text", "owner", "due_date"]
        labels = {"reference": "Reference", "text": "Recommendation", "owner": "Owner"}
        help_texts = {
            "reference": "The paragraph number in the review, for example 3.8.4.",
            "owner": OWNER_HINT,
        }
        widgets = {
            "reference": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
            "text": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "reference": {"required": "Enter the recommendation's reference, for example 3.8.4"},
            "text": {"required": "Enter the recommendation"},
            "owner": {"required": "Enter the role that owns the action"},
        }

    def __init__(self, *args, review, **kwargs):
        self.review = review
        super().__init__(*args, **kwargs)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if Recommendation.objects.filter(review=self.review, reference=reference).exists():
            raise forms.ValidationError(
                f"{self.review.title} already has a recommendation {reference}"
            )
        return reference


class ActionForm(GovukModelForm):
    due_date = GovukDateField(
        what="the due date",
        label="Due date (optional)",
        required=False,
        help_text="For example, 31 3 2027.",
    )

    class Meta:
        model = Recommendation
        fields = ["owner", "due_date", "status"]
        labels = {"owner": "Owner", "status": "Status"}
        help_texts = {
            "owner": OWNER_HINT,
            "status": "Marking it complete records today as the day it was completed.",
        }
        error_messages = {
            "owner": {"required": "Enter the role that owns the action"},
            "status": {
                "required": "Select the action's status",
                "invalid_choice": "Select one of the statuses listed",
            },
        }


class ProgressNoteForm(GovukModelForm):
    written_on = GovukDateField(
        what="the date of the update", label="Date", help_text="For example, 30 11 2026."
    )

    class Meta:
        model = ProgressNote
        fields = ["written_on", "note"]
        labels = {"note": "Progress"}
        help_texts = {"note": "What has been done, and what is still to do."}
        widgets = {"note": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"note": {"required": "Enter the progress made"}}

    def clean_written_on(self):
        day = self.cleaned_data["written_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The date of the update must be today or in the past")
        return day
