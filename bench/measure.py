"""One benchmark measurement against one database, printed as JSON on stdout.

Run by bench/run.py in a fresh process per measurement, with DATABASE_URL pointing at a
database that holds the demo and `generate_national` data:

    python bench/measure.py pages --repeat 7 [--only s117 --only home]
    python bench/measure.py import-s117 --rows 250000 [--baseline]
    python bench/measure.py import-return [--baseline]
    python bench/measure.py pdf --repeat 3

Times are wall-clock medians of repeated runs after one warm-up run; they are measured
here and never asserted in the test suite (these machines are shared and noisy).

Each measurement is a module beside this one: measure_pages.py, measure_imports.py and
measure_pdf.py; national.py chooses the partnership they open.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from measure_imports import import_return, import_s117
from measure_pages import measure_pages, publish_for_pages
from measure_pdf import measure_pdf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def setup():
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["pages", "import-s117", "import-return", "pdf"])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument(
        "--only", action="append", default=[], help="pages: only those named starting so"
    )
    args = parser.parse_args()
    setup()
    if args.what == "pages":
        publish_for_pages()
        result = measure_pages(args.repeat, tuple(args.only))
    elif args.what == "import-s117":
        result = import_s117(args.rows, args.baseline)
    elif args.what == "import-return":
        result = import_return(args.baseline, args.repeat)
    else:
        result = measure_pdf(args.repeat)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
