"""The registry of sections: a section declared and listed for a kind of paper is in that
paper, numbered in its place, and rendered from its values' kinds."""

import datetime
import re
from dataclasses import replace
from decimal import Decimal

import pytest

from reports import disclosure
from reports.actions import ReportRefused, publish, quarter_of, save_narrative, start_report
from reports.papers import KINDS, build, narrative_titles
from reports.papers.blocks import Paper, Para, Section, Table
from reports.papers.section import PaperSection
from reports.papers.values import Count, Date, Money, Text
from reports.render import render_html

QUARTER = "2022/23-Q4"


def _teams(paper):
    """A section only these tests have: the partnership's teams, read as any section would."""
    from caseload.selectors import teams_on

    names = list(
        teams_on(paper.agreement, paper.quarter.end_date)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return [
        Para(f"The partnership has {len(names)} teams."),
        Table(
            "Teams in the partnership",
            ["Team", "Code", "Number"],
            [
                [Text(name, header=True), Text(str(n)), Count(n)]
                for n, name in enumerate(names, start=1)
            ],
        ),
    ]


TEAMS = PaperSection("teams", "Teams, a section only this test has", figures=_teams)
NOTES = PaperSection("notes", "Notes for the test", narrative=True)


@pytest.fixture
def jmg_with(monkeypatch):
    """Register sections for the JMG paper, before its last section (items for decision)."""

    def register(*sections):
        jmg = KINDS["jmg"]
        listed = [*jmg.sections[:-1], *sections, jmg.sections[-1]]
        monkeypatch.setitem(KINDS, "jmg", replace(jmg, sections=listed))

    return register


def _tight(html: str) -> str:
    """The HTML without the whitespace between its tags (the cell template's newlines)."""
    return re.sub(r">\s+<", "><", html)


def _headings(html: str) -> list[str]:
    return re.findall(r'<h2 id="section-[^"]+">([^<]+)</h2>', html)


@pytest.mark.django_db
def test_a_registered_section_is_in_the_rendered_paper_in_its_place(jmg_with, bromley):
    before = build(bromley, "jmg", quarter_of(QUARTER))
    jmg_with(TEAMS)

    paper = build(bromley, "jmg", quarter_of(QUARTER))
    html = _tight(render_html(paper))

    headings = _headings(html)
    assert headings[-2:] == ["8. Teams, a section only this test has", "9. Items for decision"]
    assert headings[:-2] == _headings(_tight(render_html(before)))[:-1]
    assert '<span class="para-number">8.1</span><p class="para-text">The partnership has' in html
    tables_before = sum(isinstance(b, Table) for s in before.sections for b in s.blocks)
    assert f"<caption>Table {tables_before + 1}: Teams in the partnership</caption>" in html
    # Right-aligned by kind: the count and its heading; the code that looks like a number not.
    assert '<th scope="col" class="num">Number</th>' in html
    assert '<th scope="col">Code</th>' in html
    assert '<td class="">1</td><td class="num">1</td>' in html
    assert paper.to_data()["sections"][7]["slug"] == "teams"


@pytest.mark.django_db
def test_a_registered_narrative_section_is_written_on_the_draft_and_needed_to_publish(
    jmg_with, bromley, django_user_model
):
    jmg_with(NOTES)
    commissioner = django_user_model.objects.get(username="commissioner")
    report = start_report(by=commissioner, agreement=bromley, kind="jmg", period=QUARTER)

    assert narrative_titles("jmg") == {
        "summary": "Summary",
        "notes": "Notes for the test",
        "decisions": "Items for decision",
    }
    with pytest.raises(ReportRefused, match="Write the narrative for Notes for the test"):
        publish(by=commissioner, report=report)
    save_narrative(by=commissioner, report=report, section="notes", text="A note.\n\nAnother.")
    version = publish(by=commissioner, report=report)

    assert '<span class="para-number">8.1</span><p class="para-text">A note.</p>' in version.html
    assert '<span class="para-number">8.2</span><p class="para-text">Another.</p>' in version.html


@pytest.mark.django_db
def test_each_kind_lists_the_narrative_its_officers_write():
    assert narrative_titles("jmg") == {"summary": "Summary", "decisions": "Items for decision"}
    assert narrative_titles("scrutiny") == {
        "background": "Background",
        "conclusions": "Conclusions",
    }
    assert narrative_titles("decision") == {
        "reason": "Reason for report",
        "recommendations": "Recommendations",
        "commentary": "Commentary",
        "legal": "Legal considerations",
    }


@pytest.mark.django_db
def test_paragraphs_tables_and_figures_are_numbered_through_the_paper(bromley):
    paper = build(bromley, "decision", quarter_of("2023/24-Q3"))

    for index, section in enumerate(paper.sections, start=1):
        paras = [block.number for block in section.blocks if isinstance(block, Para)]
        assert paras == [f"{index}.{n}" for n in range(1, len(paras) + 1)]
    tables = [b.number for s in paper.sections for b in s.blocks if b.type == "table"]
    figures = [b.number for s in paper.sections for b in s.blocks if b.type == "chart"]
    assert tables == [1] and figures == [1]


def test_a_paper_renders_from_its_values_alone_without_the_database():
    paper = Paper(
        kind="jmg",
        title="A paper made by hand",
        partnership="A partnership",
        short_title="Partnership",
        slug="partnership",
        period="2024/25-Q1",
        period_text="2024/25 quarter 1, to 30 June 2024",
        as_at=datetime.date(2024, 6, 30),
        draft=False,
        rule=disclosure.Rule(),
        sections=[
            Section(
                "figures",
                "Figures",
                [
                    Para("One.", number="1.1"),
                    Table(
                        "Money and dates",
                        ["Item", "Amount", "Due"],
                        [
                            [Text("A", header=True), Money(Decimal("-12.40")), Date(None)],
                            [
                                Text("B", header=True),
                                Money(None, missing="Not reported"),
                                Date(None),
                            ],
                        ],
                        number=1,
                    ),
                ],
            )
        ],
        prepared=datetime.date(2024, 7, 1),
    )

    html = _tight(render_html(paper))

    assert '<th scope="col" class="num">Amount</th><th scope="col">Due</th>' in html
    assert '<td class="num">\u2212£12</td><td class="">–</td>' in html
    assert '<td class="num">Not reported</td><td class="">–</td>' in html
    assert "Not published: 1 July 2024" in html
