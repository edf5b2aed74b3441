"""Parsing what people type: ``/earful <subcommand>``, mentions, and story-search filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.errors import InputError
from core.languages import normalise_language
from core.script import SectionKind

SECTIONS = tuple(kind.value for kind in SectionKind)
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_STORIES = re.compile(r"^\s*stories\b(?:\s+like\b)?[\s:,]*(.*)$", re.IGNORECASE | re.DOTALL)
_SCRIPT_ID = re.compile(r"^[\w-]+\.[a-z]{2}(?:-[A-Za-z]{2})?$")
_DAYS = re.compile(r"^(\d{1,4})d$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


def split_command(text: str) -> tuple[str, str]:
    """``("stories", "slow exports")`` for ``"stories slow exports"``; ``("help", "")`` for nothing."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "help", ""
    return parts[0].lower(), parts[1] if len(parts) > 1 else ""


@dataclass(frozen=True)
class StoryQuery:
    """A story search: the sentence, and the optional ``section:``, ``since:`` and ``lang:``
    filters."""

    text: str
    section: str | None = None
    since: datetime | None = None
    language: str | None = None

    def describe(self) -> str:
        """The filters in words, for headers (empty when there are none)."""
        parts = []
        if self.section:
            parts.append(f"section:{self.section}")
        if self.since:
            parts.append(f"since:{self.since.date().isoformat()}")
        if self.language:
            parts.append(f"lang:{self.language}")
        return f" ({', '.join(parts)})" if parts else ""


def parse_story_query(text: str, now: datetime | None = None) -> StoryQuery:
    """Split ``section:``, ``since:`` and ``lang:`` tokens from the sentence; :class:`InputError`
    carries the token that cannot be read."""
    now = now or datetime.now(UTC)
    words, section, since, language = [], None, None, None
    for word in text.split():
        key, _, value = word.partition(":")
        if key.lower() == "section" and value:
            if value.lower() not in SECTIONS:
                raise InputError(word)
            section = value.lower()
        elif key.lower() == "since" and value:
            since = _parse_since(value, now, word)
        elif key.lower() == "lang" and value:
            if not _LANG.match(value):
                raise InputError(word)
            language = normalise_language(value)
        else:
            words.append(word)
    return StoryQuery(" ".join(words), section, since, language)


def _parse_since(value: str, now: datetime, word: str) -> datetime:
    days = _DAYS.match(value.lower())
    if days:
        return now - timedelta(days=int(days.group(1)))
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(word) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def stories_request(text: str) -> str | None:
    """The query of ``"stories like TEXT"`` (mentions removed), or ``None`` for anything else."""
    match = _STORIES.match(_USER.sub("", text))
    return match.group(1).strip() if match else None


def mentioned_user(text: str) -> str | None:
    """The first user id mentioned as ``<@U123|name>`` (how Slack sends an escaped @mention)."""
    match = _USER.search(text)
    return match.group(1) if match else None


def split_invite(args: str, known_scripts: set[str]) -> tuple[str | None, str, str | None]:
    """``(script_id, note, unknown_script)`` from ``[script] [note]``: a first word shaped like a
    script id (``discovery.en``) names a script, and is reported back when it is unknown."""
    first, _, rest = args.strip().partition(" ")
    if first in known_scripts:
        return first, rest.strip(), None
    if _SCRIPT_ID.match(first):
        return None, rest.strip(), first
    return None, args.strip(), None


# A Slack file: its id alone (F0123ABCD), in a permalink (…/files/U1/F0123ABCD/script.yaml) or in
# a private download URL (…/files-pri/T1-F0123ABCD/…).
_FILE_ID = re.compile(r"(?:^|[\s/<|-])(F[A-Z0-9]{6,15})(?=[\s/>|]|$)")
_FENCE = re.compile(r"```(?:ya?ml)?[ \t]*\n?(.*?)```", re.DOTALL | re.IGNORECASE)
_SLACK_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


@dataclass(frozen=True)
class LintRequest:
    """What ``/earful lint`` was given: a shared file's id, or a script pasted as text."""

    file_id: str | None = None
    text: str | None = None


def parse_lint_request(args: str) -> LintRequest | None:
    """The file or pasted YAML of ``/earful lint …``; ``None`` when it holds neither."""
    fenced = _FENCE.search(args)
    if fenced:
        return LintRequest(text=_unescape(fenced.group(1)))
    found = _FILE_ID.search(args)
    if found and "\n" not in args.strip():
        return LintRequest(file_id=found.group(1))
    if "\n" in args.strip():
        return LintRequest(text=_unescape(args))
    return None


def _unescape(text: str) -> str:
    """Slack sends ``&``, ``<`` and ``>`` in a command's text as HTML entities."""
    for entity, char in _SLACK_ENTITIES:
        text = text.replace(entity, char)
    return text
