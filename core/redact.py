"""Contact details typed into answers are kept in the record but redacted in stories.

Both patterns run in time linear in the text: a customer controls it, and a pattern that
backtracks over a long run of letters or digits would stall every other conversation
(40,000 characters took 4.6 s with the earlier patterns).
"""

from __future__ import annotations

import re

# A match may only start where a run of address characters starts (the look-behind), so a long
# run without an "@" is scanned once, not once per starting position. The possessive
# quantifiers never give characters back: none of their classes holds the "@" or "." that
# follows them, so giving back could not produce a match anyway.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++", re.UNICODE)
# Right after an address, the next one may start at once (``a@b.cd+e@f.gh``): tried there only.
_EMAIL_HERE = re.compile(r"[\w.+-]++@[\w-]++(?:\.[\w-]++)++", re.UNICODE)
# A phone number: an optional +, then 7+ digits that may be split by spaces, dots, dashes or
# brackets. Dates and short numbers ("3 times", "2024-05-01") stay readable. Found as maximal
# runs of those characters (one scan), then trimmed in Python: see _phones.
_PHONE_RUN = re.compile(r"\+?\(?\d[\d\s().-]*+")
_PHONE_MIN = 8  # characters of a candidate, from its first digit to its last digit
# Dates and times look like digit runs too; a candidate containing one is left alone.
_DATE_OR_TIME = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}:\d{2}")


def redact(text: str) -> str:
    """Replace email addresses and phone numbers with ``[email]`` and ``[phone]``."""
    return _phones(_emails(text))


def _emails(text: str) -> str:
    out: list[str] = []
    done = 0
    while True:
        found = (_EMAIL_HERE.match(text, done) if out else None) or _EMAIL.search(text, done)
        if found is None:
            break
        out.append(text[done : found.start()])
        out.append("[email]")
        done = found.end()
    out.append(text[done:])
    return "".join(out)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _phones(text: str) -> str:
    out: list[str] = []
    done = 0  # text before this index is in ``out``
    for run in _PHONE_RUN.finditer(text):
        span = _phone_in(text, run.start(), run.end())
        if span is None:
            continue
        start, end = span
        candidate = text[start:end]
        digits = sum(ch.isdecimal() for ch in candidate)
        if digits < 7 or _DATE_OR_TIME.search(candidate):
            continue
        out.append(text[done:start])
        out.append("[phone]")
        done = end
    out.append(text[done:])
    return "".join(out)


def _phone_in(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The longest phone-number candidate in the run ``text[start:end]``: it must not follow a
    word character or ``#`` and must end on a digit that no word character follows."""
    # The last digit of the run that is not directly followed by a word character.
    last = end
    if last < len(text) and _is_word(text[last]):
        while last > start and text[last - 1].isdecimal():
            last -= 1  # these digits are glued to the word after them
    while last > start and not text[last - 1].isdecimal():
        last -= 1
    # The first place a number may start: a digit, or a bracket or + before one, that follows
    # no word character (inside a run only a separator can precede it).
    for begin in range(start, last):
        if last - begin < _PHONE_MIN:
            return None
        ch = text[begin]
        if not (ch.isdecimal() or ch in "+("):
            continue
        if begin > 0 and (_is_word(text[begin - 1]) or text[begin - 1] == "#"):
            continue
        if ch == "+" and begin != start:
            continue
        digit = _first_digit(text, begin)
        if digit is None or last - digit < _PHONE_MIN:
            continue
        return begin, last
    return None


def _first_digit(text: str, begin: int) -> int | None:
    """Where the digit of ``\\+?\\(?\\d`` matched at ``begin`` is, or ``None``."""
    position = begin + (text[begin] == "+")
    position += position < len(text) and text[position] == "("
    return position if position < len(text) and text[position].isdecimal() else None
