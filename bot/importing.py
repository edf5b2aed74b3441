"""``earful import``: JSON lines of stories into the system of record, then the index."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.models import AnswerRecord, pseudonym
from core.script import SectionKind

CHANNEL = "import"
_SECTIONS = {kind.value for kind in SectionKind}


@dataclass(frozen=True)
class BadLine:
    """A line that could not be imported, and why."""

    number: int
    reason: str


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def record_from_line(data: Any, team: str, number: int, now: datetime) -> AnswerRecord:
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
        pseudonym=pseudonym(team, CHANNEL, customer),
        channel=CHANNEL,
        question_id=str(data.get("question_id") or "imported"),
        question=str(data.get("question") or ""),
        section=section if section in _SECTIONS else "imported",
        text=text,
        language=str(data.get("lang") or data.get("language") or "en"),
        turn=number,
        created_at=created_at,
        label=None if label is None else str(label),
    )


def read_jsonl(path: Path, team: str) -> Iterator[AnswerRecord | BadLine]:
    """Every line of ``path`` as an answer, or as a :class:`BadLine` naming its number."""
    now = datetime.now(UTC)
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                yield BadLine(number, f"not valid JSON ({error.msg} at column {error.colno})")
                continue
            try:
                yield record_from_line(data, team, number, now)
            except ValueError as error:
                yield BadLine(number, str(error))
