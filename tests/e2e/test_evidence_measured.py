"""Measured on ``../shared/data/answers/dev.jsonl`` (read at test time, never copied): imported as
interviews and summarised with the real offline reader, the quotes a summary shows as
frustrations, workarounds and costs come from answers labelled with that facet."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes import pseudonym

from adapters.answer_reader import OfflineAnswerReader
from core.evidence import with_readings
from core.models import AnswerRecord, InterviewState, Status
from core.summary import summarize
from prompts import default_catalog

# ../shared beside the checkout (a worktree one folder deeper finds it one more level up).
_ROOT = Path(__file__).resolve().parents[2]
DEV = (
    next(
        (p for p in (_ROOT.parent / "shared", _ROOT.parent.parent / "shared") if p.is_dir()),
        _ROOT.parent / "shared",
    )
    / "data"
    / "answers"
    / "dev.jsonl"
)
T = "measure"
T0 = datetime(2026, 1, 5, tzinfo=UTC)


def _interviews(lines: list[dict[str, object]]) -> list[tuple[InterviewState, list[AnswerRecord], set[str]]]:
    """Each labelled answer as a one-answer interview (its section from the script's question)."""
    script = default_catalog().script("discovery.en")
    sections = {q.id: s.kind.value for s in script.sections for q in s.questions}
    found = []
    for line in lines:
        interview_id, customer = f"m-{line['id']}", str(line["id"])
        state = InterviewState(
            interview_id=interview_id, team=T, customer=customer, channel="import",
            script_id="discovery.en", status=Status.FINISHED, language=str(line.get("lang") or "en"),
        )  # fmt: skip
        answer = AnswerRecord(
            id=f"{interview_id}-1", interview_id=interview_id, team=T, customer=customer,
            pseudonym=pseudonym(T, "import", customer), channel="import",
            question_id=str(line["question_id"]), question=str(line["question"]),
            section=sections.get(str(line["question_id"]), "imported"), text=str(line["answer"]),
            language=str(line.get("lang") or "en"), turn=1, created_at=T0,
        )  # fmt: skip
        found.append((state, [answer], set(line["facets"])))  # type: ignore[arg-type]
    return found


@pytest.mark.skipif(not DEV.is_file(), reason="../shared/data is not beside this checkout")
async def test_summary_quotes_come_from_answers_labelled_with_their_facet() -> None:
    lines = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    reader = OfflineAnswerReader()
    shown = {"problem": [0, 0], "workaround": [0, 0], "cost": [0, 0]}  # [from a labelled answer, all]
    for state, answers, labelled in _interviews(lines):
        summary = summarize(state, await with_readings(answers, reader))
        for facet, quotes in (
            ("problem", summary.frustrations),
            ("workaround", summary.workarounds),
            ("cost", summary.costs),
        ):
            shown[facet][0] += len(quotes) if facet in labelled else 0
            shown[facet][1] += len(quotes)
    precision = {facet: right / total for facet, (right, total) in shown.items() if total}
    print({facet: f"{right}/{total}" for facet, (right, total) in shown.items()})
    assert set(precision) == {"problem", "workaround", "cost"}
    assert all(value >= 0.9 for value in precision.values()), precision  # issue 16's target
