"""Class-based TF-IDF for theme labels: the words that set one group of stories apart.

scikit-learn's :class:`~sklearn.feature_extraction.text.CountVectorizer` counts, for every
group, how many of its texts use each content word (each text counted once, with the core's own
tokens: :func:`core.words.content_words`, so stop words are each language's). The weight is
class-based TF-IDF: the share of the group's texts that use the word, times
``log(1 + groups / groups using it)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]  # scipy ships no type information
from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]  # scikit-learn ships no type information

from core.words import content_words

# In a group of this many texts or more, a word used by one text alone is no mark of the group.
SHARED_FROM = 3


class ClassTfidf:
    """:class:`core.themes.WordWeights` by class-based TF-IDF over scikit-learn's counts."""

    def weigh(self, groups: Sequence[Sequence[str]], language: str = "en") -> list[dict[str, float]]:
        texts = [text for group in groups for text in group]
        counter = CountVectorizer(
            analyzer=lambda text: sorted(set(content_words(text, language))), binary=True
        )
        try:
            uses = counter.fit_transform(texts)
        except ValueError:  # not one content word in any text
            return [{} for _ in groups]
        sizes = np.array([len(group) for group in groups])
        # Which group each text belongs to, as a (groups x texts) matrix: its product with the
        # (texts x words) uses counts the texts of each group that use each word.
        member = sparse.csr_matrix(
            (np.ones(len(texts)), (np.repeat(np.arange(len(groups)), sizes), np.arange(len(texts)))),
            shape=(len(groups), len(texts)),
        )
        in_group = np.asarray((member @ uses).todense())
        groups_using = (in_group > 0).sum(axis=0)
        words = counter.get_feature_names_out()
        weights: list[dict[str, float]] = []
        for row, size in zip(in_group, sizes, strict=True):
            kept = np.flatnonzero((row >= 2) | ((row > 0) & (size < SHARED_FROM)))
            score = row[kept] / max(size, 1) * np.log(1 + len(groups) / groups_using[kept])
            weights.append({str(words[i]): float(w) for i, w in zip(kept, score, strict=True)})
        return weights
