"""The numbers the trained question classifier sees: the question's words, its letters, and what
the patterns of :mod:`adapters.question_patterns` find in it.

Shared by the classifier (``adapters/question_model.py``) and its training script
(``scripts/train_question_model.py``), so that training and reading compute the same vector:

- word unigrams and bigrams, each sentence opened by a start marker (so "<s> would", "<s> imagine"
  count wherever the sentence stands), binary, scaled to unit length;
- character 3- and 4-grams inside words (so "paierait", "pagarías" and "pay" share pieces), binary,
  scaled to unit length;
- dense cues: which pattern families of the rules fit some sentence (a scale, a price, our idea,
  a conditional verb outside a polite form, a closed question...), so the model learns how far
  to trust each of them. The rules' verdict itself is left out: with it the model learns to copy
  the rules, misses included.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence

import numpy as np

from .grams import mark_grams
from .question_patterns import PATTERNS, LanguagePatterns
from .question_rules import guess_language, sentences

_TOKEN = re.compile(r"[a-zà-ÿœæ0-9]+(?:'[a-zà-ÿ]+)?|[?$€£]", re.IGNORECASE)
_CURRENCY = re.compile(r"[$€£]|\b\d+\s?(?:euros?|dollars?|pounds?|bucks|eur|usd)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d")

# The pattern families a sentence is tested against, in the order of DENSE_NAMES below.
_FAMILIES = (
    "rating",
    "price",
    "compliment",
    "solution",
    "ideal",
    "leading",
    "imagined",
    "polite",
    "past",
    "ours",
    "opener",
)
DENSE_NAMES: tuple[str, ...] = (
    *(f"pattern_{name}" for name in _FAMILIES),
    "pattern_commitment",
    "pattern_conditional",
    "closed_question",
    "currency",
    "number",
    "several_sentences",
    "log_words",
)
# Dense cues are 0/1 while the n-gram blocks have unit length: a weight lets one cue count as
# much as a handful of shared n-grams under the same regularisation.
DENSE_WEIGHT = 0.5


def normalised(text: str) -> str:
    """Lower case, plain apostrophes, single spaces: how every feature reads a question."""
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'").lower()
    return " ".join(text.split())


def word_grams(text: str) -> list[str]:
    """Word unigrams and bigrams, each sentence opened by ``<s>``."""
    grams: set[str] = set()
    for sentence in sentences(normalised(text)) or [normalised(text)]:
        tokens = ["<s>", *_TOKEN.findall(sentence)]
        grams.update(tokens[1:])
        grams.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    return sorted(grams)


def char_grams(text: str) -> list[str]:
    """Character 3- and 4-grams of each word, the word padded with spaces."""
    grams: set[str] = set()
    for word in _TOKEN.findall(normalised(text)):
        padded = f" {word} "
        for size in (3, 4):
            grams.update(padded[i : i + size] for i in range(len(padded) - size + 1))
    return sorted(grams)


def _patterns_for(text: str, language: str | None) -> LanguagePatterns:
    base = (language or "").split("-")[0].lower()
    return PATTERNS.get(base) or PATTERNS[guess_language(text)]


def cues(text: str, language: str | None = None) -> dict[str, float]:
    """The cues of ``text`` by name (:data:`DENSE_NAMES`), unweighted: 0 or 1 but ``log_words``."""
    patterns = _patterns_for(text, language)
    parts = [normalised(s) for s in sentences(text)] or [normalised(text)]
    values: dict[str, float] = {}
    for name in _FAMILIES:
        pattern: re.Pattern[str] = getattr(patterns, name)
        values[f"pattern_{name}"] = float(any(pattern.search(part) for part in parts))
    values["pattern_commitment"] = float(
        any(patterns.commitment_object.search(p) and patterns.commitment_ask.search(p) for p in parts)
    )
    values["pattern_conditional"] = float(
        any(patterns.conditional.search(patterns.polite.sub(" ", p)) for p in parts)
    )
    values["closed_question"] = float(
        any(
            p.endswith("?") and not patterns.polite.search(p) and not patterns.opener.search(p) for p in parts
        )
    )
    values["currency"] = float(bool(_CURRENCY.search(text)))
    values["number"] = float(bool(_NUMBER.search(text)))
    values["several_sentences"] = float(len(parts) > 1)
    values["log_words"] = math.log1p(len(_TOKEN.findall(text))) / 3.0
    return values


def dense_features(text: str, language: str | None = None) -> np.ndarray:
    """The cue vector of ``text`` in :data:`DENSE_NAMES` order."""
    values = cues(text, language)
    return np.asarray([values[name] for name in DENSE_NAMES], dtype=np.float64) * DENSE_WEIGHT


class QuestionFeaturizer:
    """Turns a question into the classifier's input row, given the trained vocabularies."""

    def __init__(self, words: Sequence[str], chars: Sequence[str]) -> None:
        self.words = tuple(words)
        self.chars = tuple(chars)
        self._word_index = {gram: i for i, gram in enumerate(self.words)}
        self._char_index = {gram: len(self.words) + i for i, gram in enumerate(self.chars)}

    @property
    def width(self) -> int:
        return len(self.words) + len(self.chars) + len(DENSE_NAMES)

    def row(self, text: str, language: str | None = None) -> np.ndarray:
        out = np.zeros(self.width, dtype=np.float64)
        mark_grams(out, word_grams(text), self._word_index)
        mark_grams(out, char_grams(text), self._char_index)
        out[len(self.words) + len(self.chars) :] = dense_features(text, language)
        return out

    def matrix(self, rows: Sequence[tuple[str, str | None]]) -> np.ndarray:
        if not rows:
            return np.zeros((0, self.width))
        return np.vstack([self.row(text, language) for text, language in rows])
