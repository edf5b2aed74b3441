"""``earful export`` (whole interviews as Markdown, CSV or JSON lines) and ``earful report``
(one self-contained HTML file: a themes chart in inline SVG, personas and quotes).

Customers appear by pseudonym only. Every piece of customer text is HTML-escaped: a story
is data, and ``<script>`` in an answer must stay text on the page. Likewise a CSV cell never
starts a formula, and the text formats carry no terminal escape sequence (core/display.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Literal

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


def _bar_chart(themes: Sequence[Theme]) -> str:
    """A horizontal bar per theme: distinct customers, as inline SVG."""
    if not themes:
        return "<p>No themes yet.</p>"
    top = max(t.customers for t in themes)
    row, label_width, bar_width = 28, 320, 360
    height = row * len(themes) + 10
    bars = []
    for index, theme in enumerate(themes):
        y = index * row + 5
        width = max(2, round(bar_width * theme.customers / top))
        bars.append(
            f'<g class="theme-bar"><text x="{label_width - 8}" y="{y + 17}" text-anchor="end">'
            f"{escape(theme.label[:48])}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{width}" height="{row - 10}" fill="#4a7bd0"/>'
            f'<text x="{label_width + width + 6}" y="{y + 17}">{theme.customers}</text></g>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Themes by distinct customers" '
        f'width="{label_width + bar_width + 60}" height="{height}" font-size="13" '
        f'font-family="sans-serif">{"".join(bars)}</svg>'
    )


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _quote(text: str, who: str = "") -> str:
    cite = f" <cite>{escape(who)}</cite>" if who else ""
    return f"<blockquote>{escape(text)}{cite}</blockquote>"


def _persona_html(persona: Persona, quality: InterviewQuality | None) -> str:
    def block(title: str, quotes: Sequence[str]) -> str:
        body = "".join(_quote(q) for q in quotes) or "<p class='none'>(not mentioned)</p>"
        return f"<h4>{escape(title)}</h4>{body}"

    return (
        f'<section class="persona"><h3>{escape(persona.customer)}</h3>'
        f"<p class='from'>From one interview ({escape(persona.interview_id)}).</p>"
        + block("Role and context", [q.text for q in persona.role])
        + block("Goals", [q.text for q in persona.goals])
        + block("Frustrations", [q.text for q in persona.frustrations])
        + block("What they do about it today", [persona.workaround.text] if persona.workaround else [])
        + block("What it costs them", [persona.cost.text] if persona.cost else [])
        + block("Who else has it", [q.text for q in persona.referrals])
        + block("What they offered", [q.text for q in persona.commitments])
        + f"<h4>Words they use</h4><p class='words'>{escape(', '.join(persona.their_words))}</p>"
        + (
            f"<h4>Interview quality: <span class='score'>{quality.score}</span>/100</h4><ul class='quality'>"
            + "".join(f"<li>{escape(line)}</li>" for line in quality.lines())
            + "</ul>"
            if quality
            else ""
        )
        + "</section>"
    )


_STYLE = """body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
blockquote{border-left:3px solid #4a7bd0;margin:.5rem 0;padding:.2rem .8rem;background:#f5f7fb}
cite{display:block;font-size:.8rem;color:#666}.persona{border-top:1px solid #ddd;margin-top:1.5rem}"""


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
    people = "".join(_persona_html(p, qualities.get(p.interview_id)) for p in personas)
    shown = themes[:MAX_THEMES]
    theme_items = "".join(
        f'<li class="theme"><strong>{escape(t.label)}</strong> — {_count(t.customers, "customer")}, '
        f"{_count(t.stories, 'story', 'stories')}, {t.occurrence_customers} told a real time it happened"
        f"{''.join(_quote(q.text, q.customer) for q in t.quotes)}</li>"
        for t in shown
    )
    if len(themes) > len(shown):
        theme_items += f"<li class='more'>{len(themes) - len(shown)} smaller themes not shown</li>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Earful report: {escape(team)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Earful report: team {escape(team)}</h1>"
        f"<p>Generated {escape(now.strftime('%Y-%m-%d %H:%M UTC'))}.</p>"
        f'<h2 id="themes">Themes</h2><div id="chart">{_bar_chart(shown[:MAX_BARS])}</div>'
        f'<ol id="theme-list">{theme_items}</ol>'
        f'<h2 id="personas">Personas</h2>{people or "<p>None yet.</p>"}'
        "</body></html>\n"
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
