"""Each kind of report as a PDF, against WeasyPrint making the PDF from the same HTML."""

import statistics
import time

from national import national_partnership


def measure_pdf(repeat: int) -> list[dict]:
    """Each kind of report for the national partnership: the product's render (build the
    paper from the data, draw the charts, render the HTML, make the PDF) against WeasyPrint
    making the PDF from the same saved HTML."""
    from weasyprint import HTML

    from dashboards.quarter import latest_quarter_with_figures
    from partnerships.models import AgreementTerm
    from reports.papers import build
    from reports.render import render_html, render_pdf

    agreement = national_partnership()
    extended = (
        AgreementTerm.objects.filter(
            kind=AgreementTerm.Kind.EXTENSION, agreement__slug__startswith="national-"
        )
        .select_related("agreement")
        .order_by("agreement__slug")
        .first()
    )
    results = []
    for kind in ("jmg", "scrutiny", "decision"):
        subject = extended.agreement if kind == "decision" else agreement
        quarter = latest_quarter_with_figures(subject)

        def ours(subject=subject, quarter=quarter, kind=kind):
            return render_pdf(render_html(build(subject, kind, quarter, draft=False)))

        ours()
        html = render_html(build(subject, kind, quarter, draft=False))
        product, plain = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            ours()
            product.append(time.perf_counter() - started)
            started = time.perf_counter()
            HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
            plain.append(time.perf_counter() - started)
        results.append(
            {
                "kind": kind,
                "partnership": subject.slug,
                "product_ms": round(statistics.median(product) * 1000, 1),
                "weasyprint_ms": round(statistics.median(plain) * 1000, 1),
            }
        )
    return results
