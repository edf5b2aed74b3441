"""Audio clips in a Slack DM interview: fetched with files.info and the bot token, heard by the
real Whisper model, shown back with buttons, kept as the answer or typed again. The real Bolt
app, signed requests, the local Web API emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from slack_harness import SlackHarness, all_text, dm, posts_to, running_slack
from voice_notes import espeak, voice_extra, voice_note, word_error_rate

from core.catalog import Catalog

pytestmark = [pytest.mark.usefixtures("isolated_env"), pytest.mark.slow]
SAID = "I run a small bakery, and the worst part of my week is ordering flour."


@pytest.fixture(scope="module")
def clip() -> bytes:
    espeak()
    voice_extra()
    return voice_note(SAID, container="webm")  # as a clip recorded in Slack's desktop app


def buttons(post: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (element["action_id"], element["value"])
        for block in post["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


async def interviewing(slack: SlackHarness, user: str) -> None:
    await slack.command(f"interview <@{user}|them>")
    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, f"D{user}")) == 2)
    [(action, value), _] = buttons(posts_to(slack, f"D{user}")[1])
    await slack.action(action, value, user=user, channel=f"D{user}")
    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, f"D{user}")) == 3)


async def share(slack: SlackHarness, user: str, file_id: str, audio: bytes) -> dict[str, Any]:
    seen = len(posts_to(slack, f"D{user}"))
    await slack.event(slack.emulator.share_audio(file_id, audio, 6_000, user=user, dm=f"D{user}"))
    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, f"D{user}")) > seen, timeout=120)
    return posts_to(slack, f"D{user}")[-1]


async def test_a_clip_is_heard_shown_back_and_kept_or_typed_again(
    tmp_path: Path, catalog: Catalog, voice_model_dir: Path, clip: bytes
) -> None:
    voice = catalog.messages_for("en").voice
    async with running_slack(tmp_path, voice_model_dir=voice_model_dir) as slack:
        await interviewing(slack, "U555")
        heard = await share(slack, "U555", "FCLIP1", clip)
        assert heard["text"].startswith("I heard: «")
        assert [value for _, value in buttons(heard)] == ["voice:keep:FCLIP1", "voice:again:FCLIP1"]
        download = slack.emulator.of("files.download")
        assert [call.token for call in download] == ["xoxb-test-token"]  # the bot token, as Slack needs
        # Typed again: nothing stored.
        action, value = buttons(heard)[1]
        seen = len(posts_to(slack, "DU555"))
        await slack.action(action, value, user="U555", channel="DU555")
        await slack.emulator.wait_for(lambda cs: len(posts_to(slack, "DU555")) > seen)
        assert posts_to(slack, "DU555")[-1]["text"] == voice.retype
        assert await slack.app.sessions.answers(customer="U555") == []
        # Another clip, kept: the interview's answer, then the next question.
        heard = await share(slack, "U555", "FCLIP2", clip)
        action, value = buttons(heard)[0]
        seen = len(posts_to(slack, "DU555"))
        await slack.action(action, value, user="U555", channel="DU555")
        await slack.emulator.wait_for(lambda cs: len(posts_to(slack, "DU555")) > seen)
        assert posts_to(slack, "DU555")[-1]["text"].endswith("?")
        await slack.action(action, value, user="U555", channel="DU555")  # pressed twice
        await slack.emulator.wait_for(lambda cs: posts_to(slack, "DU555")[-1]["text"] == voice.expired)
        [answer] = await slack.app.sessions.answers(customer="U555")
        assert answer.spoken and answer.voice is not None and answer.voice.language == "en"
        assert answer.question_id == "role" and word_error_rate(SAID, answer.text) <= 0.35, answer.text
        # Typing goes on as before.
        await dm(slack, "U555", "We are three bakers and a van.")
        assert len(await slack.app.sessions.answers(customer="U555")) == 2


async def test_a_clip_outside_an_interview_gets_the_dm_help_and_without_voice_please_type(
    tmp_path: Path, catalog: Catalog, clip: bytes
) -> None:
    async with running_slack(tmp_path, voice=False) as slack:
        await slack.event(slack.emulator.share_audio("FOUT", clip, 6_000, user="U600", dm="DU600"))
        await interviewing(slack, "U601")
        await share(slack, "U601", "FCLIP3", clip)
        assert posts_to(slack, "DU601")[-1]["text"] == catalog.messages_for("en").unsupported_message
        assert posts_to(slack, "DU600") == []  # not an interviewee, and no voice: nothing to say
        assert slack.emulator.of("files.download") == []
    async with running_slack(tmp_path / "on") as slack:
        await share(slack, "U602", "FCLIP4", clip)
        assert "stories" in all_text(posts_to(slack, "DU602")[-1]["blocks"]).lower()
        assert slack.emulator.of("files.info") == []
