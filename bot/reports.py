"""``earful export`` (whole interviews as Markdown, CSV or JSON lines) and ``earful report``
(one self-contained HTML file: a themes chart in inline SVG, personas and quotes).

Customers appear by pseudonym only. The report is rendered from a Jinja2 template
(``bot/templates/report.html.j2``) with autoescaping: a story is data, and ``<script>`` in an
answer stays text on the page. Likewise a CSV cell never
starts a formula, and the text formats carry no terminal escape sequence (core/display.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.insights import find_themes
from bot.wiring import App, answer_reader
from core.display import for_terminal, json_for_terminal, spreadsheet_cell
from core.errors import NotFound
from core.evidence import with_readings
from core.models import AnswerRecord, InterviewState, Status
from core.persona import Persona, build_persona
from core.quality import InterviewQuality, assess
from core.themes import Clusterer, Theme

ExportFormat = Literal["markdown", "csv", "jsonl"]
MAX_THEMES = 30  # listed with quotes in the report
MAX_BARS = 20  # drawn in the chart
CSV_FIELDS = ("interview_id", "customer", "channel", "turn", "section", "question_id", "probe", "question",
              "text", "created_at", "quality_score", "spoken")  # fmt: skip


async def _interviews(app: App, team: str) -> list[tuple[str, InterviewState | None, list[AnswerRecord]]]:
    """Every interview of ``team`` with answers (imported stories included), oldest first, each
    answer with its reading."""
    grouped: dict[str, list[AnswerRecord]] = {}
    for answer in await with_readings(await app.sessions.answers(team=team), answer_reader(app)):
        grouped.setdefault(answer.interview_id, []).append(answer)
    result = []
    for interview_id, answers in grouped.items():
        answers.sort(key=lambda a: a.turn)
        result.append((interview_id, await app.sessions.get(interview_id), answers))
    result.sort(key=lambda item: item[2][0].created_at)
    return result


def _row(answer: AnswerRecord) -> dict[str, str | int | bool | None]:
    return {
        "interview_id": answer.interview_id,
        "customer": answer.pseudonym,
        "channel": answer.channel,
        "turn": answer.turn,
        "section": answer.section,
        "question_id": answer.question_id,
        "probe": answer.probe,
        "question": answer.question,
        "text": answer.text,
        "created_at": answer.created_at.isoformat(),
        "spoken": answer.spoken,  # transcribed from a voice note
    }


async def export_interviews(app: App, team: str, fmt: ExportFormat) -> str:
    """Every interview of ``team``, whole, in ``fmt``."""
    interviews = await _interviews(app, team)
    scores = {interview_id: assess(state, answers) for interview_id, state, answers in interviews}
    if fmt == "jsonl":
        lines = []
        for interview_id, state, answers in interviews:
            item = {
                "interview_id": interview_id,
                "team": team,
                "customer": answers[0].pseudonym,
                "channel": answers[0].channel,
                "status": state.status.value if state else None,
                "started_at": state.started_at.isoformat() if state and state.started_at else None,
                "quality": {"score": scores[interview_id].score,
                            "parts": {p.name: round(p.points, 1) for p in scores[interview_id].parts}},
                "answers": [{k: v for k, v in _row(a).items() if k not in ("interview_id", "customer")}
                            for a in answers],
            }  # fmt: skip
            lines.append(json_for_terminal(json.dumps(item, ensure_ascii=False)))
        return "".join(line + "\n" for line in lines)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for interview_id, _, answers in interviews:
            # A cell is shown as text in a spreadsheet, never run as a formula.
            writer.writerows(
                {
                    key: spreadsheet_cell(value) if isinstance(value, str) else value
                    for key, value in {**_row(a), "quality_score": scores[interview_id].score}.items()
                }
                for a in answers
            )
        return buffer.getvalue()
    parts = [f"# Interviews of team {team}\n"]
    for interview_id, state, answers in interviews:
        status = f", {state.status.value}" if state else ""
        parts.append(f"\n## {answers[0].pseudonym} ({interview_id}{status})\n")
        parts.append(f"\nQuality score: {scores[interview_id].score}/100\n")
        for answer in answers:
            quoted = "\n".join(f"> {line}" if line else ">" for line in answer.text.splitlines())
            spoken = " _(spoken)_" if answer.spoken else ""
            parts.append(f"\n**{answer.question}** _({answer.section})_{spoken}\n\n{quoted}\n")
    return for_terminal("".join(parts))


# Autoescaped whatever a template's name: a value is text unless a template marks it safe.
_TEMPLATES = Environment(
    loader=PackageLoader("bot", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class _Chart:
    """The themes' bar chart: a horizontal bar per theme, as long as its distinct customers."""

    bars: list[dict[str, int | str]]
    row: int = 28
    label_width: int = 320
    bar_width: int = 360

    @classmethod
    def of(cls, themes: Sequence[Theme]) -> _Chart:
        top = max((t.customers for t in themes), default=1)
        chart = cls([])
        for index, theme in enumerate(themes):
            width = max(2, round(chart.bar_width * theme.customers / top))
            chart.bars.append(
                {
                    "y": index * chart.row + 5,
                    "width": width,
                    "label": theme.label[:48],
                    "customers": theme.customers,
                }
            )
        return chart

    @property
    def width(self) -> int:
        return self.label_width + self.bar_width + 60

    @property
    def height(self) -> int:
        return self.row * len(self.bars) + 10


def render_report(
    team: str,
    themes: Sequence[Theme],
    personas: Sequence[Persona],
    now: datetime,
    qualities: Mapping[str, InterviewQuality] | None = None,
) -> str:
    """The report as one HTML document with no external assets (inline CSS and SVG);
    ``qualities`` maps interview ids to their quality figures, shown with each persona."""
    qualities = qualities or {}
    shown = themes[:MAX_THEMES]
    return _TEMPLATES.get_template("report.html.j2").render(
        team=team,
        generated=now.strftime("%Y-%m-%d %H:%M UTC"),
        chart=_Chart.of(shown[:MAX_BARS]),
        themes=shown,
        more_themes=len(themes) - len(shown),
        personas=[(persona, qualities.get(persona.interview_id)) for persona in personas],
    )


async def build_report(
    app: App,
    team: str,
    *,
    section: str | None = None,
    personas: int = 10,
    clusterer: Clusterer | None = None,
) -> str:
    """The HTML report of ``team``: themes of what customers said was a problem (of ``section``
    only when given; all stories when none are in it) and the personas of the latest finished
    interviews, with their quality scores."""
    themes = await find_themes(app, team, section=section, clusterer=clusterer)
    if not themes and section is not None:
        themes = await find_themes(app, team, clusterer=clusterer)
    drawn: list[Persona] = []
    qualities: dict[str, InterviewQuality] = {}
    for state in await app.sessions.interviews(team=team, status=Status.FINISHED, limit=personas):
        answers = await with_readings(
            await app.sessions.answers(interview_id=state.interview_id), answer_reader(app)
        )
        try:
            drawn.append(build_persona(state, answers))
        except NotFound:
            continue
        qualities[state.interview_id] = assess(state, answers)
    return render_report(team, themes, drawn, datetime.now(UTC), qualities)
