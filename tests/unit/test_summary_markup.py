"""Slack markup typed into an answer stays inside one quote of the summary."""

from __future__ import annotations

from core.summary import sentences


def test_a_mention_in_an_answer_does_not_end_a_sentence() -> None:
    text = "Last Tuesday the export broke <!channel> and I lost hours! Then what? <!here|here> ok."
    assert sentences(text) == [
        "Last Tuesday the export broke <!channel> and I lost hours!",
        "Then what?",
        "<!here|here> ok.",
    ]
    assert sentences("It broke! Again!! Why?") == ["It broke!", "Again!!", "Why?"]
