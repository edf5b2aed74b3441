"""Interviews run from Slack: a DM interview to its summary, Telegram invites reported back,
and what an interviewee can type in the DM. The real Bolt app, signed requests, local emulator."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_harness import (
    TEAM_A,
    SlackHarness,
    all_text,
    dm,
    literal_texts,
    mrkdwn_fields,
    posts_to,
    running_slack,
    seed_stories,
)

from core.models import Answer, Consent, Start
from core.service import Inbound


@pytest.fixture
async def slack(tmp_path: Path, isolated_env: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        yield harness


async def test_a_dm_interview_runs_to_completion_and_posts_a_neutralised_summary(slack: SlackHarness) -> None:
    await slack.command("interview <@U777|ann>")
    await slack.emulator.wait_for(
        lambda cs: len(posts_to(slack, "DU777")) == 2 and bool(slack.emulator.of("respond"))
    )
    assert "<@U777>" in slack.emulator.of("respond")[0].params["text"]
    consent = posts_to(slack, "DU777")[1]
    [buttons] = [block for block in consent["blocks"] if block["type"] == "actions"]
    assert [b["value"] for b in buttons["elements"]] == ["consent:yes", "consent:no"]

    await slack.action(buttons["elements"][0]["action_id"], "consent:yes", user="U777", channel="DU777")
    finished = "Thank you so much"
    for turn in range(1, 41):  # bounded: 11 questions plus any probes
        seen = len(posts_to(slack, "DU777"))
        # The store says "finished" before the replies are posted (one outcome may be several
        # posts, so the last post seen is not a reliable sign of the end).
        state = await slack.app.sessions.latest_for("slack", "U777")
        if state is not None and state.status.value == "finished":
            break
        text = f"Last Tuesday, turn {turn}, the export broke so I used a spreadsheet; it cost me three hours"
        if turn == 3:
            text = (
                "<!channel> <@U999> *bold* the invoice export broke so I used a spreadsheet, cost me 3 hours"
            )
        await slack.event(
            {
                "type": "message",
                "channel_type": "im",
                "channel": "DU777",
                "user": "U777",
                "text": text,
                "ts": f"1700000100.{turn:06d}",
            }
        )
        await slack.emulator.wait_for(lambda cs, n=seen: len(posts_to(slack, "DU777")) > n)
    # Replies to consecutive answers are posted by concurrent listeners, so under load the
    # closing message need not be the very last post: it must be there.
    await slack.emulator.wait_for(lambda cs: any(finished in p["text"] for p in posts_to(slack, "DU777")))

    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, "CTEAM")) >= 2)
    await slack.app.service.wait_background()
    summary, *thread = posts_to(slack, "CTEAM")
    state = await slack.app.sessions.latest_for("slack", "U777")
    assert state is not None and state.team == TEAM_A and state.status.value == "finished"
    assert state.pseudonym in summary["text"]
    assert "What frustrates them" in all_text(summary["blocks"])
    assert all(message["thread_ts"] for message in thread) and summary.get("thread_ts") is None
    transcript = [quote for message in thread for quote in literal_texts(message["blocks"])]
    assert any(quote.startswith("<!channel> <@U999>") for quote in transcript)  # kept verbatim, as data
    for message in (summary, *thread):
        # Nowhere Slack parses mrkdwn (fallback text, sections, contexts) is a mention left live.
        parsed = [message["text"], *mrkdwn_fields(message["blocks"])]
        assert not any("<!channel>" in field or "<@U999>" in field for field in parsed)


async def test_an_invite_links_to_telegram_and_reports_the_finished_interview(slack: SlackHarness) -> None:
    await slack.command("invite discovery.en Ann from Acme", channel="CINVITES")
    await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("respond")))
    reply = slack.emulator.of("respond")[0].params
    assert reply["response_type"] == "ephemeral"
    match = re.search(r"https://t\.me/earful_test_bot\?start=([\w-]+)", reply["text"])
    assert match, reply["text"]
    invite = await slack.app.invites.redeem(match.group(1), "telegram", "4242")
    assert invite.team == TEAM_A and invite.origin == {"slack_team": TEAM_A, "slack_channel": "CINVITES"}

    # The customer's side, as the Telegram channel would drive it: straight into the core.
    service = slack.app.service
    outcome = await service.handle(
        Inbound(channel="telegram", customer="4242", event=Start(), invite_token=match.group(1))
    )
    outcome = await service.handle(Inbound(channel="telegram", customer="4242", event=Consent(given=True)))
    for turn in range(40):
        if outcome.finished:
            break
        outcome = await service.handle(
            Inbound(
                channel="telegram",
                customer="4242",
                event=Answer(text=f"Turn {turn}: chasing invoices so I used a spreadsheet, it cost 2 hours"),
            )
        )
    assert outcome.finished
    await service.wait_background()
    summary, *thread = posts_to(slack, "CINVITES")
    assert outcome.state is not None and outcome.state.pseudonym in summary["text"]
    assert "chasing invoices" in all_text(summary["blocks"]) and thread


async def test_an_invite_without_the_telegram_username_says_how_to_set_it(
    tmp_path: Path, isolated_env: Path
) -> None:
    async with running_slack(tmp_path, telegram_bot_username=None) as slack:
        await slack.command("invite")
        await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("respond")))
        assert "EARFUL_TELEGRAM_BOT_USERNAME" in slack.emulator.of("respond")[0].params["text"]


async def test_interviewees_can_pause_resume_and_erase_everything_from_the_dm(slack: SlackHarness) -> None:
    await slack.command("interview <@U321>")
    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, "DU321")) == 2)
    await slack.action("earful_choice_0", "consent:yes", user="U321", channel="DU321")
    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, "DU321")) == 3)
    await dm(slack, "U321", "I run the finance team at a small logistics company")
    await dm(slack, "U321", "help")
    assert "`pause`" in posts_to(slack, "DU321")[-1]["text"]
    await dm(slack, "U321", "Pause")
    assert "Paused" in posts_to(slack, "DU321")[-1]["text"]
    state = await slack.app.sessions.latest_for("slack", "U321")
    assert state is not None and state.status.value == "paused"
    await dm(slack, "U321", "forget")
    confirm = posts_to(slack, "DU321")[-1]
    [buttons] = [block for block in confirm["blocks"] if block["type"] == "actions"]
    assert [b["value"] for b in buttons["elements"]] == ["forget:yes", "forget:no"]
    seen = len(posts_to(slack, "DU321"))
    await slack.action("earful_choice_0", "forget:yes", user="U321", channel="DU321")
    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, "DU321")) > seen)
    assert "erased" in posts_to(slack, "DU321")[-1]["text"]
    assert await slack.app.sessions.answers(customer="U321") == []


async def test_a_dm_to_the_bot_searches_stories_of_its_workspace(slack: SlackHarness) -> None:
    await seed_stories(slack)
    await dm(slack, "UFOUNDER", "stories like invoices as PDFs")
    found = posts_to(slack, "DUFOUNDER")[-1]
    assert any("PDFs" in quote for quote in literal_texts(found["blocks"]))
    await dm(slack, "UFOUNDER", "hello?")
    assert "stories like" in posts_to(slack, "DUFOUNDER")[-1]["text"]


async def test_a_referral_in_a_dm_interview_gets_thanks_and_an_invite_link(slack: SlackHarness) -> None:
    await slack.command("interview <@U778|bea>")
    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, "DU778")) == 2)
    consent = posts_to(slack, "DU778")[1]
    [buttons] = [block for block in consent["blocks"] if block["type"] == "actions"]
    await slack.action(buttons["elements"][0]["action_id"], "consent:yes", user="U778", channel="DU778")
    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, "DU778")) == 3)
    for turn, text in enumerate(
        [
            "I run the finance desk at a small logistics company.",
            "My brother-in-law runs a café, same mess. I can ask him.",
        ]
    ):
        seen = len(posts_to(slack, "DU778"))
        await slack.event(
            {
                "type": "message",
                "channel_type": "im",
                "channel": "DU778",
                "user": "U778",
                "text": text,
                "ts": f"1700000200.{turn:06d}",
            }
        )
        await slack.emulator.wait_for(lambda cs, n=seen: len(posts_to(slack, "DU778")) > n)
    await slack.emulator.wait_for(lambda cs: any("t.me/" in p["text"] for p in posts_to(slack, "DU778")))
    [thanks] = [p for p in posts_to(slack, "DU778") if "t.me/" in p["text"]]
    assert thanks["text"].startswith("Thank you, that would really help!")
    token = re.search(r"start=([\w-]+)", thanks["text"])
    assert token is not None
    invite = await slack.app.invites.redeem(token.group(1), "telegram", "4242")
    state = await slack.app.sessions.latest_for("slack", "U778")
    assert state is not None and invite.team == TEAM_A and invite.referred_by == state.interview_id
