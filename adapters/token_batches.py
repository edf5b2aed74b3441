"""How both embedders cut token rows into batches for onnxruntime."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np


def padded_batches(
    rows: Sequence[Sequence[int]], pad: int, batch_size: int, batch_tokens: int
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``(indices, ids, attention_mask)`` for batches of ``rows``, longest first.

    Longest first groups rows of similar length (little padding) and allocates the biggest
    buffers once, up front. A batch holds at most ``batch_size`` rows and, unless one row alone
    is longer, ``batch_tokens`` padded tokens: on the 2-core target ~512 tokens embedded 10-30 %
    faster than 64 texts (~2,000 tokens), most likely because a layer's activations then stay in
    the caches. ``indices`` say which of ``rows`` a batch holds, in its order.
    """
    lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
    order = np.argsort(-lengths, kind="stable")
    start = 0
    while start < len(order):
        # The longest row comes first, so it sets the batch's width.
        count = max(1, min(batch_size, batch_tokens // max(1, int(lengths[order[start]]))))
        chosen = order[start : start + count]
        start += count
        width = int(lengths[chosen].max())
        ids = np.full((len(chosen), width), pad, dtype=np.int64)
        mask = np.zeros((len(chosen), width), dtype=np.int64)
        for slot, row in enumerate(chosen):
            n = int(lengths[row])
            ids[slot, :n] = rows[row]
            mask[slot, :n] = 1
        yield chosen, ids, mask
