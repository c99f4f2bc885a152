"""Copy GOV.UK Frontend's compiled assets from node_modules into static/govuk/.

The service is not on GOV.UK, so it may not use the GDS Transport font or the crown:
the @font-face rules are dropped and the font stack becomes Arial. The CSS refers to its
images by root-absolute URLs (/assets/...); they are made relative so that they work
under STATIC_URL. Their source-map comments are dropped: the maps aren't shipped (the CSS no
longer matches its map), and production's collectstatic refuses a reference to a missing
file.
"""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
TARGET = ROOT / "static" / "govuk"


def transform_css(css: str) -> str:
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = css.replace("font-family:GDS Transport,arial,sans-serif", "font-family:arial,sans-serif")
    css = css.replace("font-family:GDS Transport", "font-family:arial,sans-serif")
    css = css.replace("url(/assets/", "url(assets/")
    return without_source_map(css)


def without_source_map(text: str) -> str:
    return re.sub(r"\n?(/\*# sourceMappingURL=[^*]*\*/|//# sourceMappingURL=\S*)\s*$", "\n", text)


def main() -> int:
    if not SOURCE.exists():
        print(f"{SOURCE} is missing: run `npm ci` first.", file=sys.stderr)
        return 1
    if TARGET.exists():
        shutil.rmtree(TARGET)
    (TARGET / "assets").mkdir(parents=True)
    css = (SOURCE / "govuk-frontend.min.css").read_text()
    (TARGET / "govuk-frontend.min.css").write_text(transform_css(css))
    js = (SOURCE / "govuk-frontend.min.js").read_text()
    (TARGET / "govuk-frontend.min.js").write_text(without_source_map(js))
    shutil.copytree(SOURCE / "assets" / "images", TARGET / "assets" / "images")
    print(f"GOV.UK Frontend assets written to {TARGET.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
