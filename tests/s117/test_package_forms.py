"""Adding a person's aftercare package and recording the joint funding panel's decisions
on who pays it, through the pages an s117 officer uses: what is saved, what the person
page then shows to the penny (figures worked by hand, on the suite's fixed day, 3 December
2026), what is refused and named, who may open the pages, and what is logged."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from s117 import actions
from s117.models import AccessLog, AftercarePackage, FundingDecision, RegisterEntry
from s117.packages import package_rows

pytestmark = pytest.mark.django_db

D = Decimal
DAY = datetime.date
TODAY = DAY(2026, 12, 3)


@pytest.fixture
def entry(bromley):
    entry = RegisterEntry.objects.filter(agreement=bromley, ended_on__isnull=True).first()
    entry.packages.all().delete()
    return entry


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.get(username="s117.officer")
    client.force_login(user)
    return user


def person_url(entry) -> str:
    return f"/partnerships/{entry.agreement.slug}/s117/people/{entry.person_reference}/"


def add_url(entry) -> str:
    return person_url(entry) + "packages/add/"


def funding_url(entry, package) -> str:
    return person_url(entry) + f"packages/{package.pk}/funding/"


def date_fields(name: str, day: DAY | None) -> dict:
    parts = ("", "", "") if day is None else (day.day, day.month, day.year)
    boxes = zip(("day", "month", "year"), parts, strict=True)
    return {f"{name}_{part}": str(value) for part, value in boxes}


def package_form(**changes) -> dict:
    """£700.00 a week of supported living from 1 April 2026, the panel deciding on 20 March
    2026 that the council pays half (from the package's start: that box left blank)."""
    data = {
        "description": "Supported living flat",
        "placement": "supported_living",
        "provider": "Example Housing",
        "cost_basis": "weekly",
        "cost": "£700.00",
        "council_share_percent": "50",
        "agreed_by": "Joint funding panel",
        **date_fields("start_date", DAY(2026, 4, 1)),
        **date_fields("end_date", None),
        **date_fields("review_due", DAY(2027, 4, 1)),
        **date_fields("decided_on", DAY(2026, 3, 20)),
        **date_fields("applies_from", None),
    }
    return data | changes


def decision_form(decided_on, applies_from, share, agreed_by="Joint funding panel") -> dict:
    return {
        **date_fields("decided_on", decided_on),
        **date_fields("applies_from", applies_from),
        "council_share_percent": share,
        "agreed_by": agreed_by,
    }


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_an_officer_adds_a_weekly_package_with_a_panel_decision_and_the_person_page_shows_it(
    client, officer, entry
):
    response = client.post(add_url(entry), package_form(), follow=True)

    assert response.redirect_chain == [(person_url(entry), 302)]
    package = AftercarePackage.objects.get(entry=entry)
    assert (package.weekly_cost, package.annual_cost) == (D("700.00"), None)
    assert package.start_date == DAY(2026, 4, 1) and package.review_due == DAY(2027, 4, 1)
    decision = package.funding_decisions.get()
    assert decision.applies_from == DAY(2026, 4, 1)  # the package's start, left blank
    assert decision.council_share_percent == D("50.00")
    assert package.history.get().history_user == officer
    assert decision.history.get().history_user == officer
    page = text(response)
    assert "govuk-notification-banner--success" in page
    assert "Added the package Supported living flat, the council paying 50.00%." in page
    assert "£700.00 a week" in page and "Council 50.00%, ICB 50.00%" in page
    # 1 April to 3 December 2026 is 247 days: £700 × 247 / 7 = £24,700.00, half each.
    assert page.count("£12,350.00") == 4  # the package's row and the total, each partner
    assert "£24,700.00" in page
    assert "£36,500.00" in page  # the projected year: £700 × 365 / 7


def test_an_annual_cost_is_read_with_pounds_sign_and_commas_to_the_penny(client, officer, entry):
    form = package_form(cost_basis="annual", cost="£44,200.50")
    form |= {"council_share_percent": "", "agreed_by": ""} | date_fields("decided_on", None)

    client.post(add_url(entry), form)

    package = AftercarePackage.objects.get(entry=entry)
    assert (package.weekly_cost, package.annual_cost) == (None, D("44200.50"))
    assert not package.funding_decisions.exists()  # no decision given: the register's split


def test_a_second_decision_changes_the_split_from_its_day(client, officer, entry):
    client.post(add_url(entry), package_form())
    package = AftercarePackage.objects.get(entry=entry)

    response = client.post(
        funding_url(entry, package),
        decision_form(DAY(2026, 9, 20), DAY(2026, 10, 1), "30"),
        follow=True,
    )

    assert response.redirect_chain == [(person_url(entry), 302)]
    page = text(response)
    assert "from 1 October 2026 the council pays 30.00% and the ICB 70.00%" in page
    assert "Council 30.00%, ICB 70.00%" in page  # today's split
    assert package.funding_decisions.count() == 2
    # To date: 1 April to 30 September is 183 days, £18,300.00, half each (£9,150.00);
    # 1 October to 3 December is 64 days, £6,400.00, the council 30%: £1,920.00.
    assert "£11,070.00" in page  # the council: £9,150.00 + £1,920.00
    assert "£13,630.00" in page  # the ICB: £9,150.00 + £4,480.00
    assert "£24,700.00" in page  # the total to date is as it was
    # The year: 1 October to 31 March is 182 days, £18,200.00, the council's 30% £5,460.00.
    (row,), _ = package_rows(entry, TODAY)
    assert (row.full_year.council, row.full_year.icb) == (D("14610.00"), D("21890.00"))
    assert row.full_year.total == D("36500.00")
    # The first decision is as it was.
    first = package.funding_decisions.get(applies_from=DAY(2026, 4, 1))
    assert first.council_share_percent == D("50.00")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"cost_basis": "both"}, "cost_basis", "Choose whether the cost is a week&#x27;s or"),
        ({"cost": "-700"}, "cost", "The cost can&#x27;t be negative"),
        ({"cost": "700.001"}, "cost", "Enter the cost to 2 decimal places at most"),
        ({"cost": "seven hundred"}, "cost", "Enter the cost as a number, like 700.00"),
        (
            {"council_share_percent": "101"},
            "council_share_percent",
            "The council&#x27;s share must be from 0% to 100%",
        ),
        (
            date_fields("end_date", DAY(2026, 3, 31)),
            "end_date",
            "The end date must be on or after the start date",
        ),
        (
            date_fields("applies_from", DAY(2026, 3, 1)),
            "applies_from",
            "The decision must apply from a day the package runs, from 1 April 2026",
        ),
        (
            date_fields("decided_on", DAY(2026, 12, 4)),
            "decided_on",
            "The date the panel decided must be today or in the past",
        ),
        ({"agreed_by": ""}, "agreed_by", "Say who agreed the decision, or leave the decision"),
        ({"start_date_month": "13"}, "start_date", "The start date must be a real date"),
    ],
)
def test_bad_input_is_named_in_the_error_summary_and_nothing_is_saved(
    client, officer, entry, changes, field, message
):
    response = client.post(add_url(entry), package_form(**changes))

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    start = page.index('<div class="govuk-error-summary"')
    summary = page[start : page.index("</ul>", start)]
    anchor = f"#id_{field}" + ("_0" if field in RADIOS_AND_DATES else "")
    assert f'<a href="{anchor}">{message}' in summary
    assert f'id="id_{field}-error"' in page  # and by the field itself
    assert not AftercarePackage.objects.filter(entry=entry).exists()
    assert not FundingDecision.objects.filter(package__entry=entry).exists()
    assert not AccessLog.objects.filter(entry=entry, action=AccessLog.Action.CHANGE).exists()


RADIOS_AND_DATES = {"cost_basis", "start_date", "end_date", "applies_from", "decided_on"}


def test_a_second_decision_for_the_same_day_is_refused_and_the_first_kept(client, officer, entry):
    client.post(add_url(entry), package_form())
    package = AftercarePackage.objects.get(entry=entry)

    response = client.post(
        funding_url(entry, package), decision_form(DAY(2026, 5, 1), DAY(2026, 4, 1), "40")
    )

    assert response.status_code == 200
    assert (
        "A decision applying from 1 April 2026 is already recorded for this package: a change "
        "of split is a new decision, from the day it applies"
    ) in text(response).replace("&#x27;", "'")
    assert package.funding_decisions.get().council_share_percent == D("50.00")


def test_the_actions_refuse_both_costs_and_a_doubled_decision_with_nothing_saved(
    entry, django_user_model
):
    by = django_user_model.objects.get(username="s117.officer")
    fields = {
        "description": "Home care",
        "placement": "home_care",
        "start_date": DAY(2026, 4, 1),
        "funding": (DAY(2026, 3, 20), DAY(2026, 4, 1), D(50), "Joint funding panel"),
    }

    with pytest.raises(ValidationError) as refused:
        actions.add_package(by, entry, weekly_cost=D(700), annual_cost=D(36500), **fields)
    assert refused.value.message_dict == {
        "annual_cost": ["Give a weekly or an annual cost, not both"]
    }
    with pytest.raises(ValidationError) as refused:
        actions.add_package(
            by,
            entry,
            weekly_cost=D(700),
            **fields | {"funding": (*fields["funding"][:2], D(101), "Panel")},
        )
    assert "council_share_percent" in refused.value.message_dict
    assert not AftercarePackage.objects.filter(entry=entry).exists()  # nor the package

    package = actions.add_package(by, entry, weekly_cost=D(700), **fields)
    with pytest.raises(ValidationError) as refused:
        actions.record_funding_decision(
            by, package, DAY(2026, 6, 1), DAY(2026, 4, 1), D(25), "Joint funding panel"
        )
    assert "already recorded" in refused.value.message_dict["applies_from"][0]
    with pytest.raises(ValidationError):
        actions.end_package(by, package, DAY(2026, 3, 1))
    ended = actions.end_package(by, package, DAY(2027, 1, 31))
    assert AftercarePackage.objects.get(pk=ended.pk).end_date == DAY(2027, 1, 31)
    assert package.funding_decisions.count() == 1


def test_the_access_log_records_each_opening_and_change(client, officer, entry):
    client.get(add_url(entry))
    client.post(add_url(entry), package_form())
    package = AftercarePackage.objects.get(entry=entry)
    client.get(funding_url(entry, package))
    client.post(funding_url(entry, package), decision_form(TODAY, DAY(2027, 1, 1), "30"))

    logged = list(
        AccessLog.objects.filter(entry=entry).order_by("pk").values_list("action", "path", "user")
    )
    assert logged == [
        (AccessLog.Action.VIEW, add_url(entry), officer.pk),
        (AccessLog.Action.CHANGE, add_url(entry), officer.pk),
        (AccessLog.Action.VIEW, funding_url(entry, package), officer.pk),
        (AccessLog.Action.CHANGE, funding_url(entry, package), officer.pk),
    ]


def test_the_person_page_links_to_both_pages_for_an_officer(client, officer, entry):
    package = actions.add_package(
        officer,
        entry,
        description="Day centre",
        placement="day_services",
        weekly_cost=D(100),
        start_date=DAY(2026, 4, 1),
    )

    page = client.get(person_url(entry)).content.decode()

    assert f'href="{add_url(entry)}"' in page
    assert f'href="{funding_url(entry, package)}"' in page


@pytest.mark.parametrize("username", ["jmg.member", "commissioner", "scrutiny.officer"])
def test_no_one_but_the_s117_officers_reaches_the_pages(client, django_user_model, entry, username):
    package = AftercarePackage.objects.create(
        entry=entry, description="Day centre", weekly_cost=D(100), start_date=DAY(2026, 4, 1)
    )
    client.force_login(django_user_model.objects.get(username=username))

    for url in (add_url(entry), funding_url(entry, package)):
        assert client.get(url).status_code == 403
        assert client.post(url, package_form()).status_code == 403
    assert AftercarePackage.objects.filter(entry=entry).count() == 1
    assert not FundingDecision.objects.exists() or not package.funding_decisions.exists()


def test_a_package_of_another_person_is_not_found(client, officer, entry):
    other = RegisterEntry.objects.filter(agreement=entry.agreement).exclude(pk=entry.pk).first()
    theirs = AftercarePackage.objects.create(
        entry=other, description="Day centre", weekly_cost=D(100), start_date=DAY(2026, 4, 1)
    )

    assert client.get(funding_url(entry, theirs)).status_code == 404
    response = client.post(funding_url(entry, theirs), decision_form(TODAY, TODAY, "40"))
    assert response.status_code == 404
    assert not theirs.funding_decisions.exists()
    assert client.get(person_url(entry) + "packages/999999/funding/").status_code == 404


def more_packages(entry, count: int) -> AftercarePackage:
    packages = [
        AftercarePackage.objects.create(
            entry=entry, description=f"Service {n}", weekly_cost=D(100), start_date=DAY(2026, 4, 1)
        )
        for n in range(max(count, 1))
    ]
    for package in packages:
        FundingDecision.objects.bulk_create(
            FundingDecision(
                package=package,
                decided_on=DAY(2026, 3, 1),
                applies_from=DAY(2026, 4, month),
                council_share_percent=D(50),
                agreed_by="Panel",
            )
            for month in range(1, 1 + count)
        )
    return packages[0]


SIGNED_IN = 3  # session, user, memberships (tests/test_page_queries.py)


@pytest.mark.parametrize("extra", [1, 6])
def test_the_add_page_queries_do_not_grow_with_more_packages(
    client, officer, entry, extra, django_assert_num_queries
):
    more_packages(entry, extra)
    url = add_url(entry)

    # SIGNED_IN + agreement; the entry; the access log's insert in a savepoint pair
    with django_assert_num_queries(SIGNED_IN + 5):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [1, 6])
def test_the_funding_page_queries_do_not_grow_with_more_packages_or_decisions(
    client, officer, entry, extra, django_assert_num_queries
):
    package = more_packages(entry, extra)
    url = funding_url(entry, package)

    # SIGNED_IN + agreement; the entry; the package; its decisions; the access log's insert
    # in a savepoint pair
    with django_assert_num_queries(SIGNED_IN + 7):
        assert client.get(url).status_code == 200
