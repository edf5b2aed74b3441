"""Issue 18, finding 1: one customer's text cannot stall the bot. Redaction is linear in the
text a customer controls, and an answer has one length limit (core.limits) that every channel
meets: refused whole, with words that say so, keeping everything stored before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fakes import TEST_PSEUDONYMS, MemorySessionStore

from core.catalog import Catalog
from core.limits import ANSWER_CHARS
from core.models import Answer, Consent, Start
from core.probing import RuleBasedFollowUp
from core.service import Inbound, InterviewService

ROOT = Path(__file__).resolve().parents[2]

# Runs that made the earlier e-mail and phone patterns backtrack once per starting position:
# 20,000 characters took over a second each, so these 200,000 would take minutes.
ADVERSARIAL = {
    "letters": '"a" * 200_000',
    "dotted words": '"a." * 100_000',
    "after an at sign": '"x@" + "a" * 200_000',
    "dashed digits": '"1-" * 100_000',
}  # Python expressions, evaluated in the child process
TAIL = " write to jane@acme.io or call +1 415 555 0132"


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_redaction_of_long_adversarial_runs_finishes(name: str) -> None:
    # In a process of its own: the regex engine holds the GIL, so a thread could not be timed out.
    code = (
        "import sys; from core.redact import redact;"
        f" sys.stdout.write(redact({ADVERSARIAL[name]} + {TAIL!r})[-200:])"
    )
    try:
        run = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=20, check=True
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"redacting {name} did not finish in 20 s")
    assert run.stdout.endswith(" write to [email] or call [phone]")


async def test_an_answer_over_the_limit_is_refused_whole_and_what_was_stored_stays(catalog: Catalog) -> None:
    sessions = MemorySessionStore()
    service = InterviewService(
        sessions, catalog, RuleBasedFollowUp(catalog.messages_for), pseudonyms=TEST_PSEUDONYMS
    )

    async def send(event: object) -> list[str]:
        outcome = await service.handle(Inbound(channel="telegram", customer="42", event=event))  # type: ignore[arg-type]
        return [reply.text for reply in outcome.replies]

    await send(Start())
    first_question = (await send(Consent(given=True)))[-1]
    second_question = (await send(Answer(text="I run the finance desk of a small logistics firm.")))[-1]
    before = await sessions.answers(customer="42")
    state = await sessions.latest_for("telegram", "42")

    replies = await send(Answer(text="x" * (ANSWER_CHARS + 1)))

    assert replies == [catalog.messages_for("en").answer_too_long.format(limit=ANSWER_CHARS)]
    assert f"{ANSWER_CHARS} characters" in replies[0] and "before is kept" in replies[0]
    assert await sessions.answers(customer="42") == before
    assert await sessions.latest_for("telegram", "42") == state
    # The interview goes on from the same question; an answer at the limit is kept whole.
    assert second_question != first_question
    await send(Answer(text="y" * ANSWER_CHARS))
    stored = await sessions.answers(customer="42")
    assert len(stored) == len(before) + 1 and len(stored[-1].text) == ANSWER_CHARS
    assert stored[-1].question in second_question
