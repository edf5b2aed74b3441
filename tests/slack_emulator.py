"""A small Slack Web API stand-in on 127.0.0.1 that records what the app sends.

Written from Slack's Web API docs: every method answers at ``/api/<method>`` to GET and POST,
form-encoded or JSON (slack_sdk uses both); ``response_url`` calls land on ``/respond/<id>``;
``apps.connections.open`` hands out a local ``ws://`` URL whose websocket plays Slack's
Socket Mode side. Tests await recorded calls with :meth:`SlackEmulator.wait_for`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web


@dataclass
class Call:
    """One recorded request: the Web API method (or ``respond``) and its parameters."""

    method: str
    params: dict[str, Any]
    token: str | None = None
    path: str = ""


def _decode(value: Any) -> Any:
    # Form-encoded bodies carry blocks/views as JSON strings.
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


@dataclass
class SlackEmulator:
    """Start with :meth:`start`; ``api_url`` is what the app's client uses as ``base_url``."""

    team_for_token: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    rate_limit_next: dict[str, int] = field(default_factory=dict)  # method -> 429s to give
    files: dict[str, tuple[str, str | bytes]] = field(default_factory=dict)  # file id -> (name, content)
    # More of a file's object as files.info gives it (an audio clip's mimetype, duration_ms...).
    file_details: dict[str, dict[str, Any]] = field(default_factory=dict)
    # users.info: user id -> "multi" (a multi-channel guest: is_restricted) or "single"
    # (a single-channel guest: is_restricted and is_ultra_restricted); anyone else is a member.
    guests: dict[str, str] = field(default_factory=dict)
    # What each channel shows: (channel, ts) -> text of the messages posted and not deleted;
    # chat.update replaces a text, chat.delete removes it (refused in ``no_delete`` channels,
    # as Slack refuses a bot that may no longer delete there: ``cant_delete_message``; a message
    # ts in ``no_delete`` is refused alike).
    shown: dict[tuple[str, str], str] = field(default_factory=dict)
    no_delete: set[str] = field(default_factory=set)
    socket_inbox: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str = "1") -> str:
        return f"{self.base}/respond/{name}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_get("/link", self._socket)
        app.router.add_get("/files-pri/{file_id}/{name}", self._download)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[list[Call]], bool], timeout: float = 30.0) -> list[Call]:
        """Wait (bounded) until ``predicate(calls)`` holds; returns the calls."""

        async def wait() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: predicate(self.calls))

        await asyncio.wait_for(wait(), timeout)
        return self.calls

    def of(self, method: str, **match: Any) -> list[Call]:
        """Recorded calls of ``method`` whose params include ``match``."""
        return [
            call
            for call in self.calls
            if call.method == method and all(call.params.get(k) == v for k, v in match.items())
        ]

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST":
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update({k: _decode(v) for k, v in (await request.post()).items()})
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") or params.get("token")
        if self.rate_limit_next.get(method, 0) > 0:
            self.rate_limit_next[method] -= 1
            await self._record(Call(f"{method}:429", params, token, request.path))
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"}
            )
        await self._record(Call(method, params, token, request.path))
        return web.json_response(self._answer(method, params, token))

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        team = self.team_for_token.get(token or "", "T0123ABC")
        if method == "auth.test":
            if token is None or (self.team_for_token and token not in self.team_for_token):
                return {"ok": False, "error": "invalid_auth"}
            return {
                "ok": True,
                "url": "https://earful-test.slack.com/",
                "team": "Earful Test",
                "user": "earful",
                "team_id": team,
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "is_enterprise_install": False,
            }
        if method == "users.info":
            user = str(params.get("user", ""))
            kind = self.guests.get(user)
            return {
                "ok": True,
                "user": {
                    "id": user,
                    "team_id": team,
                    "name": user.lower(),
                    "is_bot": False,
                    "is_restricted": kind is not None,
                    "is_ultra_restricted": kind == "single",
                },
            }
        if method == "chat.delete":
            key = (str(params.get("channel")), str(params.get("ts")))
            if key[0] in self.no_delete or key[1] in self.no_delete:
                return {"ok": False, "error": "cant_delete_message"}
            if self.shown.pop(key, None) is None:
                return {"ok": False, "error": "message_not_found"}
            return {"ok": True, "channel": key[0], "ts": key[1]}
        if method == "chat.update":
            key = (str(params.get("channel")), str(params.get("ts")))
            if key not in self.shown:
                return {"ok": False, "error": "message_not_found"}
            self.shown[key] = json.dumps([params.get("text"), params.get("blocks")])
            return {"ok": True, "channel": key[0], "ts": key[1]}
        if method == "chat.postMessage":
            ts = f"1700000000.{next(self._ts):06d}"
            self.shown[(str(params.get("channel")), ts)] = json.dumps(
                [params.get("text"), params.get("blocks")]
            )
            return {
                "ok": True,
                "channel": params.get("channel"),
                "ts": ts,
                "message": {"text": params.get("text")},
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        if method in ("views.open", "views.publish"):
            return {"ok": True, "view": {"id": "V1", **(params.get("view") or {})}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "X")).split(",")[0]}}
        if method == "files.info":
            shared = self.files.get(str(params.get("file")))
            if shared is None:
                return {"ok": False, "error": "file_not_found"}
            name, content = shared
            url = f"{self.base}/files-pri/{params['file']}/{name}"
            size = len(content.encode() if isinstance(content, str) else content)
            return {
                "ok": True,
                "file": {
                    "id": params["file"],
                    "name": name,
                    "size": size,
                    "url_private": url,
                    "url_private_download": url,
                    **self.file_details.get(str(params["file"]), {}),
                },
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"}
        if method == "oauth.v2.access":
            new_team = f"T{params.get('code', 'NEW')}".upper()
            bot_token = f"xoxb-{new_team.lower()}"
            self.team_for_token[bot_token] = new_team
            return {
                "ok": True,
                "access_token": bot_token,
                "token_type": "bot",
                "scope": "commands,chat:write",
                "bot_user_id": "UBOT",
                "app_id": "A1",
                "team": {"id": new_team, "name": "Installed"},
                "enterprise": None,
                "is_enterprise_install": False,
                "authed_user": {"id": "UINSTALLER"},
            }
        return {"ok": True}

    async def _download(self, request: web.Request) -> web.Response:
        """A shared file's content, only to a bot token of a known workspace (as Slack does)."""
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        await self._record(Call("files.download", dict(request.match_info), token, request.path))
        shared = self.files.get(request.match_info["file_id"])
        if shared is None or (self.team_for_token and token not in self.team_for_token):
            return web.Response(status=404 if shared is None else 403, text="no access")
        if isinstance(shared[1], bytes):
            return web.Response(body=shared[1], content_type="application/octet-stream")
        return web.Response(text=shared[1], content_type="text/plain")

    def share_audio(
        self, file_id: str, audio: bytes, duration_ms: int, *, user: str, dm: str
    ) -> dict[str, Any]:
        """An audio clip recorded in a DM: the file is served, and the ``file_share`` message
        event Slack sends for it is returned (its file object as events carry it)."""
        self.files[file_id] = (f"audio_message_{file_id}.webm", audio)
        details = {
            "mimetype": "audio/webm",
            "filetype": "webm",
            "subtype": "slack_audio",
            "media_display_type": "audio",
            "duration_ms": duration_ms,
        }
        self.file_details[file_id] = details
        shared = {"id": file_id, "name": self.files[file_id][0], "size": len(audio), **details}
        return {
            "type": "message",
            "subtype": "file_share",
            "channel_type": "im",
            "channel": dm,
            "user": user,
            "text": "",
            "files": [shared],
            "ts": f"1700000200.{next(self._ts):06d}",
        }

    async def _respond(self, request: web.Request) -> web.Response:
        await self._record(Call("respond", await request.json(), None, request.path))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Slack's side of Socket Mode: say hello, then forward queued envelopes and record acks."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        sender = asyncio.create_task(self._forward(socket))
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    await self._record(Call("socket.ack", json.loads(message.data), None, "/link"))
        finally:
            sender.cancel()
        return socket

    async def _forward(self, socket: web.WebSocketResponse) -> None:
        while not socket.closed:
            envelope = await self.socket_inbox.get()
            await socket.send_json(envelope)
