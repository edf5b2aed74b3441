"""The n-gram side of the trained text classifiers (the answer reader's and the question model's):
which grams a model knows, and how the known grams of one text fill its input row."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np


def build_vocabulary(grams_of: Iterable[Iterable[str]], min_count: int) -> list[str]:
    """The grams at least ``min_count`` training texts use (each text given as its grams), sorted."""
    seen: dict[str, int] = {}
    for grams in grams_of:
        for gram in grams:
            seen[gram] = seen.get(gram, 0) + 1
    return sorted(g for g, c in seen.items() if c >= min_count)


def mark_grams(row: np.ndarray, grams: Iterable[str], index: Mapping[str, int]) -> None:
    """Set the columns of the known ``grams`` in ``row`` to 1/sqrt(how many are known), so that
    a long text weighs no more than a short one."""
    hits = [index[g] for g in grams if g in index]
    if hits:
        row[hits] = 1.0 / math.sqrt(len(hits))
