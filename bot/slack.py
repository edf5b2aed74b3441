"""Builds the Slack channel from the settings and the application (used by ``earful run``)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from adapters.slack.channel import SlackChannel
from adapters.slack.config import SlackConfig
from adapters.slack.home_themes import ThemesFor
from adapters.sql.database import database_at
from adapters.sql.slack_installs import SqlSlackInstalls
from bot.insights import default_clusterer, default_word_weights, embed_all
from bot.settings import Settings
from bot.wiring import App, answer_reader
from core.errors import InputError, MissingExtra
from core.evidence import with_readings
from core.team_views import THEME_SECTIONS
from core.themes import Theme, find_themes, problem_stories


def slack_config(settings: Settings) -> SlackConfig:
    """The Slack section of the settings."""
    return settings.slack


def slack_channel(settings: Settings, app: App) -> SlackChannel:
    """The Slack channel on ``app``'s service, search and stores; :class:`InputError` says
    what is missing when the settings cannot work."""
    config = slack_config(settings)
    if not config.socket_mode and not config.signing_secret:
        raise InputError(
            "Slack in HTTP mode needs SLACK_SIGNING_SECRET (Basic Information -> App Credentials);"
            " or set SLACK_APP_TOKEN to use Socket Mode instead"
        )
    if config.client_id and not config.client_secret:
        raise InputError("SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: set both for OAuth")
    return SlackChannel(
        config,
        service=app.service,
        search=app.search,
        sessions=app.sessions,
        invites=app.invites,
        deliveries=app.sessions,
        installations=workspace_installs(settings),
        telegram_bot_username=settings.telegram.bot_username,
        summariser=app.summariser,
        themes=home_themes(app),
        reader=answer_reader(app),
        voice=app.voice,
    )


def workspace_installs(settings: Settings) -> SqlSlackInstalls | None:
    """Where multi-workspace mode (OAuth) keeps installations and OAuth states: the session
    store's database (PostgreSQL, shared by every worker, when EARFUL_DATABASE_URL is set);
    ``None`` with one workspace's bot token."""
    if not slack_config(settings).oauth:
        return None
    try:
        return SqlSlackInstalls(database_at(settings.database_url, settings.sqlite_path))
    except ImportError:  # psycopg is the 'postgres' extra
        raise MissingExtra("Slack installations in EARFUL_DATABASE_URL", "postgres") from None


def home_themes(app: App) -> ThemesFor:
    """How the App Home tab's themes are computed: the team's frustration (and imported)
    stories from the system of record, embedded, then clustered off the event loop."""

    async def themes(team: str) -> Sequence[Theme]:
        answers = [a for a in await app.sessions.answers(team=team) if a.text.strip()]
        # Themes are made of what customers said was a problem, whichever question they answered
        # (answers without a reading: the sections that ask for frustrations, and imports).
        read = await with_readings(answers, answer_reader(app))
        answers = problem_stories([a for a in read if a.reading is not None or a.section in THEME_SECTIONS])
        vectors = await embed_all(app, [a.text for a in answers])
        # Clustering is CPU work of up to seconds: a thread keeps Slack's 3-second acks on time.
        return await asyncio.to_thread(
            find_themes, answers, vectors, default_clusterer(), default_word_weights(), quotes=1
        )

    return themes
