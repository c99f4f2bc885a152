"""The GOV.UK Frontend assets as built by `make assets`: production's collectstatic
(WhiteNoise's manifest storage) refuses a stylesheet that refers to a missing file."""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static" / "govuk"


def test_built_assets_refer_only_to_files_that_are_shipped():
    css = (STATIC / "govuk-frontend.min.css").read_text()
    js = (STATIC / "govuk-frontend.min.js").read_text()

    assert "sourceMappingURL" not in css and "sourceMappingURL" not in js
    referenced = set(re.findall(r"url\(([^)\"']+)\)", css))
    assert referenced, "the stylesheet's images are found by relative URL"
    assert [url for url in referenced if not (STATIC / url).exists()] == []
