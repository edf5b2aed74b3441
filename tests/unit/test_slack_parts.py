"""The Slack adapter's pure parts: escaping, parsing, pacing, wording, Block Kit limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from adapters.slack import blocks
from adapters.slack.commands import (
    mentioned_user,
    parse_story_query,
    split_command,
    split_invite,
    stories_request,
)
from adapters.slack.delivery import ChannelPacer, event_delivery_key
from adapters.slack.factory import BOT_SCOPES
from adapters.slack.listeners import COMMAND
from adapters.slack.mrkdwn import escape, literal_quote
from adapters.slack.wording import load_wording, parse_wording
from core.errors import InputError, ScriptError
from core.models import AnswerRecord, Choice, Reply, ReplyKind
from core.summary import InterviewSummary
from prompts import read_packaged_yaml

NOW = datetime(2026, 6, 30, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def test_escape_neutralises_mentions_links_and_entities() -> None:
    assert escape("<!channel> & <@U123|bob> <https://x|y>") == (
        "&lt;!channel&gt; &amp; &lt;@U123|bob&gt; &lt;https://x|y&gt;"
    )
    assert escape("&lt;") == "&amp;lt;"  # an entity typed by a customer stays literal


def test_literal_quote_keeps_customer_text_verbatim_in_a_rich_text_element() -> None:
    block = literal_quote("<!here> *shout*")
    assert block["elements"][0]["elements"] == [{"type": "text", "text": "<!here> *shout*"}]


def test_story_query_filters_are_split_from_the_sentence() -> None:
    query = parse_story_query("exports are slow section:frustration since:30d", NOW)
    assert (query.text, query.section, query.since) == (
        "exports are slow",
        "frustration",
        NOW - timedelta(days=30),
    )
    assert parse_story_query("since:2026-01-31 x", NOW).since == datetime(2026, 1, 31, tzinfo=UTC)
    for bad in ("x section:pitchy", "x since:soon", "x since:2026-13-40"):
        with pytest.raises(InputError):
            parse_story_query(bad, NOW)


def test_requests_and_mentions_are_recognised() -> None:
    assert stories_request("<@UBOT> stories like slow exports") == "slow exports"
    assert stories_request("Stories: slow exports") == "slow exports"
    assert stories_request("<@UBOT> hello there") is None
    assert mentioned_user("interview <@U0ANN|ann> please") == "U0ANN"
    assert mentioned_user("interview @ann") is None
    assert split_command("  Stories  slow exports ") == ("stories", "slow exports")
    assert split_command("") == ("help", "")


def test_invite_arguments_name_a_script_only_when_it_looks_like_one() -> None:
    known = {"discovery.en"}
    assert split_invite("discovery.en Ann at Acme", known) == ("discovery.en", "Ann at Acme", None)
    assert split_invite("Ann at Acme", known) == (None, "Ann at Acme", None)
    assert split_invite("discovery.xx Ann", known) == (None, "Ann", "discovery.xx")


async def test_the_pacer_spaces_messages_per_channel_only() -> None:
    clock = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    pacer = ChannelPacer(1.0, clock=lambda: clock[0], sleep=sleep)
    await pacer.wait("C1")
    await pacer.wait("C2")
    await pacer.wait("C1")
    clock[0] += 0.25
    await pacer.wait("C1")
    assert slept == [1.0, 0.75]


def test_only_events_api_deliveries_have_a_dedupe_key() -> None:
    assert (
        event_delivery_key({"type": "event_callback", "team_id": "T1", "event_id": "Ev1"})
        == "slack:event:T1:Ev1"
    )
    assert event_delivery_key({"type": "block_actions"}) is None


def test_the_wording_file_is_validated_naming_the_bad_key() -> None:
    assert load_wording("en").score("close") == "close match"
    data = read_packaged_yaml("slack.en.yaml")
    del data["stories_empty"]
    data["transcript_title"] = "A title far too long for a Slack modal"
    with pytest.raises(ScriptError) as error:
        parse_wording(data, "prompts/slack.en.yaml")
    assert "stories_empty" in str(error.value) and "transcript_title" in str(error.value)


def test_consent_choices_become_buttons_with_the_core_values() -> None:
    reply = Reply(
        kind=ReplyKind.CONSENT,
        text="OK? <b>",
        choices=(Choice(label="Yes", value="consent:yes"), Choice(label="No", value="consent:no")),
    )
    text, rendered = blocks.reply_message(reply)
    assert text == "OK? &lt;b&gt;"
    assert [b["value"] for b in rendered[1]["elements"]] == ["consent:yes", "consent:no"]


def test_long_transcripts_respect_slack_block_limits() -> None:
    wording = load_wording()
    answers = [
        AnswerRecord(
            id=f"i-{n}",
            interview_id="i",
            team="T",
            customer="c",
            pseudonym="Customer-1",
            channel="slack",
            question_id=f"q{n}",
            question="Why?",
            section="frustration",
            text="x" * 5000,
            turn=n,
            created_at=NOW,
        )
        for n in range(1, 80)
    ]
    view = blocks.transcript_view("Customer-1", answers, wording, "2026-06-30")
    assert len(view["blocks"]) <= blocks.MODAL_BLOCKS and "first 49 answers" in str(view["blocks"][-1])
    messages = blocks.transcript_messages("Customer-1", answers, wording)
    assert all(len(message_blocks) <= blocks.MESSAGE_BLOCKS for _, message_blocks in messages)
    assert all(len(str(message_blocks)) < 20_000 for _, message_blocks in messages)
    assert sum(len(blocks_) for _, blocks_ in messages) == 2 * len(answers) + 1
    short = [answer.model_copy(update={"text": "fine"}) for answer in answers[:30]]
    assert [len(b) for _, b in blocks.transcript_messages("Customer-1", short, wording)] == [49, 12]
    summary = InterviewSummary(interview_id="i", customer="Customer-1", gist="")
    assert "_not mentioned_" in str(blocks.summary_message(summary, wording)[1])


def test_the_manifest_asks_for_what_the_app_uses() -> None:
    manifest = yaml.safe_load((ROOT / "deploy" / "slack-manifest.yaml").read_text())
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "app_mention",
        "message.im",
    }
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND and command["should_escape"] is True
    urls = [
        command["url"],
        manifest["settings"]["event_subscriptions"]["request_url"],
        manifest["settings"]["interactivity"]["request_url"],
    ]
    assert all(url == "EARFUL_PUBLIC_URL/slack/events" for url in urls)
    assert manifest["oauth_config"]["redirect_urls"] == ["EARFUL_PUBLIC_URL/slack/oauth_redirect"]
