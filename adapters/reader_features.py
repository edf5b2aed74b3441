"""The numbers the act classifier sees: the answer's words and the cues of ``reader_rules``.

Shared by the reader (``adapters/answer_reader.py``) and its training script
(``scripts/train_answer_reader.py``), so that training and reading compute the same vector:

- word unigrams and bigrams (with a start marker, so openers such as "<s> who" count), binary,
  scaled to unit length, over the vocabulary the training examples use at least twice;
- dense cues: log-counts of time anchors, past tense, habit, modals, opinions, questions,
  refusals, injections, unrelated topics..., and the answer's length.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence

import numpy as np

from core.reading import Facet

from .grams import mark_grams
from .reader_rules import (
    CUES,
    MONTHS,
    WEEKDAYS,
    cue_counts,
    is_occurrence,
    is_real_question,
    planned_only,
    sentence_cues,
    sentence_facets,
    split_sentences,
    words,
)

DENSE_NAMES: tuple[str, ...] = (
    "time_anchor",
    "past",
    "habit",
    "modal",
    "opinion",
    "clarify",
    "ask_interviewer",
    "decline",
    "injection",
    "unrelated",
    "occurrence_sentences",
    "questions",
    "unrelated_questions",
    "ends_with_question",
    "starts_with_question",
    "question_opener",
    "sentences",
    "emoji_only",
    "first_person",
    "log_words",
    "short",
    "very_short",
    "past_over_modal",
    "factual_sentences",
    "facet_role",
    "facet_problem",
    "facet_occurrence",
    "facet_frequency",
    "facet_people",
    "facet_workaround",
    "facet_cost",
    "facet_referral",
    "facet_commitment",
)


def ngrams(text: str) -> list[str]:
    """The answer's word unigrams and bigrams, a start marker before the first word."""
    tokens = ["<s>", *words(text)]
    grams = tokens[1:] + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    return sorted(set(grams))


def dense_features(text: str, sentences: Sequence[str] | None = None) -> np.ndarray:
    """The cue vector of ``text`` in :data:`DENSE_NAMES` order."""
    sentences = list(sentences) if sentences is not None else split_sentences(text)
    counts = cue_counts(text, sentences)
    n_words = len(words(text))
    counts["log_words"] = math.log1p(n_words) / 3.0
    counts["short"] = float(n_words <= 4)
    counts["very_short"] = float(n_words <= 2)
    counts["past_over_modal"] = float(counts["past"] > counts["modal"])
    values = []
    for name in DENSE_NAMES:
        value = counts[name]
        if name in ("log_words", "short", "very_short", "past_over_modal", "emoji_only"):
            values.append(value)
        else:
            values.append(math.log1p(value))
    return np.asarray(values, dtype=np.float64)


class Featurizer:
    """Turns an answer into the classifier's input row, given the trained vocabulary."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.vocabulary = tuple(vocabulary)
        self._index = {gram: i for i, gram in enumerate(self.vocabulary)}

    @property
    def width(self) -> int:
        return len(self.vocabulary) + len(DENSE_NAMES)

    def row(self, text: str, sentences: Sequence[str] | None = None) -> np.ndarray:
        out = np.zeros(self.width, dtype=np.float64)
        mark_grams(out, ngrams(text), self._index)
        out[len(self.vocabulary) :] = dense_features(text, sentences)
        return out

    def matrix(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self.row(t) for t in texts]) if texts else np.zeros((0, self.width))


# ------------------------------------------------------------------------------ sentences
# The facet classifier reads one sentence at a time: its words, what the facet lexicons of
# ``reader_rules`` find in it, and the cues that tell a fact from a plan, a question or a refusal.
SENTENCE_DENSE_NAMES: tuple[str, ...] = (
    *(f"rule_{facet.value}" for facet in Facet),
    "time_anchor",
    "past",
    "habit",
    "modal",
    "opinion",
    "decline",
    "injection",
    "unrelated",
    "clarify",
    "ask_interviewer",
    "occurrence",
    "planned_only",
    "real_question",
    "number",
    "money",
    "named_person",
    "first_person",
    "log_words",
    "first_sentence",
    "only_sentence",
)
_NUMBER = re.compile(r"\d")
_MONEY = re.compile(r"[$€£]|\b\d[\d,.]*\s?(?:k|euros?|eur|dollars?|bucks|pounds|quid|grand)\b", re.IGNORECASE)
# A capitalised word inside a sentence (not its first word, not "I", not a day or a month): a
# name, of a person, a firm or a place.
_NAMED = re.compile(r"(?<=[\s,(])(?!I\b|I'|I’)[A-ZÁÉÍÓÚÑÀÈÙÂÊÎÔÛÇ][a-záéíóúñàèùâêîôûçë]+")
_CALENDAR = re.compile(rf"^(?:{MONTHS}|{WEEKDAYS})$", re.IGNORECASE)
_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|i've|i'd|i'll|me|my|we|we're|we've|us|our|yo|me|mi|mis|nosotros|nuestro|nuestra|"
    r"je|j'|moi|mon|ma|mes|nous|notre|nos|on)\b",
    re.IGNORECASE,
)


def sentence_dense(sentence: str, position: int, total: int) -> np.ndarray:
    """The cue vector of one sentence (``position`` of ``total`` in its answer)."""
    found = sentence_facets(sentence)
    values = [float(facet in found) for facet in Facet]
    cues = dict(zip(CUES, sentence_cues(sentence), strict=True))
    values += [math.log1p(cues[name]) for name in _SENTENCE_CUES]
    n_words = len(words(sentence))
    values += [
        float(is_occurrence(sentence)),
        float(planned_only(sentence)),
        float(is_real_question(sentence)),
        float(bool(_NUMBER.search(sentence))),
        float(bool(_MONEY.search(sentence))),
        math.log1p(sum(1 for name in _NAMED.findall(sentence) if not _CALENDAR.match(name))),
        math.log1p(len(_FIRST_PERSON.findall(sentence))),
        math.log1p(n_words) / 3.0,
        float(position == 0),
        float(total == 1),
    ]
    return np.asarray(values, dtype=np.float64)


_SENTENCE_CUES = (
    "time_anchor",
    "past",
    "habit",
    "modal",
    "opinion",
    "decline",
    "injection",
    "unrelated",
    "clarify",
    "ask_interviewer",
)


class SentenceFeaturizer:
    """Turns one sentence into the facet classifier's input row, given the trained vocabulary."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.vocabulary = tuple(vocabulary)
        self._index = {gram: i for i, gram in enumerate(self.vocabulary)}

    @property
    def width(self) -> int:
        return len(self.vocabulary) + len(SENTENCE_DENSE_NAMES)

    def row(self, sentence: str, position: int = 0, total: int = 1) -> np.ndarray:
        out = np.zeros(self.width, dtype=np.float64)
        mark_grams(out, ngrams(sentence), self._index)
        out[len(self.vocabulary) :] = sentence_dense(sentence, position, total)
        return out

    def matrix(self, rows: Sequence[tuple[str, int, int]]) -> np.ndarray:
        if not rows:
            return np.zeros((0, self.width))
        return np.vstack([self.row(sentence, position, total) for sentence, position, total in rows])
