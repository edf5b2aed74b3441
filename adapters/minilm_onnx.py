"""Build a BERT sentence-embedding graph (ONNX) straight from safetensors weights.

This lets us run all-MiniLM-L6-v2 with onnxruntime only: no torch, no
transformers. The graph takes ``input_ids`` and ``attention_mask`` (int64,
``[batch, seq]``) and returns ``sentence_embedding`` (float32, ``[batch,
hidden]``): mean pooling over the mask followed by L2 normalisation, which is
exactly what the sentence-transformers pipeline for this model does.
"""

from __future__ import annotations

import json
import math
import pathlib
import struct
from collections.abc import Mapping
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper

# Opset 17 has LayerNormalization as a standard op and is supported by every
# onnxruntime release we care about.
OPSET = 17

_SAFETENSORS_DTYPES: dict[str, str] = {
    "F64": "<f8",
    "F32": "<f4",
    "F16": "<f2",
    "I64": "<i8",
    "I32": "<i4",
    "I16": "<i2",
    "I8": "i1",
    "U8": "u1",
    "BOOL": "?",
}


def read_safetensors(path: pathlib.Path) -> dict[str, np.ndarray]:
    """Read a .safetensors file into numpy arrays without the safetensors package.

    Format: 8-byte little-endian header length, a JSON header mapping tensor
    names to dtype/shape/byte offsets, then the raw little-endian data.
    """
    blob = path.read_bytes()
    (header_len,) = struct.unpack("<Q", blob[:8])
    header: dict[str, Any] = json.loads(blob[8 : 8 + header_len])
    base = 8 + header_len
    tensors: dict[str, np.ndarray] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _SAFETENSORS_DTYPES.get(info["dtype"])
        if dtype is None:
            raise ValueError(f"unsupported safetensors dtype {info['dtype']} for {name}")
        start, end = info["data_offsets"]
        arr = np.frombuffer(
            blob, dtype=dtype, count=(end - start) // np.dtype(dtype).itemsize, offset=base + start
        )
        tensors[name] = arr.reshape(info["shape"])
    return tensors


class _GraphBuilder:
    """Accumulates nodes and initializers with unique names."""

    def __init__(self) -> None:
        # Nodes and initializers are written straight into the model proto:
        # helper.make_graph/make_model would copy ~90 MB of weights twice.
        self.model = onnx.ModelProto()
        self.graph = self.model.graph
        self._count = 0

    def fresh_name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def const(self, value: np.ndarray, hint: str) -> str:
        name = self.fresh_name(hint)
        arr = np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("<"))
        tensor = self.graph.initializer.add()
        tensor.name = name
        tensor.data_type = helper.np_dtype_to_tensor_dtype(arr.dtype)
        tensor.dims.extend(arr.shape)
        tensor.raw_data = arr.tobytes()
        return name

    def op(self, op_type: str, inputs: list[str], hint: str | None = None, **attrs: Any) -> str:
        out = self.fresh_name(hint or op_type.lower())
        self.node(op_type, inputs, [out], **attrs)
        return out

    def node(self, op_type: str, inputs: list[str], outputs: list[str], **attrs: Any) -> None:
        self.graph.node.append(helper.make_node(op_type, inputs, outputs, **attrs))


def build_bert_embedder(
    weights: Mapping[str, np.ndarray],
    config: Mapping[str, Any],
    *,
    packed: bool = True,
    word_embeddings_input: bool = False,
    mean_output: bool = False,
) -> onnx.ModelProto:
    """Return an ONNX model computing normalised mean-pooled BERT sentence embeddings.

    ``weights`` uses Hugging Face ``BertModel`` names (``embeddings.*``,
    ``encoder.layer.N.*``); ``config`` is the model's ``config.json``.

    With ``packed`` (the default) the padding is dropped inside the graph: every
    per-token layer (the projections, the feed-forward block, layer norms) runs on
    the ``[tokens, hidden]`` matrix of attended tokens only, and the batch is laid
    out ``[batch, seq]`` again just for the attention scores. Those per-token
    layers are nearly all of the model's arithmetic, and a batch of texts of
    different lengths is a third padding or more, which the plain graph computes
    and throws away. ``packed=False`` builds the plain graph, kept as the
    reference the packed one is tested against. The packed graph needs at least
    one attended token in the batch (a tokenizer's ``[CLS]`` is one).

    ``word_embeddings_input`` replaces the ``input_ids`` input and the word table by a
    ``word_embeddings`` input (float32, ``[batch, seq, hidden]``, the rows the caller looked up):
    multilingual-e5's 250k-row table would be 384 MB in fp32, so its caller keeps it 4-bit and
    dequantises only the rows a batch uses. ``mean_output`` adds a ``mean_embedding`` output, the
    mean-pooled vector before normalisation, for callers that average several windows of a text.
    """
    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    layers = int(config["num_hidden_layers"])
    eps = float(config.get("layer_norm_eps", 1e-12))
    if config.get("hidden_act", "gelu") != "gelu":
        raise ValueError(f"unsupported activation {config.get('hidden_act')!r}")
    head_dim = hidden // heads

    def w(name: str) -> np.ndarray:
        return np.asarray(weights[name], dtype=np.float32)

    g = _GraphBuilder()

    def ints(values: list[int], hint: str) -> str:
        return g.const(np.array(values, np.int64), hint)

    def linear(x: str, prefix: str) -> str:
        # torch Linear stores [out, in]; MatMul wants [in, out].
        y = g.op("MatMul", [x, g.const(w(f"{prefix}.weight").T, f"{prefix}.wT")])
        return g.op("Add", [y, g.const(w(f"{prefix}.bias"), f"{prefix}.b")])

    def layer_norm(x: str, prefix: str) -> str:
        scale = g.const(w(f"{prefix}.weight"), f"{prefix}.g")
        bias = g.const(w(f"{prefix}.bias"), f"{prefix}.b")
        return g.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=eps)

    # --- embeddings -------------------------------------------------------
    # token_type_ids are always 0 for single sentences, so fold that row into
    # the position table once instead of gathering it per token.
    pos_table = g.const(
        w("embeddings.position_embeddings.weight") + w("embeddings.token_type_embeddings.weight")[0],
        "pos_table",
    )
    # The tensor whose [B, S] leading shape the graph reads.
    shaped = "word_embeddings" if word_embeddings_input else "input_ids"
    if not word_embeddings_input:
        word_table = g.const(w("embeddings.word_embeddings.weight"), "word_table")
    seq_len = g.op("Shape", [shaped], start=1, end=2)  # [S]
    mask_f = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    flat = ints([-1], "flat")
    if packed:
        mask_flat = g.op("Reshape", ["attention_mask", flat])  # [B*S]
        kept = g.op("Reshape", [g.op("NonZero", [mask_flat]), flat])  # [T]: attended slots
        # Where each [B, S] slot finds its token in the packed rows. Padding slots point at
        # row 0: any finite row will do, since their keys are masked out and their queries'
        # results are never packed back.
        running = g.op("CumSum", [mask_flat, g.const(np.array(0, np.int64), "axis0")])  # axis is 0-D
        rank = g.op("Sub", [running, ints([1], "one_i")])
        attended = g.op("Cast", [mask_flat], to=TensorProto.BOOL)
        unpack = g.op("Where", [attended, rank, ints([0], "row0")])  # [B*S]
        batch_seq = (
            g.op("Shape", [shaped], start=0, end=2) if word_embeddings_input else g.op("Shape", [shaped])
        )
        qkv_shape = g.op("Concat", [batch_seq, ints([3 * hidden], "qkv_width")], axis=0)
        if word_embeddings_input:
            word_rows = g.op("Reshape", ["word_embeddings", ints([-1, hidden], "word_rows")])
            words = g.op("Gather", [word_rows, kept])  # [T, H]
            positions = g.op("Mod", [kept, seq_len])
        else:
            token_ids = g.op("Gather", [g.op("Reshape", ["input_ids", flat]), kept])
            positions = g.op("Mod", [kept, seq_len])
            words = g.op("Gather", [word_table, token_ids])  # [T, H]
        embedded = g.op("Add", [words, g.op("Gather", [pos_table, positions])])
    else:
        pos = g.op("Slice", [pos_table, ints([0], "zero"), seq_len, ints([0], "axis0")])  # [S, H]
        words = "word_embeddings" if word_embeddings_input else g.op("Gather", [word_table, "input_ids"])
        embedded = g.op("Add", [words, pos])
    x = layer_norm(embedded, "embeddings.LayerNorm")

    # Additive attention bias [B, 1, 1, S]: 0 where attended, very negative on padding.
    mask_4d = g.op("Unsqueeze", [mask_f, ints([1, 2], "ax12")])
    one = g.const(np.array(1.0, np.float32), "one")
    neg = g.const(np.array(-1e9, np.float32), "neg")
    attn_bias = g.op("Mul", [g.op("Sub", [one, mask_4d]), neg])

    split_heads = ints([0, 0, heads, head_dim], "split_heads")
    merge_heads = ints([0, 0, hidden], "merge_heads")
    rows = ints([-1, hidden], "rows")
    sqrt2 = g.const(np.array(math.sqrt(2.0), np.float32), "sqrt2")
    half = g.const(np.array(0.5, np.float32), "half")
    qkv_split = ints([hidden] * 3, "qkv_split")
    scale = 1.0 / math.sqrt(head_dim)

    # --- encoder layers ---------------------------------------------------
    for i in range(layers):
        p = f"encoder.layer.{i}"
        # One fused QKV MatMul; the 1/sqrt(d) score scale is folded into Q.
        qkv_w = np.concatenate(
            [
                w(f"{p}.attention.self.query.weight") * scale,
                w(f"{p}.attention.self.key.weight"),
                w(f"{p}.attention.self.value.weight"),
            ]
        ).T
        qkv_b = np.concatenate(
            [
                w(f"{p}.attention.self.query.bias") * scale,
                w(f"{p}.attention.self.key.bias"),
                w(f"{p}.attention.self.value.bias"),
            ]
        )
        qkv = g.op("Add", [g.op("MatMul", [x, g.const(qkv_w, f"{p}.qkv_wT")]), g.const(qkv_b, f"{p}.qkv_b")])
        if packed:
            qkv = g.op("Reshape", [g.op("Gather", [qkv, unpack]), qkv_shape])  # [B, S, 3H]
        q, k, v = (g.fresh_name(f"{p}.{n}") for n in "qkv")
        g.node("Split", [qkv, qkv_split], [q, k, v], axis=-1)
        qh = g.op("Transpose", [g.op("Reshape", [q, split_heads])], perm=[0, 2, 1, 3])  # [B, h, S, d]
        kh = g.op("Transpose", [g.op("Reshape", [k, split_heads])], perm=[0, 2, 3, 1])  # [B, h, d, S]
        vh = g.op("Transpose", [g.op("Reshape", [v, split_heads])], perm=[0, 2, 1, 3])  # [B, h, S, d]
        scores = g.op("Add", [g.op("MatMul", [qh, kh]), attn_bias])
        probs = g.op("Softmax", [scores], axis=-1)
        ctx = g.op("Transpose", [g.op("MatMul", [probs, vh])], perm=[0, 2, 1, 3])  # [B, S, h, d]
        ctx = g.op("Reshape", [ctx, merge_heads])
        if packed:
            ctx = g.op("Gather", [g.op("Reshape", [ctx, rows]), kept])  # [T, H]
        attn_out = linear(ctx, f"{p}.attention.output.dense")
        x = layer_norm(g.op("Add", [attn_out, x]), f"{p}.attention.output.LayerNorm")

        inter = linear(x, f"{p}.intermediate.dense")
        # Exact (erf) GELU as in BERT; onnxruntime fuses this pattern into one Gelu kernel.
        gelu = g.op(
            "Mul",
            [g.op("Mul", [inter, half]), g.op("Add", [g.op("Erf", [g.op("Div", [inter, sqrt2])]), one])],
        )
        ffn_out = linear(gelu, f"{p}.output.dense")
        x = layer_norm(g.op("Add", [ffn_out, x]), f"{p}.output.LayerNorm")

    # --- mean pooling + L2 normalisation ----------------------------------
    axis1 = ints([1], "axis1")
    mask_3d = g.op("Unsqueeze", [mask_f, ints([2], "ax2")])  # [B, S, 1]
    if packed:
        # Back to [B, S, H]; padding slots hold row 0's values until the mask zeroes them.
        hidden_shape = g.op("Concat", [batch_seq, ints([hidden], "hidden_width")], axis=0)
        x = g.op("Reshape", [g.op("Gather", [x, unpack]), hidden_shape])
    summed = g.op("ReduceSum", [g.op("Mul", [x, mask_3d]), axis1], keepdims=0)  # [B, H]
    counts = g.op("ReduceSum", [mask_3d, axis1], keepdims=0)  # [B, 1]
    # Clamp like sentence-transformers does so an all-padding row cannot divide by zero.
    mean = g.op("Div", [summed, g.op("Max", [counts, g.const(np.array(1e-9, np.float32), "tiny")])])
    norm = g.op("ReduceL2", [mean], axes=[1], keepdims=1)
    out = g.op("Div", [mean, g.op("Max", [norm, g.const(np.array(1e-12, np.float32), "eps")])])
    g.node("Identity", [out], ["sentence_embedding"])
    if mean_output:
        g.node("Identity", [mean], ["mean_embedding"])

    graph = g.graph
    graph.name = "bert_sentence_embedder"
    first_input = (
        helper.make_tensor_value_info("word_embeddings", TensorProto.FLOAT, ["batch", "seq", hidden])
        if word_embeddings_input
        else helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"])
    )
    graph.input.extend(
        [first_input, helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])]
    )
    graph.output.append(
        helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", hidden])
    )
    if mean_output:
        graph.output.append(
            helper.make_tensor_value_info("mean_embedding", TensorProto.FLOAT, ["batch", hidden])
        )
    model = g.model
    model.opset_import.append(helper.make_opsetid("", OPSET))
    model.producer_name = "earful"
    model.ir_version = 8  # readable by any onnxruntime >= 1.14
    return model
