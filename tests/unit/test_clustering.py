"""The themes clusterer finds the number of groups itself."""

from __future__ import annotations

import numpy as np

from adapters.clustering import GraphClusterer, knn_indices


def _blobs(groups: int, size: int, seed: int = 1) -> tuple[np.ndarray, list[int]]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(groups, 64))
    points = np.concatenate([c + 0.25 * rng.normal(size=(size, 64)) for c in centres])
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    return points, [g for g in range(groups) for _ in range(size)]


def test_recovers_well_separated_groups_without_being_told_how_many() -> None:
    for groups in (3, 7):
        points, truth = _blobs(groups, 25)
        found = GraphClusterer().cluster(points.tolist())
        assert len(set(found)) == groups
        # Every true group maps to exactly one found group.
        assert all(len({found[i] for i, t in enumerate(truth) if t == g}) == 1 for g in range(groups))


def test_repeatable_and_tiny_inputs() -> None:
    points, _ = _blobs(4, 10)
    assert GraphClusterer(seed=3).cluster(points) == GraphClusterer(seed=3).cluster(points)
    assert GraphClusterer().cluster([[1.0, 0.0]]) == [0]
    assert len(GraphClusterer().cluster(points[:3])) == 3


def test_knn_excludes_self_and_orders_by_similarity() -> None:
    points, _ = _blobs(2, 5)
    neighbours = knn_indices(points.astype(np.float32), 3)
    sims = points @ points.T
    for i, row in enumerate(neighbours):
        assert i not in row
        assert list(sims[i, row]) == sorted(sims[i, row], reverse=True)
