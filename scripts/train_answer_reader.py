"""Train the offline answer reader: the act classifier and the sentence facet classifier.

    python scripts/train_answer_reader.py            # writes adapters/reader_model.npz
    python scripts/train_answer_reader.py --check    # also prints 5-fold scores on the examples
    python scripts/train_answer_reader.py --search   # picks the regularisation by 5-fold score

The examples live in ``training/answers/``, written for this purpose from the definitions of
``shared/data/answers/README.md`` (never taken from a measuring file; ``training/answers/spec.py``
makes the seeded briefs they were written from):

- ``written-*.jsonl``: ``{"act", "sentences": [{"text", "facets"}], ...}``, facets per sentence;
  they train both classifiers;
- ``legacy/*.jsonl``: ``{"answer", "act", "facets"}``, facets per answer; they train the act
  classifier only.

Training is deterministic (fixed vocabulary order, lbfgs, seeded folds): the same examples give
the same artefact (tests/unit/test_answer_reader.py checks it).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from adapters.grams import build_vocabulary  # noqa: E402
from adapters.reader_features import (  # noqa: E402
    DENSE_NAMES,
    SENTENCE_DENSE_NAMES,
    Featurizer,
    SentenceFeaturizer,
    ngrams,
)
from core.reading import Act, Facet  # noqa: E402

DATA = ROOT / "training" / "answers"
OUT = ROOT / "adapters" / "reader_model.npz"
SEED = 14
# Inverse regularisation of the two classifiers, chosen by `--search` (5-fold on the examples).
C_ACT = 4.0
C_FACET = 4.0
FACETS = tuple(Facet)


@dataclass(frozen=True)
class Example:
    answer: str
    act: str
    facets: frozenset[str]
    # (sentence, its facets) when the example is labelled sentence by sentence
    sentences: tuple[tuple[str, frozenset[str]], ...] | None
    where: str


def _check(row: dict[str, object], where: str) -> None:
    act = row.get("act")
    if not isinstance(act, str) or act not in {a.value for a in Act}:
        raise ValueError(f"{where}: 'act' must be one of {[a.value for a in Act]}")


def load_examples(data: Path = DATA) -> list[Example]:
    """Every example under ``data`` (``**/*.jsonl``), in path then line order."""
    examples: list[Example] = []
    facet_names = {f.value for f in Facet}
    for path in sorted(data.rglob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.relative_to(data)}:{number}"
            row = json.loads(line)
            _check(row, where)
            if isinstance(row.get("sentences"), list):
                pairs = []
                for item in row["sentences"]:
                    text, facets = str(item["text"]).strip(), frozenset(item.get("facets", ()))
                    if not facets <= facet_names:
                        raise ValueError(f"{where}: unknown facets {sorted(facets - facet_names)}")
                    if text:
                        pairs.append((text, facets))
                answer = " ".join(text for text, _ in pairs)
                union = frozenset().union(*(f for _, f in pairs)) if pairs else frozenset()
                examples.append(Example(answer, row["act"], union, tuple(pairs), where))
            elif isinstance(row.get("answer"), str):
                facets = frozenset(row.get("facets", ()))
                examples.append(Example(row["answer"], row["act"], facets, None, where))
            else:
                raise ValueError(f"{where}: needs 'sentences' or 'answer'")
    return examples


def fit_acts(texts: list[str], acts: list[str], c: float = C_ACT) -> dict[str, np.ndarray]:
    """The act classifier's arrays: vocabulary, cue names, classes, coefficients, intercepts."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    vocabulary = build_vocabulary((ngrams(text) for text in texts), min_count=2)
    x = csr_matrix(Featurizer(vocabulary).matrix(texts))
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=SEED)
    model.fit(x, acts)
    return {
        "vocabulary": np.asarray(vocabulary, dtype=np.str_),
        "dense_names": np.asarray(DENSE_NAMES, dtype=np.str_),
        "classes": np.asarray(model.classes_, dtype=np.str_),
        "coef": model.coef_.astype(np.float32),
        "intercept": model.intercept_.astype(np.float32),
    }


def _sentence_rows(examples: list[Example]) -> tuple[list[tuple[str, int, int]], np.ndarray]:
    rows: list[tuple[str, int, int]] = []
    labels: list[list[float]] = []
    for example in examples:
        assert example.sentences is not None
        total = len(example.sentences)
        for position, (text, facets) in enumerate(example.sentences):
            rows.append((text, position, total))
            labels.append([float(f.value in facets) for f in FACETS])
    return rows, np.asarray(labels).reshape(-1, len(FACETS))


def fit_facets(examples: list[Example], c: float = C_FACET) -> dict[str, np.ndarray]:
    """The facet classifier's arrays: one logistic regression per facet over sentences."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows, labels = _sentence_rows(examples)
    vocabulary = build_vocabulary((ngrams(text) for text, _, _ in rows), min_count=3)
    x = csr_matrix(SentenceFeaturizer(vocabulary).matrix(rows))
    coef = np.zeros((len(FACETS), x.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(FACETS), dtype=np.float32)
    for i in range(len(FACETS)):
        y = labels[:, i]
        if y.min() == y.max():  # a facet no sentence carries (or all do): a constant
            intercept[i] = 10.0 if y.max() else -10.0
            continue
        # Balanced: most sentences carry no given facet, and a missed facet costs the interview
        # a question it need not ask, as much as a facet read where there is none.
        model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=SEED)
        model.fit(x, y)
        coef[i] = model.coef_[0]
        intercept[i] = model.intercept_[0]
    return {
        "facet_vocabulary": np.asarray(vocabulary, dtype=np.str_),
        "facet_dense_names": np.asarray(SENTENCE_DENSE_NAMES, dtype=np.str_),
        "facet_names": np.asarray([f.value for f in FACETS], dtype=np.str_),
        "facet_coef": coef,
        "facet_intercept": intercept,
    }


def fit(examples: list[Example], c_act: float = C_ACT, c_facet: float = C_FACET) -> dict[str, np.ndarray]:
    arrays = fit_acts([e.answer for e in examples], [e.act for e in examples], c_act)
    arrays.update(fit_facets([e for e in examples if e.sentences is not None], c_facet))
    return arrays


def _predict_acts(arrays: dict[str, np.ndarray], texts: list[str]) -> list[str]:
    featurizer = Featurizer([str(v) for v in arrays["vocabulary"]])
    scores = featurizer.matrix(texts) @ arrays["coef"].T + arrays["intercept"]
    return [str(a) for a in arrays["classes"][scores.argmax(axis=1)]]


def _predict_facets(arrays: dict[str, np.ndarray], example: Example) -> set[str]:
    assert example.sentences is not None
    featurizer = SentenceFeaturizer([str(v) for v in arrays["facet_vocabulary"]])
    total = len(example.sentences)
    x = featurizer.matrix([(text, i, total) for i, (text, _) in enumerate(example.sentences)])
    scores = x @ arrays["facet_coef"].T + arrays["facet_intercept"]
    return {FACETS[j].value for j in range(len(FACETS)) if (scores[:, j] > 0).any()}


def cross_validate(
    examples: list[Example], c_act: float = C_ACT, c_facet: float = C_FACET, folds: int = 5
) -> tuple[float, float]:
    """Act accuracy and facet micro-F1 (answer level) over a seeded stratified k-fold split."""
    from sklearn.model_selection import StratifiedKFold

    acts = [e.act for e in examples]
    right = tp = fp = fn = 0
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(np.zeros(len(examples)), acts):
        arrays = fit([examples[i] for i in train], c_act, c_facet)
        held = [examples[i] for i in test]
        predicted = _predict_acts(arrays, [e.answer for e in held])
        right += sum(1 for p, e in zip(predicted, held, strict=True) if p == e.act)
        for e in held:
            if e.sentences is None:
                continue
            found = _predict_facets(arrays, e) if e.act != Act.MINIMAL else set()
            tp += len(found & e.facets)
            fp += len(found - e.facets)
            fn += len(e.facets - found)
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return right / len(examples), f1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="also print 5-fold scores on the examples")
    parser.add_argument("--search", action="store_true", help="print 5-fold scores for a grid of C values")
    args = parser.parse_args(argv)
    examples = load_examples(args.data)
    if args.search:
        for c_act in (1.0, 2.0, 4.0, 8.0, 16.0):
            for c_facet in (0.5, 1.0, 2.0, 4.0, 8.0):
                acc, f1 = cross_validate(examples, c_act, c_facet)
                print(
                    f"C_ACT {c_act:5.1f}  C_FACET {c_facet:5.1f}  act accuracy {acc:.3f}  facet F1 {f1:.3f}"
                )
    if args.check:
        acc, f1 = cross_validate(examples)
        print(f"5-fold on the examples: act accuracy {acc:.3f}, facet micro-F1 {f1:.3f}")
    arrays = fit(examples)
    np.savez_compressed(args.out, **arrays)  # type: ignore[arg-type]
    labelled = sum(1 for e in examples if e.sentences is not None)
    print(
        f"{len(examples)} examples ({labelled} labelled by sentence), {len(arrays['vocabulary'])} "
        f"answer n-grams, {len(arrays['facet_vocabulary'])} sentence n-grams -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
