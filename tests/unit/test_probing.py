"""The rule-based follow-up policy with the shipped English wording and word lists."""

from __future__ import annotations

import pytest

from core.catalog import Catalog
from core.messages import ProbeWording
from core.probing import Probe, ProbeContext, RuleBasedFollowUp, word_count

HYPOTHETICAL = "I would probably use it if it was cheaper"
GENERALITY = "We always struggle with month-end close"
PAIN_ONLY = "Our invoice export broke last Tuesday and it was a nightmare."
PAIN_WITH_ACTION = "The export kept failing, so I rebuilt the report in a spreadsheet."
CONCRETE = (
    "Last Tuesday the bank export failed, so I rebuilt the report in a spreadsheet "
    "and it took me three hours."
)


@pytest.fixture
def policy(catalog: Catalog) -> RuleBasedFollowUp:
    return RuleBasedFollowUp(catalog.messages_for)


@pytest.fixture
def wording(catalog: Catalog) -> ProbeWording:
    return catalog.messages_for("en").probes


def context(
    answer: str, previous: tuple[str, ...] = (), limit: int = 3, language: str = "en"
) -> ProbeContext:
    return ProbeContext(
        question="What's the hardest part about getting that done?",
        section="frustration",
        answer=answer,
        language=language,
        probes_asked=len(previous),
        limit=limit,
        previous_kinds=previous,
    )


async def propose(policy: RuleBasedFollowUp, answer: str, **kwargs: object) -> Probe | None:
    return await policy.propose(context(answer, **kwargs))  # type: ignore[arg-type]


# --- each rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        HYPOTHETICAL,
        "Maybe we'd switch if it plugged into Xero.",
        "I'll probably look at it next quarter.",
        "If there was a button for it I guess I'd click it.",
    ],
)
async def test_future_talk_asks_for_the_last_real_time(
    policy: RuleBasedFollowUp, wording: ProbeWording, answer: str
) -> None:
    probe = await propose(policy, answer)
    assert probe == Probe(kind="hypothetical", text=wording.hypothetical[0])


@pytest.mark.parametrize(
    "answer",
    [
        GENERALITY,
        "Everyone on the team hates the approval step.",
        "Usually the numbers don't match and we redo everything.",
        "It happens all the time when a client pays in two parts.",
    ],
)
async def test_generalities_ask_for_one_specific_time(
    policy: RuleBasedFollowUp, wording: ProbeWording, answer: str
) -> None:
    probe = await propose(policy, answer)
    assert probe == Probe(kind="generality", text=wording.generality[0])


@pytest.mark.parametrize("answer", ["Fine.", "😅🙃", "Not really", "ok", "Yes, Xero."])
async def test_very_short_answers_ask_for_more(
    policy: RuleBasedFollowUp, wording: ProbeWording, answer: str
) -> None:
    probe = await propose(policy, answer)
    assert probe == Probe(kind="short", text=wording.short[0])


async def test_pain_without_action_asks_what_they_did(
    policy: RuleBasedFollowUp, wording: ProbeWording
) -> None:
    probe = await propose(policy, PAIN_ONLY)
    assert probe == Probe(kind="pain_action", text=wording.pain_action[0])
    assert policy.candidates(context(PAIN_ONLY)) == ["pain_action", "pain_cost"]


async def test_pain_with_action_but_no_cost_asks_what_it_cost(
    policy: RuleBasedFollowUp, wording: ProbeWording
) -> None:
    probe = await propose(policy, PAIN_WITH_ACTION)
    assert probe == Probe(kind="pain_cost", text=wording.pain_cost[0])


@pytest.mark.parametrize(
    "answer",
    [
        CONCRETE,
        "Last month I chased a client for a late invoice and we got paid two weeks later.",
        "In March our payroll run was stuck for two days, so I called the bank and paid $40 in fees.",
    ],
)
async def test_a_concrete_past_story_with_action_and_cost_gets_no_probe(
    policy: RuleBasedFollowUp, answer: str
) -> None:
    assert policy.candidates(context(answer)) == []
    assert await propose(policy, answer) is None


@pytest.mark.parametrize(
    "answer",
    ["We'd definitely pay for that.", "We'll switch to it next year.", "They'd love a tool like that."],
)
async def test_future_talk_in_the_plural_asks_for_the_last_real_time(
    policy: RuleBasedFollowUp, answer: str
) -> None:
    probe = await propose(policy, answer)
    assert probe is not None and probe.kind == "hypothetical"


async def test_rules_are_ordered_by_importance(policy: RuleBasedFollowUp) -> None:
    answer = "Maybe always slow"  # hypothetical, general, painful and short at once
    assert policy.candidates(context(answer)) == [
        "hypothetical",
        "generality",
        "pain_action",
        "pain_cost",
        "short",
    ]


# --- limits and repetition ----------------------------------------------------------------------


@pytest.mark.parametrize("asked,limit", [(0, 0), (1, 1), (2, 2), (3, 2)])
async def test_no_probe_once_the_limit_is_reached(policy: RuleBasedFollowUp, asked: int, limit: int) -> None:
    previous = ("short", "generality", "short")[:asked]
    assert await propose(policy, "Fine.", previous=previous, limit=limit) is None


async def test_a_probe_is_still_asked_below_the_limit(policy: RuleBasedFollowUp) -> None:
    probe = await propose(policy, HYPOTHETICAL, previous=("short",), limit=2)
    assert probe is not None and probe.kind == "hypothetical"


@pytest.mark.parametrize(
    "answer,previous,expected",
    [
        (HYPOTHETICAL, ("short", "hypothetical"), None),
        (GENERALITY, ("short", "generality"), "pain_action"),
        ("Fine.", ("short",), None),
        ("Fine.", ("generality", "short"), None),
        (PAIN_ONLY, ("short", "pain_action"), "pain_cost"),
        (PAIN_WITH_ACTION, ("short", "pain_cost"), None),
        ("Maybe always slow", ("short", "hypothetical"), "generality"),
    ],
)
async def test_never_the_same_kind_twice_in_a_row(
    policy: RuleBasedFollowUp, answer: str, previous: tuple[str, ...], expected: str | None
) -> None:
    probe = await propose(policy, answer, previous=previous, limit=5)
    assert (probe.kind if probe else None) == expected
    assert probe is None or probe.kind != previous[-1]


async def test_the_next_rule_is_used_when_the_first_repeats(policy: RuleBasedFollowUp) -> None:
    probe = await propose(policy, GENERALITY, previous=("generality",))
    assert probe is not None and probe.kind == "pain_action"


async def test_a_pain_probe_is_not_asked_again_for_the_same_question(policy: RuleBasedFollowUp) -> None:
    probe = await propose(policy, PAIN_ONLY, previous=("pain_action", "short"), limit=5)
    assert probe is not None and probe.kind == "pain_cost"
    assert await propose(policy, PAIN_ONLY, previous=("pain_action", "pain_cost"), limit=5) is None


async def test_a_kind_asked_before_uses_its_next_wording(
    policy: RuleBasedFollowUp, wording: ProbeWording
) -> None:
    probe = await propose(policy, HYPOTHETICAL, previous=("hypothetical", "short"), limit=5)
    assert probe == Probe(kind="hypothetical", text=wording.hypothetical[1])
    again = await propose(
        policy, HYPOTHETICAL, previous=("hypothetical", "short", "hypothetical", "short"), limit=5
    )
    assert again is not None and again.text == wording.hypothetical[0]  # wraps around


# --- wording comes from the messages file --------------------------------------------------------


async def test_every_probe_text_comes_from_the_messages_file(
    policy: RuleBasedFollowUp, wording: ProbeWording
) -> None:
    samples = {
        "hypothetical": HYPOTHETICAL,
        "generality": GENERALITY,
        "short": "Fine.",
        "pain_action": PAIN_ONLY,
        "pain_cost": PAIN_WITH_ACTION,
    }
    for kind, answer in samples.items():
        probe = await propose(policy, answer)
        assert probe is not None
        assert probe.kind == kind
        assert probe.text in getattr(wording, kind)


async def test_an_unknown_language_falls_back_to_english(
    policy: RuleBasedFollowUp, wording: ProbeWording
) -> None:
    probe = await propose(policy, "Fine.", language="xx-YY")
    assert probe == Probe(kind="short", text=wording.short[0])


@pytest.mark.parametrize(
    "text,count",
    [("Fine.", 1), ("😅🙃", 0), ("", 0), ("month-end close", 3), ("Ça coûte cher", 3)],
)
def test_word_count_ignores_emoji_and_punctuation(text: str, count: int) -> None:
    assert word_count(text) == count
