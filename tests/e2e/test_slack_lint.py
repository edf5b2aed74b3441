"""``/earful lint`` in Slack: a script shared as a file (fetched with the bot token from the
local emulator) or pasted as a snippet is answered with its findings, ephemerally."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from slack_harness import TOKEN, SlackHarness, running_slack

from adapters.slack.commands import LintRequest, parse_lint_request

pytestmark = pytest.mark.slow

SCRIPT = """\
id: shop.en
language: en
sections:
  - kind: frustration
    questions:
      - id: hardest
        text: What's the hardest part about ordering stock?
      - id: scale
        text: On a scale of 1 to 10, how painful is ordering stock?
  - kind: pitch
    questions:
      - id: pitch
        text: We're building a stock tracker. What do you think of our idea?
"""
CLEAN = SCRIPT.replace("On a scale of 1 to 10, how painful is ordering stock?", "Tell me about last week.")
CLEAN = CLEAN.replace("What do you think of our idea?", "Can I show it to you next Tuesday at 10?")


@pytest.fixture
async def slack(tmp_path: Path, isolated_env: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path) as harness:
        yield harness


async def reply_to(slack: SlackHarness, text: str) -> dict[str, Any]:
    before = len(slack.emulator.of("respond"))
    await slack.command(text)
    await slack.emulator.wait_for(lambda calls: len(slack.emulator.of("respond")) > before)
    params: dict[str, Any] = slack.emulator.of("respond")[before].params
    return params


def test_the_lint_request_is_read_from_a_link_an_id_or_a_code_block() -> None:
    link = "<https://earful-test.slack.com/files/UFOUNDER/F0ABC12345/shop.yaml>"
    assert parse_lint_request(link) == LintRequest(file_id="F0ABC12345")
    assert parse_lint_request("F0ABC12345") == LintRequest(file_id="F0ABC12345")
    assert parse_lint_request("```yaml\nid: x\n```") == LintRequest(text="id: x\n")
    assert parse_lint_request("id: x\nsections: [] # a &lt;b&gt;") == LintRequest(
        text="id: x\nsections: [] # a <b>"
    )
    assert parse_lint_request("") is None
    assert parse_lint_request("please") is None


async def test_a_shared_file_is_fetched_with_the_bot_token_and_its_findings_answered(
    slack: SlackHarness,
) -> None:
    slack.emulator.files["F0SHOP0001"] = ("shop.yaml", SCRIPT)
    reply = await reply_to(slack, "lint <https://earful-test.slack.com/files/UFOUNDER/F0SHOP0001/shop.yaml>")
    assert reply["response_type"] == "ephemeral"
    text = reply["text"]
    assert "`shop.yaml`: 2 question forms would teach you nothing" in text
    assert "`scale` is *rating*" in text and "`pitch` is *compliment*" in text
    assert "Try: _When did this last get in your way, and what happened?_" in text
    [download] = slack.emulator.of("files.download")
    assert download.token == TOKEN
    assert slack.emulator.of("files.info", file="F0SHOP0001")


async def test_a_clean_snippet_pasted_in_a_code_block_passes(slack: SlackHarness) -> None:
    reply = await reply_to(slack, f"lint ```{CLEAN}```")
    assert reply["response_type"] == "ephemeral"
    assert "`snippet` passes: 3 questions" in reply["text"]


async def test_a_broken_script_names_the_field_and_an_unknown_file_says_so(slack: SlackHarness) -> None:
    slack.emulator.files["F0BROKEN01"] = ("broken.yaml", "id: shop.en\nsections:\n  - kind: pitchh\n")
    broken = await reply_to(slack, "lint F0BROKEN01")
    assert "`broken.yaml` is not a valid script" in broken["text"] and "sections.0.kind" in broken["text"]
    missing = await reply_to(slack, "lint F0MISSING1")
    assert "couldn't read that file (file_not_found)" in missing["text"]
    usage = await reply_to(slack, "lint")
    assert "/earful lint" in usage["text"] and "YAML" in usage["text"]
