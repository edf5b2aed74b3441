"""What a button's value means to the interview, for every channel.

The values are the ones the engine puts in :class:`core.models.Choice`; a channel renders them
as buttons and hands the pressed value back here.
"""

from __future__ import annotations

from core.models import Consent, Event, Forget, RecapCheck, Resume, SwitchLanguage

# "forget:no" sends a Resume: the engine cancels a pending forget on anything but a
# confirmation, and a stale button pressed later can only resume, never record an answer.
CHOICE_EVENTS: dict[str, Event] = {
    "consent:yes": Consent(given=True),
    "consent:no": Consent(given=False),
    "forget:yes": Forget(confirmed=True),
    "forget:no": Resume(),
    "language:yes": SwitchLanguage(accept=True),
    "language:no": SwitchLanguage(accept=False),
    "recap:yes": RecapCheck(right=True),
    "recap:no": RecapCheck(right=False),
}


def choice_event(value: str) -> Event | None:
    """The event a pressed button stands for; ``None`` for a value no choice has."""
    return CHOICE_EVENTS.get(value)
