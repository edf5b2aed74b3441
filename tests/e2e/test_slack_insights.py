"""Insights in Slack: quality figures and a "Make persona" button on the completion message,
personas kept to their workspace and escaped, and themes on the App Home tab. The real Bolt
app, signed requests, the Web API emulator on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from slack_harness import (
    TEAM_A,
    TEAM_B,
    SlackHarness,
    all_text,
    answer_record,
    literal_texts,
    mrkdwn_fields,
    posts_to,
    running_slack,
)

from adapters.slack.insight_blocks import PERSONA_ACTION
from core.models import Answer, AnswerRecord, Consent, InterviewState, Start
from core.service import Inbound
from core.summary import InterviewSummary, Quote, summarize

LOUD = "Last Tuesday <@U999> broke the invoice export and I lost three hours fixing it by hand <!channel>"


@pytest.fixture
async def slack(tmp_path: Path, isolated_env: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        yield harness


async def finish_interview(slack: SlackHarness, customer: str, channel: str) -> str:
    """A customer interview reported to ``channel`` of workspace A, driven through the core as
    the Telegram channel would; returns its id once the summary is posted."""
    service = slack.app.service
    origin = {"slack_team": TEAM_A, "slack_channel": channel}
    outcome = await service.handle(
        Inbound(channel="telegram", customer=customer, event=Start(), team=TEAM_A, origin=origin)
    )
    outcome = await service.handle(Inbound(channel="telegram", customer=customer, event=Consent(given=True)))
    for turn in range(40):  # bounded: the script's questions plus probes
        if outcome.finished:
            break
        text = LOUD if turn % 2 == 0 else f"I run finance at a small firm; I used a spreadsheet, turn {turn}"
        outcome = await service.handle(
            Inbound(channel="telegram", customer=customer, event=Answer(text=text))
        )
    assert outcome.finished and outcome.state is not None
    await service.wait_background()
    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, channel)) >= 2)
    return outcome.state.interview_id


def persona_button(message: dict[str, Any]) -> dict[str, Any]:
    [button] = [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == PERSONA_ACTION
    ]
    return button


def live_mentions(message: dict[str, Any]) -> list[str]:
    """Fields Slack parses (fallback text, sections, contexts) that still hold a live mention."""
    fields = [message["text"], *mrkdwn_fields(message["blocks"])]
    return [f for f in fields if "<!" in f or "<@U999>" in f]


async def test_the_completion_message_shows_quality_and_makes_an_escaped_persona(slack: SlackHarness) -> None:
    interview = await finish_interview(slack, "5151", "CINS")
    summary, *thread = posts_to(slack, "CINS")
    text = all_text(summary["blocks"])
    # The quality score with its parts (issue 16), quotes chosen from the evidence.
    assert "How the interview went: quality" in text and "Their story, in their words" in text
    assert "Answers that are stories" in text and "Evidence covered" in text
    button = persona_button(summary)
    assert button["value"] == interview and button["text"]["text"] == "Make persona"

    summary_ts = thread[0]["thread_ts"]
    before = len(posts_to(slack, "CINS"))
    await slack.action(PERSONA_ACTION, interview, channel="CINS", message_ts=summary_ts)
    await slack.emulator.wait_for(lambda cs: len(posts_to(slack, "CINS")) > before)
    persona = posts_to(slack, "CINS")[-1]
    assert persona["thread_ts"] == summary_ts  # in the thread of that summary
    state = await slack.app.sessions.get(interview)
    assert state is not None and f"Persona of {state.pseudonym}" in persona["text"]
    assert "Frustrations" in all_text(persona["blocks"]) and "Words they use" in all_text(persona["blocks"])
    assert LOUD in literal_texts(persona["blocks"])  # the customer's words, verbatim, as data
    assert not live_mentions(persona) and not live_mentions(summary)


async def test_another_workspace_cannot_get_the_persona(tmp_path: Path, isolated_env: Path) -> None:
    async with running_slack(tmp_path, two_workspaces=True) as slack:
        await _another_workspace_cannot_get_the_persona(slack)


async def _another_workspace_cannot_get_the_persona(slack: SlackHarness) -> None:
    interview = await finish_interview(slack, "5252", "CINS")
    await slack.action(
        PERSONA_ACTION, interview, team=TEAM_B, channel="COTHER", message_ts="1700000000.000001"
    )
    await slack.emulator.wait_for(lambda cs: bool(posts_to(slack, "COTHER")))
    [refusal] = posts_to(slack, "COTHER")
    assert "another workspace" in refusal["text"]
    assert "invoice" not in all_text(refusal["blocks"]) and not literal_texts(refusal["blocks"])
    # From a modal too (its persona is pushed as a view): refused the same way.
    await slack.action(PERSONA_ACTION, interview, team=TEAM_B, view={"id": "V9", "type": "modal"})
    await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("views.push")))
    pushed = slack.emulator.of("views.push")[0].params["view"]
    assert "another workspace" in all_text(pushed["blocks"]) and "invoice" not in all_text(pushed["blocks"])


async def test_the_whole_interview_modal_offers_a_persona_of_an_imported_interview(
    slack: SlackHarness,
) -> None:
    await slack.app.sessions.add_answers(
        [
            answer_record(TEAM_A, "imp1", 1, "Reconciling invoices by hand takes <@U999> two days"),
            answer_record(TEAM_A, "imp1", 2, "I match invoices in a spreadsheet line by line", "workaround"),
        ]
    )
    await slack.action("earful_transcript", "imp1")
    await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("views.open")))
    modal = slack.emulator.of("views.open")[0].params["view"]
    assert persona_button(modal)["value"] == "imp1"
    await slack.action(PERSONA_ACTION, "imp1", view={"id": "V1", **modal})
    await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("views.push")))
    pushed = slack.emulator.of("views.push")[0].params["view"]
    assert pushed["title"]["text"] == "Persona"
    assert "Reconciling invoices by hand takes <@U999> two days" in literal_texts(pushed["blocks"])
    assert not any("<@U999>" in field for field in mrkdwn_fields(pushed["blocks"]))


class QuotingSummariser:
    """A :class:`core.summary.Summariser` standing in for the LLM one: extractive, but with
    only the last answer as the frustration (so its use shows in the posted message)."""

    def __init__(self) -> None:
        self.calls = 0

    async def summarize(
        self, state: InterviewState, answers: Sequence[AnswerRecord], limit: int = 3
    ) -> InterviewSummary:
        self.calls += 1
        last = max(answers, key=lambda a: a.turn)
        chosen = Quote(text=last.text, question_id=last.question_id, answer_id=last.id)
        return summarize(state, answers, limit).model_copy(
            update={"frustrations": (chosen,), "source": "llm"}
        )


async def test_a_configured_summariser_writes_the_completion_summary(
    tmp_path: Path, isolated_env: Path
) -> None:
    summariser = QuotingSummariser()
    async with running_slack(tmp_path, summariser=summariser) as slack:
        interview = await finish_interview(slack, "5353", "CLLM")
        summary = posts_to(slack, "CLLM")[0]
        answers = await slack.app.sessions.answers(interview_id=interview)
    last = max(answers, key=lambda a: a.turn)
    assert summariser.calls == 1 and last.section == "wrapup"  # never an extractive frustration
    assert literal_texts(summary["blocks"])[0] == last.text
    assert "How the interview went" in all_text(summary["blocks"])


# Themes are built from what customers tell as a problem (issue 16): each line says it is one.
TOPICS = {
    "invoices": "Reconciling supplier invoices against payments by hand wastes my whole month end",
    "onboarding": "Onboarding new warehouse staff on the scanner software takes weeks of training",
    "shipping": "Our parcels leave the depot late and couriers lose our tracking numbers for deliveries",
}


def topic_story(team: str, topic: str, customer: int) -> AnswerRecord:
    text = f"{TOPICS[topic]}, and it is a real pain (customer {customer})."
    return answer_record(team, f"{topic}-{customer}", 1, text)


async def open_home(slack: SlackHarness, user: str = "UFOUNDER") -> None:
    await slack.event({"type": "app_home_opened", "user": user, "channel": "DHOME", "tab": "home"})


def publishes(slack: SlackHarness) -> list[dict[str, Any]]:
    return [call.params["view"] for call in slack.emulator.of("views.publish")]


async def test_app_home_shows_themes_once_enough_interviews_told_frustrations(slack: SlackHarness) -> None:
    await slack.app.sessions.add_answers([topic_story(TEAM_A, "invoices", n) for n in (1, 2)])
    await open_home(slack)
    await slack.emulator.wait_for(lambda cs: len(publishes(slack)) == 1)
    assert "Themes appear after 5 interviews" in all_text(publishes(slack)[0]["blocks"])

    stories = [topic_story(TEAM_A, topic, n) for topic in TOPICS for n in range(3, 12)]
    stories.append(topic_story(TEAM_B, "shipping", 99))  # another workspace: never in A's themes
    await slack.app.sessions.add_answers(stories)
    await open_home(slack)
    # Published at once (themes being grouped), then again when they are ready.
    await slack.emulator.wait_for(lambda cs: len(publishes(slack)) == 3, timeout=60)
    first, ready = publishes(slack)[1:]
    assert "Grouping this workspace's stories" in all_text(first["blocks"])
    text = all_text(ready["blocks"])
    assert "Themes: what most customers told us" in text and "Grouping" not in text
    for word in ("invoices", "onboarding", "parcels"):
        assert word in text.casefold()
    assert "customers: 9" in text or "customers: 11" in text
    assert "(customer 99)" not in text
    quotes = literal_texts(ready["blocks"])
    assert any(q.startswith(TOPICS["shipping"]) for q in quotes)

    # Nothing new: the next open serves the cached themes and starts no computation.
    await open_home(slack)
    await slack.emulator.wait_for(lambda cs: len(publishes(slack)) == 4)
    assert "Grouping" not in all_text(publishes(slack)[3]["blocks"])
    themes = slack.channel.desk.themes
    assert themes is not None and not themes.computing(TEAM_A)
