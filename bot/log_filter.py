"""Logs never carry a token or a secret, at any level.

httpx logs every request URL at INFO, and the Bot API puts the bot token in the URL
(``/bot<id>:<secret>/getUpdates``); slack_sdk logs request and response bodies at DEBUG (an
OAuth exchange holds the client secret and the new bot token). :class:`SecretRedactor`, set on
the root logger's handlers by :func:`install_redaction`, rewrites every record before any
handler writes it: the configured secrets by value, and anything shaped like a token by pattern.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from bot.settings import Settings

MASK = "[redacted]"
_TOKEN_SHAPES = (
    re.compile(r"(?<=bot)\d+:[A-Za-z0-9_-]+"),  # a Telegram bot token in a Bot API URL
    re.compile(r"\b\d{6,12}:[A-Za-z0-9_-]{30,}"),  # a Telegram bot token anywhere
    re.compile(r"\bxox[abposre]-[A-Za-z0-9-]+"),  # Slack bot, user, refresh... tokens
    re.compile(r"\bxapp-[A-Za-z0-9-]+"),  # a Slack app-level token
)
# The value after a secret-named key: 'client_secret': 'x', client_secret=x, "token": "x".
_SECRET_FIELD = re.compile(
    r"""(?ix)
    (["']?\b(?:client_secret|signing_secret|secret_token|secret|access_token|refresh_token
        |bot_token|app_token|token|password|authorization)["']?\s*[:=]\s*["']?(?:bearer\s+)?)
    ([^"'&\s,;}\]]+)
    """
)
_URL_PASSWORD = re.compile(r"(://[^/\s:@]+:)([^@\s/]+)(@)")  # postgresql://user:password@host


class SecretRedactor(logging.Filter):
    """A filter that replaces secrets in a record's message, exception and stack text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is masked whole. Very short values
        # (a test's "x") would mask ordinary words; the patterns still cover real tokens.
        self._secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """``text`` with every known secret and token-shaped string replaced by ``[redacted]``."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        for shape in _TOKEN_SHAPES:
            text = shape.sub(MASK, text)
        text = _SECRET_FIELD.sub(lambda m: m.group(1) + (MASK if m.group(2) != MASK else m.group(2)), text)
        return _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(3), text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: keep its parts, still redacted
            message = f"{record.msg} {record.args}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configured_secrets(settings: Settings) -> list[str]:
    """Every secret the settings hold (tokens, signing and client secrets, the webhook secret)."""
    values = [
        settings.slack.bot_token,
        settings.slack.signing_secret,
        settings.slack.app_token,
        settings.slack.client_secret,
        settings.telegram.bot_token,
        settings.telegram.webhook_secret,
    ]
    found = [value.get_secret_value() for value in values if value is not None]
    token = settings.telegram.bot_token
    if token is not None and ":" in token.get_secret_value():
        found.append(token.get_secret_value().split(":", 1)[1])  # its secret half, alone
    return found


_installed: SecretRedactor | None = None


def install_redaction(settings: Settings) -> SecretRedactor:
    """Put one :class:`SecretRedactor` on every handler of the root logger (call after the
    handlers exist, e.g. after ``logging.basicConfig``)."""
    global _installed
    redactor = SecretRedactor(configured_secrets(settings))
    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, SecretRedactor)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
    _installed = redactor
    return redactor


def redact(text: str) -> str:
    """``text`` as the installed redactor would log it (token shapes only before installation)."""
    return (_installed or SecretRedactor()).redact(text)
