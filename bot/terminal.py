"""What the command-line commands do, on a built application."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from datetime import datetime
from pathlib import Path

import typer

from adapters.console import ConsoleChannel
from bot.importing import BadLine, read_jsonl
from bot.settings import Settings
from bot.wiring import App, build_app, default_transcriber
from core.crosslingual import ENGLISH, CrossLingualSearch
from core.display import for_terminal
from core.eraser import ErasureReceipt
from core.errors import AudioTooLong, InputError, MissingExtra, TranscriptionFailed
from core.models import AnswerRecord, Status, StoryHit
from core.stories import evidence_filters
from core.voice import Transcript
from prompts import default_catalog, load_script

IMPORT_BATCH = 512


async def _catch_up(app: App) -> None:
    """Index whatever an earlier (perhaps killed) process left in the outbox, and finish any copy
    into the multilingual index that indexing started."""
    await app.indexer.drain()
    if app.multilingual is not None:
        await app.multilingual.settle()


async def run_chat(settings: Settings, script_path: Path | None, team: str, customer: str) -> None:
    """Interview ``customer`` in the terminal, indexing answers in the background."""
    extra = [load_script(script_path)] if script_path else []
    catalog = default_catalog(extra)
    async with build_app(settings, catalog=catalog) as app:
        indexing = asyncio.create_task(app.indexer.run())
        try:
            channel = ConsoleChannel(
                app.service,
                team=team,
                customer=customer,
                script_id=extra[0].id if extra else None,
                bot_username=settings.telegram.bot_username,
            )
            status = await channel.run()
        finally:
            indexing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await indexing
        await _catch_up(app)
        if status is Status.PAUSED:
            typer.echo(f"Paused. Run `earful chat --customer {customer}` to continue.", err=True)
        elif status is Status.FINISHED:
            typer.echo('Saved. Try `earful stories "what was hard"` to search the stories.', err=True)


async def search_stories(
    settings: Settings,
    text: str,
    k: int,
    team: str,
    section: str | None,
    since: datetime | None,
    language: str | None = None,
    *,
    act: str | None = None,
    facet: str | None = None,
) -> list[StoryHit]:
    async with build_app(settings) as app:
        await _catch_up(app)
        only = evidence_filters(language, act, facet)
        multilingual, search = app.multilingual, app.search
        # A one-shot command waits for the copy a first question in another language starts.
        if (
            multilingual is not None
            and isinstance(search, CrossLingualSearch)
            and search.query_language(text) != ENGLISH
            and not await multilingual.ready(team, wait=0.5)
        ):
            typer.echo("Making this team's stories searchable from other languages (once)...", err=True)
            await multilingual.ready(team)
        return await app.search.search(team, text, k, section=section, since=since, **only)


def print_hits(hits: list[StoryHit], team: str, language: str | None = None) -> None:
    if not hits:
        where = f"in team '{team}'" + (f" in language '{language}'" if language else "")
        hint = "another --lang or none" if language else "another --team"
        typer.echo(f"No stories found {where}. Try broader wording, or {hint}.")
        return
    kinds = default_catalog().messages_for("en").evidence_kinds
    for rank, hit in enumerate(hits, start=1):
        story = hit.story
        # Stored text is printed without the escape sequences it may carry (core/display.py).
        typer.echo(for_terminal(f'{rank}. "{story.text}"'))
        question = f" | asked: {story.question}" if story.question else ""
        kind = f" | {kinds[story.act]}" if story.act is not None and story.act in kinds else ""
        typer.echo(
            for_terminal(
                f"   {story.customer}, {story.created_at:%Y-%m-%d}, {story.section}, {story.language}"
                f"{question} | {hit.match} ({hit.score:.2f}){kind} | interview {story.interview_id}"
            )
        )


def _count_lines(path: Path) -> int:
    """How many lines ``path`` has, read in blocks (a line may be far longer than memory allows)."""
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


async def import_file(settings: Settings, path: Path, team: str) -> tuple[int, int, int]:
    """Import ``path``; returns (new, already known, bad lines)."""
    from rich.progress import Progress

    new = known = bad = 0
    batch: list[AnswerRecord] = []
    async with build_app(settings) as app:

        async def flush() -> None:
            nonlocal new, known
            added = await app.sessions.add_answers(batch)
            new += added
            known += len(batch) - added
            await app.indexer.drain()
            progress.advance(task, len(batch))
            batch.clear()

        total = _count_lines(path)
        with Progress(transient=True, disable=total < 1000 or not sys.stderr.isatty()) as progress:
            task = progress.add_task(f"importing {path.name}", total=total)
            for item in read_jsonl(path, team, app.service.pseudonyms):
                if isinstance(item, BadLine):
                    bad += 1
                    typer.secho(f"{path}:{item.number}: {item.reason}; skipped", err=True, fg="yellow")
                    continue
                batch.append(item)
                if len(batch) >= IMPORT_BATCH:
                    await flush()
            if batch:
                await flush()
        await _catch_up(app)
    return new, known, bad


async def erase_customer(settings: Settings, customer: str, team: str | None) -> list[ErasureReceipt]:
    """Erase ``customer``, a raw id (on every channel) or a pseudonym (then the raw ids behind
    it, each on its channel), in ``team`` or every team; one receipt per customer erased."""
    async with build_app(settings) as app:
        receipts = [await app.service.erase_customer(customer, team=team)]
        for channel, raw in await app.service.customers_known_as(customer, team):
            receipts.append(await app.service.erase_customer(raw, team=team, channel=channel))
        return [receipt for receipt in receipts if receipt.found]


async def rekey(settings: Settings) -> list[str]:
    """Give every stored interview and answer the pseudonym this installation's secret names it
    by, and rebuild the index of each team that changed (its stories carry pseudonyms too)."""
    async with build_app(settings) as app:
        teams = await app.sessions.rekey(app.service.pseudonyms)
        for team in teams:
            await app.indexer.reindex(team)
        return teams


async def reindex(settings: Settings, team: str | None) -> int:
    async with build_app(settings) as app:
        return await app.indexer.reindex(team)


MAX_RECORDING_BYTES = 512 * 1024 * 1024  # `earful transcribe` reads a recording whole


async def transcribe_file(
    settings: Settings, file: Path, max_seconds: float, language: str | None
) -> Transcript:
    """What ``file`` says, heard by the voice answers' model (``earful transcribe``)."""
    transcriber = default_transcriber(settings)
    if transcriber is None:
        raise MissingExtra("earful transcribe", "voice")
    try:
        if file.stat().st_size > MAX_RECORDING_BYTES:
            raise InputError(
                f"{file}: more than {MAX_RECORDING_BYTES // 2**20} MB; split the recording first"
            )
        audio = await asyncio.to_thread(file.read_bytes)
        return await transcriber.transcribe(audio, max_seconds=max_seconds, language=language)
    except OSError as error:
        raise InputError(f"{file}: {error.strerror or error}") from None
    except AudioTooLong as error:
        raise InputError(f"{file}: {error}; --max-seconds raises the limit") from None
    except TranscriptionFailed as error:
        raise InputError(f"{file}: {error}") from None
    finally:
        transcriber.close()
