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
from collections.abc import Sequence

import numpy as np

from .reader_rules import cue_counts, split_sentences, words

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
        hits = [self._index[g] for g in ngrams(text) if g in self._index]
        if hits:
            out[hits] = 1.0 / math.sqrt(len(hits))
        out[len(self.vocabulary) :] = dense_features(text, sentences)
        return out

    def matrix(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self.row(t) for t in texts]) if texts else np.zeros((0, self.width))


def build_vocabulary(texts: Sequence[str], min_count: int = 2) -> list[str]:
    """The n-grams used by at least ``min_count`` training answers, sorted."""
    seen: dict[str, int] = {}
    for text in texts:
        for gram in ngrams(text):
            seen[gram] = seen.get(gram, 0) + 1
    return sorted(g for g, c in seen.items() if c >= min_count)
