"""The real Bolt app in HTTP mode, through Earful's HTTP server, with signed requests."""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from slack_harness import TEAM_A, TEAM_B, SlackHarness, running_slack

from core.models import Answer, AnswerRecord, Consent, Start, pseudonym
from core.service import Inbound


@pytest.fixture
async def slack(tmp_path: Path, isolated_env: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        yield harness


async def test_url_verification_echoes_the_challenge(slack: SlackHarness) -> None:
    body = json.dumps({"token": "legacy", "challenge": "c-123", "type": "url_verification"})
    response = await slack.post(body, "application/json")
    assert response.status_code == 200
    assert response.json() == {"challenge": "c-123"}


async def test_a_bad_signature_and_a_stale_timestamp_are_rejected(slack: SlackHarness) -> None:
    bad = await slack.command("help", secret="not-the-secret")
    stale = await slack.command("help", timestamp=int(time.time()) - 10 * 60)
    assert (bad.status_code, stale.status_code) == (401, 401)
    assert slack.emulator.of("respond") == []


async def test_help_is_acknowledged_then_answered_ephemerally(slack: SlackHarness) -> None:
    response = await slack.command("help")
    assert response.status_code == 200
    [call] = [
        c
        for c in await slack.emulator.wait_for(lambda calls: any(c.method == "respond" for c in calls))
        if c.method == "respond"
    ]
    assert call.params["response_type"] == "ephemeral"
    assert "/earful invite" in call.params["text"]


def _answer(team: str, interview: str, turn: int, text: str, section: str = "frustration") -> AnswerRecord:
    customer = f"cust-{interview}"
    return AnswerRecord(
        id=f"{interview}-{turn:04d}",
        interview_id=interview,
        team=team,
        customer=customer,
        pseudonym=pseudonym(team, "import", customer),
        channel="import",
        question_id=f"q{turn}",
        question="What is the hardest part of closing the books each month?",
        section=section,
        text=text,
        turn=turn,
        created_at=datetime(2026, 3, turn, tzinfo=UTC),
    )


async def _seed(slack: SlackHarness) -> None:
    await slack.app.sessions.add_answers(
        [
            _answer(TEAM_A, "a1", 1, "Reconciling invoices by hand takes me two days every month"),
            _answer(
                TEAM_A,
                "a1",
                2,
                "I export invoices to a spreadsheet and match them line by line",
                "workaround",
            ),
            _answer(TEAM_A, "a2", 1, "Our invoices arrive as PDFs and nobody can search them <!channel>"),
            _answer(TEAM_B, "b1", 1, "Invoices from suppliers are always late and reconciling them hurts"),
        ]
    )
    await slack.app.indexer.drain()


def _texts(blocks: list[dict[str, Any]]) -> str:
    """Every string inside ``blocks`` (to look for words wherever Slack would show them)."""
    return json.dumps(blocks, ensure_ascii=False)


def _literal_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        element["text"]
        for block in blocks
        if block["type"] == "rich_text"
        for quote in block["elements"]
        for element in quote["elements"]
    ]


def _mrkdwn_fields(blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in blocks:
        if block["type"] == "section":
            found.append(block["text"]["text"])
        if block["type"] == "context":
            found += [element["text"] for element in block["elements"]]
    return found


async def test_story_search_stays_in_the_workspace_and_opens_the_whole_interview(slack: SlackHarness) -> None:
    await _seed(slack)
    assert (await slack.command("stories reconciling invoices")).status_code == 200
    [reply] = [
        c
        for c in await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("respond")))
        if c.method == "respond"
    ]
    quotes = _literal_texts(reply.params["blocks"])
    # One story per customer, both from workspace A; B's customer never shows up.
    assert len(quotes) == 2 and not any("suppliers" in quote for quote in quotes)
    assert any("two days" in quote for quote in quotes)
    shown = _texts(reply.params["blocks"])
    assert pseudonym(TEAM_A, "import", "cust-a1") in shown and "2026-03-01" in shown
    assert "closing the books" in shown
    buttons = [
        element
        for block in reply.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert {button["value"] for button in buttons} == {"a1", "a2"}
    assert all(button["text"]["text"] == "Whole interview" for button in buttons)
    # The escaped fallback and mrkdwn never carry a live mention.
    assert "<!channel>" not in reply.params["text"] and all(
        "<!" not in f for f in _mrkdwn_fields(reply.params["blocks"])
    )

    await slack.action("earful_transcript", "a1")
    [opened] = [
        c
        for c in await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("views.open")))
        if c.method == "views.open"
    ]
    view = opened.params["view"]
    assert view["type"] == "modal" and opened.params["trigger_id"].startswith("trigger-")
    assert _literal_texts(view["blocks"]) == [
        "Reconciling invoices by hand takes me two days every month",
        "I export invoices to a spreadsheet and match them line by line",
    ]

    # Workspace A asking for B's interview (an id it should never have seen) is refused.
    await slack.action("earful_transcript", "b1")
    await slack.emulator.wait_for(lambda cs: len(slack.emulator.of("views.open")) == 2)
    refused = slack.emulator.of("views.open")[1].params["view"]
    assert "another workspace" in _texts(refused["blocks"]) and "suppliers" not in _texts(refused["blocks"])


async def test_workspace_b_sees_only_its_own_stories_and_filters_apply(slack: SlackHarness) -> None:
    await _seed(slack)
    await slack.command("stories reconciling invoices", team=TEAM_B)
    await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("respond")))
    [quote] = _literal_texts(slack.emulator.of("respond")[0].params["blocks"])
    assert "suppliers" in quote
    await slack.command("stories spreadsheet invoices section:workaround since:2026-03-02")
    await slack.emulator.wait_for(lambda cs: len(slack.emulator.of("respond")) == 2)
    assert _literal_texts(slack.emulator.of("respond")[1].params["blocks"]) == [
        "I export invoices to a spreadsheet and match them line by line"
    ]


async def test_an_empty_search_says_so_and_a_bad_filter_is_explained(slack: SlackHarness) -> None:
    await slack.command("stories onboarding took too long")
    await slack.command("stories invoices since:yesterday-ish")
    await slack.emulator.wait_for(lambda cs: len(slack.emulator.of("respond")) == 2)
    texts = sorted(call.params["text"] for call in slack.emulator.of("respond"))
    assert any("No stories like" in text and "broader wording" in text for text in texts)
    assert any("since:yesterday-ish" in text and "30d" in text for text in texts)


async def test_a_retried_event_is_processed_once(slack: SlackHarness) -> None:
    await _seed(slack)
    mention = {
        "type": "app_mention",
        "user": "UFOUNDER",
        "text": "<@UBOT> stories like invoices by hand",
        "ts": "1700000001.000100",
        "channel": "CTEAM",
    }
    first = await slack.event(mention, event_id="Ev0RETRY")
    await slack.emulator.wait_for(lambda cs: len(slack.emulator.of("chat.postMessage")) == 1)
    again = await slack.event(mention, event_id="Ev0RETRY", retry=1)
    assert (first.status_code, again.status_code) == (200, 200)
    # A later, different event is answered; by then the retry would have been too.
    later = {**mention, "ts": "1700000002.000100", "text": "<@UBOT> stories like PDFs"}
    await slack.event(later, event_id="Ev0LATER")
    await slack.emulator.wait_for(lambda cs: len(slack.emulator.of("chat.postMessage")) >= 2)
    await slack.app.service.wait_background()
    posts = slack.emulator.of("chat.postMessage")
    assert [post.params["thread_ts"] for post in posts] == ["1700000001.000100", "1700000002.000100"]
    assert "two days" in _texts(posts[0].params["blocks"])


def _posts_to(slack: SlackHarness, channel: str) -> list[dict[str, Any]]:
    return [call.params for call in slack.emulator.of("chat.postMessage", channel=channel)]


async def test_a_dm_interview_runs_to_completion_and_posts_a_neutralised_summary(slack: SlackHarness) -> None:
    await slack.command("interview <@U777|ann>")
    await slack.emulator.wait_for(
        lambda cs: len(_posts_to(slack, "DU777")) == 2 and bool(slack.emulator.of("respond"))
    )
    assert "<@U777>" in slack.emulator.of("respond")[0].params["text"]
    consent = _posts_to(slack, "DU777")[1]
    [buttons] = [block for block in consent["blocks"] if block["type"] == "actions"]
    assert [b["value"] for b in buttons["elements"]] == ["consent:yes", "consent:no"]

    await slack.action(buttons["elements"][0]["action_id"], "consent:yes", user="U777", channel="DU777")
    finished = "Thank you so much"
    for turn in range(1, 41):  # bounded: 11 questions plus any probes
        seen = len(_posts_to(slack, "DU777"))
        await slack.emulator.wait_for(lambda cs, n=seen: len(_posts_to(slack, "DU777")) >= n)
        if finished in _posts_to(slack, "DU777")[-1]["text"]:
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
        await slack.emulator.wait_for(lambda cs, n=seen: len(_posts_to(slack, "DU777")) > n)
    assert finished in _posts_to(slack, "DU777")[-1]["text"]

    await slack.emulator.wait_for(lambda cs: len(_posts_to(slack, "CTEAM")) >= 2)
    await slack.app.service.wait_background()
    summary, *thread = _posts_to(slack, "CTEAM")
    state = await slack.app.sessions.latest_for("slack", "U777")
    assert state is not None and state.team == TEAM_A and state.status.value == "finished"
    assert state.pseudonym in summary["text"]
    assert "What frustrates them" in _texts(summary["blocks"])
    assert all(message["thread_ts"] for message in thread) and summary.get("thread_ts") is None
    transcript = [quote for message in thread for quote in _literal_texts(message["blocks"])]
    assert any(quote.startswith("<!channel> <@U999>") for quote in transcript)  # kept verbatim, as data
    for message in (summary, *thread):
        # Nowhere Slack parses mrkdwn (fallback text, sections, contexts) is a mention left live.
        parsed = [message["text"], *_mrkdwn_fields(message["blocks"])]
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
    summary, *thread = _posts_to(slack, "CINVITES")
    assert outcome.state is not None and outcome.state.pseudonym in summary["text"]
    assert "chasing invoices" in _texts(summary["blocks"]) and thread


async def test_an_invite_without_the_telegram_username_says_how_to_set_it(
    tmp_path: Path, isolated_env: Path
) -> None:
    async with running_slack(tmp_path, telegram_bot_username=None) as slack:
        await slack.command("invite")
        await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("respond")))
        assert "EARFUL_TELEGRAM_BOT_USERNAME" in slack.emulator.of("respond")[0].params["text"]


async def test_app_home_shows_counts_latest_interviews_and_frustration_words(slack: SlackHarness) -> None:
    await _seed(slack)
    await slack.command("interview <@U555>")
    await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("respond")))
    await slack.event({"type": "app_home_opened", "user": "UFOUNDER", "channel": "DHOME", "tab": "home"})
    [published] = [
        c
        for c in await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("views.publish")))
        if c.method == "views.publish"
    ]
    assert published.params["user_id"] == "UFOUNDER"
    shown = _texts(published.params["view"]["blocks"])
    assert "*Open:* 1" in shown and "*Finished:* 0" in shown and "*Paused:* 0" in shown
    assert "invoices (2)" in shown  # both workspace-A frustration answers say it (the third is a workaround)
    assert "suppliers" not in shown


async def test_a_mention_without_a_request_gets_help_and_429s_are_waited_out(slack: SlackHarness) -> None:
    slack.emulator.rate_limit_next["chat.postMessage"] = 1
    await slack.event(
        {"type": "app_mention", "user": "UFOUNDER", "text": "<@UBOT> hello", "ts": "1.2", "channel": "CTEAM"}
    )
    await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("chat.postMessage")), timeout=15)
    assert [c.method for c in slack.emulator.calls if c.method.startswith("chat.")] == [
        "chat.postMessage:429",
        "chat.postMessage",
    ]
    assert "stories like" in slack.emulator.of("chat.postMessage")[0].params["text"]


async def _dm(slack: SlackHarness, user: str, text: str) -> None:
    seen = len(_posts_to(slack, f"D{user}"))
    await slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{user}",
            "user": user,
            "text": text,
            "ts": f"1700000200.{seen:06d}",
        }
    )
    await slack.emulator.wait_for(lambda cs: len(_posts_to(slack, f"D{user}")) > seen)


async def test_interviewees_can_pause_resume_and_erase_everything_from_the_dm(slack: SlackHarness) -> None:
    await slack.command("interview <@U321>")
    await slack.emulator.wait_for(lambda cs: len(_posts_to(slack, "DU321")) == 2)
    await slack.action("earful_choice_0", "consent:yes", user="U321", channel="DU321")
    await slack.emulator.wait_for(lambda cs: len(_posts_to(slack, "DU321")) == 3)
    await _dm(slack, "U321", "I run the finance team at a small logistics company")
    await _dm(slack, "U321", "help")
    assert "`pause`" in _posts_to(slack, "DU321")[-1]["text"]
    await _dm(slack, "U321", "Pause")
    assert "Paused" in _posts_to(slack, "DU321")[-1]["text"]
    state = await slack.app.sessions.latest_for("slack", "U321")
    assert state is not None and state.status.value == "paused"
    await _dm(slack, "U321", "forget")
    confirm = _posts_to(slack, "DU321")[-1]
    [buttons] = [block for block in confirm["blocks"] if block["type"] == "actions"]
    assert [b["value"] for b in buttons["elements"]] == ["forget:yes", "forget:no"]
    seen = len(_posts_to(slack, "DU321"))
    await slack.action("earful_choice_0", "forget:yes", user="U321", channel="DU321")
    await slack.emulator.wait_for(lambda cs: len(_posts_to(slack, "DU321")) > seen)
    assert "erased" in _posts_to(slack, "DU321")[-1]["text"]
    assert await slack.app.sessions.answers(customer="U321") == []


async def test_a_dm_to_the_bot_searches_stories_of_its_workspace(slack: SlackHarness) -> None:
    await _seed(slack)
    await _dm(slack, "UFOUNDER", "stories like invoices as PDFs")
    found = _posts_to(slack, "DUFOUNDER")[-1]
    assert any("PDFs" in quote for quote in _literal_texts(found["blocks"]))
    await _dm(slack, "UFOUNDER", "hello?")
    assert "stories like" in _posts_to(slack, "DUFOUNDER")[-1]["text"]
