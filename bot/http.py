"""The one HTTP server (ASGI) that takes every inbound platform call.

Channels contribute their routes (``POST /slack/events``, ``POST /telegram/webhook``);
this module adds ``GET /healthz`` and serves them all on ``EARFUL_HTTP_HOST``:``EARFUL_HTTP_PORT``.
Every request body is capped (:data:`core.limits.MAX_REQUEST_BODY_BYTES`) before any route,
signature check or parser sees it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.limits import MAX_REQUEST_BODY_BYTES

HealthCheck = Callable[[], Awaitable[dict[str, str]]]


class BodyLimit:
    """ASGI middleware: a body over ``limit`` bytes gets 413 without being read whole.

    A ``Content-Length`` over the limit is refused before a byte of the body is read; a body
    without one (chunked) is read up to the limit and refused as soon as it passes it. The body
    that fits is buffered and handed on, so the route reads it as usual.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_REQUEST_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await PlainTextResponse("bad Content-Length", status_code=400)(scope, receive, send)
                return
            if length > self.limit:
                await self._too_large(scope, receive, send)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        handed = False

        async def replay() -> Message:
            nonlocal handed
            if not handed:
                handed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = PlainTextResponse(
            f"request body over {self.limit} bytes", status_code=413, headers={"Connection": "close"}
        )
        await response(scope, receive, send)


def build_http_app(routes: Sequence[BaseRoute], health: HealthCheck | None = None) -> Starlette:
    """An ASGI app with the channels' routes and ``GET /healthz``, behind :class:`BodyLimit`."""

    async def healthz(_: Request) -> JSONResponse:
        checks = await health() if health else {}
        failing = {name: state for name, state in checks.items() if state != "ok"}
        body = {"status": "ok" if not failing else "degraded", **checks}
        return JSONResponse(body, status_code=200 if not failing else 503)

    return Starlette(
        routes=[Route("/healthz", healthz, methods=["GET"]), *routes],
        middleware=[Middleware(BodyLimit)],
    )


def http_server(app: Starlette, host: str, port: int) -> uvicorn.Server:
    """A uvicorn server for ``app``; the caller runs ``serve()`` and sets ``should_exit``.

    ``log_config=None``: uvicorn's loggers propagate to the root handler, whose filter redacts
    secrets (bot/log_filter.py), instead of writing through handlers of their own.
    """
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off", log_config=None)
    return uvicorn.Server(config)
