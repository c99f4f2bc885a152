"""The s117 register upload: checks, changes, and never ending an entitlement by omission."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s117.actions import apply_register_changes
from s117.models import RegisterEntry
from s117.register_file import read_register

pytestmark = pytest.mark.django_db

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "fixtures/examples/s117-register-bromley-oxleas-mh.csv"
)
ROWS = list(csv.reader(io.StringIO(EXAMPLE.read_text())))
TODAY = datetime.date(2026, 11, 23)


def file_with(*changes: tuple[int, str, str], drop: int | None = None) -> bytes:
    rows = [list(row) for row in ROWS]
    header = rows[0]
    for row_number, column, value in changes:
        rows[row_number - 1][header.index(column)] = value
    if drop is not None:
        del rows[drop - 1]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def read(bromley, content: bytes):
    return read_register(content, "register.csv", bromley, today=TODAY)


def messages(bromley, content: bytes) -> list[str]:
    return [str(problem) for problem in read(bromley, content).problems]


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.get(username="s117.officer")


def test_example_shows_a_new_person_and_a_changed_review(bromley):
    result = read(bromley, EXAMPLE.read_bytes())

    assert result.problems == []
    assert (result.count("new"), result.count("changed"), result.count("unchanged")) == (1, 1, 4)
    changed = next(c for c in result.changes if c.kind == "changed")
    assert changed.reference == "BR-S117-0001"
    assert changed.changed_fields == ["review_due", "last_reviewed"]


def test_saving_records_who_and_the_same_file_again_changes_nothing(bromley, officer):
    apply_register_changes(
        by=officer, agreement=bromley, changes=read(bromley, EXAMPLE.read_bytes()).changes
    )

    new = RegisterEntry.objects.get(person_reference="BR-S117-0007")
    assert new.nhs_number == "9990000077"
    assert new.history.latest().history_user == officer
    again = read(bromley, EXAMPLE.read_bytes())
    assert again.count("new") == again.count("changed") == 0


def test_person_left_out_of_the_file_is_reported_but_stays_entitled(bromley, officer):
    result = read(bromley, file_with(drop=5))  # BR-S117-0004

    apply_register_changes(by=officer, agreement=bromley, changes=result.changes)

    assert result.not_listed == ["BR-S117-0004"]
    assert RegisterEntry.objects.get(person_reference="BR-S117-0004").ended_on is None


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            (2, "nhs_number", "999 000 0019"),
            "Row 2, column nhs_number '999 000 0019': 9990000019 fails the NHS number check digit",
        ),
        (
            (2, "qualifying_section", "2"),
            "column qualifying_section '2': is not a qualifying section",
        ),
        ((2, "detained_on", "2030-01-01"), "column detained_on '2030-01-01': is in the future"),
        ((2, "detained_on", "31/13/2020"), "should be a date such as 2024-03-31"),
        (
            (2, "discharged_on", "2020-01-01"),
            "column discharged_on '2020-01-01': is before detained_on",
        ),
        ((2, "responsible_council", "XYZ"), "column responsible_council 'XYZ': is not a council"),
        ((2, "responsible_icb", "LBB"), "column responsible_icb 'LBB': is not an ICB or CCG"),
        ((2, "team", "Nowhere"), "column team 'Nowhere': is not a team of this partnership"),
        ((2, "council_share_percent", "120"), "should be a percentage from 0 to 100"),
        ((2, "cto_in_force", "maybe"), "should be yes or no"),
        ((2, "person_reference", ""), "column person_reference: is required"),
        ((3, "full_name", '=HYPERLINK("x")'), "is a formula"),
        # Digits of other scripts pass str.isdigit(), and would slip past the one open
        # entitlement per NHS number by being a different string.
        (
            (2, "nhs_number", "\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669"),
            "is not an NHS number",
        ),
        ((2, "nhs_number", "943476591\u00b2"), "is not an NHS number"),
    ],
)
def test_each_bad_value_is_named_by_row_and_column(bromley, change, says):
    found = messages(bromley, file_with(change))

    assert any(says in problem for problem in found), found


def test_a_column_given_twice_is_named_not_a_crash(bromley):
    rows = [list(row) for row in ROWS]
    rows[0][rows[0].index("full_name")] = "Full_Name"
    for row in rows:
        row.append(row[rows[0].index("Full_Name")])
    rows[0][-1] = "full_name"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)

    found = messages(bromley, buffer.getvalue().encode())

    assert len(found) == 1
    assert found[0].startswith("Row 1: the header has person_reference, ")
    assert found[0].endswith(
        "; full_name appears twice. The columns must be: person_reference, nhs_number, "
        "full_name, date_of_birth, qualifying_section, detained_on, discharged_on, "
        "responsible_council, responsible_icb, team, council_share_percent, review_due, "
        "last_reviewed, cto_in_force, primary_support_reason, ended_on, "
        "end_agreed_by_council_on, end_agreed_by_icb_on, end_reason; primary_support_reason "
        "may be left out (docs/import-formats.md)."
    )


def test_entitlement_cannot_end_while_a_cto_is_in_force(bromley):
    found = messages(
        bromley,
        file_with(
            (3, "ended_on", "2026-10-01"),
            (3, "end_agreed_by_council_on", "2026-09-20"),
            (3, "end_agreed_by_icb_on", "2026-09-25"),
            (3, "end_reason", "Needs met"),
        ),
    )

    assert any(
        "Row 3, column ended_on" in p and "Community Treatment Order is in force" in p
        for p in found
    )


def test_ending_needs_both_bodies_agreement_and_a_reason(bromley):
    found = messages(bromley, file_with((2, "ended_on", "2026-10-01")))

    assert any("needs both end_agreed_by_council_on and end_agreed_by_icb_on" in p for p in found)
    assert any("Row 2, column end_reason: is required" in p for p in found)


def test_a_jointly_agreed_end_is_saved(bromley, officer):
    result = read(
        bromley,
        file_with(
            (2, "ended_on", "2026-10-01"),
            (2, "end_agreed_by_council_on", "2026-09-20"),
            (2, "end_agreed_by_icb_on", "2026-09-25"),
            (2, "end_reason", "Joint decision: aftercare needs met"),
        ),
    )

    apply_register_changes(by=officer, agreement=bromley, changes=result.changes)

    assert RegisterEntry.objects.get(person_reference="BR-S117-0001").ended_on == datetime.date(
        2026, 10, 1
    )


def test_duplicate_person_and_duplicate_open_nhs_number_are_refused(bromley):
    found = messages(
        bromley,
        file_with((3, "person_reference", "BR-S117-0001"), (4, "nhs_number", "9990000018")),
    )

    assert any("Row 3, column person_reference 'BR-S117-0001': repeats row 2" in p for p in found)
    assert any(
        "Row 4, column nhs_number '9990000018': has an open entitlement on row 2" in p
        for p in found
    )


def test_an_ended_entitlement_is_not_reopened_by_a_file(bromley):
    rows = [
        *ROWS,
        [
            "BR-S117-0005",
            "9990000050",
            "Demo Person B5",
            "1958-01-25",
            "3",
            "2018-04-23",
            "2018-07-20",
            "LBB",
            "SEL ICB",
            "",
            "50",
            "",
            "",
            "no",
            "",
            "",
            "",
            "",
        ],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)

    found = messages(bromley, buffer.getvalue().encode())

    assert any("BR-S117-0005's entitlement ended on 30 September 2024" in p for p in found)


def test_command_refuses_someone_who_is_not_the_partnerships_s117_officer():
    with pytest.raises(CommandError, match="not an s117 officer"):
        call_command(
            "import_s117",
            str(EXAMPLE),
            partnership="bromley-oxleas-mh",
            by="jmg.member",
            stdout=io.StringIO(),
        )


def test_command_saves_and_reports_who_is_not_listed(tmp_path):
    out = io.StringIO()

    call_command(
        "import_s117", str(EXAMPLE), partnership="bromley-oxleas-mh", by="s117.officer", stdout=out
    )

    assert "1 new, 1 changed, 4 unchanged, 0 not listed. Saved." in out.getvalue()


def test_command_refuses_a_bad_file_listing_every_problem(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(file_with((2, "nhs_number", "12345"), (3, "qualifying_section", "2")))
    err = io.StringIO()
    before = RegisterEntry.objects.count()

    with pytest.raises(CommandError, match="2 problem"):
        call_command(
            "import_s117", str(bad), partnership="bromley-oxleas-mh", by="s117.officer", stderr=err
        )

    assert "Row 2, column nhs_number" in err.getvalue()
    assert RegisterEntry.objects.count() == before


class Rollback(Exception):
    pass


NASTY = [
    "",
    "-1",
    "2",
    "3",
    "37",
    "45A",
    "yes",
    "no",
    "2030-01-01",
    "2020-02-30",
    "31/12/2019",
    "=1",
    "9990000018",
    "999 000 0018",
    "1234567890",
    "LBB",
    "SEL ICB",
    "Oxleas",
    "x" * 300,
    "١",
    "\x00",
]


@settings(
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(
        st.tuples(
            st.integers(2, len(ROWS)),
            st.sampled_from(ROWS[0]),
            st.one_of(st.sampled_from(NASTY), st.text(max_size=10)),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_malformed_register_ends_in_clear_problems_or_a_clean_save(bromley, officer, edits):
    result = read(bromley, file_with(*edits))

    for problem in result.problems:
        assert str(problem)
    if result.problems:
        assert result.changes == []
        return
    try:
        with transaction.atomic():
            apply_register_changes(by=officer, agreement=bromley, changes=result.changes)
            raise Rollback
    except Rollback:
        pass


def test_someone_already_on_the_register_under_another_reference_is_refused(bromley):
    # Found by the property-based test: a renamed reference would open a second entitlement.
    found = messages(bromley, file_with((2, "person_reference", "BR-NEW-1")))

    assert any(
        "column nhs_number '9990000018': already has an open entitlement on the register as "
        "BR-S117-0001" in p
        for p in found
    )


def as_csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def test_a_primary_support_reason_is_read_by_code_or_name_and_a_file_without_it_still_reads(
    bromley,
):
    rows = [list(row) for row in ROWS]
    column = rows[0].index("primary_support_reason")
    rows[1][column] = "Sensory support: support for DUAL impairment"

    result = read_register(as_csv(rows), "register.csv", bromley, today=TODAY)

    assert result.problems == []
    first = next(c for c in result.changes if c.reference == rows[1][0])
    assert first.values["primary_support_reason"] == "sensory:dual"
    new = next(c for c in result.changes if c.reference == "BR-S117-0007")
    assert new.values["primary_support_reason"] == "mental_health"

    without = [row[:column] + row[column + 1 :] for row in rows]
    result = read_register(as_csv(without), "register.csv", bromley, today=TODAY)
    assert result.problems == []
    assert all("primary_support_reason" not in c.values for c in result.changes)  # kept

    rows[1][column] = "sad"
    problems = messages(bromley, as_csv(rows))
    assert len(problems) == 1 and "column primary_support_reason 'sad'" in problems[0]
