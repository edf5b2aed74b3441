"""``earful eval questions``: how well the question classifier tells the questions that teach
nothing from the open ones, on a labelled JSON-lines file (``question``, ``kind``, ``section``).

A question is bad when its section does not allow its kind (:func:`core.questions.is_allowed`):
before the pitch every kind but ``open``; at the pitch every kind but ``open`` and ``commitment``.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import InputError
from core.questions import QuestionClassifier, QuestionKind, is_allowed
from core.script import SectionKind

# The measuring file's two sections, as script sections.
SECTION_NAMES = {"before_pitch": SectionKind.FRUSTRATION, "pitch": SectionKind.PITCH}


@dataclass(frozen=True)
class LabelledQuestion:
    question: str
    kind: QuestionKind
    section: SectionKind
    language: str | None = None


@dataclass(frozen=True)
class KindFigures:
    """One labelled kind: how many, how many judged right (caught when bad, passed when good),
    and how many given exactly this kind."""

    kind: str
    questions: int
    judged_right: int
    same_kind: int


@dataclass
class QuestionsReport:
    """The figures ``earful eval questions`` prints."""

    file: str
    classifier: str
    questions: int
    bad: int
    bad_caught: int
    good: int
    good_passed: int
    same_kind: int
    seconds: float
    bad_lines: int = 0
    per_kind: list[KindFigures] = field(default_factory=list)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # labelled -> found -> count
    misjudged: list[dict[str, str]] = field(default_factory=list)

    @property
    def caught_share(self) -> float:
        return self.bad_caught / self.bad if self.bad else 1.0

    @property
    def passed_share(self) -> float:
        return self.good_passed / self.good if self.good else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "classifier": self.classifier,
            "questions": self.questions,
            "bad_lines": self.bad_lines,
            "bad": self.bad,
            "bad_caught": self.bad_caught,
            "bad_caught_share": round(self.caught_share, 4),
            "good": self.good,
            "good_passed": self.good_passed,
            "good_passed_share": round(self.passed_share, 4),
            "same_kind_share": round(self.same_kind / self.questions, 4) if self.questions else 0.0,
            "per_kind": [vars(figures) for figures in self.per_kind],
            "confusion": self.confusion,
            "misjudged": self.misjudged,
            "seconds": round(self.seconds, 3),
        }


def read_labelled(path: Path) -> tuple[list[LabelledQuestion], int]:
    """The labelled questions of ``path`` and how many lines could not be read."""
    questions: list[LabelledQuestion] = []
    bad = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            section = str(data.get("section", "before_pitch"))
            questions.append(
                LabelledQuestion(
                    question=str(data["question"]),
                    kind=QuestionKind(data["kind"]),
                    section=SECTION_NAMES.get(section) or SectionKind(section),
                    language=data.get("lang") or data.get("language"),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            bad += 1
    if not questions:
        raise InputError(f"{path}: no labelled questions ('question', 'kind', 'section') in the file")
    return questions, bad


async def evaluate_questions(path: Path, classifier: QuestionClassifier, name: str) -> QuestionsReport:
    """Classify every labelled question of ``path`` and count what the lint would decide."""
    labelled, bad_lines = read_labelled(path)
    confusion: dict[str, Counter[str]] = {kind.value: Counter() for kind in QuestionKind}
    totals: Counter[str] = Counter()
    right: Counter[str] = Counter()
    same: Counter[str] = Counter()
    report = QuestionsReport(str(path), name, len(labelled), 0, 0, 0, 0, 0, 0.0, bad_lines)
    started = time.perf_counter()
    for item in labelled:
        found = (await classifier.classify(item.question, language=item.language)).kind
        confusion[item.kind.value][found.value] += 1
        truly_bad = not is_allowed(item.kind, item.section)
        judged_bad = not is_allowed(found, item.section)
        totals[item.kind.value] += 1
        same[item.kind.value] += found is item.kind
        right[item.kind.value] += truly_bad == judged_bad
        if truly_bad:
            report.bad += 1
            report.bad_caught += judged_bad
        else:
            report.good += 1
            report.good_passed += not judged_bad
        if truly_bad != judged_bad:
            report.misjudged.append(
                {"question": item.question, "kind": item.kind.value, "found": found.value}
            )
    report.seconds = time.perf_counter() - started
    report.same_kind = sum(same.values())
    report.per_kind = [
        KindFigures(kind.value, totals[kind.value], right[kind.value], same[kind.value])
        for kind in QuestionKind
        if totals[kind.value]
    ]
    report.confusion = {kind: dict(counts) for kind, counts in confusion.items() if totals[kind]}
    return report


def format_questions_report(report: QuestionsReport) -> list[str]:
    """The report as text: the two shares, a row per labelled kind, and the confusion table."""
    kinds = [kind.value for kind in QuestionKind]
    short = {kind: kind[:6] for kind in kinds}
    lines = [
        f"file            {report.file}",
        f"classifier      {report.classifier}",
        f"questions       {report.questions}"
        + (f" ({report.bad_lines} bad lines skipped)" if report.bad_lines else ""),
        f"bad caught      {report.bad_caught}/{report.bad} = {report.caught_share:.1%}",
        f"good passed     {report.good_passed}/{report.good} = {report.passed_share:.1%}",
        f"same kind       {report.same_kind}/{report.questions}",
        f"time            {report.seconds * 1000:.0f} ms",
        "",
        f"{'labelled kind':<14} {'n':>4} {'judged right':>13} {'same kind':>10}",
    ]
    for figures in report.per_kind:
        lines.append(
            f"{figures.kind:<14} {figures.questions:>4} {figures.judged_right / figures.questions:>13.1%}"
            f" {figures.same_kind / figures.questions:>10.1%}"
        )
    lines += ["", "confusion (rows: labelled kind, columns: kind found)"]
    lines.append(f"{'':<14}" + "".join(f"{short[kind]:>7}" for kind in kinds))
    for kind, counts in report.confusion.items():
        lines.append(f"{kind:<14}" + "".join(f"{counts.get(found, 0) or '.':>7}" for found in kinds))
    if report.misjudged:
        lines += ["", "misjudged"]
        lines += [f"  {m['kind']} -> {m['found']}: {m['question']}" for m in report.misjudged]
    return lines
