"""The Slack channel as ``earful run`` sees it: HTTP routes or a Socket Mode connection.

HTTP mode (a signing secret and no app token) serves ``POST /slack/events`` (events,
interactivity and slash commands) and, with OAuth, ``GET /slack/install`` and
``GET /slack/oauth_redirect`` on the shared server. Socket Mode (``SLACK_APP_TOKEN``) opens
a websocket to Slack instead and serves no route.
"""

from __future__ import annotations

import contextlib

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from adapters.slack.completion import SlackCompletionNotifier
from adapters.slack.config import SlackConfig, revealed
from adapters.slack.delivery import ChannelPacer, Poster
from adapters.slack.desk import SlackDesk
from adapters.slack.erasure import SlackPostEraser
from adapters.slack.factory import build_bolt_app, web_client
from adapters.slack.guests import SearchAccess
from adapters.slack.home_themes import HomeThemes, ThemesFor
from adapters.slack.installations import WorkspaceInstalls
from adapters.slack.requests import NOT_UTF8, payload_problem
from adapters.slack.voice import SlackVoice
from adapters.slack.wording import SlackWording, load_wording
from core.invites import Invites
from core.ports import DeliveryLog, SessionStore
from core.reading import AnswerReader
from core.service import InterviewService
from core.stories import StoryFinder
from core.summary import Summariser
from core.voice import VoiceNotes


class SlackChannel:
    """Earful in Slack: Bolt app, completion notices, and the transport chosen by the config."""

    name = "slack"

    def __init__(
        self,
        config: SlackConfig,
        *,
        service: InterviewService,
        search: StoryFinder,
        sessions: SessionStore,
        invites: Invites,
        deliveries: DeliveryLog,
        installations: WorkspaceInstalls | None = None,
        telegram_bot_username: str | None = None,
        wording: SlackWording | None = None,
        summariser: Summariser | None = None,
        themes: ThemesFor | None = None,
        reader: AnswerReader | None = None,
        voice: VoiceNotes | None = None,
    ) -> None:
        """``installations`` keeps the workspaces' installations in multi-workspace mode (and
        is closed with the channel);
        ``telegram_bot_username`` makes invite links; ``reader`` reads answers stored without a
        reading (older interviews, imports) for summaries, personas and quality scores; ``voice``
        hears audio clips in DM interviews."""
        self.config = config
        self.wording = wording or load_wording()
        self.poster = Poster(ChannelPacer(config.post_interval))
        self.installations = installations
        self.desk = SlackDesk(
            service=service,
            search=search,
            sessions=sessions,
            invites=invites,
            wording=self.wording,
            poster=self.poster,
            telegram_bot_username=telegram_bot_username,
            themes=HomeThemes(themes, needed_interviews=config.themes_after) if themes else None,
            access=SearchAccess(config.allow_guests),
            reader=reader,
        )
        heard = SlackVoice(voice, self.desk) if voice is not None else None
        self.bolt = build_bolt_app(config, self.desk, deliveries, self.installations, heard)
        self._http = AsyncSlackRequestHandler(self.bolt)
        secret = revealed(config.signing_secret)
        self._signatures = SignatureVerifier(secret) if secret else None
        self._socket: AsyncSocketModeHandler | None = None
        service.add_listener(
            SlackCompletionNotifier(
                sessions, self.client_for_team, self.poster, self.wording, summariser, reader=reader
            )
        )
        service.add_post_eraser(SlackPostEraser(self.client_for_team, self.wording))

    async def client_for_team(self, team: str) -> AsyncWebClient | None:
        """A Web API client with the bot token of workspace ``team`` (``None`` if not installed)."""
        if self.installations is None:
            return self.bolt.client
        bot = await self.installations.async_find_bot(enterprise_id=None, team_id=team)
        return web_client(self.config, bot.bot_token) if bot is not None else None

    async def _endpoint(self, request: Request) -> Response:
        if request.method == "POST":
            # The body is already capped (bot/http.py). Bolt parses a body before it checks the
            # signature and fails (500) on one that is not an object, so such a body is answered
            # here: 400 when signed (the sender's mistake), 401 when not.
            body = await request.body()
            problem = payload_problem(body, request.headers.get("content-type"))
            if problem is not None:
                signed = problem is NOT_UTF8 or (
                    self._signatures is not None
                    and self._signatures.is_valid_request(body, dict(request.headers))
                )
                return Response(problem if signed else "", status_code=400 if signed else 401)
        return await self._http.handle(request)

    def routes(self) -> list[BaseRoute]:
        """``POST /slack/events`` (and the OAuth pages) in HTTP mode; nothing in Socket Mode."""
        if self.config.socket_mode:
            return []
        routes: list[BaseRoute] = [Route("/slack/events", self._endpoint, methods=["POST"])]
        if self.config.oauth:
            routes += [
                Route("/slack/install", self._endpoint, methods=["GET"]),
                Route("/slack/oauth_redirect", self._endpoint, methods=["GET"]),
            ]
        return routes

    async def start(self) -> None:
        """Open the Socket Mode connection (HTTP mode needs nothing: the server is shared)."""
        if self.config.socket_mode and self._socket is None:
            self._socket = AsyncSocketModeHandler(
                self.bolt, app_token=revealed(self.config.app_token), web_client=web_client(self.config, None)
            )
            await self._socket.connect_async()  # type: ignore[no-untyped-call]

    async def stop(self) -> None:
        """Close the socket and the installation store."""
        if self._socket is not None:
            with contextlib.suppress(Exception):
                await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self.desk.themes is not None:
            await self.desk.themes.close()
        if self.installations is not None:
            await self.installations.close()
