"""Simulated customers for reliability tests and `bench/load.py`.

A :class:`Front` is how a message reaches a worker. Today the fronts call
``InterviewService.handle`` directly (in this process, or in a worker subprocess through
JSON lines); a front that posts platform webhooks over HTTP (``POST /telegram/webhook``,
``POST /slack/events``) plugs in the same way once those channels exist.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from core.models import Answer, Consent, Event, Start
from core.service import Inbound, InterviewService, Outcome

CHANNEL = "load"


@dataclass(frozen=True)
class Message:
    """One thing a simulated customer sends; ``key`` is the platform's delivery id."""

    customer: str
    kind: str  # start | consent | answer
    key: str
    text: str = ""

    def event(self) -> Event:
        if self.kind == "start":
            return Start()
        if self.kind == "consent":
            return Consent(given=True)
        return Answer(text=self.text)

    def inbound(self, team: str = "T1") -> Inbound:
        return Inbound(
            channel=CHANNEL, customer=self.customer, event=self.event(), team=team, delivery_key=self.key
        )

    def to_json(self) -> str:
        return json.dumps(self.__dict__)

    @classmethod
    def from_json(cls, line: str) -> Message:
        return cls(**json.loads(line))


def conversation(customer: str, answers: int) -> list[Message]:
    """Start, consent, then ``answers`` answers that are long and concrete enough to need no probe,
    each naming its customer and number so a crossed or lost answer is visible."""
    messages = [
        Message(customer, "start", f"{customer}:start"),
        Message(customer, "consent", f"{customer}:consent"),
    ]
    for n in range(1, answers + 1):
        text = (
            f"[{customer}#{n}] Last Tuesday the export to our billing tool failed again and I spent"
            " the whole afternoon copying invoices by hand into a spreadsheet for the accountant."
        )
        messages.append(Message(customer, "answer", f"{customer}:a{n}", text))
    return messages


class Front(Protocol):
    """Delivers a message to worker ``worker`` and returns once the worker has replied."""

    async def send(self, worker: int, message: Message) -> Outcome: ...


@dataclass
class ServiceFront:
    """Workers as :class:`InterviewService` instances, each with its own store connections."""

    services: Sequence[InterviewService]
    team: str = "T1"

    async def send(self, worker: int, message: Message) -> Outcome:
        return await self.services[worker % len(self.services)].handle(message.inbound(self.team))


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    replies: dict[str, list[Outcome]] = field(default_factory=dict)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


async def run_load(
    front: Front, customers: int, answers: int, workers: int, concurrency: int = 50
) -> LoadResult:
    """Every customer talks at once (bounded by ``concurrency``); their messages alternate
    between workers, so one conversation is spread over all of them."""
    result = LoadResult()
    gate = asyncio.Semaphore(concurrency)

    async def customer(index: int) -> None:
        name = f"cust{index:04d}"
        outcomes: list[Outcome] = []
        for position, message in enumerate(conversation(name, answers)):
            async with gate:
                started = time.perf_counter()
                outcomes.append(await front.send(index + position, message))
                result.latencies.append(time.perf_counter() - started)
        result.replies[name] = outcomes

    await asyncio.gather(*(customer(i) for i in range(customers)))
    return result


def summary(result: LoadResult) -> dict[str, Any]:
    return {
        "messages": len(result.latencies),
        "p50_ms": round(result.percentile(50) * 1000, 1),
        "p99_ms": round(result.percentile(99) * 1000, 1),
    }
