"""The reading-driven follow-up policy with the shipped English wording."""

from __future__ import annotations

import pytest
from fakes import read_as

from core.catalog import Catalog
from core.messages import ProbeWording
from core.probing import Probe, ProbeContext, RuleBasedFollowUp, word_count
from core.reading import Act, Facet, Reading

F = Facet


@pytest.fixture
def policy(catalog: Catalog) -> RuleBasedFollowUp:
    return RuleBasedFollowUp(catalog.messages_for)


@pytest.fixture
def wording(catalog: Catalog) -> ProbeWording:
    return catalog.messages_for("en").probes


def context(
    reading: Reading | None,
    previous: tuple[str, ...] = (),
    limit: int = 3,
    language: str = "en",
    covered: tuple[Facet, ...] = (),
    asked: tuple[str, ...] = (),
    may_ask_specific: bool = True,
) -> ProbeContext:
    return ProbeContext(
        question="What's the hardest part about getting that done?",
        section="frustration",
        answer="(the answer)",
        language=language,
        probes_asked=len(previous),
        limit=limit,
        previous_kinds=previous,
        reading=reading,
        covered=frozenset(covered) | frozenset(reading.facets if reading else ()),
        asked=asked,
        may_ask_specific=may_ask_specific,
    )


GENERAL = read_as("We always struggle with month-end close.", Act.GENERAL, F.PROBLEM, F.FREQUENCY)
HYPOTHETICAL = read_as("I would probably use it if it was cheaper.", Act.HYPOTHETICAL)
# A habitual "will" is a generality, not a hypothetical: the reader says so, the policy follows.
HABIT = read_as("I will use it for tech support brainstorming usually.", Act.GENERAL, F.WORKAROUND)
STORY = read_as(
    "Last Tuesday the flour delivery from Molinos didn't show up at 5am.", Act.STORY, F.PROBLEM, F.OCCURRENCE
)
FULL_STORY = read_as(
    "Last Tuesday the flour didn't come, I drove to the cash and carry and we lost 300 euros.",
    Act.STORY,
    F.PROBLEM,
    F.OCCURRENCE,
    F.WORKAROUND,
    F.COST,
)
MINIMAL = read_as("it's fine", Act.MINIMAL)
OPINION = read_as("Sounds like a great idea, I'd love that.", Act.OPINION)


async def test_a_generality_asks_for_one_specific_time(
    policy: RuleBasedFollowUp, wording: ProbeWording
) -> None:
    probe = await policy.propose(context(GENERAL))
    assert probe == Probe(kind="generality", text=wording.generality[0], specific=True, seeks=(F.OCCURRENCE,))


async def test_a_hypothetical_asks_for_a_real_time(policy: RuleBasedFollowUp, wording: ProbeWording) -> None:
    probe = await policy.propose(context(HYPOTHETICAL))
    assert probe is not None and probe.kind == "hypothetical" and probe.specific
    assert probe.text == wording.hypothetical[0]


async def test_habitual_will_is_read_as_a_habit_and_gets_one_specific_ask(policy: RuleBasedFollowUp) -> None:
    probe = await policy.propose(context(HABIT))
    assert probe is not None and probe.kind == "generality"


async def test_no_specific_ask_when_the_engine_forbids_one(policy: RuleBasedFollowUp) -> None:
    assert await policy.propose(context(GENERAL, may_ask_specific=False)) is None
    assert await policy.propose(context(HYPOTHETICAL, may_ask_specific=False)) is None


async def test_a_story_gets_asked_what_it_leaves_out_never_a_last_time(
    policy: RuleBasedFollowUp, wording: ProbeWording
) -> None:
    probe = await policy.propose(context(STORY))
    assert probe == Probe(kind="pain_action", text=wording.pain_action[0], seeks=(F.WORKAROUND,))
    then = await policy.propose(context(STORY, previous=("pain_action",)))
    assert then == Probe(kind="pain_cost", text=wording.pain_cost[0], seeks=(F.COST,))
    assert policy.candidates(context(STORY)) == ["pain_action", "pain_cost"]


async def test_what_the_interview_holds_is_not_asked_after_a_story(policy: RuleBasedFollowUp) -> None:
    probe = await policy.propose(context(STORY, covered=(F.WORKAROUND,)))
    assert probe is not None and probe.kind == "pain_cost"
    assert await policy.propose(context(FULL_STORY)) is None


async def test_a_story_that_is_no_problem_gets_no_pain_probe(policy: RuleBasedFollowUp) -> None:
    day = read_as("Yesterday I shot a promo video for a bakery.", Act.STORY, F.ROLE, F.OCCURRENCE)
    assert await policy.propose(context(day)) is None


async def test_a_minimal_answer_gets_one_say_more_then_nothing(
    policy: RuleBasedFollowUp, wording: ProbeWording
) -> None:
    probe = await policy.propose(context(MINIMAL))
    assert probe == Probe(kind="short", text=wording.short[0])
    yes = read_as("yes", Act.MINIMAL)
    assert await policy.propose(context(yes, previous=("short",))) is None


async def test_an_opinion_asks_for_the_facts_behind_it(
    policy: RuleBasedFollowUp, wording: ProbeWording
) -> None:
    probe = await policy.propose(context(OPINION))
    assert probe == Probe(kind="facts", text=wording.facts[0])


@pytest.mark.parametrize("act", [Act.QUESTION, Act.OFF_TOPIC, Act.DECLINE])
async def test_asides_get_no_probe_from_the_policy(policy: RuleBasedFollowUp, act: Act) -> None:
    assert await policy.propose(context(read_as("Who are you?", act))) is None


async def test_no_reading_no_probe(policy: RuleBasedFollowUp) -> None:
    assert await policy.propose(context(None)) is None


async def test_a_text_asked_before_in_the_interview_is_never_asked_again(
    policy: RuleBasedFollowUp, wording: ProbeWording
) -> None:
    probe = await policy.propose(context(MINIMAL, asked=(wording.short[0],)))
    assert probe is not None and probe.text == wording.short[1]
    assert await policy.propose(context(MINIMAL, asked=wording.short)) is None


@pytest.mark.parametrize("asked,limit", [(0, 0), (1, 1), (2, 2), (3, 2)])
async def test_no_probe_once_the_limit_is_reached(policy: RuleBasedFollowUp, asked: int, limit: int) -> None:
    previous = ("facts", "generality", "pain_cost")[:asked]
    assert await policy.propose(context(MINIMAL, previous=previous, limit=limit)) is None


async def test_spanish_wording_for_a_spanish_interview(policy: RuleBasedFollowUp, catalog: Catalog) -> None:
    general = read_as("Siempre llegan tarde los pedidos.", Act.GENERAL, F.PROBLEM, language="es")
    probe = await policy.propose(context(general, language="es"))
    assert probe is not None and probe.text == catalog.messages_for("es").probes.generality[0]


async def test_an_unknown_language_falls_back_to_english(
    policy: RuleBasedFollowUp, wording: ProbeWording
) -> None:
    probe = await policy.propose(context(MINIMAL, language="xx-YY"))
    assert probe is not None and probe.text == wording.short[0]


@pytest.mark.parametrize(
    "text,count",
    [("Fine.", 1), ("😅🙃", 0), ("", 0), ("month-end close", 3), ("Ça coûte cher", 3)],
)
def test_word_count_ignores_emoji_and_punctuation(text: str, count: int) -> None:
    assert word_count(text) == count


def test_every_specific_wording_is_recognised_as_a_specific_time_ask(catalog: Catalog) -> None:
    for language in ("en", "es", "fr"):
        messages = catalog.messages_for(language)
        for text in (*messages.probes.generality, *messages.probes.hypothetical):
            assert messages.asks_specific_time(text), (language, text)
        for text in (*messages.probes.pain_action, *messages.probes.pain_cost, *messages.probes.short):
            assert not messages.asks_specific_time(text), (language, text)
