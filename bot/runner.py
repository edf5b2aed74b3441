"""``earful run``: start the configured chat channels, the HTTP server and the indexer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Protocol

import typer
from starlette.routing import BaseRoute

from bot.http import HealthCheck, build_http_app, http_server
from bot.settings import Settings
from bot.wiring import VOICE_OFF, App, answer_reader, build_app

log = logging.getLogger("earful")


class Channel(Protocol):
    """A chat platform adapter as the runner sees it."""

    name: str

    def routes(self) -> list[BaseRoute]:
        """HTTP routes this channel serves on the shared server (empty when it needs none)."""
        ...

    async def start(self) -> None:
        """Connect (start polling, open a socket, register webhooks)."""
        ...

    async def stop(self) -> None:
        """Disconnect cleanly."""
        ...


def configured_channels(settings: Settings, app: App) -> list[Channel]:
    """The channels whose tokens are set. Each platform adds itself here."""
    channels: list[Channel] = []
    if settings.slack.bot_token is not None or settings.slack.client_id is not None:
        from bot.slack import slack_channel

        channels.append(slack_channel(settings, app))
    if settings.telegram.bot_token is not None:
        from bot.telegram import telegram_channel

        channels.append(telegram_channel(settings, app))
    return channels


def health_of(app: App) -> HealthCheck:
    """``GET /healthz``'s check of ``app``: its session store answers."""

    async def health() -> dict[str, str]:
        try:
            await app.sessions.interviews(limit=1)
            return {"sessions": "ok"}
        except Exception as error:  # noqa: BLE001 - reported, not raised: this is the health check
            return {"sessions": f"error: {error}"}

    return health


async def serve_channels(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run every configured channel until SIGINT/SIGTERM (or ``stop`` is set)."""
    stop = stop or asyncio.Event()
    async with build_app(settings) as app:
        channels = configured_channels(settings, app)
        if not channels:
            raise typer.BadParameter("no chat channel is configured")
        if app.voice is None:
            log.warning(VOICE_OFF)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, stop.set)
        indexing = asyncio.create_task(app.indexer.run())
        # The answer reader's and the story index's models load in the background (seconds), so
        # the first answers after a start are not the ones that wait for them.
        warming = asyncio.gather(answer_reader(app).warm_up(), app.indexer.warm_up())
        # The HTTP server runs whenever a channel does: a polling or Socket Mode bot has no
        # webhook routes, but its health probe (Docker's HEALTHCHECK, Kubernetes') still calls it.
        routes = [route for channel in channels for route in channel.routes()]
        server = http_server(build_http_app(routes, health_of(app)), settings.http_host, settings.http_port)
        serving = asyncio.create_task(server.serve())
        try:
            for channel in channels:
                await channel.start()
            names = ", ".join(channel.name for channel in channels)
            where = f"http://{settings.http_host}:{settings.http_port}"
            typer.echo(f"Earful is running: {names} on {where}. Ctrl-C stops it.", err=True)
            await stop.wait()
        finally:
            for channel in reversed(channels):
                with contextlib.suppress(Exception):
                    await channel.stop()
            server.should_exit = True
            await serving
            indexing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await indexing
            # A warm-up that failed is not fatal: the first answer loads the reader again and
            # meets the same, typed, error where it is reported.
            warming.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await warming
            await app.service.wait_background()
