"""The terminal channel: one line typed is one message; replies are printed.

It is also the simplest full channel, used by end-to-end tests that drive ``earful chat``
through stdin. Ctrl-D (end of input) and Ctrl-C pause the interview; running it again with
the same customer resumes at the same question.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from collections.abc import Callable
from typing import TextIO

from core.invites import telegram_invite_link
from core.models import (
    Answer,
    Event,
    Forget,
    Pause,
    Reply,
    ReplyKind,
    Resume,
    Skip,
    Start,
    Status,
    Stop,
)
from core.service import Inbound, InterviewService

CHANNEL = "console"

_COMMANDS: dict[str, Callable[[], Event]] = {
    "/pause": Pause,
    "/resume": Resume,
    "/skip": Skip,
    "/stop": Stop,
    "/forget": Forget,
}
_END = object()  # end of input or Ctrl-C


def event_for(line: str) -> Event | None:
    """The core event for one typed line; ``None`` for ``/help`` (answered locally)."""
    command = line.strip().split(maxsplit=1)[0].lower() if line.strip() else ""
    if command == "/help":
        return None
    factory = _COMMANDS.get(command)
    return factory() if factory else Answer(text=line.rstrip("\r\n"))


class ConsoleChannel:
    """Runs one customer's interview on a terminal (or any text streams)."""

    def __init__(
        self,
        service: InterviewService,
        *,
        team: str,
        customer: str,
        script_id: str | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        bot_username: str | None = None,
    ) -> None:
        self._service = service
        self._bot_username = bot_username  # the Telegram bot referral links open, if known
        self._team = team
        self._customer = customer
        self._script_id = script_id
        self._stdin = stdin or sys.stdin
        self._stdout = stdout or sys.stdout
        self._lines: asyncio.Queue[object] = asyncio.Queue()

    def _say(self, replies: list[Reply], language: str = "en") -> None:
        for reply in replies:
            prefix = "\n" if reply.kind in (ReplyKind.QUESTION, ReplyKind.PROBE) else ""
            self._stdout.write(f"{prefix}earful> {self._text(reply, language)}\n")
        self._stdout.flush()

    def _text(self, reply: Reply, language: str) -> str:
        """A reply as a line: a referral with its invite, an offer with the words to type."""
        if reply.kind is ReplyKind.REFERRAL and reply.invite:
            link = telegram_invite_link(self._bot_username, reply.invite) if self._bot_username else None
            invite = self._service.catalog.messages_for(language).referral_invite(reply.invite, link)
            return f"{reply.text}\n{invite}"
        if reply.kind is ReplyKind.LANGUAGE and reply.choices:
            return f"{reply.text} ({' / '.join(choice.label for choice in reply.choices)})"
        return reply.text

    def _prompt(self) -> None:
        self._stdout.write("you> ")
        self._stdout.flush()

    def _read_lines(self, loop: asyncio.AbstractEventLoop) -> None:
        # A daemon thread, so a pending read never keeps the process alive at exit.
        for line in iter(self._stdin.readline, ""):
            loop.call_soon_threadsafe(self._lines.put_nowait, line)
        loop.call_soon_threadsafe(self._lines.put_nowait, _END)

    async def _send(self, event: Event) -> Status | None:
        outcome = await self._service.handle(
            Inbound(
                channel=CHANNEL,
                customer=self._customer,
                event=event,
                team=self._team,
                script_id=self._script_id,
            )
        )
        self._say(outcome.replies, outcome.state.language if outcome.state else "en")
        return outcome.state.status if outcome.state else None

    async def run(self) -> Status | None:
        """Interview until the interview ends, or input ends (which pauses it)."""
        loop = asyncio.get_running_loop()
        threading.Thread(target=self._read_lines, args=(loop,), daemon=True).start()
        interrupted = False
        try:
            loop.add_signal_handler(signal.SIGINT, self._lines.put_nowait, _END)
            interrupted = True
        except (NotImplementedError, RuntimeError):  # not the main thread, or no signals here
            pass
        try:
            status = await self._send(Start())
            while status in (Status.CONSENT, Status.ACTIVE, Status.INVITED):
                self._prompt()
                line = await self._lines.get()
                if line is _END:
                    self._stdout.write("\n")
                    return await self._send(Pause())
                event = event_for(str(line))
                if event is None:
                    messages = self._service.catalog.messages_for("en")
                    self._say([Reply(kind=ReplyKind.INFO, text=messages.help)])
                    continue
                status = await self._send(event)
                if status is Status.PAUSED:
                    return status
            return status
        finally:
            if interrupted:
                loop.remove_signal_handler(signal.SIGINT)
