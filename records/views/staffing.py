"""The agreement's staff posts, kept by its commissioners without the admin: the posts
page (for everyone who sees the dashboards), a post and its history, and the forms that
add a post, record a change to one, and change a team's establishment (keep_staffing)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from caseload.models import StaffPost, Team
from core.formatting import long_date, wte
from partnerships.dashboard import section_context
from partnerships.permissions import can, partnership_view
from records.actions import staffing as actions
from records.forms.staffing import AddPostForm, Change, ChangePostForm, EstablishmentForm
from records.selectors import staffing as selectors


def _context(request, agreement, **extra) -> dict:
    return section_context(request, agreement, "staffing", None) | {
        "may_keep_staffing": can(request.user, "keep_staffing", agreement),
        **extra,
    }


def _post_in(agreement, post_id) -> StaffPost:
    """One of the agreement's posts, or 404: another partnership's post is not found."""
    return get_object_or_404(
        StaffPost.objects.select_related("team", "funder", "employer"),
        pk=post_id,
        team__agreement=agreement,
    )


def _posted(request):
    """The posted form, even an empty one (which is bound, and so says what's missing)."""
    return request.POST if request.method == "POST" else None


def _refused(form, error: ValidationError, field: str | None = None) -> None:
    """A model rule the form didn't foresee: shown on the form, nothing saved."""
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            form.add_error(name if name in form.fields else field, problems)
    else:
        form.add_error(field, error)


@partnership_view("view_dashboard")
def staff_posts(request, agreement):
    today = timezone.localdate()
    teams, ended = selectors.posts_page(agreement, today)
    return render(
        request,
        "records/staffing_posts.html",
        _context(request, agreement, teams=teams, ended=ended, today=today),
    )


@partnership_view("keep_staffing")
def add_staff_post(request, agreement):
    today = timezone.localdate()
    teams = selectors.teams_in(agreement, today)
    form = AddPostForm(
        _posted(request),
        teams=teams,
        partners=selectors.partners(agreement, today),
        initial_team=request.GET.get("team"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            post = actions.add_post(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, f"Post {post.reference} added to {post.team.name}.")
            return redirect("staff_post", agreement.slug, post.pk)
    return render(request, "records/staffing_add.html", _context(request, agreement, form=form))


@partnership_view("view_dashboard")
def staff_post(request, agreement, post_id):
    post = _post_in(agreement, post_id)
    context = _context(
        request,
        agreement,
        post=post,
        ended=post.ended_by(timezone.localdate()),
        changes=selectors.post_changes(post),
    )
    return render(request, "records/staffing_post.html", context)


def _apply(change: str, *, by, post: StaffPost, data: dict) -> str:
    """Record the change the form describes; say what was recorded."""
    on = data["on"]
    if change == Change.VACANT:
        actions.record_vacancy(by=by, post=post, on=on)
        return f"Post {post.reference} recorded as vacant from {long_date(on)}."
    if change == Change.FILLED:
        actions.record_filled(
            by=by, post=post, employer=data["employer"], basis=data["basis"], on=on
        )
        return f"Post {post.reference} recorded as filled from {long_date(on)}."
    if change == Change.WTE:
        actions.change_wte(by=by, post=post, wte=data["wte"], on=on)
        return f"Post {post.reference} is {wte(post.wte)} WTE from {long_date(on)}."
    if change == Change.EMPLOYMENT:
        actions.change_employment(
            by=by,
            post=post,
            funder=data["funder"],
            employer=data["employer"],
            basis=data["basis"],
            on=on,
        )
        return f"Post {post.reference}'s funding and employment changed from {long_date(on)}."
    actions.end_post(by=by, post=post, last_day=on)
    return f"Post {post.reference} ends on {long_date(on)}."


@partnership_view("keep_staffing")
def change_staff_post(request, agreement, post_id):
    post = _post_in(agreement, post_id)
    partners = selectors.partners(
        agreement, timezone.localdate(), also=(post.funder, post.employer)
    )
    form = ChangePostForm(_posted(request), post=post, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            said = _apply(
                form.cleaned_data["change"], by=request.user, post=post, data=form.cleaned_data
            )
        except ValidationError as error:
            post.refresh_from_db()
            _refused(form, error, "on")
        else:
            messages.success(request, said)
            return redirect("staff_post", agreement.slug, post.pk)
    context = _context(request, agreement, post=post, form=form)
    return render(request, "records/staffing_change.html", context)


@partnership_view("keep_staffing")
def change_team_establishment(request, agreement, team_id):
    team = get_object_or_404(Team, pk=team_id, agreement=agreement)
    form = EstablishmentForm(_posted(request), team=team)
    if request.method == "POST" and form.is_valid():
        actions.set_establishment(
            by=request.user, team=team, wte=form.cleaned_data["establishment"]
        )
        messages.success(
            request, f"{team.name}'s establishment is now {wte(team.establishment_wte)} WTE."
        )
        return redirect("staff_posts", agreement.slug)
    context = _context(
        request, agreement, team=team, form=form, changes=selectors.team_changes(team)
    )
    return render(request, "records/staffing_establishment.html", context)
