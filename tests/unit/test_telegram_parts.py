"""The Telegram adapter's small pure parts: splitting, escaping, team users, event table,
and the merge window's ordering."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.telegram.config import TelegramConfig, file_url_for, parse_team_users
from adapters.telegram.merging import AnswerMerger, HeldPart, Part, PendingAnswer
from adapters.telegram.rendering import MAX_MESSAGE_CHARS, escape, split_message
from adapters.telegram.sending import html_blocks
from adapters.telegram.translate import start_event
from core.choices import choice_event
from core.models import Consent, Forget, Resume, Start, Voice


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab <>&\n"), min_size=0, max_size=12_000))
def test_split_pieces_fit_once_escaped_and_keep_every_word(text: str) -> None:
    pieces = split_message(text)
    assert all(len(escape(piece)) <= MAX_MESSAGE_CHARS for piece in pieces)
    # Nothing is lost but the whitespace at the cut points.
    assert "".join("".join(pieces).split()) == "".join(text.split())
    assert len(pieces) == 1 or all(piece.strip() for piece in pieces)


def test_split_prefers_paragraphs_and_never_cuts_an_entity() -> None:
    text = ("x" * 3000) + "\n\n" + ("&" * 1500)
    pieces = split_message(text)
    assert pieces[0] == "x" * 3000
    assert all(len(escape(p)) <= MAX_MESSAGE_CHARS for p in pieces)
    assert escape("<b>&") == "&lt;b&gt;&amp;"


def test_team_users_parse_and_reject_clearly() -> None:
    assert parse_team_users("12345:T0123ABC, 67890:T0999") == {12345: "T0123ABC", 67890: "T0999"}
    assert parse_team_users("") == {}
    with pytest.raises(ValueError, match="'alice:T1' is not"):
        parse_team_users("alice:T1")


def test_buttons_and_start_map_to_core_events() -> None:
    assert choice_event("consent:yes") == Consent(given=True)
    assert choice_event("forget:yes") == Forget(confirmed=True)
    assert choice_event("forget:no") == Resume()
    assert choice_event("forget:maybe") is None
    assert start_event("tok") == (Start(), "tok")
    assert start_event(None) == (Resume(), None)


async def test_merger_joins_parts_and_flush_comes_before_later_events() -> None:
    delivered: list[str] = []
    lock = asyncio.Lock()

    async def deliver(pending: PendingAnswer) -> None:
        delivered.append(pending.text)

    merger = AnswerMerger(30.0, deliver, lambda _: lock)
    merger.add(1, 1, "en", Part(10, 100, "first part"))
    merger.add(1, 1, "en", Part(10, 100, "first part"))  # redelivered: ignored
    merger.add(1, 1, "en", Part(11, 101, "second part"))
    assert merger.edit(1, 101, "second part, edited")
    await merger.flush(1)  # what a command does before it runs
    assert delivered == ["first part\nsecond part, edited"]
    await merger.flush_all()
    await merger.close()
    assert delivered == ["first part\nsecond part, edited"]


def test_held_parts_survive_a_round_trip_through_the_store() -> None:
    held = HeldPart(7, 8, "es", Part(1001, 55, "primera parte <con> & signos"))
    assert HeldPart.load(held.dump()) == held
    # A kept transcript waiting in the window keeps how it was heard through a restart.
    heard = Voice(language="es", avg_logprob=-0.3, seconds=6.0, audio="7-55.ogg")
    spoken = HeldPart(7, 8, "es", Part(1002, 56, "la primera parte", heard))
    assert HeldPart.load(spoken.dump()) == spoken
    pending = PendingAnswer(7, 8, "es", [held.part, spoken.part])
    assert pending.voice == heard and PendingAnswer(7, 8, "es", [held.part]).voice is None


def test_the_file_url_follows_the_api_url_as_the_bot_api_serves_files() -> None:
    assert file_url_for("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_for("http://127.0.0.1:8081/bot/") == "http://127.0.0.1:8081/file/bot"
    assert TelegramConfig(bot_token="t", api_url="http://h/bot").files_url == "http://h/file/bot"
    assert TelegramConfig(bot_token="t", file_url="http://files/bot").files_url == "http://files/bot"


def test_search_results_are_grouped_without_cutting_a_block() -> None:
    blocks = ["<b>1</b>\n" + "x" * 1500, "<b>2</b>\n" + "y" * 1500, "<b>3</b>\n" + "z" * 1500]
    messages = html_blocks("\n\n".join(blocks))
    assert messages == ["\n\n".join(blocks[:2]), blocks[2]]


def test_split_never_yields_an_empty_piece_between_words() -> None:
    text = "a" * 3000 + " " * 3000 + "b" * 3000
    pieces = split_message(text)
    assert all(piece.strip() for piece in pieces)
    assert "".join(pieces).replace(" ", "") == "a" * 3000 + "b" * 3000
