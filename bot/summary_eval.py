"""``earful eval summaries``: does the interview quality score rank interviews as an expert does?

Each line of the file is one customer's interview: ``{"id", "answers", "expert_score"}``, the
answers in the order of the default English script's questions (an empty string: no answer,
the customer stopped there). Every line is imported as an interview into a fresh embedded
store (a temporary directory), summarised exactly as ``earful summary`` does (answers read by
the app's answer reader), and the quality score is compared with ``expert_score``: the
Spearman rank correlation, and each interview's distance from the expert's score.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.insights import interview_summary
from bot.settings import Settings
from bot.wiring import build_app
from core.errors import InputError
from core.models import AnswerRecord, InterviewState, Status
from core.pseudonyms import Pseudonymizer
from core.reading import AnswerReader
from core.script import Script
from prompts import default_catalog

EVAL_TEAM = "eval"
# The evaluation's interviews are never kept: their customers are named under a throwaway secret.
EVAL_PSEUDONYMS = Pseudonymizer.throwaway()
CHANNEL = "import"
SCRIPT_ID = "discovery.en"
# The questions the file's answers answer, in its order (the default English script's ids).
QUESTION_ORDER = (
    "role",
    "context",
    "hardest",
    "last_time",
    "how_often",
    "workaround",
    "cost",
    "pitch",
    "reaction",
    "who_else",
    "anything_else",
)
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class ScoredInterview:
    id: str
    expert: float
    score: int

    @property
    def difference(self) -> float:
        return self.score - self.expert


@dataclass(frozen=True)
class SummariesReport:
    """The figures ``earful eval summaries`` prints."""

    file: str
    spearman: float
    max_difference: float
    within_20: int
    interviews: list[ScoredInterview] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "spearman": self.spearman,
            "max_difference": self.max_difference,
            "within_20": self.within_20,
            "interviews": [
                {"id": i.id, "score": i.score, "expert_score": i.expert, "difference": i.difference}
                for i in self.interviews
            ],
        }


def _lines(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"{path}:{number}: not JSON ({error.msg})") from None
            answers = data.get("answers") if isinstance(data, dict) else None
            if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
                raise InputError(f"{path}:{number}: 'answers' must be a list of strings")
            if len(answers) > len(QUESTION_ORDER):
                raise InputError(
                    f"{path}:{number}: more answers than the script's {len(QUESTION_ORDER)} questions"
                )
            if not isinstance(data.get("expert_score"), int | float):
                raise InputError(f"{path}:{number}: 'expert_score' must be a number")
            rows.append({**data, "id": str(data.get("id") or f"line-{number}")})
    if len(rows) < 2:
        raise InputError(f"{path}: fewer than two scored interviews")
    return rows


def interview_from_line(row: dict[str, Any], script: Script) -> tuple[InterviewState, list[AnswerRecord]]:
    """One line as a stored interview: its state and its answers (questions from ``script``)."""
    questions = {q.id: (section.kind.value, q.text) for section in script.sections for q in section.questions}
    missing = [qid for qid in QUESTION_ORDER if qid not in questions]
    if missing:
        raise InputError(f"script {script.id} has no question {', '.join(missing)}")
    interview_id = f"eval-{row['id']}"
    customer = str(row["id"])
    answers: list[AnswerRecord] = []
    stopped = False
    for qid, text in zip(QUESTION_ORDER, row["answers"], strict=False):
        if not text.strip():
            stopped = True  # the customer stopped here: nothing after it was asked
            break
        section, question = questions[qid]
        turn = len(answers) + 1
        answers.append(
            AnswerRecord(
                id=f"{interview_id}-{turn}",
                interview_id=interview_id,
                team=EVAL_TEAM,
                customer=customer,
                pseudonym=EVAL_PSEUDONYMS.name(EVAL_TEAM, CHANNEL, customer),
                channel=CHANNEL,
                question_id=qid,
                question=" ".join(question.split()),
                section=section,
                text=text,
                turn=turn,
                created_at=T0 + timedelta(minutes=turn),
            )
        )
    stopped = stopped or len(row["answers"]) < len(QUESTION_ORDER)
    state = InterviewState(
        interview_id=interview_id,
        team=EVAL_TEAM,
        customer=customer,
        channel=CHANNEL,
        pseudonym=EVAL_PSEUDONYMS.name(EVAL_TEAM, CHANNEL, customer),
        script_id=script.id,
        status=Status.STOPPED if stopped else Status.FINISHED,
        position=len(answers),
        turn=len(answers),
        started_at=T0,
        updated_at=T0 + timedelta(minutes=len(answers)),
    )
    return state, answers


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation (ties get their average rank)."""
    from scipy.stats import spearmanr  # type: ignore[import-untyped]  # scipy ships no type information

    return float(spearmanr(xs, ys).statistic)


async def evaluate_summaries(path: Path, reader: AnswerReader | None = None) -> SummariesReport:
    """Import every interview of ``path`` into a temporary store, score it, compare with the expert."""
    rows = _lines(path)
    script = default_catalog().script(SCRIPT_ID)
    scored: list[ScoredInterview] = []
    with tempfile.TemporaryDirectory(prefix="earful-eval-") as data_dir:
        settings = Settings(data_dir=Path(data_dir), multilingual="off", detect_language=False)
        async with build_app(settings, reader=reader) as app:
            for row in rows:
                state, answers = interview_from_line(row, script)
                await app.sessions.create(state)
                await app.sessions.add_answers(answers)
                summary = await interview_summary(app, state.interview_id)
                score = summary.quality.score if summary.quality is not None else 0
                scored.append(
                    ScoredInterview(id=str(row["id"]), expert=float(row["expert_score"]), score=score)
                )
    differences = [abs(s.difference) for s in scored]
    return SummariesReport(
        file=str(path),
        spearman=spearman([s.score for s in scored], [s.expert for s in scored]),
        max_difference=max(differences),
        within_20=sum(1 for d in differences if d <= 20),
        interviews=scored,
    )


def format_report(report: SummariesReport) -> list[str]:
    """The report as a table, one interview a row, then the figures."""
    width = max(len(i.id) for i in report.interviews)
    lines = [f"{'interview':<{width}}  expert  score  difference"]
    lines += [
        f"{i.id:<{width}}  {i.expert:6.0f}  {i.score:5d}  {i.difference:+10.0f}" for i in report.interviews
    ]
    lines += [
        "",
        f"Spearman (score vs expert)   {report.spearman:.3f}",
        f"within 20 points             {report.within_20} of {len(report.interviews)}",
        f"largest difference           {report.max_difference:.0f}",
    ]
    return lines
