"""The quarterly return pages: upload, preview, confirm, submit, sign off, reopen."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from budgets.models import ContributionOutturn
from returns.models import QuarterlyReturn
from tests.pages import held_token

pytestmark = pytest.mark.django_db

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "fixtures/examples/return-bromley-oxleas-mh-2022-23-Q4.csv"
)
PAGE = "/partnerships/bromley-oxleas-mh/returns/2022-23-Q4/"


def signed_in(django_user_model, username):
    client = Client()
    client.force_login(django_user_model.objects.get(username=username))
    return client


def upload(client, content: bytes, name="return.csv"):
    return client.post(f"{PAGE}upload/", {"file": SimpleUploadedFile(name, content)})


def confirm(client, preview, **kwargs):
    """Save what `preview` (an upload's or the form's response) showed, as its button does."""
    return client.post(f"{PAGE}confirm/", {"token": held_token(preview)}, **kwargs)


@pytest.fixture
def commissioner(django_user_model):
    return signed_in(django_user_model, "commissioner")


@pytest.fixture
def jmg(django_user_model):
    return signed_in(django_user_model, "jmg.member")


def test_upload_shows_what_would_change_and_saves_nothing_yet(commissioner):
    response = upload(commissioner, EXAMPLE.read_bytes())

    text = response.content.decode()
    assert response.status_code == 200
    assert "add 6 new figures and change 0; 18 are unchanged" in text
    # Each figure named as the pages name it, its value as money.
    assert "Oxleas forecast outturn</th>" in text
    assert "£16,911,204.00" in text
    assert not ContributionOutturn.objects.filter(
        quarter__financial_year__start_year=2022, quarter__number=4
    ).exists()


def test_confirming_saves_the_figures_and_says_so(commissioner):
    preview = upload(commissioner, EXAMPLE.read_bytes())

    response = confirm(commissioner, preview, follow=True)

    assert "Saved: 6 new and 0 changed figures" in response.content.decode()
    outturn = ContributionOutturn.objects.get(
        contribution__partner__short_name="Oxleas",
        quarter__financial_year__start_year=2022,
        quarter__number=4,
    )
    assert outturn.forecast == Decimal("16911204.00")
    assert outturn.history.latest().history_user.username == "commissioner"


def test_bad_file_lists_every_problem_and_saves_nothing(commissioner):
    bad = EXAMPLE.read_bytes().replace(b"1618413.00", b"-1").replace(b"KPI 2", b"KPI 9")

    response = upload(commissioner, bad)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Row 2, column value (LBB forecast outturn) &#x27;-1&#x27;: is negative" in text
    assert "column item &#x27;KPI 9&#x27;: is not a KPI code" in text
    assert "Nothing from it has been saved" in text
    # Each problem links to its row in a table of the rows with problems.
    assert '<a href="#row-2">Row 2, column value (LBB forecast outturn)' in text
    row_2 = text.split('id="row-2"')[1].split("</tr>")[0]
    assert ">-1</td>" in row_2 and "Column value (LBB forecast outturn): is negative" in row_2
    assert 'id="row-1"' not in text  # only rows with problems are listed
    assert commissioner.post(f"{PAGE}confirm/", follow=True).status_code == 200
    assert not QuarterlyReturn.objects.exists()


def test_file_for_another_quarter_is_refused(commissioner):
    other = EXAMPLE.read_bytes().replace(b"2022/23-Q4", b"2022/23-Q3")

    response = upload(commissioner, other)

    assert "download this return&#x27;s template" in response.content.decode()


def test_second_of_two_commissioners_is_told_someone_saved_first(commissioner, django_user_model):
    from partnerships.models import Membership

    second_user = django_user_model.objects.create_user("commissioner.two")
    Membership.objects.create(
        user=second_user, agreement_id=commissioner_agreement(), role="commissioner"
    )
    second = Client()
    second.force_login(second_user)
    first_preview = upload(commissioner, EXAMPLE.read_bytes())
    second_preview = upload(second, EXAMPLE.read_bytes().replace(b"16911204.00", b"16950000.00"))

    confirm(commissioner, first_preview)
    response = confirm(second, second_preview)

    assert "Someone else saved" in response.content.decode()
    outturn = ContributionOutturn.objects.get(
        contribution__partner__short_name="Oxleas",
        quarter__financial_year__start_year=2022,
        quarter__number=4,
    )
    assert outturn.forecast == Decimal("16911204.00")


def commissioner_agreement():
    from partnerships.models import Agreement

    return Agreement.objects.get(slug="bromley-oxleas-mh").pk


def test_submit_sign_off_and_reopen(commissioner, jmg):
    confirm(commissioner, upload(commissioner, EXAMPLE.read_bytes()))

    commissioner.post(f"{PAGE}status/", {"step": "submit"})
    jmg.post(f"{PAGE}sign-off/", {"comment": ""})
    signed = QuarterlyReturn.objects.get()
    locked_page = commissioner.get(PAGE).content.decode()
    refused = jmg.post(f"{PAGE}status/", {"step": "reopen", "reason": " "})
    jmg.post(f"{PAGE}status/", {"step": "reopen", "reason": "Oxleas restated its forecast"})

    assert signed.status == "signed_off" and signed.signed_off_by.username == "jmg.member"
    assert "can't change unless a JMG member reopens it" in locked_page
    assert 'name="file"' not in locked_page
    assert "Say why" in refused.content.decode()
    assert QuarterlyReturn.objects.get().status == "reopened"


def test_commissioner_cannot_sign_off(commissioner):
    confirm(commissioner, upload(commissioner, EXAMPLE.read_bytes()))
    commissioner.post(f"{PAGE}status/", {"step": "submit"})

    response = commissioner.post(f"{PAGE}status/", {"step": "sign_off"})

    assert "Only a JMG member" in response.content.decode()
    assert QuarterlyReturn.objects.get().status == "submitted"


@pytest.mark.parametrize("step", ["upload/", "confirm/", "cancel/", "status/"])
def test_posting_pages_refuse_other_roles_outsiders_and_get(step, django_user_model):
    scrutiny = signed_in(django_user_model, "scrutiny.officer")
    outsider = django_user_model.objects.create_user("outsider")
    stranger = Client()
    stranger.force_login(outsider)

    assert scrutiny.post(f"{PAGE}{step}", {"step": "submit"}).status_code == 403
    assert stranger.post(f"{PAGE}{step}", {"step": "submit"}).status_code == 404
    assert Client().post(f"{PAGE}{step}").status_code == 302  # to sign in
    assert scrutiny.get(f"{PAGE}{step}").status_code == 405


def test_jmg_member_cannot_upload(jmg):
    assert upload(jmg, EXAMPLE.read_bytes()).status_code == 403


def test_template_downloads_pre_filled(commissioner):
    response = commissioner.get(f"{PAGE}template/?format=xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "return-bromley-oxleas-mh-2022-23-Q4.xlsx" in response["Content-Disposition"]


def test_unknown_quarter_is_not_found(commissioner):
    assert (
        commissioner.get("/partnerships/bromley-oxleas-mh/returns/2022-23-Q7/").status_code == 404
    )
    assert commissioner.get("/partnerships/bromley-oxleas-mh/returns/nonsense/").status_code == 404


def test_returns_index_opens_the_quarter_chosen(commissioner):
    response = commissioner.get("/partnerships/bromley-oxleas-mh/returns/?period=2022/23-Q4")

    assert response.status_code == 302
    assert response["Location"] == PAGE


def field_id(page: str, label: str) -> str:
    """The id of the field a label names; its name is the figure's key (`field_name`)."""
    import re

    match = re.search(
        r'<label class="govuk-label" for="(f-[a-z0-9-]+)">' + re.escape(label) + "</label>", page
    )
    assert match, label
    return match.group(1)


def field_name(page: str, label: str) -> str:
    import re

    found = re.search(f'name="([^"]+)"[^>]*id="{field_id(page, label)}"', page)
    assert found, label
    return found.group(1)


def test_form_shows_each_figure_with_last_quarters_beside_it(commissioner):
    page = commissioner.get(f"{PAGE}enter/").content.decode()

    kpi = field_id(page, "KPI 1 Care Act assessments completed within 28 days")
    assert (
        '<input type="text" name="figure:kpi:KPI 1:value" value="72.00" '
        f'class="govuk-input govuk-input--width-4" inputmode="decimal" spellcheck="false" '
        f'id="{kpi}" aria-describedby="{kpi}-hint">'
    ) in page
    assert f'<div class="govuk-hint" id="{kpi}-hint">Last quarter: 86%' in page


def test_form_errors_link_to_their_fields_and_save_nothing(commissioner):
    page = commissioner.get(f"{PAGE}enter/").content.decode()
    forecast = field_id(page, "LBB forecast outturn")
    label = "Bromley Community Mental Health Social Work Team: referrals"
    referrals = field_id(page, label)

    response = commissioner.post(
        f"{PAGE}enter/",
        {field_name(page, "LBB forecast outturn"): "-5", field_name(page, label): "lots"},
    )

    text = response.content.decode()
    assert f'<a href="#{forecast}">LBB forecast outturn: is negative' in text
    assert f'<a href="#{referrals}">{label}: should be a whole number' in text
    assert "govuk-input--error" in text
    assert not ContributionOutturn.objects.filter(
        quarter__financial_year__start_year=2022, quarter__number=4
    ).exists()


def test_form_figures_are_previewed_then_saved(commissioner):
    page = commissioner.get(f"{PAGE}enter/").content.decode()
    forecast = field_name(page, "LBB forecast outturn")

    preview = commissioner.post(f"{PAGE}enter/", {forecast: "1650000.00"})
    confirm(commissioner, preview)

    assert "add 1 new figure" in preview.content.decode()
    outturn = ContributionOutturn.objects.get(
        contribution__partner__short_name="LBB",
        quarter__financial_year__start_year=2022,
        quarter__number=4,
    )
    assert outturn.forecast == Decimal("1650000.00")


def test_history_shows_who_changed_a_figure_and_the_figures_at_sign_off(commissioner, jmg):
    confirm(commissioner, upload(commissioner, EXAMPLE.read_bytes()))
    commissioner.post(f"{PAGE}status/", {"step": "submit"})
    jmg.post(f"{PAGE}sign-off/", {"comment": ""})
    jmg.post(f"{PAGE}status/", {"step": "reopen", "reason": "Oxleas restated its forecast"})
    page = commissioner.get(f"{PAGE}enter/").content.decode()
    confirm(
        commissioner,
        commissioner.post(
            f"{PAGE}enter/", {field_name(page, "Oxleas forecast outturn"): "17000000.00"}
        ),
    )

    text = jmg.get(f"{PAGE}history/").content.decode()

    assert "As signed off on" in text
    signed_off, changes = text.split("Every change, newest first")
    numeric_cell = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    assert f"Oxleas forecast outturn</td>{numeric_cell}16911204.00" in signed_off
    first_change = changes.split("<tbody")[1].split("</tr>")[0]
    assert "commissioner" in first_change
    assert "Oxleas forecast outturn" in first_change
    assert "16911204.00" in first_change and "17000000.00" in first_change


@pytest.mark.parametrize("edits", [0, 6])
def test_history_queries_do_not_grow_with_changes(jmg, bromley, edits, django_assert_num_queries):
    from caseload.models import CareActActivity, StaffPost

    activity = CareActActivity.objects.get(team__agreement=bromley, quarter__number=4)
    post = StaffPost.objects.filter(team__agreement=bromley).first()
    for n in range(edits):
        activity.referrals += 1
        activity.save()
        post.wte = Decimal("0.50") if n % 2 else Decimal("1.00")
        post.save()

    # session, user, agreement, memberships, quarters, the return, the timetable; the history of
    # each of seven kinds of figure (outturns, caseloads, overlaps, activity, activity for
    # the year and months, KPIs, s117 counts) and the posts; the year's budget (the
    # contributions' and agreed shares' history)
    with django_assert_num_queries(7 + 7 + 1 + 2):
        assert jmg.get(f"{PAGE}history/").status_code == 200


def test_history_shows_caseload_and_post_changes(commissioner, jmg, bromley, django_user_model):
    import datetime

    from caseload.models import CaseloadSnapshot, SourceSystem, StaffPost

    snapshot = CaseloadSnapshot(
        team=bromley.teams.first(),
        source_system=SourceSystem.objects.get(code="carenotes"),
        as_at=datetime.date(2023, 3, 31),
        open_cases=212,
    )
    snapshot._history_user = django_user_model.objects.get(username="commissioner")
    snapshot.save()
    snapshot.open_cases = 219
    snapshot.save()
    post = StaffPost.objects.filter(team__agreement=bromley, valid_to__isnull=True).first()
    post.wte = Decimal("0.60")
    post._history_user = django_user_model.objects.get(username="admin")
    post.save()

    text = jmg.get(f"{PAGE}history/").content.decode()

    changes, posts = text.split("Changes to the posts funded during the quarter")
    assert f"{snapshot.team.name}: open cases in {snapshot.source_system.name}" in changes
    latest_change = changes.split("<tbody")[1].split("</tr>")[0]
    assert "commissioner" in latest_change
    assert ">212</td>" in latest_change and ">219</td>" in latest_change
    latest_post_change = posts.split("<tbody")[1].split("</tr>")[0]
    assert f"Post {post.reference} ({post.team.name}): WTE" in latest_post_change
    assert "admin" in latest_post_change and "0.60" in latest_post_change


@pytest.mark.parametrize("extra_teams", [0, 15])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # session, user, agreement, memberships; quarters offered; the latest quarter with
        # figures; the recent quarters; the returns; the partnership's timetable
        ("/partnerships/bromley-oxleas-mh/returns/", 9),
        # session, user, agreement, memberships; the quarter; the return; the timetable;
        # the task list (15 more): the quarter's figures, section by section (the year's
        # and months' activity one of them), and what each section is marked as; the year's
        # budget (7 more: funds with their pots, contributions, partners, agreed shares,
        # virements, the latest revision, the agreement's decisions)
        (PAGE, 29),
        # as the return page, plus the return's figures read twice (16 queries each): this
        # quarter's, and last quarter's to show beside them; the return again for the form;
        # the year's budget in each reading (7 each)
        (f"{PAGE}enter/", 53),
    ],
)
def test_return_pages_queries_do_not_grow(
    commissioner, bromley, extra_teams, path, queries, django_assert_num_queries
):
    from caseload.models import Team

    operator = bromley.partners.get(is_host=True).organisation
    Team.objects.bulk_create(
        Team(agreement=bromley, name=f"Extra team {n}", kind="cmht", operated_by=operator)
        for n in range(extra_teams)
    )

    with django_assert_num_queries(queries):
        assert commissioner.get(path).status_code == 200


@pytest.mark.parametrize("section", ["budget", "staffing", "caseload", "kpis"])
def test_dashboard_figures_link_to_their_history(jmg, section):
    page = jmg.get(f"/partnerships/bromley-oxleas-mh/{section}/?period=2022/23-Q4")

    assert f'href="{PAGE}history/"' in page.content.decode()


def test_returns_page_lists_recent_quarters_and_older_returns_still_open(jmg, bromley):
    from django.utils import timezone

    from partnerships.models import Quarter

    older = Quarter.objects.filter(financial_year__start_year__lte=2020).order_by(
        "financial_year__start_year", "number"
    )
    signed, still_draft = list(older[:3]), older[3]
    recent = jmg.get("/partnerships/bromley-oxleas-mh/returns/").content.decode()
    user = jmg.session["_auth_user_id"]
    QuarterlyReturn.objects.bulk_create(
        QuarterlyReturn(
            agreement=bromley,
            quarter=quarter,
            status=QuarterlyReturn.Status.SIGNED_OFF,
            signed_off_by_id=user,
            signed_off_at=timezone.now(),
        )
        for quarter in signed
    )
    QuarterlyReturn.objects.create(agreement=bromley, quarter=still_draft)

    text = jmg.get("/partnerships/bromley-oxleas-mh/returns/").content.decode()
    body = text.split("<tbody")[1]

    # the last eight quarters as before, then the open one
    assert body.count("<tr ") == recent.split("<tbody")[1].count("<tr ") + 1
    assert f"{still_draft.financial_year.label} Q{still_draft.number}</a>" in body
    for quarter in signed:
        assert f"{quarter.financial_year.label} Q{quarter.number}</a>" not in body
    # and a signed-off return is still a choice in the quarter chooser
    assert f'<option value="{signed[0].label}"' in text


def test_returns_listed_for_quarters_to_come_and_when_todays_quarter_is_not_held(bromley):
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from partnerships.models import Agreement, FinancialYear, Quarter
    from returns.selectors import returns_to_show

    held = FinancialYear.objects.order_by("-start_year").first().start_year  # the last year
    last = Quarter.objects.get(financial_year__start_year=held, number=4)
    # Extended past every year held: returns stop at an agreement's end.
    Agreement.objects.filter(pk=bromley.pk).update(end_date=datetime.date(held + 5, 3, 31))
    bromley.refresh_from_db()
    signer = get_user_model().objects.get(username="jmg.member")
    QuarterlyReturn.objects.create(
        agreement=bromley,
        quarter=last,
        status=QuarterlyReturn.Status.SIGNED_OFF,
        signed_off_by=signer,
        signed_off_at=timezone.now(),
    )

    # Before the year's last quarter: its return is for a quarter still to come, listed last.
    rows = returns_to_show(bromley, datetime.date(held, 4, 1))
    assert [row["quarter"] for row in rows].count(last) == 1
    assert rows[-1]["quarter"] == last and rows[-1]["return"].status == "signed_off"

    # A year on, no quarter of today's year is held: the last eight held so far are shown.
    rows = returns_to_show(bromley, datetime.date(held + 1, 5, 1))
    assert rows[0]["quarter"] == last and rows[0]["return"].status == "signed_off"
    assert len(rows) == 7  # of the eight quarters to today's, all but today's own are held


def test_history_of_a_post_moved_in_begins_when_it_came(
    jmg, bromley, oxfordshire, django_user_model
):
    import datetime

    from caseload.models import StaffPost

    admin = django_user_model.objects.get(username="admin")
    post = StaffPost.objects.filter(team__agreement=oxfordshire).order_by("pk").first()
    post.wte, post._history_user = Decimal("0.40"), admin  # while it was Oxfordshire's
    post.save()
    post.team = bromley.teams.order_by("name").first()
    post.valid_from, post.valid_to = datetime.date(2022, 4, 1), None
    post.save()

    changes = (
        jmg.get(f"{PAGE}history/")
        .content.decode()
        .split("Changes to the posts funded during the quarter")[1]
    )

    # One row for the post: added when it came. Oxfordshire's change to it stays Oxfordshire's.
    rows = [row for row in changes.split("</tr>") if f"Post {post.reference} " in row]
    assert len(rows) == 1
    assert f"Post {post.reference} ({post.team.name})" in rows[0] and "Added: " in rows[0]


def test_a_figure_changed_another_way_since_the_check_refuses_the_save(commissioner):
    """A change in the administration pages doesn't move the return's version; the save
    still finds the figures are not what the preview showed."""
    from partnerships.models import KPIValue

    preview = upload(commissioner, EXAMPLE.read_bytes())
    confirm(commissioner, preview)
    changed = EXAMPLE.read_bytes().replace(b"16911204.00", b"16950000.00")
    preview = upload(commissioner, changed)
    kpi_value = KPIValue.objects.filter(
        kpi__agreement__slug="bromley-oxleas-mh",
        quarter__financial_year__start_year=2022,
        quarter__number=4,
    ).first()
    KPIValue.objects.filter(pk=kpi_value.pk).update(value=kpi_value.value + 1)

    refused = confirm(commissioner, preview).content.decode()

    assert "figures changed since you checked this file: nothing was saved" in refused
    outturn = ContributionOutturn.objects.get(
        contribution__partner__short_name="Oxleas",
        quarter__financial_year__start_year=2022,
        quarter__number=4,
    )
    assert outturn.forecast == Decimal("16911204.00")


def test_sign_off_shows_every_figure_against_last_quarter_and_the_plan(commissioner, jmg):
    confirm(commissioner, upload(commissioner, EXAMPLE.read_bytes()))
    commissioner.post(f"{PAGE}status/", {"step": "submit"})

    blind = jmg.post(f"{PAGE}status/", {"step": "sign_off"})
    page = jmg.get(f"{PAGE}sign-off/").content.decode()

    assert blind.status_code == 302 and blind["Location"].endswith(f"{PAGE}sign-off/")
    assert QuarterlyReturn.objects.get().status == "submitted"  # nothing signed blind
    assert "Oxleas forecast outturn</th>" in page
    assert "+£82,553.00 on a plan of £16,828,651.00" in page
    assert "KPI 1 Care Act assessments completed within 28 days</th>" in page
    assert "Not recorded</dt>" in page


def test_sign_off_keeps_its_comment_and_history_shows_it(commissioner, jmg):
    confirm(commissioner, upload(commissioner, EXAMPLE.read_bytes()))
    commissioner.post(f"{PAGE}status/", {"step": "submit"})

    refused = jmg.post(f"{PAGE}sign-off/", {"comment": "=HYPERLINK(1)"})
    assert "There is a problem" in refused.content.decode()
    assert QuarterlyReturn.objects.get().status == "submitted"

    jmg.post(f"{PAGE}sign-off/", {"comment": "Agreed at the JMG on 12 May."})

    signed = QuarterlyReturn.objects.get()
    assert (
        signed.status == "signed_off" and signed.sign_off_comment == "Agreed at the JMG on 12 May."
    )
    assert "Agreed at the JMG on 12 May." in jmg.get(f"{PAGE}history/").content.decode()
    assert "Agreed at the JMG on 12 May." in jmg.get(PAGE).content.decode()


def test_only_a_jmg_member_opens_the_sign_off_page(commissioner):
    confirm(commissioner, upload(commissioner, EXAMPLE.read_bytes()))
    commissioner.post(f"{PAGE}status/", {"step": "submit"})

    assert commissioner.get(f"{PAGE}sign-off/").status_code == 403
    assert commissioner.post(f"{PAGE}sign-off/", {}).status_code == 403
    assert QuarterlyReturn.objects.get().status == "submitted"


@pytest.mark.parametrize("extra_teams", [0, 15])
@pytest.mark.parametrize(
    ("who", "path", "queries"),
    [
        # the return page's context (7); this quarter's figures once (14) for the figures and
        # the task list, last quarter's (14); the return's section states; the data-quality
        # checks (13: thresholds; the return and its timetable; pools, contributions,
        # outturns; posts by team; snapshots, and activity and snapshots of the quarters
        # before; s117 reviews; KPI values; explanations)
        # (the year's and months' activity adds a query to each of the two readings of the
        # figures, and its data-quality check one; revised budget figures no revision
        # explains, one more; the year's budget, 7 to each reading of the figures)
        ("commissioner", f"{PAGE}check/", 67),
        # the return page's context (7) and the return again; this quarter's figures (14),
        # last quarter's (14) to show beside them; the year's budget in each (7 each)
        ("commissioner", f"{PAGE}sections/kpi/", 52),
        # the return page's context (7); the figures of this quarter and the last (28); the
        # data-quality checks (13, as above); and the return's submission state; the year's
        # budget in each reading of the figures (7 each)
        ("jmg.member", f"{PAGE}sign-off/", 68),
        # session, user, agreement, memberships; the timetable
        ("jmg.member", "/partnerships/bromley-oxleas-mh/returns/schedule/", 5),
    ],
)
def test_new_return_pages_queries_do_not_grow(
    django_user_model, bromley, extra_teams, who, path, queries, django_assert_num_queries
):
    from caseload.models import Team

    operator = bromley.partners.get(is_host=True).organisation
    Team.objects.bulk_create(
        Team(agreement=bromley, name=f"Extra team {n}", kind="cmht", operated_by=operator)
        for n in range(extra_teams)
    )
    client = signed_in(django_user_model, who)

    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200
