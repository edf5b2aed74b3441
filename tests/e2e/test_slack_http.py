"""The real Bolt app in HTTP mode, through Earful's HTTP server, with signed requests:
verification, story search across workspaces, transcripts, retries, App Home, rate limits."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_harness import (
    TEAM_A,
    TEAM_B,
    SlackHarness,
    all_text,
    literal_texts,
    mrkdwn_fields,
    pseudonym,
    running_slack,
    seed_stories,
)


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


async def test_story_search_stays_in_the_workspace_and_opens_the_whole_interview(slack: SlackHarness) -> None:
    await seed_stories(slack)
    assert (await slack.command("stories reconciling invoices")).status_code == 200
    [reply] = [
        c
        for c in await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("respond")))
        if c.method == "respond"
    ]
    quotes = literal_texts(reply.params["blocks"])
    # One story per customer, both from workspace A; B's customer never shows up.
    assert len(quotes) == 2 and not any("suppliers" in quote for quote in quotes)
    assert any("two days" in quote for quote in quotes)
    shown = all_text(reply.params["blocks"])
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
        "<!" not in f for f in mrkdwn_fields(reply.params["blocks"])
    )

    await slack.action("earful_transcript", "a1")
    [opened] = [
        c
        for c in await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("views.open")))
        if c.method == "views.open"
    ]
    view = opened.params["view"]
    assert view["type"] == "modal" and opened.params["trigger_id"].startswith("trigger-")
    assert literal_texts(view["blocks"]) == [
        "Reconciling invoices by hand takes me two days every month",
        "I export invoices to a spreadsheet and match them line by line",
    ]

    # Workspace A asking for B's interview (an id it should never have seen) is refused.
    await slack.action("earful_transcript", "b1")
    await slack.emulator.wait_for(lambda cs: len(slack.emulator.of("views.open")) == 2)
    refused = slack.emulator.of("views.open")[1].params["view"]
    assert "another workspace" in all_text(refused["blocks"]) and "suppliers" not in all_text(
        refused["blocks"]
    )


@pytest.fixture
async def two_slacks(tmp_path: Path, isolated_env: Path) -> AsyncIterator[SlackHarness]:
    """Workspaces A and B both installed (OAuth mode): one app, two teams."""
    async with running_slack(tmp_path, two_workspaces=True) as harness:
        yield harness


async def test_workspace_b_sees_only_its_own_stories_and_filters_apply(two_slacks: SlackHarness) -> None:
    slack = two_slacks
    await seed_stories(slack)
    await slack.command("stories reconciling invoices", team=TEAM_B)
    await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("respond")))
    [quote] = literal_texts(slack.emulator.of("respond")[0].params["blocks"])
    assert "suppliers" in quote
    await slack.command("stories spreadsheet invoices section:workaround since:2026-03-02")
    await slack.emulator.wait_for(lambda cs: len(slack.emulator.of("respond")) == 2)
    assert literal_texts(slack.emulator.of("respond")[1].params["blocks"]) == [
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
    await seed_stories(slack)
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
    assert "two days" in all_text(posts[0].params["blocks"])


async def test_app_home_shows_counts_latest_interviews_and_frustration_words(slack: SlackHarness) -> None:
    await seed_stories(slack)
    await slack.command("interview <@U555>")
    await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("respond")))
    await slack.event({"type": "app_home_opened", "user": "UFOUNDER", "channel": "DHOME", "tab": "home"})
    [published] = [
        c
        for c in await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("views.publish")))
        if c.method == "views.publish"
    ]
    assert published.params["user_id"] == "UFOUNDER"
    shown = all_text(published.params["view"]["blocks"])
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
