"""GovukSelect is Django's Select with the GOV.UK class."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

from django import forms

from partnerships.widgets import GovukSelect


class Elements(HTMLParser):
    """The elements, their attributes and their text, without the whitespace between."""

    def __init__(self, html: str):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append(("start", tag, sorted(attrs, key=lambda pair: pair[0])))

    def handle_endtag(self, tag):
        self.found.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.found.append(("text", data))


CHOICES = [
    ("", "All teams"),
    ("Community <teams>", [("1", "AMHT North & West"), ("2", 'EIS "Early"')]),
    ("3", "Forensic"),
    (4, "Older adults"),
    (5, datetime.date(2024, 4, 1)),  # a label that isn't text is localized, as a template does
    (6, Decimal("1.5")),
]


def test_a_select_is_the_elements_django_writes():
    ours = GovukSelect(attrs={"id": "team", "required": True, "disabled": False}, choices=CHOICES)
    django = forms.Select(
        attrs={"id": "team", "required": True, "disabled": False, "class": "govuk-select"},
        choices=CHOICES,
    )

    for value in (None, "", "2", 4, "4"):
        assert (
            Elements(ours.render("team", value)).found
            == Elements(django.render("team", value)).found
        )


def test_the_chosen_option_is_selected_and_text_is_escaped():
    html = GovukSelect(choices=CHOICES).render("team", "2")

    assert '<option value="2" selected>EIS &quot;Early&quot;</option>' in html
    assert '<optgroup label="Community &lt;teams&gt;">' in html
    assert html.count(" selected") == 1
    assert 'class="govuk-select"' in html


def test_a_class_given_is_kept_beside_the_govuk_one():
    html = GovukSelect(attrs={"class": "govuk-select--error"}).render("role", "")

    assert 'class="govuk-select govuk-select--error"' in html
