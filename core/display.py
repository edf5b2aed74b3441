"""Stored customer text as it may be shown where it could act: a terminal and a spreadsheet.

Text from customers is data. Printed raw, an escape sequence in an answer would retitle the
terminal, clear the screen or rewrite what was printed before it; a CSV cell starting with ``=``
would run as a formula (``=HYPERLINK(...)``) when the export is opened in a spreadsheet.
"""

from __future__ import annotations

import re

# ESC (or its one-byte C1 form) and what follows it: CSI ``ESC [ ... final``, OSC/DCS/PM/APC
# strings up to BEL or ST, and two-character escapes. Whole sequences go, not just the ESC.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
# Every other control character but the line break and the tab: C0, DEL and C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")  # json.dumps escapes C0 itself, but not DEL and C1
_FORMULA_START = tuple("=+-@\uff1d\uff0b\uff0d\uff20")  # and their full-width forms


def for_terminal(text: str) -> str:
    """``text`` without escape sequences and control characters (line breaks and tabs kept)."""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def json_for_terminal(json_text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with DEL and C1 characters
    written as ``\\u`` escapes: the same data, and nothing a terminal would act on."""
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)


def spreadsheet_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: control characters dropped, and a cell that
    would start a formula (``=``, ``+``, ``-``, ``@``, also after spaces, or a tab or carriage
    return) prefixed with ``'``, OWASP's advice for CSV injection."""
    starts_with_control = text[:1] in ("\t", "\r")
    shown = for_terminal(text)
    if starts_with_control or shown.lstrip(" ").startswith(_FORMULA_START):
        return "'" + shown
    return shown
