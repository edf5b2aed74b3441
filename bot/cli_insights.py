"""The insight commands' work (``earful persona``, ``themes``, ``export``, ``report``), kept out
of ``bot/cli.py`` so the command definitions stay short. What they print carries no terminal
escape sequence from stored text (core/display.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import cast

from bot.insights import build_persona, find_themes, interview_summary
from bot.reports import ExportFormat, build_report, export_interviews
from bot.settings import Settings
from bot.wiring import build_app
from core.display import for_terminal, json_for_terminal
from core.errors import InputError
from core.summary import InterviewSummary, Quote


async def persona_command(settings: Settings, interview_id: str, as_json: bool) -> str:
    """The persona as Markdown (or JSON)."""
    async with build_app(settings) as app:
        persona = await build_persona(app, interview_id)
    if as_json:
        return json_for_terminal(persona.model_dump_json(indent=2)) + "\n"
    return for_terminal(persona.markdown())


async def summary_command(settings: Settings, interview_id: str, as_json: bool) -> str:
    """The summary with its quality figures, as text (or JSON)."""
    async with build_app(settings) as app:
        summary = await interview_summary(app, interview_id)
    if as_json:
        return json_for_terminal(summary.model_dump_json(indent=2)) + "\n"
    return summary_text(summary)


SPOKEN = " (spoken)"  # after a quote transcribed from a voice note


def _quoted(title: str, quotes: Sequence[Quote]) -> list[str]:
    lines = [f'  "{q.text}"{SPOKEN if q.spoken else ""}' for q in quotes]
    return [title, *lines] if quotes else [title, "  (not mentioned)"]


def summary_text(summary: InterviewSummary) -> str:
    """The summary as the terminal shows it: quotes per part, "not mentioned" when empty, and
    the quality score with its parts."""
    lines = [f"{summary.customer}: {summary.gist}", ""]
    if summary.correction is not None:
        lines += ["The customer corrected the recap:", *_quoted("", (summary.correction,))[1:], ""]
    lines += _quoted("Top frustrations:", summary.frustrations)
    lines += _quoted("What they do today:", summary.workarounds)
    lines += _quoted("What it costs them:", summary.costs)
    lines += _quoted("Who else has it (referrals):", summary.referrals)
    lines += _quoted("What they offered (commitments):", summary.commitments)
    if summary.quality is not None:
        lines += ["", "Interview quality:", *(f"  {line}" for line in summary.quality.lines())]
    return for_terminal("\n".join(lines)) + "\n"


async def themes_command(
    settings: Settings,
    team: str,
    section: str | None,
    since: datetime | None,
    min_customers: int,
    as_json: bool,
) -> str:
    """Themes as readable text (or JSON)."""
    async with build_app(settings) as app:
        themes = await find_themes(app, team, section=section, since=since, min_customers=min_customers)
    if as_json:
        shown = json.dumps([t.model_dump(mode="json") for t in themes], ensure_ascii=False, indent=2)
        return json_for_terminal(shown) + "\n"
    if not themes:
        return f"No stories in team {team} match: nothing to group yet.\n"
    lines: list[str] = []
    for rank, theme in enumerate(themes, start=1):
        people = f"{theme.customers} customer{'' if theme.customers == 1 else 's'}"
        told = f"{theme.occurrence_customers} told a real time it happened"
        lines.append(f"{rank}. {theme.label}  ({people}, {theme.stories} stories; {told})")
        lines.extend(f'     "{q.text}"  ({q.customer})' for q in theme.quotes)
    return for_terminal("\n".join(lines)) + "\n"


async def export_command(settings: Settings, team: str, fmt: str) -> str:
    """Every interview of ``team`` in ``fmt``."""
    async with build_app(settings) as app:
        return await export_interviews(app, team, cast(ExportFormat, fmt))


async def report_command(settings: Settings, team: str, out: Path) -> None:
    """Write the HTML report to ``out``."""
    async with build_app(settings) as app:
        page = await build_report(app, team)
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write {out}: {error.strerror}") from None
