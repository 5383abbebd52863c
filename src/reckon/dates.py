"""Strict ISO 8601 dates for what users type: version dates and date ranges.

Version dates order the versions of a source as text, so a date that is not a real
ISO calendar date ("2026-3-5", "yesterday") would sort among them wrongly and block
every genuine later version. Such input is refused, never stored or compared.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?$"
)


def iso_date(text: str, what: str = "date") -> str:
    """`text` if it is a real calendar date (YYYY-MM-DD) or an ISO 8601 date-time
    (YYYY-MM-DDTHH:MM[:SS][Z]); else ValueError naming `what` and the expected form."""
    value = text.strip()
    try:
        if _ISO.match(value):
            if len(value) == 10:
                date.fromisoformat(value)
            else:
                datetime.fromisoformat(value)
            return value
    except ValueError:
        pass
    raise ValueError(f"{what} {text!r} is not a calendar date; write YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SSZ)")
