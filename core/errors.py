"""Typed errors raised by the core; the edges (CLI, chat adapters) turn them into friendly words."""

from __future__ import annotations


class EarfulError(Exception):
    """Base class of every error Earful raises on purpose."""


class ScriptError(EarfulError):
    """An interview script (or message file) is invalid.

    ``problems`` lists every problem found, each naming the file, the field or question id,
    and the reason, so one run of ``earful lint`` reports them all.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


class AccessDenied(EarfulError):
    """The caller may not do this (e.g. a customer asking for story search)."""


class InviteError(EarfulError):
    """An invite token is unknown, expired or already used."""


class NotFound(EarfulError):
    """A requested interview, customer or story does not exist."""


class StoreUnavailable(EarfulError):
    """A store (database, vector index) cannot be reached right now; try again later."""


class InputError(EarfulError):
    """Input from a user or a file is malformed; the message says what and where."""


class MissingExtra(EarfulError):
    """A configured feature needs an optional part of Earful (a pip extra) that is not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        self.feature = feature
        self.extra = extra
        super().__init__(f"{feature} needs the '{extra}' extra, not installed: {install_line(extra)}")


def install_line(extra: str) -> str:
    """The pip command that installs one of Earful's extras."""
    return f"pip install 'earful[{extra}]'"


class AudioUnavailable(EarfulError):
    """A voice note could not be fetched from its platform (a network failure, a file gone or
    too big to download); the customer can send it again or type."""


class AudioTooLong(EarfulError):
    """A recording lasts longer than voice answers may (``EARFUL_VOICE_MAX_SECONDS``)."""

    def __init__(self, seconds: float, limit: float) -> None:
        self.seconds = seconds
        self.limit = limit
        super().__init__(f"the recording lasts {seconds:.0f} s, more than the {limit:.0f} s allowed")


class TranscriptionFailed(EarfulError):
    """A recording could not be decoded or transcribed (a corrupt or unsupported file)."""


class VoiceModelMissing(EarfulError):
    """The speech model cannot be made ready (its packages are missing or do not join into the
    expected file); the message says what to install."""
