"""A small Telegram Bot API server for tests, written from https://core.telegram.org/bots/api.

It serves the methods python-telegram-bot 22 calls (getMe, getUpdates with offset and
long-poll timeout, sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery,
sendChatAction, setMyCommands/getMyCommands, setWebhook/deleteWebhook/getWebhookInfo, getFile,
close/logOut) and file downloads (``/file/bot<token>/<file_path>``, 20 MB at most for bots) on
127.0.0.1, accepts form-encoded (PTB's way: non-string values as JSON
strings) and JSON bodies, and checks what the real API checks that matters here: the token,
HTML entities, the 4096-character limit. Tests play users (``send_text``, ``press``...) and
read what the bot sent per chat. ``fail_next`` makes the next calls answer 429 with
``retry_after``; ``bad_gateway_next`` makes them answer 502, as the Bot API does when its
front end loses the request. With a webhook set, updates are POSTed to it with the secret header.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram_wire import (
    BOT_USER,
    ApiError,
    FakeUser,
    SentMessage,
    free_port,
    inline_buttons,
    parse_html,
    request_params,
    text_content,
)

__all__ = ["FakeUser", "SentMessage", "TelegramEmulator"]

MAX_BOT_DOWNLOAD = 20 * 1000 * 1000  # "bots can download files of up to 20MB in size"


class TelegramEmulator:
    """The Bot API for one bot, plus the test's hands on the users' side."""

    def __init__(self, token: str = "7000001:TEST-token_for-earful") -> None:
        self.token = token
        self.port = free_port()
        self.pending: list[dict[str, Any]] = []  # unconfirmed updates, in order
        self.chats: dict[int, list[SentMessage]] = {}
        self.chat_actions: dict[int, list[str]] = {}
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.callback_answers: list[str] = []
        self.calls: list[str] = []
        self.webhook: dict[str, Any] = {}
        self.webhook_statuses: list[int] = []
        self.rejected: list[str] = []  # descriptions of 4xx answers given to the bot
        self._fail: list[int] = []  # retry_after values for the next calls
        self._bad_gateways = 0  # how many of the next sendMessage calls answer 502
        self.files: dict[str, bytes] = {}  # file_id -> content, for getFile and downloads
        self.file_sizes: dict[str, int] = {}  # file_id -> size Telegram reports (the content's by default)
        self.downloads: list[str] = []  # file paths the bot downloaded
        self._broken_downloads = 0  # how many of the next downloads answer 502
        self._next_update = 1000
        self._next_message = 1
        self._changed = asyncio.Condition()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._pusher: asyncio.Task[None] | None = None
        self._push_queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    @property
    def api_url(self) -> str:
        """The ``base_url`` to give PTB (it appends the token)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_url(self) -> str:
        """Where files are downloaded from (PTB's ``base_file_url``; it appends the token)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
            ]
        )
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self._task = asyncio.create_task(self._server.serve())
        async with asyncio.timeout(10):
            while not self._server.started:
                await asyncio.sleep(0.01)
        self._pusher = asyncio.create_task(self._push_webhooks())

    async def stop(self) -> None:
        if self._pusher:
            self._pusher.cancel()
        if self._server and self._task:
            self._server.should_exit = True
            async with self._changed:
                self._changed.notify_all()
            await asyncio.wait_for(self._task, 15)

    # --- the users' side ------------------------------------------------------------------

    def inject(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue ``update`` as is (use it to deliver the same update twice)."""
        if self.webhook.get("url"):
            self._push_queue.put_nowait(update)
        else:
            self.pending.append(update)
            asyncio.get_running_loop().create_task(self._notify())
        return update

    def _message(self, user: FakeUser, **content: Any) -> dict[str, Any]:
        message_id = self._next_message
        self._next_message += 1
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "from": user.as_json(),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            **content,
        }

    def _update(self, **content: Any) -> dict[str, Any]:
        self._next_update += 1
        return self.inject({"update_id": self._next_update, **content})

    def send_text(self, user: FakeUser, text: str) -> dict[str, Any]:
        """The user types ``text`` (a leading /command gets its bot_command entity)."""
        return self._update(message=self._message(user, **text_content(text)))

    def send_group_text(self, user: FakeUser, group_id: int, text: str) -> dict[str, Any]:
        """The user writes ``text`` in a group chat the bot is a member of."""
        message = self._message(user, **text_content(text))
        message["chat"] = {"id": group_id, "type": "group", "title": "Some group"}
        return self._update(message=message)

    def edit_text(self, user: FakeUser, sent: dict[str, Any], text: str) -> dict[str, Any]:
        """The user edits a message they sent earlier (``sent`` is its update)."""
        edited = {**sent["message"], "text": text, "edit_date": int(time.time())}
        return self._update(edited_message=edited)

    def send_sticker(self, user: FakeUser) -> dict[str, Any]:
        sticker = {
            "file_id": "sticker1",
            "file_unique_id": "u1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self._update(message=self._message(user, sticker=sticker))

    def send_voice(
        self,
        user: FakeUser,
        audio: bytes = b"OggS-not-really",
        duration: int = 3,
        *,
        size: int | None = None,
        as_audio: bool = False,
    ) -> dict[str, Any]:
        """The user sends a voice note (Opus in Ogg, as Telegram records them), or with
        ``as_audio`` an audio file; ``size`` is what Telegram reports (the content's length)."""
        file_id = f"{'audio' if as_audio else 'voice'}{len(self.files) + 1}"
        self.files[file_id] = audio
        self.file_sizes[file_id] = len(audio) if size is None else size
        media = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "duration": duration,
            "mime_type": "audio/mpeg" if as_audio else "audio/ogg",
            "file_size": self.file_sizes[file_id],
        }
        return self._update(message=self._message(user, **{"audio" if as_audio else "voice": media}))

    def press(self, user: FakeUser, message: SentMessage, data: str) -> dict[str, Any]:
        """The user presses the inline button with callback ``data`` under ``message``."""
        assert data in message.buttons, f"no button {data!r} under {message.text!r}"
        query = {
            "id": f"cq{self._next_update}",
            "from": user.as_json(),
            "message": message.json,
            "chat_instance": f"ci{user.id}",
            "data": data,
        }
        return self._update(callback_query=query)

    def fail_next(self, *retry_after: int) -> None:
        """Answer the next sendMessage calls with 429 and these ``retry_after`` seconds."""
        self._fail.extend(retry_after)

    def bad_gateway_next(self, calls: int = 1) -> None:
        """Answer the next ``calls`` sendMessage calls with 502 Bad Gateway (nothing is sent)."""
        self._bad_gateways += calls

    def break_downloads(self, count: int = 1) -> None:
        """Answer the next ``count`` file downloads with 502 Bad Gateway."""
        self._broken_downloads += count

    # --- reading what the bot did ----------------------------------------------------------

    def messages(self, chat_id: int) -> list[SentMessage]:
        return list(self.chats.get(chat_id, []))

    async def wait_for(self, chat_id: int, pattern: str, *, after: int = 0, timeout: float = 15) -> int:
        """Wait until a bot message in ``chat_id`` at index >= ``after`` contains ``pattern``
        (a regex); returns the index after it, so a test can read a conversation in order."""
        regex = re.compile(pattern, re.S)

        def found() -> int | None:
            for index, message in enumerate(self.chats.get(chat_id, [])[after:], after):
                if regex.search(message.text):
                    return index + 1
            return None

        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(lambda: found() is not None)
        result = found()
        assert result is not None
        return result

    async def wait_until(self, predicate: Any, timeout: float = 15) -> None:
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(predicate)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- the Bot API ------------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        self.calls.append(method)
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        try:
            params = await request_params(request)
            handler = getattr(self, f"api_{method.lower()}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
        except ApiError as error:
            self.rejected.append(f"{method}: {error.description}")
            body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            return JSONResponse(body, error.code)
        await self._notify()
        return JSONResponse({"ok": True, "result": result})

    async def api_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        if self.file_sizes[file_id] > MAX_BOT_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": self.file_sizes[file_id],
            "file_path": f"voice/{file_id}.oga",
        }

    async def _download(self, request: Request) -> Response:
        path = request.path_params["path"]
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        if self._broken_downloads:
            self._broken_downloads -= 1
            return Response("Bad Gateway", status_code=502)
        file_id = path.removeprefix("voice/").removesuffix(".oga")
        if file_id not in self.files:
            return Response(status_code=404)
        self.downloads.append(path)
        return Response(self.files[file_id], media_type="application/octet-stream")

    async def api_getme(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            **BOT_USER,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        if offset:  # confirms every update before ``offset``
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        timeout = min(float(params.get("timeout") or 0), 30.0)
        if not self.pending and timeout > 0 and self._server and not self._server.should_exit:
            try:
                async with asyncio.timeout(timeout):
                    async with self._changed:
                        await self._changed.wait_for(
                            lambda: bool(self.pending) or bool(self._server and self._server.should_exit)
                        )
            except TimeoutError:
                pass
        return self.pending[:limit]

    async def api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        if self._fail:
            raise ApiError(429, "Too Many Requests: retry after", retry_after=self._fail.pop(0))
        if self._bad_gateways:
            self._bad_gateways -= 1
            raise ApiError(502, "Bad Gateway")
        chat_id = int(params["chat_id"])
        raw = str(params.get("text", ""))
        text = parse_html(raw) if str(params.get("parse_mode", "")).upper() == "HTML" else raw
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        message = SentMessage(
            self._next_message, chat_id, text, raw, inline_buttons(params.get("reply_markup"))
        )
        self._next_message += 1
        self.chats.setdefault(chat_id, []).append(message)
        return message.json

    def _find(self, params: dict[str, Any]) -> SentMessage:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        for message in self.chats.get(chat_id, []):
            if message.message_id == message_id:
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    async def api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        message.raw = str(params["text"])
        message.text = parse_html(message.raw) if params.get("parse_mode") == "HTML" else message.raw
        message.buttons = inline_buttons(params.get("reply_markup"))
        return message.json

    async def api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        message.buttons = inline_buttons(params.get("reply_markup"))
        return message.json

    async def api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        self.callback_answers.append(str(params["callback_query_id"]))
        return True

    async def api_sendchataction(self, params: dict[str, Any]) -> bool:
        if params.get("action") not in {"typing", "upload_photo", "record_voice", "upload_document"}:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self.chat_actions.setdefault(int(params["chat_id"]), []).append(str(params["action"]))
        return True

    async def api_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params["commands"]
        if not 0 < len(commands) <= 100 or any(
            not re.fullmatch(r"[a-z0-9_]{1,32}", c["command"]) for c in commands
        ):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.commands[str(params.get("language_code") or "")] = commands
        return True

    async def api_getmycommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        return self.commands.get(str(params.get("language_code") or ""), [])

    async def api_setwebhook(self, params: dict[str, Any]) -> bool:
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = {"url": params["url"], "secret_token": secret}
        for update in self.pending:
            self._push_queue.put_nowait(update)
        self.pending = []
        return True

    async def api_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        if params.get("drop_pending_updates"):
            self.pending = []
        return True

    async def api_getwebhookinfo(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending) + self._push_queue.qsize(),
        }

    async def api_close(self, _: dict[str, Any]) -> bool:
        return True

    async def api_logout(self, _: dict[str, Any]) -> bool:
        return True

    async def _push_webhooks(self) -> None:
        """Deliver updates to the webhook in order, with the secret header, like Telegram."""
        async with httpx.AsyncClient(timeout=10) as client:
            while True:
                update = await self._push_queue.get()
                headers = {}
                if self.webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = str(self.webhook["secret_token"])
                response = await client.post(str(self.webhook["url"]), json=update, headers=headers)
                self.webhook_statuses.append(response.status_code)
                await self._notify()
