"""Parsing what people type: ``/earful <subcommand>``, mentions, and story-search filters."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The story-search filters are shared with Telegram: they live in the core.
from core.story_query import SECTIONS, StoryQuery, parse_story_query

__all__ = ["SECTIONS", "StoryQuery", "parse_story_query"]
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_STORIES = re.compile(r"^\s*stories\b(?:\s+like\b)?[\s:,]*(.*)$", re.IGNORECASE | re.DOTALL)
_SCRIPT_ID = re.compile(r"^[\w-]+\.[a-z]{2}(?:-[A-Za-z]{2})?$")


def split_command(text: str) -> tuple[str, str]:
    """``("stories", "slow exports")`` for ``"stories slow exports"``; ``("help", "")`` for nothing."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "help", ""
    return parts[0].lower(), parts[1] if len(parts) > 1 else ""


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
