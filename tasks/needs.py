"""What needs a user's attention today, across every partnership they are a member of.

One list for the home page and the daily reminder email alike, so that the two never
disagree. Each item is there because docs/access.md lets the user both see it and act on
it in that partnership: the check is `can`, never a role name, so the access table stays
the one place that decides. A constant number of queries, however many partnerships the
user is in: each kind of item is read for all of them at once.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from core.formatting import long_date
from partnerships.models import Agreement, Decision, Proposal, Recommendation
from partnerships.permissions import agreements_for, can
from partnerships.standing import standings
from reports.models import PublishedVersion, Report
from returns.selectors import standings_across
from s117.models import RegisterEntry

S117_REVIEW_WARNING_DAYS = 30
NEWLY_PUBLISHED_DAYS = 30  # a paper published within this many days is new to its readers


@dataclass(frozen=True)
class Need:
    """One thing to do. `key` names the item and its state, so a reminder is sent again
    only when the state changes (a due return becoming overdue), never for the same one."""

    kind: str  # return_due, return_sign_off, s117_reviews, actions_overdue, ending,
    # report_draft, report_published
    agreement: Agreement
    text: str
    url: str
    due: datetime.date | None
    overdue: bool
    key: str


def needs_for(user, today: datetime.date) -> list[Need]:
    """Everything the user should act on today, overdue first, then by due date."""
    agreements = list(agreements_for(user, "view_partnership").order_by("short_title"))
    if not agreements:
        return []

    def allowed(action):
        return [a for a in agreements if can(user, action, a)]

    needs = [
        *_returns(allowed("enter_figures"), allowed("sign_off_return"), today),
        *_s117_reviews(allowed("edit_s117_register"), today),
        *_overdue_actions(allowed("view_dashboard"), today),
        *_ending(allowed("view_dashboard"), today),
        *_report_drafts(allowed("publish_reports")),
        *_newly_published(
            [
                a
                for a in allowed("view_published_reports")
                if not can(user, "view_draft_reports", a)
            ],
            today,
        ),
    ]
    far = datetime.date.max
    return sorted(needs, key=lambda n: (not n.overdue, n.due or far, n.agreement.short_title))


def _returns(entering, signing, today) -> list[Need]:
    """Returns due or overdue and not yet submitted, for those who enter figures; returns
    submitted and waiting, for those who sign them off. The same standing as the returns
    page gives (returns.schedule), for the same quarters."""
    wanted = {
        "due": (entering, "return_due"),
        "overdue": (entering, "return_due"),
        "sign_off_due": (signing, "return_sign_off"),
        "sign_off_overdue": (signing, "return_sign_off"),
    }
    unique = {a.pk: a for a in [*entering, *signing]}
    needs = []
    for pk, rows in standings_across(unique.values(), today).items():
        for row in rows:
            code = row["standing"].code
            if code not in wanted or unique[pk] not in wanted[code][0]:
                continue
            needs.append(_return_need(unique[pk], row, wanted[code][1], code))
    return needs


def _return_need(agreement, row, kind, code) -> Need:
    quarter, due = row["quarter"], row["due"]
    overdue = code.endswith("overdue")
    if kind == "return_due":
        date = due.return_due
        text = (
            f"The {quarter.name} return is overdue: it was due by {long_date(date)}"
            if overdue
            else f"The {quarter.name} return is due by {long_date(date)}"
        )
    else:
        date = due.sign_off_due
        text = (
            f"The {quarter.name} return waits for sign-off: it was due by {long_date(date)}"
            if overdue
            else f"The {quarter.name} return waits for sign-off by {long_date(date)}"
        )
    url = reverse("quarterly_return", args=[agreement.slug, quarter.slug])
    state = "overdue" if overdue else "due"
    key = f"{kind.replace('_', '-')}:{agreement.pk}:{quarter.label}:{state}"
    return Need(kind, agreement, text, url, date, overdue, key)


def _s117_reviews(agreements, today) -> list[Need]:
    """Counts of register reviews overdue or due within 30 days, never who: a reminder
    email is no place for personal data. For the register's officers, who do the reviews.
    The key holds the ISO week, so the reminder comes at most weekly while reviews wait."""
    if not agreements:
        return []
    soon = today + datetime.timedelta(days=S117_REVIEW_WARNING_DAYS)
    overdue = RegisterEntry.overdue_for_review(today)
    due = RegisterEntry.in_force(today) & Q(review_due__gte=today, review_due__lte=soon)
    counts = (
        RegisterEntry.objects.filter(agreement__in=agreements)
        .filter(overdue | due)
        .values("agreement_id")
        .annotate(
            overdue=Count("pk", filter=overdue),
            due=Count("pk", filter=due),
            first=Min("review_due"),
        )
    )
    by_pk = {a.pk: a for a in agreements}
    year, week, _ = today.isocalendar()
    needs = []
    for row in counts:
        agreement = by_pk[row["agreement_id"]]
        parts = []
        if row["overdue"]:
            parts.append(f"{_people(row['overdue'])} overdue for review")
        if row["due"]:
            parts.append(f"{_people(row['due'])} due for review within 30 days")
        text = "s117 register: " + "; ".join(parts)
        state = "overdue" if row["overdue"] else "due"
        key = f"s117-reviews:{agreement.pk}:{state}:{year}-W{week:02d}"
        url = reverse("s117_register", args=[agreement.slug])
        needs.append(
            Need("s117_reviews", agreement, text, url, row["first"], bool(row["overdue"]), key)
        )
    return needs


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def _overdue_actions(agreements, today) -> list[Need]:
    """Action-plan recommendations past their due date and still to do. The key holds the
    count, so another action falling overdue brings a new reminder."""
    if not agreements:
        return []
    counts = (
        Recommendation.objects.filter(review__agreement__in=agreements)
        .filter(Recommendation.overdue_on(today))
        .values("review__agreement_id")
        .annotate(n=Count("pk"), first=Min("due_date"))
    )
    by_pk = {a.pk: a for a in agreements}
    needs = []
    for row in counts:
        agreement, n = by_pk[row["review__agreement_id"]], row["n"]
        actions = (
            "1 action in the action plan is" if n == 1 else f"{n} actions in the action plan are"
        )
        text = f"{actions} overdue"
        url = reverse("actions", args=[agreement.slug])
        key = f"actions-overdue:{agreement.pk}:{n}"
        needs.append(Need("actions_overdue", agreement, text, url, row["first"], True, key))
    return needs


def _ending(agreements, today) -> list[Need]:
    """Agreements in force that end within 12, 6 or 3 months (partnerships.standing), and
    whether a further extension is decided: recorded and not yet carried into a term, or
    proposed and awaiting its decision, which is a decision needed. Each links to the
    agreement's terms, where the decision is recorded. The key holds the band and the
    decision, so each step nearer, and each proposal or decision, brings one reminder."""
    standing = {
        pk: found for pk, found in standings(agreements, today).items() if found.code == "ending"
    }
    ending = [a for a in agreements if a.pk in standing]
    if not ending:
        return []
    decided = set(
        Decision.objects.filter(
            agreement__in=ending,
            kind=Decision.Kind.EXTENSION,
            outcome=Decision.Outcome.APPROVED,
            terms__isnull=True,
        ).values_list("agreement_id", flat=True)
    )
    proposed = set(
        Proposal.objects.filter(
            agreement__in=ending, kind=Proposal.Kind.EXTENSION, decision__isnull=True
        ).values_list("agreement_id", flat=True)
    )
    needs = []
    for agreement in ending:
        months = standing[agreement.pk].months
        state, decision = _extension_state(agreement.pk in decided, agreement.pk in proposed)
        text = (
            f"The agreement ends on {long_date(agreement.end_date)}, within {months} months; "
            f"{decision}"
        )
        key = f"agreement-ending:{agreement.pk}:{months}:{state}"
        url = reverse("agreement_terms", args=[agreement.slug])
        needs.append(Need("ending", agreement, text, url, agreement.end_date, False, key))
    return needs


def _extension_state(decided: bool, proposed: bool) -> tuple[str, str]:
    if decided:
        return "decided", "a decision to extend it is recorded"
    if proposed:
        return "proposed", "an extension is proposed: a decision is needed"
    return "undecided", "no decision to extend it is recorded"


def _report_drafts(agreements) -> list[Need]:
    """Reports drafted and never published: a report is published once it has a version."""
    if not agreements:
        return []
    drafts = (
        Report.objects.filter(agreement__in=agreements)
        .filter(~Exists(PublishedVersion.objects.filter(report=OuterRef("pk"))))
        .select_related("agreement")
        .order_by("agreement__short_title", "-period")
    )
    return [
        Need(
            "report_draft",
            report.agreement,
            f"{report.title} is drafted but not published",
            reverse("report", args=[report.agreement.slug, report.pk]),
            None,
            False,
            f"report-draft:{report.pk}",
        )
        for report in drafts
    ]


def _newly_published(agreements, today) -> list[Need]:
    """Papers published in the last NEWLY_PUBLISHED_DAYS, for those who read only what is
    published (those who see drafts knew of them before): the latest version of each."""
    if not agreements:
        return []
    since = today - datetime.timedelta(days=NEWLY_PUBLISHED_DAYS)
    versions = (
        PublishedVersion.objects.filter(
            report__agreement__in=agreements, published_at__date__gt=since
        )
        .select_related("report__agreement")
        .order_by("report_id", "-number")
    )
    latest = {}
    for version in versions:
        latest.setdefault(version.report_id, version)
    return [
        Need(
            "report_published",
            version.report.agreement,
            f"{version.report.title} was published on "
            f"{long_date(timezone.localdate(version.published_at))}",
            reverse(
                "report_version",
                args=[version.report.agreement.slug, version.report_id, version.number],
            ),
            None,
            False,
            f"report-published:{version.pk}",
        )
        for version in sorted(
            latest.values(), key=lambda v: (v.report.agreement.short_title, -v.pk)
        )
    ]
