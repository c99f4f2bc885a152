from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.models import Agreement
from reports import papers
from reports.actions import ReportRefused, narrative_of, quarter_of
from reports.models import Report
from reports.render import render_html, render_pdf


class Command(BaseCommand):
    help = (
        "Render a report from the partnership's figures as they stand, as HTML or a tagged "
        "PDF, with disclosure control applied as in a published paper. Any narrative drafted "
        "in the product for the same report is used; nothing is published or saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(papers.KINDS))
        parser.add_argument("partnership", help="e.g. bromley-oxleas-mh")
        parser.add_argument("--period", required=True, help="e.g. 2023/24-Q2, or 2023/24")
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, kind, partnership, period, format, output, **options):
        agreement = Agreement.objects.filter(slug=partnership).first()
        if agreement is None:
            raise CommandError(f"There is no partnership {partnership!r}.")
        try:
            quarter = quarter_of(period)
        except ReportRefused as error:
            raise CommandError(str(error)) from None
        drafted = Report.objects.filter(
            agreement=agreement, kind=kind, period=quarter.label
        ).first()
        narrative = narrative_of(drafted) if drafted else {}
        try:
            paper = papers.build(agreement, kind, quarter, narrative=narrative, draft=False)
        except papers.ReportUnavailable as error:
            raise CommandError(str(error)) from None
        html = render_html(paper)
        data = render_pdf(html) if format == "pdf" else html.encode()
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"{output} could not be written: {error.strerror}.") from None
        self.stdout.write(f"{paper.title}: {format.upper()} written to {output}.")
