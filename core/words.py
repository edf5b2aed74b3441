"""Words and stop words in the customer's language.

Tokens are Unicode words ("cafetería", "pequeña", "Zürich" stay whole). Stop words come from
the maintained ``stop-words`` package (lists for 30+ languages), for the language the text
is in; English inflections of a stop word ("called" of "call", "tells" of "tell") count as
stop words too.
"""

from __future__ import annotations

import re
from functools import cache

from stop_words import StopWordError, get_stop_words  # type: ignore[import-untyped]

# A word: a letter, then letters, digits, apostrophes or hyphens (no leading digit or "_").
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ENGLISH_ENDINGS = ("ing", "ed", "es", "s", "d")


def words(text: str) -> list[str]:
    """The words of ``text``, case-folded, apostrophes and hyphens at either end stripped."""
    found = (w.casefold().replace("’", "'").strip("'-") for w in _WORD.findall(text))
    return [w for w in found if w]


@cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of ``language`` (ISO 639-1); English's when the package has no list for it."""
    try:
        listed = get_stop_words(language)
    except StopWordError:
        listed = get_stop_words("en")
    return frozenset(w.casefold().replace("’", "'") for w in listed)


def is_stop_word(word: str, language: str) -> bool:
    """Whether ``word`` (case-folded) is a stop word of ``language``."""
    stops = stop_words(language)
    if word in stops:
        return True
    if language == "en":
        return any(word.endswith(end) and word[: -len(end)] in stops for end in _ENGLISH_ENDINGS)
    return False


def content_words(text: str, language: str, min_length: int = 3) -> list[str]:
    """The words of ``text`` that are no stop words of ``language`` (at least ``min_length`` long)."""
    return [w for w in words(text) if len(w) >= min_length and not is_stop_word(w, language)]
