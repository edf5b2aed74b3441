"""Telegram input to core events: a small table from command or button to event."""

from __future__ import annotations

from core.models import Consent, Event, Forget, Pause, Resume, Skip, Start, Stop, SwitchLanguage

# Commands a customer can send; /start, /help and /stories are handled separately.
COMMAND_EVENTS: dict[str, Event] = {
    "pause": Pause(),
    "resume": Resume(),
    "skip": Skip(),
    "stop": Stop(),
    "forget": Forget(confirmed=False),
}

# Inline-button callback data (the core's ``Choice.value``) to events. "forget:no" sends a
# Resume: the engine cancels a pending forget on anything but a confirmation, and a stale
# button pressed later can only resume, never record an answer.
CALLBACK_EVENTS: dict[str, Event] = {
    "consent:yes": Consent(given=True),
    "consent:no": Consent(given=False),
    "forget:yes": Forget(confirmed=True),
    "forget:no": Resume(),
    "language:yes": SwitchLanguage(accept=True),
    "language:no": SwitchLanguage(accept=False),
}

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
