"""The ``earful`` command line."""

from __future__ import annotations

import asyncio
import getpass
import json
import logging
import sys
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from bot.log_filter import install_redaction, redact
from bot.settings import Settings
from core.display import for_terminal, json_for_terminal
from core.errors import EarfulError, InputError, ScriptError
from core.languages import language_filter
from core.reading import Act, Facet
from core.script import SectionKind

T = TypeVar("T")

app = typer.Typer(
    name="earful",
    help="Earful: customer-discovery interviews over chat, and a searchable record of every story.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure Earful on labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

TeamOption = Annotated[
    str | None, typer.Option("--team", help="Team (Slack team_id); default EARFUL_TEAM or 'local'.")
]


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"error: {redact(message)}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; Earful's own errors become one friendly line."""
    try:
        return asyncio.run(coroutine)
    except EarfulError as error:
        raise _fail(str(error)) from None


def _settings() -> Settings:
    try:
        settings = Settings()
    except Exception as error:  # noqa: BLE001 - pydantic's message names the bad variable
        raise _fail(f"bad configuration: {error}", 2) from None
    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    install_redaction(settings)  # no token or secret in any log line, at any level
    return settings


@app.command()
def chat(
    script: Annotated[
        Path | None, typer.Option("--script", help="An interview script (YAML) instead of the default.")
    ] = None,
    team: TeamOption = None,
    customer: Annotated[
        str | None, typer.Option("--customer", help="Who is interviewed; the same name resumes.")
    ] = None,
) -> None:
    """Run an interview in the terminal. Ctrl-D or Ctrl-C pauses; run again to resume."""
    from bot.terminal import run_chat

    settings = _settings()
    _run(run_chat(settings, script, team or settings.team, customer or getpass.getuser()))


@app.command()
def stories(
    text: Annotated[str, typer.Argument(help="Describe the story you are looking for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many stories.")] = 5,
    section: Annotated[
        SectionKind | None, typer.Option("--section", help="Only answers from this kind of section.")
    ] = None,
    since: Annotated[
        datetime | None, typer.Option("--since", help="Only stories told on or after this date.")
    ] = None,
    team: TeamOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Only stories in this language (ISO 639-1, e.g. ar).")
    ] = None,
    evidence: Annotated[
        Act | None,
        typer.Option("--evidence", help="Only answers read as this act (story: a real time it happened)."),
    ] = None,
    facet: Annotated[
        Facet | None, typer.Option("--facet", help="Only answers that carry this facet (e.g. workaround).")
    ] = None,
) -> None:
    """Find the stories most similar to TEXT (in any language), one per customer."""
    from bot.terminal import print_hits, search_stories

    settings = _settings()
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    if lang is not None:
        try:
            lang = language_filter(lang)
        except InputError as error:
            raise _fail(str(error), 2) from None
    hits = _run(
        search_stories(
            settings,
            text,
            k,
            team or settings.team,
            section.value if section else None,
            since,
            lang,
            act=evidence.value if evidence else None,
            facet=facet.value if facet else None,
        )
    )
    if as_json:
        # ``lang`` repeats story.language at the top of each hit, the name the issue gave it.
        shown = [{**hit.model_dump(mode="json"), "lang": hit.story.language} for hit in hits]
        typer.echo(json_for_terminal(json.dumps(shown, ensure_ascii=False, indent=2)))
    else:
        print_hits(hits, team or settings.team, lang)


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="JSON lines with 'text' and optional 'id', 'label', 'customer', 'lang'.")
    ],
    team: TeamOption = None,
) -> None:
    """Import stories from a JSON-lines file (idempotent by id)."""
    from bot.terminal import import_file

    settings = _settings()
    if not file.is_file():
        raise _fail(f"{file}: no such file")
    new, known, bad = _run(import_file(settings, file, team or settings.team))
    typer.echo(f"imported {new} new stories ({known} already known, {bad} bad lines skipped)")


@eval_app.command("retrieval")
def eval_retrieval(
    file: Annotated[Path, typer.Argument(help="Labelled JSON lines ('text', 'label').")],
    k: Annotated[int, typer.Option("--k", min=1, max=100)] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    compare: Annotated[
        str | None,
        typer.Option("--compare", help="'baseline': also run plain LangChain + Chroma on the same file."),
    ] = None,
    pool: Annotated[
        Path | None,
        typer.Option("--pool", help="Search these stories (labelled JSON lines) instead of FILE itself."),
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option("--sample", min=1, help="Ask only this many lines of FILE, a fixed seeded sample."),
    ] = None,
) -> None:
    """Precision@k of story search on a labelled file (temporary store): leave-one-out within
    FILE, or FILE's lines asked of the stories in --pool."""
    from bot.evaluation import compare_retrieval, evaluate_retrieval, format_reports

    settings = _settings()
    for path in (file, pool):
        if path is not None and not path.is_file():
            raise _fail(f"{path}: no such file")
    if compare is not None:
        if compare != "baseline":
            raise _fail(f"--compare takes 'baseline', not {compare!r}", 2)
        reports = _run(compare_retrieval(file, k, settings, pool=pool, sample=sample))
        if as_json:
            typer.echo(json.dumps([r.as_dict() for r in reports], indent=2))
        else:
            typer.echo("\n".join(format_reports(reports)))
        return
    report = _run(evaluate_retrieval(file, k, settings, pool=pool, sample=sample))
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    typer.echo(f"file            {report.file}")
    if report.pool:
        typer.echo(f"pool            {report.pool}")
    typer.echo(f"stories         {report.stories}")
    typer.echo(f"queries         {report.queries}")
    typer.echo(f"precision@{k:<5d} {report.precision_at_k:.3f}")
    typer.echo(f"recall@{k:<8d} {report.recall_at_k:.3f}")
    typer.echo(f"MRR             {report.mrr:.3f}")
    typer.echo(f"query p50       {report.latency_p50_ms:.1f} ms")
    typer.echo(f"query p99       {report.latency_p99_ms:.1f} ms")
    typer.echo(f"import          {report.import_per_second:.0f} stories/s")


@eval_app.command("themes")
def eval_themes(
    file: Annotated[Path, typer.Argument(help="Labelled JSON lines ('text', 'label').")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Adjusted mutual information of themes against the labels (themes count chosen by the method)."""
    from bot.theme_eval import evaluate_themes

    settings = _settings()
    if not file.is_file():
        raise _fail(f"{file}: no such file")
    report = _run(evaluate_themes(file, settings))
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    typer.echo(f"file            {report.file}")
    typer.echo(f"stories         {report.stories}")
    typer.echo(f"labels          {report.labels}")
    typer.echo(f"themes found    {report.themes}")
    typer.echo(f"AMI             {report.ami:.3f}")
    typer.echo(f"largest theme   {report.largest_theme} stories")
    typer.echo(f"single stories  {report.singletons}")
    typer.echo(f"time            {report.seconds:.1f} s")
    typer.echo(f"method          {report.method}")


@eval_app.command("answers")
def eval_answers(
    file: Annotated[
        Path, typer.Argument(help="JSON lines with 'answer', 'question' and optional 'act', 'facets'.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    predictions: Annotated[
        Path | None, typer.Option("--predictions", help="Write one line per answer: id, act, facets as read.")
    ] = None,
) -> None:
    """Act accuracy, facet F1 and reading time of the answer reader on a labelled file."""
    from bot.answer_eval import evaluate_answers, format_report, write_predictions
    from bot.wiring import default_answer_reader

    settings = _settings()
    if not file.is_file():
        raise _fail(f"{file}: no such file")
    report = _run(evaluate_answers(file, default_answer_reader(settings, warm=True)))
    if predictions is not None:
        try:
            write_predictions(report, predictions)
        except OSError as error:
            raise _fail(f"{predictions}: cannot write ({error.strerror})") from None
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        typer.echo("\n".join(format_report(report)))


@eval_app.command("questions")
def eval_questions(
    file: Annotated[Path, typer.Argument(help="Labelled JSON lines ('question', 'kind', 'section').")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Share of bad questions the question classifier catches and of good ones it passes, per
    kind, with a confusion table (the LLM's classifier when EARFUL_LLM is set)."""
    from bot.question_eval import evaluate_questions, format_questions_report
    from bot.wiring import question_classifier

    settings = _settings()
    if not file.is_file():
        raise _fail(f"{file}: no such file")
    name = f"llm {settings.llm} (falls back to offline)" if settings.llm else "model + rules (offline)"
    report = _run(evaluate_questions(file, question_classifier(settings), name))
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo("\n".join(format_questions_report(report)))


@eval_app.command("summaries")
def eval_summaries(
    file: Annotated[
        Path, typer.Argument(help="JSON lines with 'id', 'answers' (script order) and 'expert_score'.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Spearman correlation of the interview quality score with an expert's scores."""
    from bot.summary_eval import evaluate_summaries, format_report

    _settings()
    if not file.is_file():
        raise _fail(f"{file}: no such file")
    report = _run(evaluate_summaries(file))
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        typer.echo("\n".join(format_report(report)))


@app.command()
def persona(
    interview_id: Annotated[str, typer.Argument(help="The interview to draw the persona from.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The persona of one customer, from one interview (never averaged across people)."""
    from bot.cli_insights import persona_command

    typer.echo(_run(persona_command(_settings(), interview_id, as_json)), nl=False)


@app.command()
def summary(
    interview_id: Annotated[str, typer.Argument(help="The interview to summarise.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """An interview's summary (top frustrations, workaround, cost, gist) and its quality figures."""
    from bot.cli_insights import summary_command

    typer.echo(_run(summary_command(_settings(), interview_id, as_json)), nl=False)


@app.command()
def themes(
    section: Annotated[
        SectionKind | None, typer.Option("--section", help="Only answers from this kind of section.")
    ] = None,
    since: Annotated[
        datetime | None, typer.Option("--since", help="Only stories told on or after this date.")
    ] = None,
    team: TeamOption = None,
    min_customers: Annotated[int, typer.Option("--min-customers", min=1, help="Hide smaller themes.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Themes among the team's stories, ranked by distinct customers, with two quotes each."""
    from bot.cli_insights import themes_command

    settings = _settings()
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    text = _run(
        themes_command(
            settings, team or settings.team, section.value if section else None, since, min_customers, as_json
        )
    )
    typer.echo(text, nl=False)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="markdown, csv or jsonl.")] = "markdown",
    team: TeamOption = None,
) -> None:
    """Print every interview of the team, whole (customers by pseudonym)."""
    from bot.cli_insights import export_command

    if fmt not in ("markdown", "csv", "jsonl"):
        raise _fail(f"unknown format '{fmt}': use markdown, csv or jsonl", 2)
    settings = _settings()
    typer.echo(_run(export_command(settings, team or settings.team, fmt)), nl=False)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="Where to write the HTML file.")] = Path(
        "earful-report.html"
    ),
    team: TeamOption = None,
) -> None:
    """Write one self-contained HTML file: themes chart, personas and quotes."""
    from bot.cli_insights import report_command

    settings = _settings()
    _run(report_command(settings, team or settings.team, out))
    typer.echo(f"wrote {out}")


@app.command()
def erase(
    customer: Annotated[
        str, typer.Option("--customer", help="Customer id, or a pseudonym (the ids behind it are erased).")
    ],
    team: Annotated[str | None, typer.Option("--team", help="Only in this team.")] = None,
    all_teams: Annotated[
        bool, typer.Option("--all-teams", help="In every team (without --team, too).")
    ] = False,
) -> None:
    """Erase every interview, answer, story, recording, invite note and Slack post of a customer."""
    from bot.terminal import erase_customer

    if team is not None and all_teams:
        raise _fail("give --team or --all-teams, not both", code=2)
    settings = _settings()
    receipts = _run(erase_customer(settings, customer, team))
    if not receipts:
        raise _fail(f"no customer '{customer}' found")
    for receipt in receipts:
        for pair_team, pseudonym in receipt.pseudonyms:
            typer.echo(for_terminal(f"erased {pseudonym} from team {pair_team}"))
        typer.echo(
            f"  {receipt.interviews} interviews, {receipt.answers} answers, {receipt.stories} stories,"
            f" {receipt.recordings} recordings, {receipt.invite_notes} invite notes,"
            f" {receipt.slack_posts} Slack posts"
        )


@app.command()
def rekey() -> None:
    """Give stored interviews and answers the pseudonyms of this installation's secret (data
    from before pseudonyms were keyed, or after the secret changed) and rebuild their index."""
    from bot.terminal import rekey as rekey_all

    settings = _settings()
    teams = _run(rekey_all(settings))
    typer.echo(f"re-keyed {len(teams)} teams" + (f": {', '.join(teams)}" if teams else ""))


@app.command()
def transcribe(
    file: Annotated[Path, typer.Argument(help="A recording: Ogg/Opus, MP3, M4A, WAV, WebM, a video...")],
    language: Annotated[
        str | None, typer.Option("--language", help="The language it is most likely in (ISO 639-1).")
    ] = None,
    max_seconds: Annotated[
        float, typer.Option("--max-seconds", min=1, help="Refuse recordings longer than this.")
    ] = 3 * 3600,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON with the language and confidence.")
    ] = False,
) -> None:
    """Print what a recording says, heard offline by the voice answers' model (the 'voice' extra)."""
    from bot.terminal import transcribe_file

    settings = _settings()
    if not file.is_file():
        raise _fail(f"{file}: no such file")
    heard = _run(transcribe_file(settings, file, max_seconds, language))
    if as_json:
        typer.echo(json_for_terminal(json.dumps(heard.model_dump(), ensure_ascii=False, indent=2)))
    else:
        typer.echo(for_terminal(heard.text))


@app.command()
def reindex(team: TeamOption = None) -> None:
    """Rebuild the story index from the system of record."""
    from bot.terminal import reindex as rebuild

    settings = _settings()
    count = _run(rebuild(settings, team))
    typer.echo(f"indexed {count} stories")


@app.command()
def lint(
    paths: Annotated[list[Path], typer.Argument(help="Interview script files (YAML).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Check interview scripts: every question (and its followup and rephrase forms) is a kind
    its section allows, and no pitch comes before the story. Exit 0 when clean, 1 with findings,
    2 when a file cannot be read as a script. (The same checks run whenever a script is loaded.)"""
    from prompts import lint_findings, read_script

    errors: list[dict[str, str]] = []
    findings: list[dict[str, str]] = []
    for path in paths:
        try:
            script = read_script(path)
        except InputError as error:  # not a script file at all (a device, too big): one line
            errors.append({"file": str(path), "problem": str(error)})
            if not as_json:
                typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
            continue
        except ScriptError as error:
            errors += [{"file": str(path), "problem": problem} for problem in error.problems]
            if not as_json:
                for problem in error.problems:
                    typer.secho(f"{path}: {problem}", fg=typer.colors.RED, err=True)
            continue
        found = lint_findings(script)
        findings += [{"file": str(path), **finding.as_dict()} for finding in found]
        if as_json:
            continue
        for finding in found:
            typer.secho(f"{path}: {finding}", fg=typer.colors.RED, err=True)
        if not found:
            typer.echo(f"{path}: ok ({len(script.questions())} questions)")
    if as_json:
        typer.echo(json.dumps({"findings": findings, "errors": errors}, ensure_ascii=False, indent=2))
    if errors:
        raise typer.Exit(2)
    if findings:
        raise typer.Exit(1)


@app.command()
def invite(
    team: Annotated[str, typer.Option("--team", help="The team the interview belongs to (Slack team_id).")],
    script: Annotated[str | None, typer.Option("--script", help="Script id, e.g. discovery.es.")] = None,
    note: Annotated[str, typer.Option("--note", help="A note for the team (who it is for).")] = "",
) -> None:
    """Create a single-customer invite and print its Telegram link."""
    from bot.telegram import create_invite_link

    settings = _settings()
    typer.echo(_run(create_invite_link(settings, team, script, note)))


@app.command()
def doctor(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Check the install, the model, the data directory, the stores, each configured channel,
    the LLM and the extras: one line each, with the fix for a problem. Exit 1 on any problem."""
    from bot.checks import run_checks
    from bot.doctor import as_json as checks_json
    from bot.doctor import as_text, healthy

    checks = _run(run_checks(_settings()))
    typer.echo(checks_json(checks) if as_json else as_text(checks), nl=False)
    if not healthy(checks):
        raise typer.Exit(1)


def _start_checks(settings: Settings) -> None:
    """``earful run`` makes the doctor's checks first: a fatal problem stops it, in the same
    words; another is shown and the start goes on."""
    from bot.checks import run_checks
    from bot.doctor import fatal

    checks = _run(run_checks(settings))
    for check in checks:
        if check.state == "problem":
            typer.secho(check.line(), fg=typer.colors.RED if check.fatal else typer.colors.YELLOW, err=True)
    if fatal(checks):
        raise _fail("not starting: fix the problems above (earful doctor checks again)")


@app.command()
def run() -> None:
    """Start the configured chat channels (the terminal interview when no chat token is set).
    The doctor's checks run first; it does not start with a fatal problem."""
    from bot.terminal import run_chat

    settings = _settings()
    _start_checks(settings)
    if not settings.has_chat_token:
        typer.echo(
            "No chat token set (TELEGRAM_BOT_TOKEN, SLACK_BOT_TOKEN): starting the terminal interview."
        )
        _run(run_chat(settings, None, settings.team, getpass.getuser()))
        return
    from bot.runner import serve_channels

    _run(serve_channels(settings))


def main() -> None:
    """Entry point of the ``earful`` console script: no stack trace ever reaches a user."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except EarfulError as error:  # a known state raised outside a command's _run
        typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
        sys.exit(1)
    except Exception as error:
        logging.getLogger("earful").debug("unexpected error", exc_info=True)
        typer.secho(
            f"error: unexpected {type(error).__name__}: {redact(str(error))}"
            " (EARFUL_LOG_LEVEL=DEBUG shows details)",
            fg=typer.colors.RED,
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
