"""What people type to search stories: the sentence and its filters, on every channel.

``exports are slow section:frustration since:30d lang:es evidence:story facet:workaround``
is the sentence "exports are slow" and five filters: a section kind, a date (or a number of
days back), a language, an act (``evidence:story`` keeps real past occurrences only) and a
facet the story carries. Slack and Telegram both read it with :func:`parse_story_query`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.errors import InputError
from core.languages import normalise_language
from core.reading import Act, Facet
from core.script import SectionKind
from core.stories import EvidenceFilters

SECTIONS = tuple(kind.value for kind in SectionKind)
ACTS = tuple(act.value for act in Act)
FACETS = tuple(facet.value for facet in Facet)
_DAYS = re.compile(r"^(\d{1,4})d$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


class StoryFilters(EvidenceFilters, total=False):
    """A story search's filters, as keyword arguments of :meth:`StoryFinder.search`."""

    section: str
    since: datetime


@dataclass(frozen=True)
class StoryQuery:
    """A story search: the sentence, and the optional ``section:``, ``since:``, ``lang:``,
    ``evidence:`` and ``facet:`` filters."""

    text: str
    section: str | None = None
    since: datetime | None = None
    language: str | None = None
    act: str | None = None
    facet: str | None = None

    def describe(self) -> str:
        """The filters in words, for headers (empty when there are none)."""
        parts = []
        if self.section:
            parts.append(f"section:{self.section}")
        if self.since:
            parts.append(f"since:{self.since.date().isoformat()}")
        if self.language:
            parts.append(f"lang:{self.language}")
        if self.act:
            parts.append(f"evidence:{self.act}")
        if self.facet:
            parts.append(f"facet:{self.facet}")
        return f" ({', '.join(parts)})" if parts else ""

    def filters(self) -> StoryFilters:
        """The filters as keyword arguments of a story search (only those given)."""
        given = StoryFilters()
        if self.language is not None:
            given["language"] = self.language
        if self.act is not None:
            given["act"] = self.act
        if self.facet is not None:
            given["facet"] = self.facet
        if self.section is not None:
            given["section"] = self.section
        if self.since is not None:
            given["since"] = self.since
        return given


def _one_of(value: str, allowed: tuple[str, ...], word: str) -> str:
    if value.lower() not in allowed:
        raise InputError(word)
    return value.lower()


def parse_story_query(text: str, now: datetime | None = None) -> StoryQuery:
    """Split the filter tokens from the sentence; :class:`InputError` carries the token that
    cannot be read."""
    now = now or datetime.now(UTC)
    words: list[str] = []
    found: dict[str, str | datetime] = {}
    for word in text.split():
        key, _, value = word.partition(":")
        key = key.lower()
        if key == "section" and value:
            found["section"] = _one_of(value, SECTIONS, word)
        elif key == "since" and value:
            found["since"] = _parse_since(value, now, word)
        elif key == "lang" and value:
            if not _LANG.match(value):
                raise InputError(word)
            found["language"] = normalise_language(value)
        elif key == "evidence" and value:
            found["act"] = _one_of(value, ACTS, word)
        elif key == "facet" and value:
            found["facet"] = _one_of(value, FACETS, word)
        else:
            words.append(word)
    return StoryQuery(" ".join(words), **found)  # type: ignore[arg-type]


def _parse_since(value: str, now: datetime, word: str) -> datetime:
    days = _DAYS.match(value.lower())
    if days:
        return now - timedelta(days=int(days.group(1)))
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(word) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
