"""Summaries, quality figures, one-customer personas and themes, in the pure core."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from insight_data import ALICE, answers_for, reading, state_for

from adapters.theme_words import ClassTfidf
from core.errors import NotFound
from core.persona import build_persona
from core.quality import assess
from core.summary import quotes_are_verbatim, summarize
from core.themes import find_themes


def _in_transcript(text: str, answers: Sequence[object]) -> bool:
    return any(text in a.text for a in answers)  # type: ignore[attr-defined]


def test_summary_quotes_frustrations_workaround_and_cost_verbatim() -> None:
    answers = answers_for("alice", ALICE)
    summary = summarize(state_for("alice"), answers)
    assert summary.frustrations and all(_in_transcript(q.text, answers) for q in summary.frustrations)
    assert "spent three hours retyping forty invoices" in summary.frustrations[0].text
    assert summary.workaround is not None and "spreadsheet" in summary.workaround.text
    # Costs come from any answer: the retyping story's three hours and the impact answer's fee.
    assert any("6 hours a week" in q.text for q in summary.costs)
    assert any("three hours" in q.text for q in summary.costs)
    assert summary.gist and len(summary.gist) <= 160
    assert quotes_are_verbatim(summary, answers)
    assert summary.quality is not None and summary.quality.answers == len(ALICE)


def test_a_changed_quote_fails_the_verbatim_check() -> None:
    answers = answers_for("alice", ALICE)
    summary = summarize(state_for("alice"), answers)
    forged = summary.model_copy(update={"frustrations": (summary.frustrations[0].model_copy(
        update={"text": "The portal is fine, I love it."}),)})  # fmt: skip
    assert not quotes_are_verbatim(forged, answers)


def test_quality_figures() -> None:
    answers = answers_for("alice", ALICE)
    quality = assess(state_for("alice", probes=2), answers)
    assert 0.6 < quality.customer_word_share < 0.9
    assert quality.pitch_asked and quality.pitch_before_problem is False
    assert quality.probes_answered == 1 and quality.probes_asked == 2
    assert quality.story_answers == 2
    assert 0 < quality.score <= 100
    # A pitch before any problem was heard is reported (and costs the pitch part).
    early = [ALICE[0], ALICE[-1], *ALICE[1:-1]]
    before = assess(state_for("alice"), answers_for("alice", early))
    assert before.pitch_before_problem is True and before.part("pitch").points == -10  # type: ignore[union-attr]
    assert assess(None, answers_for("alice", ALICE[:3])).pitch_before_problem is None


def test_persona_is_drawn_from_one_interview_only() -> None:
    alice = answers_for("alice", ALICE)
    bob_rows = [(s, q, qt, p, "Bob's secret: our freezer broke and we lost all the croissants.")
                for s, q, qt, p, _ in ALICE]  # fmt: skip
    bob = answers_for("bob", bob_rows, interview_id="iv-bob")
    persona = build_persona(state_for("alice"), [*alice, *bob])
    text = persona.markdown()
    assert "operations lead" in text and "supplier invoices" in text
    assert "spreadsheet" in text and "three hours" in text
    assert "croissants" not in text and "freezer" not in text
    assert "invoices" in " ".join(persona.their_words)
    assert persona.customer == alice[0].pseudonym
    with pytest.raises(NotFound):
        build_persona(state_for("carol", interview_id="iv-carol"), alice)


class FirstWordClusterer:
    """Groups vectors by their largest coordinate (a fake with real behaviour)."""

    def cluster(self, vectors: Sequence[Sequence[float]]) -> list[int]:
        return [max(range(len(v)), key=lambda i: v[i]) for v in vectors]

    def central_first(self, vectors: Sequence[Sequence[float]]) -> list[int]:
        centre = [sum(column) for column in zip(*vectors, strict=True)]
        return sorted(
            range(len(vectors)), key=lambda i: -sum(a * b for a, b in zip(vectors[i], centre, strict=True))
        )


def test_themes_rank_by_distinct_customers_with_two_quotes_from_different_people() -> None:
    rows = []
    for n, who in enumerate(["ann", "ben", "cat"]):
        rows.append((who, f"Supplier invoices never match the deliveries, invoices again ({n}).", [1.0, 0.0]))
    rows += [
        ("dan", f"Card payment terminal froze at lunch rush, terminal again {n}.", [0.0, 1.0])
        for n in range(4)
    ]
    answers = [
        a
        for who, text, _ in rows
        for a in answers_for(who, [("frustration", "hardest", "Q", None, text)], interview_id=f"iv-{who}")
    ]
    answers = [a.model_copy(update={"id": f"s{i}"}) for i, a in enumerate(answers)]
    themes = find_themes(answers, [v for _, _, v in rows], FirstWordClusterer(), ClassTfidf())
    assert [t.customers for t in themes] == [3, 1]  # four stories of one customer rank below three people
    assert themes[1].stories == 4
    assert "invoices" in themes[0].label
    assert len(themes[0].quotes) == 2 and len({q.customer for q in themes[0].quotes}) == 2
    assert len(themes[1].quotes) == 1
    assert (
        find_themes(answers, [v for _, _, v in rows], FirstWordClusterer(), ClassTfidf(), min_customers=2)
        == themes[:1]
    )
    with pytest.raises(ValueError):
        find_themes(answers, [], FirstWordClusterer(), ClassTfidf())


def test_long_emoji_and_unpunctuated_answers_still_give_verbatim_quotes() -> None:
    rows = [
        ("frustration", "hardest", "Q", None, "😡😡😡"),
        ("frustration", "hardest", "Q", "short", "the export " * 400),
        ("impact", "cost", "Q", None, "no idea"),
    ]
    long = rows[1][4]
    readings = {
        "😡😡😡": reading("minimal"),
        long: reading("general", problem=long),
        "no idea": reading("minimal"),
    }
    answers = answers_for("zed", rows, readings=readings)
    summary = summarize(state_for("zed"), answers)
    assert summary.frustrations and all(len(q.text) <= 280 for q in summary.frustrations)
    assert quotes_are_verbatim(summary, answers)
    assert len(summary.gist) <= 160
    persona = build_persona(state_for("zed"), answers)
    assert persona.sections()[0] == ("Role and context", [])
    assert "(not mentioned)" in persona.markdown()


def test_theme_labels_are_distinct_words_and_unique() -> None:
    texts = [
        ("ann", "Card cards card arrived late, delivery slow", [1.0, 0.0, 0.0]),
        ("ben", "Card cards arrived late again, delivery slow", [1.0, 0.0, 0.0]),
        ("cat", "Card cards arrived late, courier lost it, courier", [0.0, 1.0, 0.0]),
        ("dan", "Card cards arrived late, courier broken, courier", [0.0, 1.0, 0.0]),
    ]
    answers = [
        a.model_copy(update={"id": f"s{i}"})
        for i, (who, text, _) in enumerate(texts)
        for a in answers_for(who, [("frustration", "hardest", "Q", None, text)], interview_id=f"iv-{who}")
    ]
    themes = find_themes(answers, [v for _, _, v in texts], FirstWordClusterer(), ClassTfidf())
    labels = [t.label for t in themes]
    assert len(set(labels)) == len(labels)
    assert all(not ("card" in t.keywords and "cards" in t.keywords) for t in themes)
