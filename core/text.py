"""Text as it can be stored: what every database and UTF-8 itself accept.

A lone UTF-16 surrogate (``"\\ud83d"`` without its pair) cannot be encoded as UTF-8, so no
database, JSON file or chat platform can keep it; it arrives from broken clients (a JSON
``\\ud83d`` escape cut in half, bytes decoded with ``surrogateescape``). Such text is made
storable at the service's edge: a valid pair written as two code points becomes the one
character it encodes, and each lone surrogate becomes U+FFFD (the replacement character).
Everything else, including control characters, NUL, right-to-left text and emoji, is kept
exactly as typed.
"""

from __future__ import annotations

REPLACEMENT = "\ufffd"


def has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` contains a code point UTF-8 cannot encode."""
    return any("\ud800" <= char <= "\udfff" for char in text)


def storable(text: str) -> str:
    """``text`` unchanged unless it holds surrogates: pairs are joined, lone ones replaced."""
    if not has_lone_surrogate(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
