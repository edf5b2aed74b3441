"""The core's :class:`core.ranking.Ranker` with numpy: the same scores as the pure-Python
reference, in a fraction of the time for a few hundred candidates of 384 dimensions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.ranking import ExpansionRanker


class NumpyExpansionRanker(ExpansionRanker):
    """Average query expansion (see :class:`core.ranking.ExpansionRanker`) on numpy arrays:
    the same parameters and checks, only the arithmetic differs."""

    def scores(self, query: Sequence[float], vectors: Sequence[Sequence[float]]) -> list[float]:
        """Cosine similarity of each candidate to the query averaged with its nearest candidates."""
        if len(vectors) == 0:
            return []
        matrix = np.asarray(vectors, dtype=np.float32)
        q = np.asarray(query, dtype=np.float32)
        expanded = self.query_weight * q + (1 - self.query_weight) * matrix[: self.neighbours].mean(axis=0)
        norm = float(np.linalg.norm(expanded))
        if norm > 0:
            expanded /= norm
        result: list[float] = (matrix @ expanded).tolist()
        return result
