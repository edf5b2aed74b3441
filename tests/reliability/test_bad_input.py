"""Bad input, property-based: thousands of random texts (empty, whitespace, 100 KB, control
characters, right-to-left, emoji, lone surrogates) through the console's parsing and the
service into every store. Nothing crashes, and every answer is stored as typed.

"As typed" has one documented exception (core/text.py): a lone UTF-16 surrogate cannot be
encoded in UTF-8, so no store can keep it; it is stored as U+FFFD, and a surrogate pair
written as two code points is stored as the character it encodes.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes import TEST_PSEUDONYMS, MemorySessionStore
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.console import event_for
from core.catalog import Catalog
from core.limits import ANSWER_CHARS
from core.models import Answer, Consent, Forget, Pause, Skip, Start, Stop
from core.probing import RuleBasedFollowUp
from core.service import Inbound, InterviewService
from core.text import has_lone_surrogate, storable

ANY_CHAR = st.characters(codec=None, categories=None)  # every code point, surrogates included
TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=300),
    st.text(st.sampled_from(" \t\r\n\x00\x07\x1b\u200b\u200f\u202e\ufeff"), max_size=20),
    st.text(st.sampled_from("שלוםمرحباabc 123 \u200f\u202b"), max_size=200),
    st.text(st.sampled_from("🙂👍🏽\u200d👩‍💻🇺🇦\ufe0f"), max_size=50),
    st.builds(
        lambda c, n: c * n, st.sampled_from(["x", "é", "🙂", "\ud800"]), st.integers(5_000, 100_000)
    ),  # around and over the limit
)
COMMANDS = {"/pause": Pause, "/skip": Skip, "/stop": Stop, "/forget": Forget}
counter = itertools.count()


@given(TEXTS)
@settings(max_examples=3000, deadline=None)
def test_console_parsing_keeps_every_line(line: str) -> None:
    event = event_for(line)
    words = line.strip().split(maxsplit=1)
    command = words[0].lower() if words else ""
    if command == "/help":
        assert event is None
    elif command in COMMANDS:
        assert isinstance(event, COMMANDS[command])
    elif command != "/resume":
        assert event == Answer(text=line.rstrip("\r\n"))


def test_storable_is_identity_except_for_lone_surrogates() -> None:
    assert storable("שלום 🙂 \x00\x1b") == "שלום 🙂 \x00\x1b"
    assert storable("a\ud800b") == "a\ufffdb"
    assert storable("\ud83d\ude00") == "😀"
    assert not has_lone_surrogate(storable("\udfff\ud800" * 3))


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


async def answer_once(service: InterviewService, store: Any, text: str) -> None:
    customer = f"prop{next(counter)}"
    for event in (Start(), Consent(given=True)):
        await service.handle(Inbound(channel="console", customer=customer, event=event))
    outcome = await service.handle(Inbound(channel="console", customer=customer, event=Answer(text=text)))
    assert outcome.replies and not outcome.unavailable
    stored = [a.text for a in await store.answers(customer=customer)]
    if len(text) > ANSWER_CHARS:
        # Over the limit: refused whole with a message saying so, nothing half-stored.
        assert stored == [] and outcome.state is not None and outcome.state.turn == 0
    elif storable(text).strip():
        assert stored == [storable(text)]
        assert outcome.state is not None and outcome.state.turn == 1
    else:
        assert stored == []  # an empty answer is asked again, not stored


def property_on(store: Any, catalog: Catalog, loop: asyncio.AbstractEventLoop, examples: int) -> None:
    service = InterviewService(
        store, catalog, RuleBasedFollowUp(catalog.messages_for), pseudonyms=TEST_PSEUDONYMS
    )

    @given(TEXTS)
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    def check(text: str) -> None:
        loop.run_until_complete(answer_once(service, store, text))

    check()


def test_service_stores_any_text_in_memory(catalog: Catalog, loop: asyncio.AbstractEventLoop) -> None:
    property_on(MemorySessionStore(), catalog, loop, 1000)


def test_service_stores_any_text_in_sqlite(
    catalog: Catalog, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    from adapters.sql.database import SqliteDatabase
    from adapters.sql.sessions import SqlSessionStore

    store = loop.run_until_complete(SqlSessionStore.open(SqliteDatabase(tmp_path / "p.sqlite3")))
    try:
        property_on(store, catalog, loop, 200)
    finally:
        loop.run_until_complete(store.close())


def test_service_stores_any_text_in_postgres(
    catalog: Catalog, loop: asyncio.AbstractEventLoop, pg_url: str
) -> None:
    from adapters.sql.database import PostgresDatabase
    from adapters.sql.sessions import SqlSessionStore

    store = loop.run_until_complete(SqlSessionStore.open(PostgresDatabase(pg_url, max_size=2)))
    try:
        property_on(store, catalog, loop, 200)
    finally:
        loop.run_until_complete(store.close())
