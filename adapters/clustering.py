"""Clustering of story vectors for themes: community detection on a shared-nearest-neighbour
graph (the PhenoGraph recipe), which chooses the number of groups itself.

1. Each story is linked to its ``k`` nearest stories by cosine similarity (union of the
   directed kNN links, so the graph is symmetric).
2. Each link is weighted by the Jaccard overlap of the two stories' neighbourhoods: two
   stories are close when they share neighbours, which is robust to hubs and to the uneven
   density of sentence vectors.
3. Leiden maximises modularity on that graph. The number of communities is whatever
   maximises modularity at a given resolution; the resolution itself is chosen by stability:
   Leiden runs 5 times (different random seeds) at each resolution of a small grid, and the
   resolution whose runs agree most (mean pairwise adjusted Rand index) wins, a standard
   model-selection criterion that needs no labels. No number of groups is ever given.

Measured with ``earful eval themes`` on banking77 dev (3,925 lines, 77 labels; see
docs/insights.md): AMI 0.78 with 75 groups. ``k`` (10 from 400 stories on, fewer below) is
a neighbourhood size chosen on dev subsamples, not a number of themes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]  # scipy ships no type information

DEFAULT_NEIGHBOURS = 10
# Modularity resolutions tried; the one whose partitions agree most across runs is kept.
RESOLUTIONS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0)
RUNS = 5
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


def auto_neighbours(n: int) -> int:
    """Neighbourhood size for ``n`` stories: half the square root, between 3 and 10. A
    neighbourhood wider than the themes themselves merges them, which matters most for a few
    dozen interview answers (measured on banking77 dev subsamples of 18-3,925 lines)."""
    return max(3, min(DEFAULT_NEIGHBOURS, round(math.sqrt(n) / 2)))


class GraphClusterer:
    """:class:`core.themes.Clusterer` by Leiden modularity on a shared-nearest-neighbour graph,
    at the resolution whose partitions are the most reproducible across random seeds."""

    def __init__(
        self,
        neighbours: int | None = None,
        seed: int = 0,
        resolutions: Sequence[float] = RESOLUTIONS,
        runs: int = RUNS,
    ) -> None:
        self.neighbours = neighbours
        self.seed = seed
        self.resolutions = tuple(resolutions)
        self.runs = runs
        self.chosen_resolution: float | None = None  # of the last call, for evaluation output
        self.used_neighbours: int | None = None

    def central_first(self, vectors: Sequence[Sequence[float]]) -> list[int]:
        """Positions of ``vectors``, the most similar to their normalised mean first."""
        matrix = np.asarray(vectors, dtype=np.float64)
        centre = matrix.sum(axis=0)
        centre /= np.linalg.norm(centre) or 1.0
        return [int(i) for i in np.argsort(-(matrix @ centre), kind="stable")]

    def cluster(self, vectors: Sequence[Sequence[float]]) -> list[int]:
        """A community number per vector; deterministic for a given input and seed."""
        import igraph  # type: ignore[import-untyped]  # python-igraph ships no type information
        from sklearn.metrics import adjusted_rand_score  # type: ignore[import-untyped]  # scikit-learn ships no type information

        matrix = np.asarray(vectors, dtype=np.float32)
        n = len(matrix)
        if n < 3:
            return list(range(n))
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        unit = matrix / np.where(norms == 0, 1.0, norms)
        self.used_neighbours = min(self.neighbours or auto_neighbours(n), n - 1)
        sources, targets, weights = snn_graph(unit, self.used_neighbours)
        graph = igraph.Graph(n=n, edges=list(zip(sources.tolist(), targets.tolist(), strict=True)))
        edge_weights = weights.tolist()
        best: tuple[float, float, list[int]] | None = None
        for resolution in self.resolutions:
            partitions = []
            for run in range(self.runs):
                # igraph's random generator is process-wide: seed it for a repeatable partition.
                igraph.set_random_number_generator(random.Random(self.seed * 1000 + run))
                try:
                    found = graph.community_leiden(
                        objective_function="modularity",
                        weights=edge_weights,
                        resolution=resolution,
                        n_iterations=-1,
                    )
                finally:
                    igraph.set_random_number_generator(random)
                partitions.append(list(found.membership))
            # Agreement of each run with the others; the most typical run represents the resolution.
            agreement = [
                float(np.mean([adjusted_rand_score(p, q) for j, q in enumerate(partitions) if j != i]))
                for i, p in enumerate(partitions)
            ]
            stability = float(np.mean(agreement))
            typical = partitions[int(np.argmax(agreement))]
            if best is None or stability > best[0]:
                best = (stability, resolution, typical)
        assert best is not None
        self.chosen_resolution = best[1]
        return best[2]
