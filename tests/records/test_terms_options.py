"""Extensions with an option of more years (a "1+1"), and flat extensions, with the demo
seed: a commissioner proposes one year with an option of one more; the decision approving
it adds the extension and its option; the option gives no term, so the agreement still ends
when the extension does, while the agreement page, the terms table and the decision report
say it may be extended; the partners exercise it, or let it lapse. A flat extension is
costed at the same value to the penny and says "no uplift (flat)"."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import call_command

from budgets.models import ValueProjection
from partnerships.models import AgreementTerm, Decision, ExtensionOption, Proposal
from tests.records.test_terms_pages import as_posted, decision_data, propose, terms_url
from tests.reports.test_reports import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
SIGNED_IN = 3  # session, user, the user's memberships
OPTION = "with an option to extend to 30 November 2028 (to be exercised by 31 May 2027)"


@pytest.fixture
def commissioner(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="commissioner"))
    return client


def propose_one_plus_one(client, agreement, **overrides):
    return propose(
        client,
        agreement,
        **{
            "value": "£1,965,272.00",
            "option_years": "1",
            "option_exercise_by": "31/05/2027",
            "option_value": "£2,014,404.00",
            "summary": "Extend by a year, with an option of one more.",
        }
        | overrides,
    )


def posted(data: dict) -> dict:
    dates = {k: v for k, v in data.items() if k in ("option_exercise_by",)}
    found = as_posted({k: v for k, v in data.items() if k not in dates})
    for name, value in dates.items():
        day, month, year = value.split("/") if value else ("", "", "")
        found |= {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
    return found


def one_plus_one(client, agreement) -> ExtensionOption:
    """Bromley extended to 30 November 2027 with an option to 30 November 2028."""
    response = client.post(
        terms_url(agreement, "propose"),
        posted(
            {
                "kind": "extension",
                "proposed_end_date": "30/11/2027",
                "value": "£1,965,272.00",
                "option_years": "1",
                "option_exercise_by": "31/05/2027",
                "option_value": "£2,014,404.00",
                "summary": "Extend by a year, with an option of one more.",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()
    proposal = Proposal.objects.get(agreement=agreement)
    response = client.post(
        terms_url(agreement, "proposals", proposal.pk, "decision"),
        decision_data(value="1965272.00"),
    )
    assert response.status_code == 302, response.content.decode()
    return ExtensionOption.objects.get(agreement=agreement)


def test_a_one_plus_one_proposal_shows_both_values_and_routes_on_the_total(commissioner, bromley):
    response = commissioner.post(
        terms_url(bromley, "propose"),
        posted(
            {
                "kind": "extension",
                "proposed_end_date": "30/11/2027",
                "value": "600000",
                "option_years": "1",
                "option_exercise_by": "31/05/2027",
                "option_value": "600000",
                "summary": "1+1",
            }
        ),
    )

    proposal = Proposal.objects.get()
    assert (proposal.option_end_date, proposal.option_exercise_by) == (
        D(2028, 11, 30),
        D(2027, 5, 31),
    )
    page = commissioner.get(response["Location"]).content.decode()
    assert "To extend to 30 November 2028, to be exercised by 31 May 2027" in page
    assert "£1,200,000.00: the approval route below is for this value" in page
    # each half is under £1,000,000; together they are over it
    assert "Over £1,000,000.00: Executive, CPR 13.1" in page


def test_approving_a_one_plus_one_extends_by_the_year_and_keeps_the_option_apart(
    commissioner, bromley
):
    option = one_plus_one(commissioner, bromley)

    bromley.refresh_from_db()
    assert bromley.end_date == D(2027, 11, 30)  # the option gives no term
    extension = bromley.terms.order_by("start_date").last()
    assert (extension.start_date, extension.end_date) == (D(2026, 12, 1), D(2027, 11, 30))
    assert (option.extension, option.status) == (extension, "available")
    assert (option.start_date, option.end_date, option.exercise_by) == (
        D(2027, 12, 1),
        D(2028, 11, 30),
        D(2027, 5, 31),
    )
    assert option.history.first().history_user.username == "commissioner"

    for url in (f"/partnerships/{bromley.slug}/", terms_url(bromley)):
        page = commissioner.get(url).content.decode()
        assert f"The agreement ends on 30 November 2027, {OPTION}." in page
        assert "Extended to 30 November 2027: ends within 12 months" in page
        assert "Option (available)" in page
        assert "To be exercised by 31 May 2027: gives no term until then" in page
        assert "£1,965,272.00, uplifted by 2.5% a year" in page  # the extension's cost
    assert (
        "Exercise it or record it lapsed" in commissioner.get(terms_url(bromley)).content.decode()
    )


def test_the_decision_report_gives_the_option_its_cost_and_the_route_on_the_total(
    commissioner, bromley, tmp_path
):
    one_plus_one(commissioner, bromley)
    html_file, pdf_file = tmp_path / "decision.html", tmp_path / "decision.pdf"

    args = ["render_report", "decision", bromley.slug, "--period", "2026/27-Q3"]
    call_command(*args, "--format", "html", "-o", html_file)
    call_command(*args, "-o", pdf_file)

    html = unescape(re.sub(r"\s+", " ", html_file.read_text()))
    text = pdf_text(pdf_file.read_bytes())
    for said in (
        "to extend it by 1 years, to 30 November 2027, with an option to extend by a further "
        "1 year, to 30 November 2028 (to be exercised by 31 May 2027), at an estimated cost of "
        "£1,965,272; £3,979,676 including the option period, if it is exercised.",
        "The extension comes with an option to extend from 1 December 2027 to 30 November "
        "2028, to be exercised by 31 May 2027. If exercised, it would cost an estimated "
        "£2,014,404, and the extension with the option £3,979,676.",
        "The extension's value is £1,965,272, and £3,979,676 including the option period. "
        "The approval route applies to the value including the option.",
        "The value including the option, £3,979,676, is over £1,000,000",
    ):
        assert said in html, said
        assert said in text, said
    assert "Cost of the option period" in html and "Cost including the option period" in html
    assert "<caption>Table 1:" in html


def test_exercising_the_option_adds_its_term_and_moves_the_end(commissioner, bromley):
    option = one_plus_one(commissioner, bromley)

    form = commissioner.get(terms_url(bromley, "options", option.pk))
    assert "Exercise the option or record it lapsed" in form.content.decode()
    response = commissioner.post(
        terms_url(bromley, "options", option.pk),
        as_posted(
            {
                "outcome": "exercised",
                "decided_on": "02/12/2026",
                "body": "The partners, by letter",
                "reference": "LBB/OX/2026/12",
                "value": "2014404",
                "summary": "Exercised the option of a further year.",
            }
        ),
    )

    assert response.status_code == 302
    bromley.refresh_from_db()
    option.refresh_from_db()
    assert bromley.end_date == D(2028, 11, 30)
    assert option.status == "exercised"
    assert (option.term.start_date, option.term.end_date) == (D(2027, 12, 1), D(2028, 11, 30))
    assert option.exercised_by.reference == "LBB/OX/2026/12"
    assert option.term.authorised_by == option.exercised_by
    page = commissioner.get(terms_url(bromley)).content.decode()
    assert "Option exercised: the agreement now ends on 30 November 2028" in page
    assert "Exercised: The partners, by letter, 2 December 2026 (LBB/OX/2026/12)" in page
    assert "In force extended to 30 November 2028" in page
    assert OPTION not in page


def test_an_option_lapsed_leaves_the_agreement_ending_with_its_extension(commissioner, bromley):
    option = one_plus_one(commissioner, bromley)

    response = commissioner.post(
        terms_url(bromley, "options", option.pk),
        as_posted({"outcome": "lapsed", "decided_on": "03/12/2026"}),
    )

    assert response.status_code == 302
    option.refresh_from_db()
    bromley.refresh_from_db()
    assert (option.status, option.lapsed_on, bromley.end_date) == (
        "lapsed",
        D(2026, 12, 3),
        D(2027, 11, 30),
    )
    page = commissioner.get(terms_url(bromley)).content.decode()
    assert "Option recorded as lapsed: the agreement still ends on 30 November 2027" in page
    assert "Lapsed on 3 December 2026" in page
    assert OPTION not in page
    # a lapsed option can't be exercised after all
    assert commissioner.get(terms_url(bromley, "options", option.pk)).status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"outcome": ""}, "outcome", "Choose whether the option was exercised or lapsed"),
        ({"body": ""}, "body", "Enter who decided to exercise the option"),
        (
            {"decided_on": "04/12/2026"},
            "decided_on",
            "The decision date can&#x27;t be in the future.",
        ),
    ],
)
def test_a_bad_exercise_names_its_field_and_saves_nothing(
    commissioner, bromley, data, field, error
):
    option = one_plus_one(commissioner, bromley)
    decisions = Decision.objects.count()

    response = commissioner.post(
        terms_url(bromley, "options", option.pk),
        as_posted(
            {
                "outcome": "exercised",
                "decided_on": "02/12/2026",
                "body": "The partners, by letter",
                "reference": "",
                "value": "",
                "summary": "Exercised.",
            }
            | data
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and error in page
    assert f'id="id_{field}-error"' in page
    assert Decision.objects.count() == decisions
    option.refresh_from_db()
    assert option.status == "available"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"option_exercise_by": ""}, "Enter the date by which the option must be exercised"),
        ({"option_value": ""}, "Enter the value of the option period in pounds"),
        ({"option_years": "one"}, "Enter the option&#x27;s years as a whole number, for example 1"),
        (
            {"option_exercise_by": "01/12/2027"},
            "The option must be exercised by the day the extension ends, 30 November 2027, or "
            "earlier.",
        ),
        (
            {"kind": "variation", "proposed_end_date": ""},
            "Only an extension can come with an option",
        ),
    ],
)
def test_a_bad_option_names_its_field_and_saves_nothing(commissioner, bromley, data, error):
    base = {
        "kind": "extension",
        "proposed_end_date": "30/11/2027",
        "value": "1",
        "option_years": "1",
        "option_exercise_by": "31/05/2027",
        "option_value": "1",
        "summary": "1+1",
    }
    response = commissioner.post(terms_url(bromley, "propose"), posted(base | data))

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count(error) == 2, page  # in the summary and by its field
    assert not Proposal.objects.exists()


def test_an_option_exercised_after_its_date_is_refused(commissioner, bromley):
    option = one_plus_one(commissioner, bromley)
    ExtensionOption.objects.filter(pk=option.pk).update(exercise_by=D(2026, 12, 1))

    response = commissioner.post(
        terms_url(bromley, "options", option.pk),
        as_posted(
            {
                "outcome": "exercised",
                "decided_on": "02/12/2026",
                "body": "Executive",
                "summary": "Late.",
            }
        ),
    )

    assert "The option had to be exercised by 1 December 2026" in response.content.decode()
    assert not AgreementTerm.objects.filter(agreement=bromley, start_date=D(2027, 12, 1)).exists()


def test_a_flat_extension_is_costed_at_the_same_value_to_the_penny(commissioner, bromley, tmp_path):
    ValueProjection.objects.create(
        agreement=bromley,
        base_value=Decimal("1917339.37"),
        base_year_ending=D(2026, 11, 30),
        uplift_rate=Decimal("0"),
    )
    propose(commissioner, bromley, proposed_end_date="30/11/2028", value="3834678.74")
    proposal = Proposal.objects.get()
    commissioner.post(
        terms_url(bromley, "proposals", proposal.pk, "decision"),
        decision_data(end_date="30/11/2028", value="3834678.74"),
    )

    page = commissioner.get(terms_url(bromley)).content.decode()
    assert "£3,834,678.74, no uplift (flat)" in page
    assert "0.0%" not in page
    output = tmp_path / "decision.html"
    call_command(
        "render_report",
        "decision",
        bromley.slug,
        "--period",
        "2026/27-Q3",
        "--format",
        "html",
        "-o",
        output,
    )
    html = unescape(re.sub(r"\s+", " ", output.read_text()))
    assert "at the same value, with no uplift (flat), at an estimated cost of £3,834,678.74" in html
    assert (
        "(the year to 30 November 2026), no uplift (flat). The extension is at the same value"
        in html
    )
    assert "The agreement's value by year, with no uplift (flat)" in html  # its table
    assert "0.0%" not in html
    assert "£1,917,339.37" in html  # each year, to the penny
    budget = commissioner.get(f"/partnerships/{bromley.slug}/budget/?period=2022/23-Q4")
    text = re.sub(r"\s+", " ", budget.content.decode())
    assert "a year in the agreement year ending 30 November 2026, no uplift (flat)" in text
    assert "each year at the same value" in text and "0% a year" not in text


@pytest.mark.parametrize("more", [0, 6])
def test_the_option_page_queries_stay_the_same(
    commissioner, bromley, more, django_assert_num_queries
):
    option = one_plus_one(commissioner, bromley)
    for number in range(more):
        Decision.objects.create(
            agreement=bromley,
            kind="variation",
            decided_on=D(2025, 1, 1),
            body="x",
            summary=f"{number}",
        )

    # the partnership; the option with its extension
    with django_assert_num_queries(SIGNED_IN + 1 + 1):
        assert commissioner.get(terms_url(bromley, "options", option.pk)).status_code == 200
