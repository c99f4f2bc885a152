"""A paper's data as an HTML document and a tagged PDF (PDF/UA-1), the one from the other.

The HTML is a whole document with its own styles, so a downloaded copy reads the same
offline; the PDF is WeasyPrint's rendering of exactly that HTML, with the page furniture
(partnership, period, status, page numbers) drawn from running strings in the CSS.
"""

import base64
import datetime
import hashlib
import re
from dataclasses import replace

from django.template.loader import render_to_string

from core import charts, formatting
from reports.models import Report
from reports.papers import Paper
from reports.papers.blocks import Chart

# How a chart's figures are written, by the name the paper gives (Chart.value_format).
FORMATS = {
    "pounds": formatting.whole_pounds,
    "count": formatting.count,
    "percent": formatting.percent,
}
STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def prepare_paper(paper: Paper) -> Paper:
    """The paper with its charts drawn. A cell's alignment and writing come from its kind
    (reports.papers.values), never from its text."""
    return replace(
        paper,
        sections=[
            replace(section, blocks=[_drawn(block) for block in section.blocks])
            for section in paper.sections
        ],
    )


def _drawn(block):
    if not isinstance(block, Chart):
        return block
    draw = charts.line_chart if block.style == "line" else charts.bar_chart
    labels = {"periods" if block.style == "line" else "categories": list(block.labels)}
    rendered = draw(
        title=block.title,
        series={name: list(values) for name, values in block.series.items()},
        value_format=FORMATS[block.value_format],
        **labels,
    )
    return replace(block, rendered=rendered)


def render_html(
    paper: Paper,
    *,
    version: int | None = None,
    published_on: datetime.date | None = None,
    change_note: str = "",
) -> str:
    """The whole HTML document. A draft says so on every page; a published version carries
    its number, its date and, for a correction, what it changed."""
    kind_label = dict(Report.Kind.choices)[paper.kind]
    if version is None:
        date_text = formatting.long_date(paper.prepared)
        status = f"Draft prepared {date_text}" if paper.draft else f"Not published: {date_text}"
    else:
        status = f"Version {version}, published {formatting.long_date(published_on)}"
        date_text = formatting.long_date(published_on)
    context = {
        "paper": prepare_paper(paper),
        "kind_label": kind_label,
        "status_text": status,
        "date_text": date_text,
        "as_at_text": formatting.long_date(paper.as_at),
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
