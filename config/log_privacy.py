"""Log lines without personal data.

A database error names the row it refused: PostgreSQL's DETAIL line says `Key
(agreement_id, nhs_number)=(2, 9990000077) already exists.` Such errors are turned into
clear messages where they can happen (s117.actions), but an error nobody foresaw still
reaches the log with its traceback. Every line the console handler writes passes through
here first: the values in a DETAIL line, and anything shaped like an NHS number (ten
digits, or 3-3-4 with spaces or hyphens), are replaced before the line is written.
"""

import logging
import re

_DETAIL = re.compile(r"(DETAIL:\s+Key \([^)]*\)=)\(.*?\)(?=\s|$)", re.DOTALL)
_FAILING_ROW = re.compile(r"(DETAIL:\s+Failing row contains )\(.*?\)\.", re.DOTALL)
_NHS_NUMBER = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")


def redact(text: str) -> str:
    text = _DETAIL.sub(r"\1(…)", text)
    text = _FAILING_ROW.sub(r"\1(…).", text)
    return _NHS_NUMBER.sub("[number removed]", text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose output, traceback included, carries no NHS numbers or row values."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
