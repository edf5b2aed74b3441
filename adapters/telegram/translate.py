"""Telegram input to core events: a small table from command to event."""

from __future__ import annotations

from core.models import Event, Forget, Pause, Resume, Skip, Start, Stop

# Commands a customer can send; /start, /help and /stories are handled separately.
COMMAND_EVENTS: dict[str, Event] = {
    "pause": Pause(),
    "resume": Resume(),
    "skip": Skip(),
    "stop": Stop(),
    "forget": Forget(confirmed=False),
}

# Inline buttons are the core's choices: see core.choices.

MENU_COMMANDS = ("pause", "resume", "skip", "stop", "forget", "help")


def start_event(payload: str | None) -> tuple[Event, str | None]:
    """``/start <token>`` redeems an invite; a bare ``/start`` continues an interview if any
    (sent as Resume so that it never creates an interview without an invite)."""
    token = (payload or "").strip()
    if token:
        return Start(), token
    return Resume(), None


def message_key(chat_id: int, message_id: int) -> str:
    """A message's key (message ids count per chat)."""
    return f"{chat_id}:{message_id}"


def delivery_key(update_id: int) -> str:
    """The de-duplication key of a Telegram update (redelivered updates keep their id)."""
    return f"telegram:{update_id}"
