"""The Bot API's wire format as the test emulator needs it: parameters (form-encoded or
JSON), HTML entities as Telegram parses them, users, and messages the bot sent."""

from __future__ import annotations

import html
import json
import re
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

# Parameters whose form value is a plain string (everything else arrives JSON-encoded).
STRING_FIELDS = {
    "text",
    "parse_mode",
    "action",
    "url",
    "secret_token",
    "callback_query_id",
    "language_code",
    "inline_message_id",
    "ip_address",
    "business_connection_id",
}
HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "tg-emoji",
    "blockquote",
}
TAG = re.compile(r"<(/?)([a-zA-Z-]+)(\s[^<>]*)?>")
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


@dataclass
class FakeUser:
    """A Telegram user in a private chat with the bot (chat id = user id)."""

    id: int
    first_name: str = "Customer"
    language_code: str | None = "en"

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class SentMessage:
    """A message the bot sent: its visible text (entities parsed), raw HTML and buttons."""

    message_id: int
    chat_id: int
    text: str
    raw: str
    buttons: list[str] = field(default_factory=list)  # callback data of inline buttons

    @property
    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": "private", "first_name": "Customer"},
            "from": BOT_USER,
            "text": self.text,
        }
        if self.buttons:
            data["reply_markup"] = {
                "inline_keyboard": [[{"text": b, "callback_data": b} for b in self.buttons]]
            }
        return data


BOT_USER = {"id": 7000001, "is_bot": True, "first_name": "Earful", "username": "earful_test_bot"}


def parse_html(raw: str) -> str:
    """The visible text of an HTML-mode message; ApiError like Telegram's on bad markup."""
    stack: list[str] = []
    for closing, name, _ in TAG.findall(raw):
        name = name.lower()
        if name not in HTML_TAGS:
            raise ApiError(400, f'Bad Request: can\'t parse entities: unsupported start tag "{name}"')
        if closing:
            if not stack or stack.pop() != name:
                raise ApiError(400, f'Bad Request: can\'t parse entities: unmatched end tag "{name}"')
        else:
            stack.append(name)
    if stack:
        raise ApiError(400, f"Bad Request: can't parse entities: can't find end tag for \"{stack[-1]}\"")
    stripped = TAG.sub("", raw)
    if re.search(r"[<>]|&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", stripped):
        raise ApiError(400, "Bad Request: can't parse entities: unescaped character")
    return html.unescape(stripped)


async def request_params(request: Request) -> dict[str, Any]:
    """Parameters from the query string, a JSON body, or a form (values JSON-encoded)."""
    params: dict[str, Any] = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if "application/json" in content_type:
        body = await request.body()
        params.update(json.loads(body) if body else {})
    elif "x-www-form-urlencoded" in content_type:
        # PTB sends form fields whose non-string values are JSON; no files in these tests.
        for key, value in parse_qsl((await request.body()).decode(), keep_blank_values=True):
            if key in STRING_FIELDS:
                params[key] = value
                continue
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
    elif content_type:
        raise ApiError(400, f"Bad Request: unsupported content type {content_type}")
    return params


def text_content(text: str) -> dict[str, Any]:
    """A message's text, with the bot_command entity Telegram adds to a leading /command."""
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return content


def inline_buttons(markup: Any) -> list[str]:
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = (markup or {}).get("inline_keyboard", [])
    return [button.get("callback_data", "") for row in rows for button in row]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
