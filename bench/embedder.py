"""``python -m bench.embedder``: the MiniLM embedder alone, as Earful runs it against how it ran
before (the plain graph, batches of 64 texts), in one process and in alternating rounds, so a
busy machine slows every configuration alike. Prints load times, the lowest cosine between the
graphs' vectors on 500 banking77 lines, and sentences per second on the 1,000 stories
`make bench` imports, both as one ``encode`` call and in the indexer's steps."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from adapters.embeddings import MiniLMEmbedder
from bench.corpus import dev_texts, stories
from core.stories import StoryIndexer

# Large enough that only the 64-text cap cuts batches, as before the token budget existed.
UNBOUNDED = 1_000_000
# name -> (packed graph, batch_tokens); the first is the reference the others are compared to.
CONFIGS: dict[str, tuple[bool, int]] = {
    "plain graph, 64 texts a batch (before)": (False, UNBOUNDED),
    "packed graph, 64 texts a batch": (True, UNBOUNDED),
    "packed graph, 512 tokens a batch (now)": (True, 512),
}


def _indexer_steps(texts: list[str], drain: int = 512) -> list[list[str]]:
    """The ``encode`` calls an import of ``texts`` makes: outbox drains of ``drain`` answers,
    each sorted by length and cut into the indexer's steps."""
    calls: list[list[str]] = []
    for start in range(0, len(texts), drain):
        batch = sorted(texts[start : start + drain], key=len)
        calls += [batch[i : i + StoryIndexer.STEP] for i in range(0, len(batch), StoryIndexer.STEP)]
    return calls


def _load(packed: bool, threads: int | None) -> float:
    model = MiniLMEmbedder(threads=threads, packed=packed)
    began = time.perf_counter()
    model.warm_up()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()

    # In turn, twice, so neither graph's figure is the first, colder load.
    loads: dict[bool, list[float]] = {False: [], True: []}
    for packed in (False, True, False, True):
        loads[packed].append(_load(packed, args.threads))

    models = {
        name: MiniLMEmbedder(threads=args.threads, packed=packed, batch_tokens=tokens)
        for name, (packed, tokens) in CONFIGS.items()
    }
    for model in models.values():
        model.warm_up()
    reference, *_, now = models
    lines = dev_texts("banking77")[:500]
    cosine = float((models[now].encode(lines) * models[reference].encode(lines)).sum(axis=1).min())

    texts = stories(args.count)
    steps = _indexer_steps(texts)
    runs: dict[str, Callable[[MiniLMEmbedder], object]] = {
        "one encode call": lambda model: model.encode(texts),
        "the indexer's steps": lambda model: [model.encode(step) for step in steps],
    }
    rates: dict[tuple[str, str], list[float]] = {(run, name): [] for run in runs for name in models}
    for _ in range(args.rounds):
        for run, call in runs.items():
            for name, model in models.items():
                began = time.perf_counter()
                call(model)
                rates[run, name].append(len(texts) / (time.perf_counter() - began))

    print(f"load (warm_up), best of 2: plain {min(loads[False]):.2f} s, packed {min(loads[True]):.2f} s")
    print(f"min cosine, now vs before, {len(lines)} banking77 lines: {cosine:.7f}")
    for run in runs:
        print(f"{run}, {len(texts)} stories: sentences/s, median of {args.rounds} rounds; paired ratio")
        base = np.array(rates[run, reference])
        for name in models:
            ratio = statistics.median(np.array(rates[run, name]) / base)
            print(f"  {name:40s} {statistics.median(rates[run, name]):7.1f}  {ratio:.2f}x")


if __name__ == "__main__":
    main()
