"""The officer's narrative: how typed text becomes numbered paragraphs, and how much of it a
section may hold.

The limits keep the largest report's PDF well inside a web worker's time-out (gunicorn's
default is 30 s): a PDF's time grows with its text and its paragraphs (faster than the text
within one paragraph), and a draft PDF or a publish renders one within the request. At these
limits the slowest draft PDF, a decision report with its four sections full, took 3.6 s
(8 to 9 s on a machine running three times the work it has cores for). ADR 13 has the
measurements; bench/time_largest_narrative.py makes them.
"""

MOST_CHARACTERS = 10_000  # per section, as saved: paragraphs joined by blank lines
MOST_PARAGRAPHS = 100  # per section


def paragraphs_of(text: str) -> list[str]:
    """One paragraph per block of text between blank lines, its whitespace made single
    spaces, empty blocks dropped."""
    blocks = (" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n"))
    return [block for block in blocks if block]


def too_long(title: str, paragraphs: list[str]) -> str:
    """Why a section's paragraphs are more than it may hold, or "" if they are not."""
    characters = len("\n\n".join(paragraphs))
    if characters > MOST_CHARACTERS:
        return (
            f"{title} is {characters:,} characters long: a section can have at most "
            f"{MOST_CHARACTERS:,}. Shorten it and save again."
        )
    if len(paragraphs) > MOST_PARAGRAPHS:
        return (
            f"{title} has {len(paragraphs):,} paragraphs: a section can have at most "
            f"{MOST_PARAGRAPHS}. Join some of them and save again."
        )
    return ""
