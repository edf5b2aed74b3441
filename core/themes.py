"""Themes: which frustration is shared by the most customers.

Similar stories are grouped by a :class:`Clusterer` and their words weighed by
:class:`WordWeights` (adapters: the maths is numpy's and scikit-learn's), and the core turns the
groups into themes a team can read: a label made of the words that set the group apart, the
number of DISTINCT customers in it (one talkative customer is still one customer), and two
representative quotes from different customers. Themes are ranked by distinct customers, then
by stories.

The clusterer chooses the number of themes itself; nothing here tells it how many to find.

Themes are made of what customers said was a problem: :func:`problem_stories` keeps, of each
answer, the sentences its reading found carrying ``problem`` (answers stored without a reading
are kept whole), and each theme counts how many of its customers told a real occurrence of it
(a story, not how it usually is or what they imagine).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from core.evidence import MAX_QUOTE, carries_evidence
from core.models import AnswerRecord
from core.reading import Act, Facet


class Clusterer(Protocol):
    """Groups unit vectors; the number of groups is the method's own choice."""

    def cluster(self, vectors: Sequence[Sequence[float]]) -> list[int]:
        """A group number for each vector, in order (numbers need not be contiguous)."""
        ...

    def central_first(self, vectors: Sequence[Sequence[float]]) -> list[int]:
        """The positions of ``vectors``, the closest to their mean direction first."""
        ...


class WordWeights(Protocol):
    """Class-based TF-IDF: how much each word sets one group of texts apart from the others."""

    def weigh(self, groups: Sequence[Sequence[str]], language: str = "en") -> list[dict[str, float]]:
        """For each group of texts, its content words (:func:`core.words.content_words`) with
        their weights: frequent in the group, rare in the others. A word only one text of a
        group of three or more uses is no mark of that group, and is left out."""
        ...


class ThemeQuote(BaseModel):
    """A representative quote of a theme."""

    model_config = ConfigDict(frozen=True)

    text: str
    customer: str  # pseudonym
    interview_id: str
    answer_id: str


class Theme(BaseModel):
    """A group of similar stories."""

    model_config = ConfigDict(frozen=True)

    label: str
    customers: int  # distinct customers
    stories: int
    occurrence_customers: int = 0  # distinct customers who told a real time it happened
    quotes: tuple[ThemeQuote, ...] = ()
    keywords: tuple[str, ...] = ()
    story_ids: tuple[str, ...] = ()


def told_occurrence(answer: AnswerRecord) -> bool:
    """Whether the answer tells a real time it happened (a story, or an occurrence sentence)."""
    reading = answer.reading
    return reading is not None and (reading.act == Act.STORY or reading.has(Facet.OCCURRENCE))


def problem_stories(answers: Sequence[AnswerRecord]) -> list[AnswerRecord]:
    """Each answer that says what the problem is, cut down to its ``problem`` sentences; answers
    without a reading are kept whole, answers that carry no evidence are left out."""
    kept: list[AnswerRecord] = []
    for answer in answers:
        reading = answer.reading
        if reading is None:
            kept.append(answer)
        elif carries_evidence(reading) and reading.sentences(Facet.PROBLEM):
            kept.append(answer.model_copy(update={"text": " ".join(reading.sentences(Facet.PROBLEM))}))
    return kept


def _same_stem(a: str, b: str) -> bool:
    """Crude stemming: "card"/"cards", "currency"/"currencies", "verify"/"verification"."""
    shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return shared >= 4 and shared >= 0.8 * min(len(a), len(b))


def keywords(
    groups: Sequence[Sequence[str]], weights: WordWeights, limit: int = 3, language: str = "en"
) -> list[tuple[str, ...]]:
    """For each group of texts, up to ``limit`` of the words that set it apart (by ``weights``),
    one per stem."""
    result: list[tuple[str, ...]] = []
    for scored in weights.weigh(groups, language):
        ranked = sorted(scored, key=lambda w: (-scored[w], w))
        chosen: list[str] = []
        for word in ranked:
            # "cards" or "top" add nothing next to "card" or "top-up".
            if any(_same_stem(word, c) or word in c.split("-") or c in word.split("-") for c in chosen):
                continue
            chosen.append(word)
            if len(chosen) == limit:
                break
        result.append(tuple(chosen))
    return result


def _unique_label(words: Sequence[str], used: set[str]) -> str:
    """Three of ``words`` joined, the first such label not used by another theme yet."""
    label = " · ".join(words[:3])
    for extra in words[3:]:
        if label not in used:
            break
        label = " · ".join((*words[:2], extra))
    used.add(label)
    return label


def _representatives(
    members: Sequence[int],
    answers: Sequence[AnswerRecord],
    vectors: Sequence[Sequence[float]],
    count: int,
    clusterer: Clusterer,
) -> tuple[ThemeQuote, ...]:
    """The stories closest to the theme's centre, from different customers."""
    ranked = [members[i] for i in clusterer.central_first([vectors[i] for i in members])]
    chosen: list[ThemeQuote] = []
    seen: set[str] = set()
    for index in ranked:
        answer = answers[index]
        if answer.pseudonym in seen:
            continue
        seen.add(answer.pseudonym)
        text = " ".join(answer.text.split())
        chosen.append(
            ThemeQuote(
                text=text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 3].rstrip() + "...",
                customer=answer.pseudonym,
                interview_id=answer.interview_id,
                answer_id=answer.id,
            )
        )
        if len(chosen) == count:
            break
    return tuple(chosen)


def find_themes(
    answers: Sequence[AnswerRecord],
    vectors: Sequence[Sequence[float]],
    clusterer: Clusterer,
    weights: WordWeights,
    *,
    min_customers: int = 1,
    quotes: int = 2,
) -> list[Theme]:
    """Themes among ``answers`` (with their unit ``vectors``, in the same order), ranked by
    distinct customers, then stories; themes with fewer than ``min_customers`` are left out."""
    if len(answers) != len(vectors):
        raise ValueError("one vector per answer is needed")
    if not answers:
        return []
    labels = clusterer.cluster(vectors) if len(answers) > 1 else [0]
    groups: dict[int, list[int]] = {}
    for index, group_number in enumerate(labels):
        groups.setdefault(group_number, []).append(index)
    members = list(groups.values())
    words = keywords([[answers[i].text for i in group] for group in members], weights, limit=6)
    used: set[str] = set()
    themes: list[Theme] = []
    for group, group_words in zip(members, words, strict=True):
        customers = len({answers[i].pseudonym for i in group})
        told = len({answers[i].pseudonym for i in group if told_occurrence(answers[i])})
        if customers < min_customers:
            continue
        representatives = _representatives(group, answers, vectors, quotes, clusterer)
        label = _unique_label(group_words, used) or representatives[0].text[:60]
        themes.append(
            Theme(
                label=label,
                customers=customers,
                stories=len(group),
                occurrence_customers=told,
                quotes=representatives,
                keywords=group_words[:3],
                story_ids=tuple(answers[i].id for i in group),
            )
        )
    themes.sort(key=lambda t: (-t.customers, -t.stories, t.label))
    return themes
