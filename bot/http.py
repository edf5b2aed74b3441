"""The one HTTP server (ASGI) that takes every inbound platform call.

Channels contribute their routes (``POST /slack/events``, ``POST /telegram/webhook``);
this module adds ``GET /healthz`` and serves them all on ``EARFUL_HTTP_HOST``:``EARFUL_HTTP_PORT``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

HealthCheck = Callable[[], Awaitable[dict[str, str]]]


def build_http_app(routes: Sequence[BaseRoute], health: HealthCheck | None = None) -> Starlette:
    """An ASGI app with the channels' routes and ``GET /healthz``."""

    async def healthz(_: Request) -> JSONResponse:
        checks = await health() if health else {}
        failing = {name: state for name, state in checks.items() if state != "ok"}
        body = {"status": "ok" if not failing else "degraded", **checks}
        return JSONResponse(body, status_code=200 if not failing else 503)

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *routes])


def http_server(app: Starlette, host: str, port: int) -> uvicorn.Server:
    """A uvicorn server for ``app``; the caller runs ``serve()`` and sets ``should_exit``."""
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    return server
