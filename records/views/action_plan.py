"""Pages for keeping the action plan: reviews, their recommendations, and each action's
owner, due date, status and progress (keep_action_plan)."""

from copy import copy

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from partnerships.dashboard import section_context
from partnerships.permissions import partnership_view
from records.actions import action_plan as actions
from records.forms.action_plan import ActionForm, ProgressNoteForm, RecommendationForm, ReviewForm
from records.selectors.action_plan import (
    action_changes,
    progress_of,
    recommendation_of,
    review_of,
    reviews_of,
    who_added,
)


def _context(request, agreement, *, to_plan: bool = True, **more) -> dict:
    crumbs = [("Action plan", reverse("actions", args=[agreement.slug]))]
    if to_plan:
        crumbs.append(
            ("Keep the action plan", reverse("records_action_plan", args=[agreement.slug]))
        )
    return section_context(request, agreement, "actions", None) | {"crumbs": crumbs} | more


@partnership_view("keep_action_plan")
def plan(request, agreement):
    added = who_added(agreement)
    reviews = [(review, added.get(review.pk)) for review in reviews_of(agreement)]
    context = _context(request, agreement, to_plan=False, reviews=reviews)
    return render(request, "records/action_plan_reviews.html", context)


@partnership_view("keep_action_plan")
def add_review(request, agreement):
    form = ReviewForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        review = actions.add_review(by=request.user, agreement=agreement, **form.cleaned_data)
        messages.success(request, f"Added the review {review.title}.")
        return redirect("records_action_plan", agreement.slug)
    context = _context(request, agreement, form=form, heading="Add a review")
    return render(request, "records/action_plan_form.html", context)


@partnership_view("keep_action_plan")
def add_recommendation(request, agreement, review_id):
    review = review_of(agreement, review_id)
    form = RecommendationForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        recommendation = actions.add_recommendation(
            by=request.user, review=review, **form.cleaned_data
        )
        messages.success(request, f"Added recommendation {recommendation.reference}.")
        return redirect("records_action_plan", agreement.slug)
    context = _context(
        request, agreement, form=form, heading="Add a recommendation", caption=review.title
    )
    return render(request, "records/action_plan_form.html", context)


@partnership_view("keep_action_plan")
def change_action(request, agreement, recommendation_id):
    recommendation = recommendation_of(agreement, recommendation_id)
    # A copy for the form: validating a ModelForm writes the input into its instance.
    form = ActionForm(request.POST or None, instance=copy(recommendation))
    if request.method == "POST" and form.is_valid():
        actions.change_action(
            by=request.user,
            recommendation=recommendation,
            today=timezone.localdate(),
            **form.cleaned_data,
        )
        messages.success(request, f"Saved recommendation {recommendation.reference}.")
        return redirect("change_action", agreement.slug, recommendation.pk)
    context = _context(
        request,
        agreement,
        form=form,
        recommendation=recommendation,
        notes=progress_of(recommendation),
        changes=action_changes(recommendation),
    )
    return render(request, "records/action_plan_action.html", context)


@partnership_view("keep_action_plan")
def add_progress_note(request, agreement, recommendation_id):
    recommendation = recommendation_of(agreement, recommendation_id)
    form = ProgressNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_progress_note(
            by=request.user, recommendation=recommendation, **form.cleaned_data
        )
        messages.success(request, f"Added a progress note to {recommendation.reference}.")
        return redirect("change_action", agreement.slug, recommendation.pk)
    context = _context(
        request,
        agreement,
        form=form,
        heading=f"Add progress on {recommendation.reference}",
        caption=recommendation.review.title,
        back=reverse("change_action", args=[agreement.slug, recommendation.pk]),
    )
    return render(request, "records/action_plan_form.html", context)
