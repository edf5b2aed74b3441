"""``python -m bench.embedder``: the MiniLM embedder alone, the packed graph Earful runs against
the plain graph it replaced, in one process and in alternating rounds, so a busy machine slows
both alike. Prints load time, the lowest cosine between the two graphs' vectors on 500
banking77 lines, and sentences per second on the 1,000 stories `make bench` imports, both as
one ``encode`` call and in the indexer's steps."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

from adapters.embeddings import MiniLMEmbedder
from bench.corpus import dev_texts, stories
from core.stories import StoryIndexer


def _indexer_steps(texts: list[str], drain: int = 512) -> list[list[str]]:
    """The ``encode`` calls an import of ``texts`` makes: outbox drains of ``drain`` answers,
    each sorted by length and cut into the indexer's steps."""
    calls: list[list[str]] = []
    for start in range(0, len(texts), drain):
        batch = sorted(texts[start : start + drain], key=len)
        calls += [batch[i : i + StoryIndexer.STEP] for i in range(0, len(batch), StoryIndexer.STEP)]
    return calls


def _load(packed: bool, threads: int | None) -> tuple[MiniLMEmbedder, float]:
    model = MiniLMEmbedder(threads=threads, packed=packed)
    began = time.perf_counter()
    model.warm_up()
    return model, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()

    # Loaded in turn twice, so neither graph's figure is the first, colder load.
    loads: dict[bool, list[float]] = {True: [], False: []}
    models: dict[bool, MiniLMEmbedder] = {}
    for packed in (False, True, False, True):
        models[packed], seconds = _load(packed, args.threads)
        loads[packed].append(seconds)

    lines = dev_texts("banking77")[:500]
    cosine = float((models[True].encode(lines) * models[False].encode(lines)).sum(axis=1).min())

    texts = stories(args.count)
    steps = _indexer_steps(texts)
    runs: dict[str, Callable[[MiniLMEmbedder], object]] = {
        "one encode call": lambda model: model.encode(texts),
        "indexer steps": lambda model: [model.encode(step) for step in steps],
    }
    rates: dict[tuple[str, bool], list[float]] = {(run, packed): [] for run in runs for packed in models}
    for _ in range(args.rounds):
        for run, call in runs.items():
            for packed in (False, True):
                began = time.perf_counter()
                call(models[packed])
                rates[run, packed].append(len(texts) / (time.perf_counter() - began))

    print(f"load (warm_up), best of 2: plain {min(loads[False]):.2f} s, packed {min(loads[True]):.2f} s")
    print(f"min cosine packed vs plain, {len(lines)} banking77 lines: {cosine:.7f}")
    for run in runs:
        plain, packed_rates = rates[run, False], rates[run, True]
        ratio = statistics.median(np.array(packed_rates) / np.array(plain))
        print(
            f"{run}, {len(texts)} stories, sentences/s median of {args.rounds}: "
            f"plain {statistics.median(plain):.1f}, packed {statistics.median(packed_rates):.1f}, "
            f"packed/plain median of paired rounds {ratio:.2f}x"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
