"""Train the offline answer reader's act classifier from the examples in adapters/reader_data/.

    python scripts/train_answer_reader.py            # writes adapters/reader_model.npz
    python scripts/train_answer_reader.py --out X.npz --check   # also prints a 5-fold score

The examples are written for this purpose (never taken from a measuring file). Training is
deterministic: a fixed vocabulary order, lbfgs logistic regression and a seeded fold split, so
the same data gives the same artefact (tests/unit/test_answer_reader_training.py checks it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from adapters.reader_features import DENSE_NAMES, Featurizer, build_vocabulary  # noqa: E402

DATA = ROOT / "adapters" / "reader_data"
OUT = ROOT / "adapters" / "reader_model.npz"
SEED = 14
C = 4.0  # inverse regularisation; chosen by the 5-fold score on the training examples only


def load_examples(data: Path = DATA) -> list[dict[str, object]]:
    """Every example of every ``*.jsonl`` file in ``data``, in file then line order."""
    rows: list[dict[str, object]] = []
    for path in sorted(data.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                if not isinstance(row.get("answer"), str) or not isinstance(row.get("act"), str):
                    raise ValueError(f"{path}:{number}: needs 'answer' and 'act'")
                rows.append(row)
    return rows


def fit(texts: list[str], acts: list[str], c: float = C) -> dict[str, np.ndarray]:
    """The trained arrays: vocabulary, dense names, classes, coefficients and intercepts."""
    from sklearn.linear_model import LogisticRegression

    vocabulary = build_vocabulary(texts)
    featurizer = Featurizer(vocabulary)
    x = featurizer.matrix(texts)
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=SEED)
    model.fit(x, acts)
    return {
        "vocabulary": np.asarray(vocabulary, dtype=np.str_),
        "dense_names": np.asarray(DENSE_NAMES, dtype=np.str_),
        "classes": np.asarray(model.classes_, dtype=np.str_),
        "coef": model.coef_.astype(np.float32),
        "intercept": model.intercept_.astype(np.float32),
    }


def cross_validate(texts: list[str], acts: list[str], c: float = C, folds: int = 5) -> float:
    """Act accuracy over a seeded stratified k-fold split of the training examples."""
    from sklearn.model_selection import StratifiedKFold

    right = 0
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(texts, acts):
        arrays = fit([texts[i] for i in train], [acts[i] for i in train], c)
        featurizer = Featurizer([str(v) for v in arrays["vocabulary"]])
        scores = featurizer.matrix([texts[i] for i in test]) @ arrays["coef"].T + arrays["intercept"]
        predicted = arrays["classes"][scores.argmax(axis=1)]
        right += sum(1 for p, i in zip(predicted, test, strict=True) if p == acts[i])
    return right / len(texts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="also print a 5-fold cross-validated accuracy")
    args = parser.parse_args(argv)
    examples = load_examples(args.data)
    texts = [str(e["answer"]) for e in examples]
    acts = [str(e["act"]) for e in examples]
    if args.check:
        print(f"5-fold act accuracy on the training examples: {cross_validate(texts, acts):.3f}")
    arrays = fit(texts, acts)
    np.savez_compressed(args.out, **arrays)  # type: ignore[arg-type]
    print(f"{len(examples)} examples, {len(arrays['vocabulary'])} n-grams -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
