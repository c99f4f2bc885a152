"""Open every page as every role and compare the answer with docs/access.md.

Kept apart from the test module so that a test can run it against a URL configuration
with a deliberately unprotected view and see it fail.
"""

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from budgets.models import PooledBudget
from caseload.models import StaffPost, Team
from partnerships.models import KPI, Recommendation, Review, Role
from partnerships.permissions import ACCESS
from s117.models import AccessLog, ExportLog

ACCESS_DOC = Path(__file__).resolve().parent.parent / "docs" / "access.md"
DEMO_USERS = {
    Role.JMG_MEMBER.value: "jmg.member",
    Role.COMMISSIONER.value: "commissioner",
    Role.SCRUTINY_OFFICER.value: "scrutiny.officer",
    Role.S117_OFFICER.value: "s117.officer",
}
# Pages that only take a POST are checked by their own tests (tests/partnerships/
# test_return_pages.py); a GET to them is refused with 405 whoever asks.
POST_ONLY = {
    "logout",
    "upload_return",
    "confirm_return",
    "cancel_return",
    "change_return_status",
    "explain_flag",
    "s117_upload_confirm",
    "s117_upload_cancel",
    "start_report",
    "report_narrative",
    "publish_report",
}

# Lists of people that show references, teams and dates, as the register's list does, and
# like it are not written to the access log (docs/access.md, What is logged): opening a
# person's record from them is.
LISTS_NOT_LOGGED = {"s117_reviews_due"}

# Pages of s117 figures that show no one person (an export of the breakdowns): each opening
# is written to the export log, not the access log.
LOGGED_AS_EXPORTS = {"s117_breakdowns_export"}


def documented_pages() -> dict[str, str]:
    text = ACCESS_DOC.read_text()
    section = text[text.index("## Pages") :]
    end = section.find("\n## ", 1)  # the sections after it have tables too
    section = section if end == -1 else section[:end]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]
    table = {}
    for row in rows:
        page, needs = (cell.strip() for cell in row.strip("|").split("|"))
        table[page] = needs.split(" (")[0]
    return table


def url_names(patterns=None, namespace="", params=frozenset()) -> list[tuple[str, frozenset]]:
    """Every named URL, as (namespaced name, the names of its parameters at every level)."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        own = params | frozenset(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += url_names(pattern.url_patterns, inner, own)
        elif pattern.name:
            found.append((f"{namespace}{pattern.name}", own))
    return found


def covering_entry(name: str, table: dict[str, str]) -> str | None:
    if name in table:
        return name
    namespace = name.split(":")[0] + ":*" if ":" in name else None
    return namespace if namespace in table else None


@dataclass(frozen=True)
class Place:
    """A partnership to open pages in, and how to fill each URL argument for it."""

    agreement: object
    reference: str
    report_id: int = 0
    number: int = 1
    proposal_id: int = 0  # a proposed extension or variation (records.views.terms)
    option_id: int = 0  # an extension's option (records.views.terms)
    package_id: int = 0  # an aftercare package of the person `reference` (s117.views)

    def kwargs(self, params: frozenset) -> dict:
        values = {
            "slug": self.agreement.slug,
            "reference": self.reference,
            "period": "2022-23-Q4",
            "report_id": self.report_id,
            "number": self.number,
            "section": "kpi",
            "token": "not-a-signed-token",
            "proposal_id": self.proposal_id,
            "option_id": self.option_id,
            "package_id": self.package_id,
            "budget_year": "2022-23",  # a year with a pooled budget in the demo
        }
        values |= staffing_ids(self.agreement, params)
        values |= {n: find(self.agreement) for n, find in RECORD_IDS.items() if n in params}
        return {name: values[name] for name in params}


def staffing_ids(agreement, params: frozenset) -> dict:
    """A post and a team of the partnership, for the staffing pages (0 where it has none)."""
    ids = {}
    if "post_id" in params:
        post = StaffPost.objects.filter(team__agreement=agreement).order_by("pk").first()
        ids["post_id"] = post.pk if post else 0
    if "team_id" in params:
        team = Team.objects.filter(agreement=agreement).order_by("pk").first()
        ids["team_id"] = team.pk if team else 0
    return ids


def _first_pk(rows) -> int:
    """The first row's id, or 0 where the partnership has none (its pages answer 404)."""
    return rows.order_by("pk").values_list("pk", flat=True).first() or 0


# records: the KPIs and the action plan of the partnership the pages are opened in.
RECORD_IDS = {
    "kpi_id": lambda agreement: _first_pk(KPI.objects.filter(agreement=agreement)),
    "review_id": lambda agreement: _first_pk(Review.objects.filter(agreement=agreement)),
    "recommendation_id": lambda agreement: _first_pk(
        Recommendation.objects.filter(review__agreement=agreement)
    ),
    "fund_id": lambda agreement: _first_pk(PooledBudget.objects.filter(agreement=agreement)),
}


def expected(needs: str, role: str | None, place: str) -> int:
    """The status a user with `role` (None: signed out) should get in `place`."""
    if needs == "signed link":
        return 404  # the token in the link is the credential: one we didn't sign opens nothing
    if needs == "public":
        return 200 if role is None else 302  # signed-in users are sent on from sign-in
    if role is None:
        return 302  # to sign in
    if needs == "signed in":
        return 200
    if place == "other":
        return 404
    return 200 if role in ACCESS[needs] else 403


def personal_data_markers(entries) -> list[str]:
    """How each person's identifiers would appear on a page: NHS number plain and spaced,
    name, and date of birth as the pages write dates."""
    markers = []
    for entry in entries:
        if entry.nhs_number:
            n = entry.nhs_number
            markers += [n, f"{n[:3]} {n[3:6]} {n[6:]}"]
        if entry.full_name:
            markers.append(entry.full_name)
        if entry.date_of_birth:
            markers.append(f"{entry.date_of_birth:%-d %B %Y}")
    return markers


def readable_text(response) -> str:
    """What a reader of the response would see: a PDF's text, or the page's markup."""
    if response.get("Content-Type", "").startswith("application/pdf"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    return response.content.decode()


def check(*, own: Place, other: Place, personal: list[str], table=None) -> list[str]:
    """Every mismatch between what the pages answer and what the table says."""
    from django.contrib.auth import get_user_model

    table = documented_pages() if table is None else table
    users = {role: get_user_model().objects.get(username=name) for role, name in DEMO_USERS.items()}
    problems = []
    patterns = url_names(get_resolver().url_patterns)
    for name, params in patterns:
        entry = covering_entry(name, table)
        if entry is None:
            problems.append(f"{name}: not in the Pages table of docs/access.md")
            continue
        if entry.endswith(":*") or name in POST_ONLY:
            continue  # the admin and sign-out are checked by their own tests
        needs = table[entry]
        places = {"own": own, "other": other} if "slug" in params else {"own": own}
        for place_name, place in places.items():
            url = reverse(name, kwargs=place.kwargs(params))
            for role in [None, *DEMO_USERS]:
                client = Client()
                if role is not None:
                    client.force_login(users[role])
                response = client.get(url)
                want = expected(needs, role, place_name)
                who = role or "signed out"
                if response.status_code != want:
                    problems.append(
                        f"{name} as {who} in {place_name} partnership: {response.status_code}, "
                        f"expected {want}"
                    )
                if role != Role.S117_OFFICER.value and response.status_code == 200:
                    body = readable_text(response)
                    leaked = [marker for marker in personal if marker in body]
                    if leaked:
                        problems.append(f"{name} as {who}: page contains personal data {leaked}")
                if (
                    needs == "view_s117_personal_data"
                    and name not in LISTS_NOT_LOGGED
                    and response.status_code == 200
                    and not logged(name, users.get(role), place)
                ):
                    problems.append(f"{name} as {who}: a person's record was shown unlogged")
    return problems


def logged(name: str, user, place: Place) -> bool:
    """Whether the user's opening of the page is in the log it is written to."""
    if name in LOGGED_AS_EXPORTS:
        return ExportLog.objects.filter(user=user, agreement=place.agreement).exists()
    return AccessLog.objects.filter(user=user, entry__person_reference=place.reference).exists()
