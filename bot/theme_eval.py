"""``earful eval themes``: how well themes recover the labels of a labelled JSON-lines file.

The stories go through the same path as ``earful themes`` (the packaged embedder, the
default clusterer, :func:`core.themes.find_themes`); the labels are used only to score the
result by adjusted mutual information (AMI), never to choose the number of themes.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.importing import BadLine, read_jsonl
from bot.settings import Settings
from bot.wiring import default_embedder
from core.errors import InputError
from core.pseudonyms import Pseudonymizer
from core.themes import Clusterer, find_themes

EVAL_TEAM = "eval"


@dataclass(frozen=True)
class ThemesReport:
    """The figures ``earful eval themes`` prints."""

    file: str
    stories: int
    labels: int
    themes: int
    ami: float
    largest_theme: int
    singletons: int
    seconds: float
    method: str

    def as_dict(self) -> dict[str, float | int | str]:
        return asdict(self)


async def evaluate_themes(
    path: Path, settings: Settings | None = None, clusterer: Clusterer | None = None
) -> ThemesReport:
    """Cluster every labelled line of ``path`` and score the themes against the labels."""
    from sklearn.metrics import adjusted_mutual_info_score  # type: ignore[import-untyped]  # scikit-learn ships no type information

    from adapters.clustering import GraphClusterer
    from adapters.theme_words import ClassTfidf

    records = [
        r
        for r in read_jsonl(path, EVAL_TEAM, Pseudonymizer.throwaway())
        if not isinstance(r, BadLine) and r.label is not None
    ]
    if len(records) < 2:
        raise InputError(f"{path}: fewer than two labelled lines ('text' and 'label')")
    # Each line is its own customer, so a theme's customer count is its story count.
    records = [r.model_copy(update={"pseudonym": f"line-{i}"}) for i, r in enumerate(records)]
    embedder = default_embedder(settings or Settings())
    started = time.perf_counter()
    vectors = await embedder.embed([r.text for r in records])
    clusterer = clusterer or GraphClusterer()
    themes = find_themes(records, vectors, clusterer, ClassTfidf())
    elapsed = time.perf_counter() - started
    theme_of = {story_id: number for number, theme in enumerate(themes) for story_id in theme.story_ids}
    predicted = [theme_of[r.id] for r in records]
    truth = [str(r.label) for r in records]
    return ThemesReport(
        file=str(path),
        stories=len(records),
        labels=len(set(truth)),
        themes=len(themes),
        ami=float(adjusted_mutual_info_score(truth, predicted)),
        largest_theme=max(t.stories for t in themes),
        singletons=sum(1 for t in themes if t.stories == 1),
        seconds=elapsed,
        method=describe(clusterer),
    )


def describe(clusterer: Clusterer) -> str:
    """A short description of the clustering method and what it chose."""
    from adapters.clustering import GraphClusterer

    if isinstance(clusterer, GraphClusterer):
        return (
            f"SNN graph (k={clusterer.used_neighbours}) + Leiden modularity, "
            f"resolution {clusterer.chosen_resolution} chosen by stability"
        )
    return type(clusterer).__name__
