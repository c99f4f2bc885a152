"""A paper's data as an HTML document and a tagged PDF (PDF/UA-1), the one from the other.

The HTML is a whole document with its own styles, so a downloaded copy reads the same
offline; the PDF is WeasyPrint's rendering of exactly that HTML, with the page furniture
(partnership, period, status, page numbers) drawn from running strings in the CSS.
"""

import base64
import copy
import datetime
import hashlib
import re

from django.template.loader import render_to_string

from core import charts
from reports.models import Report

FORMATS = {"pounds": charts.pounds, "count": charts.count, "percent": charts.percent}
NUMERIC = re.compile(r"^(−|-)?(£)?[\d,.]+%?$|^\*$|^–$|^Not reported$")
STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _day(value: datetime.date) -> str:
    return f"{value:%-d %B %Y}"


# What the paper template asks of every cell and paragraph, where the paper says nothing.
# A template looking up a key a dict lacks pays for a dir() of it: a paper's tables are
# hundreds of cells, and those lookups were a tenth of its rendering.
CELL_DEFAULTS = {"header": False, "hidden": "", "true": "", "rounded_from": ""}
PARA_DEFAULTS = {"placeholder": False}


def prepare_paper(paper: dict) -> dict:
    """Number the paragraphs and tables' numeric columns, draw the charts, and give every
    cell and paragraph each key the template reads."""
    paper = copy.deepcopy(paper)
    for index, section in enumerate(paper["sections"], start=1):
        paragraph = 0
        for block in section["blocks"]:
            if block["type"] == "para":
                paragraph += 1
                block["number"] = f"{index}.{paragraph}"
                block |= PARA_DEFAULTS | block
            elif block["type"] == "table":
                numeric = block["numeric_columns"] = _numeric_columns(block)
                for row in block["rows"] + block["foot"]:
                    for column, cell in enumerate(row):
                        cell |= CELL_DEFAULTS | cell
                        cell["numeric"] = column in numeric
            elif block["type"] == "chart":
                block["rendered"] = _chart(block)
    return paper


def _numeric_columns(block: dict) -> list[int]:
    columns = len(block["head"])
    numeric = []
    for column in range(1, columns):
        values = [
            row[column]["text"]
            for row in block["rows"] + block["foot"]
            if column < len(row) and row[column]["text"]
        ]
        if values and all(NUMERIC.match(value) for value in values):
            numeric.append(column)
    return numeric


def _chart(block: dict) -> charts.Chart:
    from decimal import Decimal

    series = {
        name: [None if v is None else Decimal(v) for v in values]
        for name, values in block["series"].items()
    }
    value_format = FORMATS[block["format"]]
    if block["chart"] == "line":
        return charts.line_chart(
            title=block["title"], periods=block["labels"], series=series, value_format=value_format
        )
    return charts.bar_chart(
        title=block["title"], categories=block["labels"], series=series, value_format=value_format
    )


def render_html(
    paper: dict,
    *,
    version: int | None = None,
    published_on: datetime.date | None = None,
    change_note: str = "",
) -> str:
    """The whole HTML document. A draft says so on every page; a published version carries
    its number, its date and, for a correction, what it changed."""
    kind_label = dict(Report.Kind.choices)[paper["kind"]]
    if version is None:
        date_text = _day(datetime.date.fromisoformat(paper["prepared"]))
        status = f"Draft prepared {date_text}" if paper["draft"] else f"Not published: {date_text}"
    else:
        status = f"Version {version}, published {_day(published_on)}"
        date_text = _day(published_on)
    context = {
        "paper": prepare_paper(paper),
        "kind_label": kind_label,
        "status_text": status,
        "date_text": date_text,
        "as_at_text": _day(datetime.date.fromisoformat(paper["as_at"])),
        "change_note": change_note,
        "previous_number": (version or 1) - 1,
    }
    return render_to_string("reports/paper.html", context)


def render_pdf(html: str) -> bytes:
    """A tagged PDF/UA-1 document: structure tree, headings, tables with header cells,
    figures with their alt text, the document's language and title."""
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1")


def style_hash(html: str) -> str:
    """The CSP source that allows exactly the document's own style element."""
    match = STYLE.search(html)
    digest = hashlib.sha256((match.group(1) if match else "").encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def document_policy(html: str) -> str:
    """The Content-Security-Policy for serving a paper as a document of its own: its style,
    its charts (data: images), and nothing else."""
    return (
        f"default-src 'none'; style-src {style_hash(html)}; img-src data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
