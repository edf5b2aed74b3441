"""Turning core replies into Telegram messages: HTML escaping, splitting, inline keyboards."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.models import Choice, StoryHit

# Telegram rejects messages longer than this (characters after entity parsing).
MAX_MESSAGE_CHARS = 4096
# A search result quotes at most this much of a story, so five results fit in one message.
QUOTE_CHARS = 600


def escape(text: str) -> str:
    """Text safe to send with ``parse_mode=HTML``: customer words are data, never markup."""
    return html.escape(text, quote=False)


def split_message(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Split plain ``text`` into pieces whose *escaped* form fits in ``limit`` characters.

    Splits prefer a paragraph break, then a line break, then a space, so words stay whole;
    splitting happens before escaping so an entity such as ``&amp;`` is never cut in two.
    """
    pieces: list[str] = []
    rest = text
    while len(escape(rest)) > limit:
        cut = _fit(rest, limit)
        window = rest[:cut]
        for separator in ("\n\n", "\n", " "):
            at = window.rfind(separator)
            if at > cut // 2:
                cut = at + len(separator)
                break
        piece = rest[:cut].rstrip()
        if piece:  # a run of blanks at the cut would be an empty message, which Telegram refuses
            pieces.append(piece)
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def _fit(text: str, limit: int) -> int:
    """The longest prefix length of ``text`` whose escaped form fits in ``limit``."""
    used = 0
    for index, char in enumerate(text):
        used += len(escape(char))
        if used > limit:
            return max(index, 1)
    return len(text)


def keyboard(choices: Sequence[Choice]) -> InlineKeyboardMarkup | None:
    """One row of inline buttons; the callback data is the choice's value (``consent:yes``)."""
    if not choices:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(c.label, callback_data=c.value) for c in choices]])


def render_hits(
    hits: Sequence[StoryHit], none_found: str, evidence_kinds: Mapping[str, str] | None = None
) -> str:
    """Story search results as HTML: who, when, which question, its evidence kind ("a real time
    it happened"), the quote (escaped)."""
    kinds = evidence_kinds or {}
    if not hits:
        return escape(none_found)
    blocks = []
    for number, hit in enumerate(hits, 1):
        story = hit.story
        when = story.created_at.strftime("%Y-%m-%d")
        quote = story.text if len(story.text) <= QUOTE_CHARS else story.text[:QUOTE_CHARS] + "…"
        blocks.append(
            f"<b>{number}. {escape(story.customer)}</b> · {when} · {hit.match} ({hit.score:.2f})"
            + (f" · {escape(kinds[story.act])}" if story.act is not None and story.act in kinds else "")
            + "\n"
            f"<i>{escape(story.question[:QUOTE_CHARS])}</i>\n{escape(quote)}\n"
            f"interview {escape(story.interview_id)}"
        )
    return "\n\n".join(blocks)
