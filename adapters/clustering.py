"""Clustering of story vectors for themes: community detection on a shared-nearest-neighbour
graph (the PhenoGraph recipe), which chooses the number of groups itself.

1. Each story is linked to its ``k`` nearest stories by cosine similarity (union of the
   directed kNN links, so the graph is symmetric).
2. Each link is weighted by the Jaccard overlap of the two stories' neighbourhoods: two
   stories are close when they share neighbours, which is robust to hubs and to the uneven
   density of sentence vectors.
3. Leiden maximises modularity (resolution 1, the standard null model) on that graph. The
   number of communities is whatever maximises modularity: no count is given.

Measured with ``earful eval themes`` on banking77 dev (3,925 lines, 77 labels; see
docs/insights.md): AMI 0.77 with ~54 groups. ``k`` = 10 was chosen on dev subsamples of
500-3,925 lines; it is a neighbourhood size, not a number of themes.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
from scipy import sparse

DEFAULT_NEIGHBOURS = 10
_BLOCK = 1024  # rows of the similarity matrix computed at once (memory stays O(block * n))


def knn_indices(vectors: np.ndarray, k: int) -> np.ndarray:
    """For each row of unit ``vectors``, the indices of its ``k`` most similar other rows."""
    n = len(vectors)
    result = np.empty((n, k), dtype=np.int64)
    for start in range(0, n, _BLOCK):
        block = vectors[start : start + _BLOCK] @ vectors.T
        rows = np.arange(len(block))
        block[rows, rows + start] = -np.inf  # a story is not its own neighbour
        part = np.argpartition(-block, k - 1, axis=1)[:, :k]
        order = np.argsort(-block[rows[:, None], part], axis=1)
        result[start : start + len(block)] = part[rows[:, None], order]
    return result


def snn_graph(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges (sources, targets with source < target) of the symmetric kNN graph, weighted by
    the Jaccard overlap of the closed neighbourhoods of their ends."""
    n = len(vectors)
    neighbours = knn_indices(vectors, k)
    rows = np.repeat(np.arange(n), k)
    ones = np.ones(n * k, dtype=np.float32)
    adjacency = sparse.csr_matrix((ones, (rows, neighbours.ravel())), shape=(n, n))
    adjacency = ((adjacency + adjacency.T) > 0).astype(np.float32)
    closed = (adjacency + sparse.identity(n, dtype=np.float32, format="csr")).tocsr()
    upper = sparse.triu(adjacency, k=1).tocoo()
    sources, targets = upper.row, upper.col
    degree = np.asarray(closed.sum(axis=1)).ravel()
    shared = np.asarray(closed[sources].multiply(closed[targets]).sum(axis=1)).ravel()
    weights = shared / (degree[sources] + degree[targets] - shared)
    return sources, targets, weights


class GraphClusterer:
    """:class:`core.themes.Clusterer` by Leiden modularity on a shared-nearest-neighbour graph."""

    def __init__(self, neighbours: int = DEFAULT_NEIGHBOURS, seed: int = 0) -> None:
        self.neighbours = neighbours
        self.seed = seed

    def cluster(self, vectors: Sequence[Sequence[float]]) -> list[int]:
        """A community number per vector; deterministic for a given input and seed."""
        import igraph

        matrix = np.asarray(vectors, dtype=np.float32)
        n = len(matrix)
        if n < 3:
            return list(range(n))
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix = matrix / np.where(norms == 0, 1.0, norms)
        k = min(self.neighbours, n - 1)
        sources, targets, weights = snn_graph(matrix, k)
        graph = igraph.Graph(n=n, edges=list(zip(sources.tolist(), targets.tolist(), strict=True)))
        # igraph's random generator is process-wide: seed it for a repeatable partition.
        igraph.set_random_number_generator(random.Random(self.seed))
        try:
            partition = graph.community_leiden(
                objective_function="modularity", weights=weights.tolist(), n_iterations=-1
            )
        finally:
            igraph.set_random_number_generator(random)
        return list(partition.membership)
