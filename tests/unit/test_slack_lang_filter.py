"""Slack story search: the ``lang:`` filter is read, described and shown with every story."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.slack import blocks
from adapters.slack.commands import parse_story_query
from adapters.slack.wording import load_wording
from core.errors import InputError
from core.models import Story, StoryHit

NOW = datetime(2026, 6, 30, tzinfo=UTC)


def test_lang_is_split_from_the_sentence_and_normalised() -> None:
    query = parse_story_query("card stolen lang:ar-SA section:frustration", NOW)
    assert (query.text, query.language, query.section) == ("card stolen", "ar", "frustration")
    assert "lang:ar" in query.describe()
    assert parse_story_query("card stolen", NOW).language is None
    with pytest.raises(InputError):
        parse_story_query("card stolen lang:arabic!", NOW)


def test_each_story_in_the_results_shows_its_language() -> None:
    story = Story(
        id="s1",
        team="T1",
        interview_id="i1",
        customer="Customer-ABC123",
        question_id="q",
        question="What was hard?",
        section="frustration",
        language="ar",
        channel="telegram",
        created_at=NOW,
        text="سرقت بطاقتي",
    )
    query = parse_story_query("card stolen lang:ar", NOW)
    _, rendered = blocks.stories_message(
        query, [StoryHit(story=story, score=0.7, match="close")], load_wording()
    )
    contexts = [block for block in rendered if block["type"] == "context"]
    assert " · ar · " in str(contexts[0])
