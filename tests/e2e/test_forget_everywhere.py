"""``/forget`` erases what it promises (issue 18, finding 4): the customer's interviews in every
team, the note kept with the invite they opened ("Ana Lopez, ops"), and the summary and
transcript Earful posted about them to the team's Slack channel (deleted, or blanked where Slack
refuses to delete); the customer gets a receipt of what was erased."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_harness import TEAM_A, SlackHarness, posts_to, running_slack

from adapters.slack.wording import load_wording
from core.models import Answer, Consent, Event, Forget, Start
from core.service import Inbound, InterviewService, Outcome

CUSTOMER, OTHER_TEAM = "4242", "TOTHER"
WORDS = "chasing invoices so I used a spreadsheet, it cost 2 hours"


@pytest.fixture
async def slack(tmp_path: Path, isolated_env: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        yield harness


async def say(
    service: InterviewService, event: Event, *, team: str = TEAM_A, invite_token: str | None = None
) -> Outcome:
    inbound = Inbound(
        channel="telegram", customer=CUSTOMER, event=event, team=team, invite_token=invite_token
    )
    return await service.handle(inbound)


async def test_forget_erases_every_team_the_invite_note_and_the_slack_posts(slack: SlackHarness) -> None:
    await slack.command("invite discovery.en Ana Lopez, ops", channel="CINVITES")
    await slack.emulator.wait_for(lambda cs: bool(slack.emulator.of("respond")))
    token = re.search(r"start=([\w-]+)", slack.emulator.of("respond")[0].params["text"])
    assert token is not None
    service = slack.app.service
    outcome = await say(service, Start(), invite_token=token.group(1))
    outcome = await say(service, Consent(given=True))
    for turn in range(40):
        if outcome.finished:
            break
        outcome = await say(service, Answer(text=f"Turn {turn}: {WORDS}"))
    assert outcome.finished
    await service.wait_background()
    posted = posts_to(slack, "CINVITES")
    assert len(posted) >= 2 and WORDS in json.dumps(posted)
    summary_ts = next(ts for (channel, ts) in slack.emulator.shown if channel == "CINVITES")
    slack.emulator.no_delete.add(summary_ts)  # this one Slack will not let the bot delete

    # The same person, interviewed for another team afterwards.
    await say(service, Start(), team=OTHER_TEAM)
    await say(service, Consent(given=True), team=OTHER_TEAM)
    await say(service, Answer(text="In the other team, payroll takes me two days."), team=OTHER_TEAM)
    answers = await slack.app.sessions.answers(customer=CUSTOMER)
    assert {a.team for a in answers} == {TEAM_A, OTHER_TEAM}

    assert (await say(service, Forget())).replies[0].kind.value == "confirm_forget"
    erased = await say(service, Forget(confirmed=True))

    assert erased.erased
    assert await slack.app.sessions.answers(customer=CUSTOMER) == []
    assert await slack.app.sessions.interviews(team=OTHER_TEAM) == []
    invite = await slack.app.sessions.get_invite(token.group(1))
    assert invite is not None and invite.note == "" and invite.claimed_by == "erased"
    shown = {ts: text for (channel, ts), text in slack.emulator.shown.items() if channel == "CINVITES"}
    assert list(shown) == [summary_ts]  # the thread deleted, the summary blanked
    assert load_wording().erased_post in shown[summary_ts] and WORDS not in shown[summary_ts]
    assert len(slack.emulator.of("chat.delete")) == len(posted)
    assert [c.params["ts"] for c in slack.emulator.of("chat.update")] == [summary_ts]

    receipt = erased.replies[-1].text
    messages = slack.app.catalog.messages_for("en")
    assert erased.replies[0].text == messages.forgotten
    interviews, answered = 2, len(answers)
    assert f"in 2 teams: {interviews} interviews, {answered} answers" in receipt
    assert f"1 invite notes and {len(posted)} Slack messages" in receipt
