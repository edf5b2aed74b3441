"""``earful import``: JSON lines of stories into the system of record, then the index."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from core.limits import MAX_IMPORT_LINE_BYTES
from core.models import AnswerRecord
from core.pseudonyms import Pseudonymizer
from core.script import SectionKind
from core.text import storable

CHANNEL = "import"
_SKIP_CHUNK = 1024 * 1024  # how much of an over-long line is read (and dropped) at a time
_SECTIONS = {kind.value for kind in SectionKind}


@dataclass(frozen=True)
class BadLine:
    """A line that could not be imported, and why."""

    number: int
    reason: str


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def record_from_line(
    data: Any, team: str, number: int, now: datetime, pseudonyms: Pseudonymizer
) -> AnswerRecord:
    """The answer for one parsed JSON line; ``ValueError`` says what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("'text' is missing or empty")
    raw_id = data.get("id")
    # Without an id, the content decides identity, so importing a file twice adds nothing.
    story_id = (
        str(raw_id)
        if raw_id not in (None, "")
        else hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:24]
    )
    customer = str(data.get("customer") or f"story-{story_id}")
    section = data.get("section")
    created = data.get("created_at") or data.get("time")
    try:
        created_at = datetime.fromisoformat(str(created)) if created else now
    except ValueError:
        raise ValueError(f"'created_at' is not an ISO date: {created!r}") from None
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    label = data.get("label")
    return AnswerRecord(
        id=f"import-{_digest(team, story_id)[:24]}",
        interview_id=f"import-{_digest(team, customer)[:16]}",
        team=team,
        customer=customer,
        pseudonym=pseudonyms.name(team, CHANNEL, customer),
        channel=CHANNEL,
        question_id=str(data.get("question_id") or "imported"),
        question=str(data.get("question") or ""),
        section=section if section in _SECTIONS else "imported",
        text=storable(text),  # a JSON "\ud83d" escape cut in half: as the service stores it
        language=str(data.get("lang") or data.get("language") or "en"),
        turn=number,
        created_at=created_at,
        label=None if label is None else str(label),
    )


def raw_lines(handle: BinaryIO, limit: int = MAX_IMPORT_LINE_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """``(number, bytes)`` for every line of ``handle``; ``None`` for a line over ``limit``
    bytes, which is skipped without ever being held whole."""
    number = 0
    while line := handle.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, line


def parse_line(
    raw: bytes, team: str, number: int, now: datetime, pseudonyms: Pseudonymizer
) -> AnswerRecord | BadLine | None:
    """One line's answer, a :class:`BadLine` saying what is wrong with it, or ``None`` for an
    empty line (nothing to import, nothing to report)."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return BadLine(number, f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at byte {error.start + 1})")
    if number == 1:
        line = line.removeprefix("\ufeff")  # a byte-order mark some editors write
    if not line.strip():
        return None
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        return BadLine(number, f"not valid JSON ({error.msg} at column {error.colno})")
    except RecursionError:
        return BadLine(number, "JSON nested too deeply")
    try:
        return record_from_line(data, team, number, now, pseudonyms)
    except ValueError as error:
        return BadLine(number, str(error))
    except RecursionError:
        return BadLine(number, "JSON nested too deeply")


def read_jsonl(path: Path, team: str, pseudonyms: Pseudonymizer) -> Iterator[AnswerRecord | BadLine]:
    """Every line of ``path`` as an answer, or as a :class:`BadLine` naming its number and what
    is wrong with it (too long, not UTF-8, not JSON, nested too deeply, not an object, no text).
    A bad line never stops the lines after it. Empty lines are skipped silently."""
    now = datetime.now(UTC)
    with path.open("rb") as handle:
        for number, raw in raw_lines(handle):
            if raw is None:
                yield BadLine(number, f"longer than {MAX_IMPORT_LINE_BYTES} bytes")
                continue
            item = parse_line(raw, team, number, now, pseudonyms)
            if item is not None:
                yield item
