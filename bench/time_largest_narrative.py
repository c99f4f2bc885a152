"""How long the largest narrative a report may hold takes to become a draft PDF: the
measurement the limits in reports/narrative.py were chosen from (docs/adr/0013).

Not a test (pytest collects test_*.py only), and timings are never asserted: these machines
are shared and noisy. Run it against a database holding the demo data:

    python manage.py migrate && python manage.py load_demo
    python bench/time_largest_narrative.py [--repeat 3] [--characters N --paragraphs N]

For each kind of report it fills every narrative section to the limits in three shapes (one
long paragraph; paragraphs of about 700 characters, as officers write; as many paragraphs as
allowed) and times what the draft PDF link does: build the paper, render its HTML, make the
PDF. It prints the median of the runs after one warm-up, in seconds of wall-clock time and
of this process's CPU time (the two agree on a quiet machine), with the PDF's pages.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# A council paper's sentence, short words and long, so that lines break as they would in one.
PASSAGE = (
    "The partnership's pooled budget is forecast to underspend by a small margin this "
    "quarter, as recruitment to the vacant approved mental health professional posts in the "
    "locality teams continues; the Joint Management Group is asked to note the position and "
    "to agree that safeguarding, Care Act compliance and the section 117 aftercare register "
    "remain standing items until the review's recommendations are complete. "
)

REPORTS = {  # the demo's partnership and quarter for each kind
    "decision": ("bromley-oxleas-mh", "2023/24-Q3"),
    "jmg": ("bromley-oxleas-mh", "2022/23-Q4"),
    "scrutiny": ("oxfordshire-mh-social-work", "2019/20-Q4"),
}


def prose(length: int) -> str:
    """The passage, repeated to `length` characters."""
    return (PASSAGE * (length // len(PASSAGE) + 1))[:length].rstrip() or "x"


def fill(characters: int, paragraphs: int) -> list[str]:
    """`paragraphs` paragraphs that, joined by blank lines, are `characters` long."""
    each = (characters - 2 * (paragraphs - 1)) // paragraphs
    return [prose(each) for _ in range(paragraphs)]


def shapes(characters: int, paragraphs: int) -> dict[str, list[str]]:
    return {
        "one long paragraph": fill(characters, 1),
        "paragraphs of 700 characters": fill(characters, max(1, (characters + 2) // 702)),
        f"{paragraphs} paragraphs": fill(characters, paragraphs),
    }


def main() -> None:
    import django

    django.setup()
    from pypdf import PdfReader

    from partnerships.models import Agreement
    from reports import narrative, papers
    from reports.actions import quarter_of
    from reports.render import render_html, render_pdf

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--characters", type=int, default=narrative.MOST_CHARACTERS)
    parser.add_argument("--paragraphs", type=int, default=narrative.MOST_PARAGRAPHS)
    args = parser.parse_args()
    print(
        f"Every section at {args.characters:,} characters, at most {args.paragraphs} "
        f"paragraphs; median of {args.repeat} runs after a warm-up"
    )
    for kind, (slug, period) in REPORTS.items():
        agreement, quarter = Agreement.objects.get(slug=slug), quarter_of(period)
        sections = papers.narrative_titles(kind)
        every_shape = {"no narrative": [], **shapes(args.characters, args.paragraphs)}
        for shape, paragraphs in every_shape.items():
            at_the_limit = paragraphs and args.characters == narrative.MOST_CHARACTERS
            if at_the_limit and narrative.too_long("Section", paragraphs):  # allowed, just
                raise SystemExit(f"{shape}: over the limits it is meant to reach")
            written = dict.fromkeys(sections, paragraphs)

            def draft_pdf(written=written, agreement=agreement, quarter=quarter, kind=kind):
                paper = papers.build(agreement, kind, quarter, narrative=written, draft=True)
                return render_pdf(render_html(paper))

            pdf = draft_pdf()
            wall, cpu = [], []
            for _ in range(args.repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                draft_pdf()
                wall.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            print(
                f"{kind:8} {len(sections)} sections  {shape:30} "
                f"{statistics.median(wall):6.2f} s ({statistics.median(cpu):5.2f} s of CPU)  "
                f"{pages:3} pages"
            )


if __name__ == "__main__":
    main()
