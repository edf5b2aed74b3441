"""Contact details typed into answers are kept in the record but redacted in stories."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# A phone number: an optional +, then 7+ digits that may be split by spaces, dots, dashes or
# brackets. Dates and short numbers ("3 times", "2024-05-01") stay readable.
_PHONE = re.compile(r"(?<![\w#])(\+?\(?\d[\d\s().-]{6,}\d)(?![\w])")
# Dates and times look like digit runs too; a candidate containing one is left alone.
_DATE_OR_TIME = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}:\d{2}")


def redact(text: str) -> str:
    """Replace email addresses and phone numbers with ``[email]`` and ``[phone]``."""
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub(_phone, text)


def _phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    if digits < 7 or _DATE_OR_TIME.search(match.group(0)):
        return match.group(0)
    return "[phone]"
