"""``earful eval answers``: how well an answer reader reads a labelled JSON-lines file.

Each line has an ``answer`` and the ``question`` it answers (and an ``id``); labelled lines
also have ``act`` and ``facets`` (the definitions of ``shared/data/answers/README.md``). Every
line is read, in order, and may be written to a predictions file; the scores count only the
labelled lines: act accuracy and macro-F1 over the eight acts, per-act precision and recall, a
confusion table, facet micro-F1 over all (answer, facet) pairs and per-facet F1, and how long a
reading takes (p50/p99).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import InputError
from core.reading import Act, AnswerReader, Facet, Reading


@dataclass(frozen=True)
class AnswerLine:
    """One line of the file: what is read and, when labelled, what it should read as."""

    id: str
    question: str
    answer: str
    language: str | None
    act: Act | None
    facets: frozenset[Facet] | None


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of one label."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class AnswersReport:
    """The figures ``earful eval answers`` prints."""

    file: str
    answers: int
    labelled: int
    act_accuracy: float
    act_macro_f1: float
    facet_micro_f1: float
    facet_micro_precision: float
    facet_micro_recall: float
    per_act: dict[str, Scores]
    per_facet: dict[str, Scores]
    confusion: dict[str, dict[str, int]]  # true act -> read act -> count
    latency_p50_ms: float
    latency_p99_ms: float
    reader: str
    predictions: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "answers": self.answers,
            "labelled": self.labelled,
            "act_accuracy": self.act_accuracy,
            "act_macro_f1": self.act_macro_f1,
            "facet_micro_f1": self.facet_micro_f1,
            "facet_micro_precision": self.facet_micro_precision,
            "facet_micro_recall": self.facet_micro_recall,
            "per_act": {k: vars(v) for k, v in self.per_act.items()},
            "per_facet": {k: vars(v) for k, v in self.per_facet.items()},
            "confusion": self.confusion,
            "latency_p50_ms": self.latency_p50_ms,
            "latency_p99_ms": self.latency_p99_ms,
            "reader": self.reader,
        }


def read_answer_lines(path: Path) -> list[AnswerLine]:
    """The file's lines; a line that is not an answer is a clear error naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    lines: list[AnswerLine] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as error:
            raise InputError(f"{where}: not JSON ({error.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("answer"), str):
            raise InputError(f"{where}: needs an 'answer' string")
        lines.append(_line(row, where, number))
    if not lines:
        raise InputError(f"{path}: no answers")
    return lines


def _line(row: dict[str, Any], where: str, number: int) -> AnswerLine:
    act: Act | None = None
    facets: frozenset[Facet] | None = None
    if row.get("act") is not None:
        try:
            act = Act(row["act"])
        except ValueError:
            raise InputError(f"{where}: unknown act {row['act']!r}") from None
    if row.get("facets") is not None:
        if not isinstance(row["facets"], list):
            raise InputError(f"{where}: 'facets' must be a list")
        try:
            facets = frozenset(Facet(f) for f in row["facets"])
        except ValueError as error:
            raise InputError(f"{where}: unknown facet ({error})") from None
    language = row.get("lang") or row.get("language")
    return AnswerLine(
        id=str(row.get("id") or f"line-{number}"),
        question=str(row.get("question") or ""),
        answer=row["answer"],
        language=str(language) if language else None,
        act=act,
        facets=facets,
    )


def _scores(tp: int, fp: int, fn: int) -> Scores:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision=precision, recall=recall, f1=f1, support=tp + fn)


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]


async def evaluate_answers(path: Path, reader: AnswerReader, reader_name: str = "") -> AnswersReport:
    """Read every line of ``path`` with ``reader`` and score the labelled ones."""
    lines = read_answer_lines(path)
    readings: list[Reading] = []
    latencies: list[float] = []
    for line in lines:
        started = time.perf_counter()
        reading = await reader.read(line.answer, question=line.question, language=line.language)
        latencies.append((time.perf_counter() - started) * 1000)
        readings.append(reading)
    report = score(lines, readings)
    report.file = str(path)
    report.latency_p50_ms = _percentile(latencies, 50)
    report.latency_p99_ms = _percentile(latencies, 99)
    report.reader = reader_name or next((r.reader for r in readings if r.reader), "")
    return report


def score(lines: Sequence[AnswerLine], readings: Sequence[Reading]) -> AnswersReport:
    """The scores of ``readings`` against the labels of ``lines`` (unlabelled lines only predicted)."""
    predictions = [
        {"id": line.id, "act": reading.act.value, "facets": [f.value for f in reading.facets]}
        for line, reading in zip(lines, readings, strict=True)
    ]
    acted = [(line.act, r.act) for line, r in zip(lines, readings, strict=True) if line.act is not None]
    confusion = {a.value: {b.value: 0 for b in Act} for a in Act}
    for truth, read in acted:
        confusion[truth.value][read.value] += 1
    per_act: dict[str, Scores] = {}
    for act in Act:
        tp = confusion[act.value][act.value]
        fp = sum(confusion[other.value][act.value] for other in Act if other is not act)
        fn = sum(confusion[act.value][other.value] for other in Act if other is not act)
        per_act[act.value] = _scores(tp, fp, fn)
    faceted = [
        (line.facets, frozenset(r.facets))
        for line, r in zip(lines, readings, strict=True)
        if line.facets is not None
    ]
    per_facet: dict[str, Scores] = {}
    totals = [0, 0, 0]
    for facet in Facet:
        tp = sum(1 for truth, read in faceted if facet in truth and facet in read)
        fp = sum(1 for truth, read in faceted if facet not in truth and facet in read)
        fn = sum(1 for truth, read in faceted if facet in truth and facet not in read)
        per_facet[facet.value] = _scores(tp, fp, fn)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    micro = _scores(*totals)
    present = [s.f1 for act, s in per_act.items() if s.support or sum(c[act] for c in confusion.values())]
    return AnswersReport(
        file="",
        answers=len(lines),
        labelled=len(acted),
        act_accuracy=sum(1 for t, r in acted if t == r) / len(acted) if acted else 0.0,
        act_macro_f1=sum(present) / len(present) if present else 0.0,
        facet_micro_f1=micro.f1,
        facet_micro_precision=micro.precision,
        facet_micro_recall=micro.recall,
        per_act=per_act,
        per_facet=per_facet,
        confusion=confusion,
        latency_p50_ms=0.0,
        latency_p99_ms=0.0,
        reader="",
        predictions=predictions,
    )


def write_predictions(report: AnswersReport, out: Path) -> None:
    """One JSON line per answer read: ``{"id", "act", "facets"}``."""
    with out.open("w", encoding="utf-8") as handle:
        for row in report.predictions:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def format_report(report: AnswersReport) -> list[str]:
    """The report as the lines the command prints."""
    out = [
        f"file              {report.file}",
        f"reader            {report.reader}",
        f"answers           {report.answers} ({report.labelled} labelled)",
        f"act accuracy      {report.act_accuracy:.3f}",
        f"act macro-F1      {report.act_macro_f1:.3f}",
        f"facet micro-F1    {report.facet_micro_f1:.3f}"
        f"  (P {report.facet_micro_precision:.3f}, R {report.facet_micro_recall:.3f})",
        f"reading p50       {report.latency_p50_ms:.2f} ms",
        f"reading p99       {report.latency_p99_ms:.2f} ms",
        "",
        f"{'act':<13}{'precision':>10}{'recall':>8}{'F1':>7}{'n':>5}",
    ]
    for act, s in report.per_act.items():
        out.append(f"{act:<13}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.support:>5d}")
    out += ["", f"{'facet':<13}{'precision':>10}{'recall':>8}{'F1':>7}{'n':>5}"]
    for facet, s in report.per_facet.items():
        out.append(f"{facet:<13}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.support:>5d}")
    short = {a.value: a.value[:6] for a in Act}
    out += ["", "confusion (rows: labelled act, columns: act read)"]
    out.append(f"{'':<13}" + "".join(f"{short[a.value]:>7}" for a in Act))
    for truth in Act:
        row = report.confusion[truth.value]
        out.append(f"{truth.value:<13}" + "".join(f"{row[a.value]:>7d}" for a in Act))
    return out
