"""Escaping for Slack: customer text is data, never markup or a mention.

Customer words are shown in ``rich_text`` blocks, whose text elements Slack never parses (no
mention, link or formatting can come out of them); wherever they must go into a mrkdwn or
notification ``text`` field, they are escaped here first.
"""

from __future__ import annotations

from typing import Any

# Slack's documented escapes: only these three characters are control characters, so
# `<!channel>` becomes `&lt;!channel&gt;` and shows as text without pinging anyone.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """``text`` safe to embed in a mrkdwn or ``text`` field: no mention or link survives."""
    return text.translate(_ESCAPES)


def clip(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` characters with an ellipsis (Slack rejects longer fields)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def literal_quote(text: str, limit: int = 2900, note: str | None = None) -> dict[str, Any]:
    """A block quoting ``text`` verbatim: a rich-text quote of plain text elements, and under
    it, in the same block, ``note`` in italics (e.g. that it was said in a voice note)."""
    elements: list[dict[str, Any]] = [
        {"type": "rich_text_quote", "elements": [{"type": "text", "text": clip(text, limit)}]}
    ]
    if note:
        elements.append(
            {
                "type": "rich_text_section",
                "elements": [{"type": "text", "text": note, "style": {"italic": True}}],
            }
        )
    return {"type": "rich_text", "elements": elements}
