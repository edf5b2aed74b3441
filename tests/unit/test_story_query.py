"""The story-search filters, read the same on Slack and Telegram, and each result's evidence kind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.slack import blocks
from adapters.slack.wording import load_wording
from adapters.telegram.rendering import render_hits
from core.errors import InputError
from core.models import Story, StoryHit
from core.story_query import parse_story_query
from prompts import default_catalog

NOW = datetime(2026, 6, 30, tzinfo=UTC)


def test_evidence_and_facet_filters_sit_beside_the_others() -> None:
    query = parse_story_query("late flour evidence:story facet:Workaround section:frustration lang:es", NOW)
    assert (query.text, query.act, query.facet, query.section, query.language) == (
        "late flour",
        "story",
        "workaround",
        "frustration",
        "es",
    )
    assert query.filters() == {
        "section": "frustration",
        "language": "es",
        "act": "story",
        "facet": "workaround",
    }
    assert "evidence:story" in query.describe() and "facet:workaround" in query.describe()
    assert parse_story_query("late flour", NOW).filters() == {}
    for bad in ("x evidence:rumour", "x facet:feelings"):
        with pytest.raises(InputError, match=bad.split()[1]):
            parse_story_query(bad, NOW)


def _hit(act: str | None) -> StoryHit:
    story = Story(
        id="s1", team="T1", interview_id="i1", customer="Customer-ABC123", question_id="q",
        question="What was hard?", section="frustration", language="en", channel="telegram",
        created_at=NOW, text="The flour <b>never</b> came.", act=act,
    )  # fmt: skip
    return StoryHit(story=story, score=0.7, match="close")


def test_each_result_shows_its_evidence_kind_on_slack_and_telegram() -> None:
    wording = load_wording()
    query = parse_story_query("flour evidence:story", NOW)
    _, rendered = blocks.stories_message(query, [_hit("story")], wording)
    assert "a real time it happened" in str([b for b in rendered if b["type"] == "context"])
    _, general = blocks.stories_message(query, [_hit("general")], wording)
    assert "how it usually is" in str(general)
    _, unread = blocks.stories_message(query, [_hit(None)], wording)
    assert "real time" not in str(unread) and "usually" not in str(unread)
    kinds = default_catalog().messages_for("en").evidence_kinds
    html = render_hits([_hit("hypothetical")], "none", kinds)
    assert "what they imagine" in html and "&lt;b&gt;never&lt;/b&gt;" in html
    assert "una vez real" in render_hits(
        [_hit("story")], "none", default_catalog().messages_for("es").evidence_kinds
    )
