"""Train the offline question classifier (the kinds of ``shared/data/questions/README.md``).

    python scripts/train_question_model.py            # writes adapters/question_model.npz
    python scripts/train_question_model.py --check    # also prints 5-fold scores on the examples
    python scripts/train_question_model.py --search   # 5-fold scores for a grid of C values

The examples live in ``training/questions/written-*.jsonl`` (``{"text", "kind", "lang"}``), written
for this purpose from the kinds' definitions, never taken from a measuring file. Each example is
also trained with a neutral preamble before it ("Thanks, that helps."), picked by a seeded
generator, because a question's bad part is as often in its second sentence as in its first.

Besides the weights, the artefact names what the rules are sure of: a kind the rules give that
was right on at least ``SURE_PRECISION`` of the training examples they gave it to (and at least
``SURE_SUPPORT`` of them) is kept over the model's reading; and a pattern cue that fit only
questions that are not open at that rate keeps the rules' reading when the model would say open.

Training is deterministic (sorted vocabularies, lbfgs run to a tight tolerance, seeded
preambles and folds): the same examples give the same artefact (tests/unit/test_question_model.py
checks it). The tolerance matters: stopped at scikit-learn's default the weights are still moving,
by a different amount under another scikit-learn or numpy; converged they are the unique optimum.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from adapters.grams import build_vocabulary  # noqa: E402
from adapters.question_features import (  # noqa: E402
    DENSE_NAMES,
    QuestionFeaturizer,
    char_grams,
    cues,
    word_grams,
)
from adapters.question_rules import RuleQuestionClassifier  # noqa: E402
from core.questions import QuestionKind  # noqa: E402

DATA = ROOT / "training" / "questions"
OUT = ROOT / "adapters" / "question_model.npz"
SEED = 15
# Inverse regularisation, chosen by `--search` (5-fold on the examples).
C = 8.0
WORD_MIN_COUNT = 2
CHAR_MIN_COUNT = 3
SURE_PRECISION = 0.97
SURE_SUPPORT = 10
# The yes/no cues that can be sure (not the length, nor the cues of open questions' grammar).
CUE_CANDIDATES = frozenset(
    name for name in DENSE_NAMES if name.startswith("pattern_") or name in ("closed_question", "currency")
)

# Sentences that say nothing about the kind, put before an example as a second form of it.
PREAMBLES = {
    "en": (
        "Thanks, that helps.",
        "Got it.",
        "Okay, that makes sense.",
        "Interesting.",
        "Thanks for explaining that.",
        "Right.",
        "I see.",
        "That's really useful, thank you.",
    ),
    "es": (
        "Gracias, me ayuda.",
        "Entendido.",
        "Vale, tiene sentido.",
        "Qué interesante.",
        "Gracias por explicarlo.",
        "Ya veo.",
    ),
    "fr": (
        "Merci, c'est utile.",
        "D'accord.",
        "Je vois.",
        "Intéressant.",
        "Merci pour ces explications.",
        "Ça se comprend.",
    ),
}


@dataclass(frozen=True)
class Example:
    text: str
    kind: str
    lang: str
    where: str


def load_examples(data: Path = DATA) -> list[Example]:
    """Every example of ``data/*.jsonl``, in path then line order."""
    kinds = {kind.value for kind in QuestionKind}
    examples: list[Example] = []
    for path in sorted(data.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            row = json.loads(line)
            if row.get("kind") not in kinds or row.get("lang") not in PREAMBLES:
                raise ValueError(f"{where}: 'kind' must be one of {sorted(kinds)}, 'lang' en, es or fr")
            examples.append(Example(str(row["text"]).strip(), row["kind"], row["lang"], where))
    return examples


def augmented(examples: list[Example]) -> list[Example]:
    """Each example, and the same example after a neutral preamble of its language."""
    rng = random.Random(SEED)
    opens = {
        lang: [e.text for e in examples if e.lang == lang and e.kind == QuestionKind.OPEN.value]
        for lang in PREAMBLES
    }
    out: list[Example] = []
    for example in examples:
        out.append(example)
        preamble = rng.choice(PREAMBLES[example.lang])
        out.append(Example(f"{preamble} {example.text}", example.kind, example.lang, example.where))
        # An open question first does not make a closed one open: the worst part decides.
        if opens[example.lang]:
            before = rng.choice(opens[example.lang])
            out.append(Example(f"{before} {example.text}", example.kind, example.lang, example.where))
    return out


def sure_kinds(examples: list[Example]) -> list[str]:
    """The kinds the rules give precisely enough on the examples to be kept over the model."""
    rules = RuleQuestionClassifier()
    given: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for example in examples:
        found = rules.read(example.text, example.lang).kind.value
        given[found] += 1
        right[found] += found == example.kind
    return sorted(
        kind
        for kind in given
        if kind != QuestionKind.OPEN.value
        and given[kind] >= SURE_SUPPORT
        and right[kind] / given[kind] >= SURE_PRECISION
    )


def sure_cues(examples: list[Example]) -> list[str]:
    """The pattern cues that, when they fit, mark a question that is not open on nearly every
    example ("imagine", "what if", a scale, "your ideal…"): the model may not call such a question
    open against the rules."""
    fired: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    for example in examples:
        for name, value in cues(example.text, example.lang).items():
            if name in CUE_CANDIDATES and value:
                fired[name] += 1
                closed[name] += example.kind != QuestionKind.OPEN.value
    return sorted(
        name for name in fired if fired[name] >= SURE_SUPPORT and closed[name] / fired[name] >= SURE_PRECISION
    )


def fit(examples: list[Example], c: float = C) -> dict[str, np.ndarray]:
    """The classifier's arrays: vocabularies, cue names, classes, coefficients, intercepts and
    the kinds the rules are sure of."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    train = augmented(examples)
    words = build_vocabulary([word_grams(e.text) for e in train], WORD_MIN_COUNT)
    chars = build_vocabulary([char_grams(e.text) for e in train], CHAR_MIN_COUNT)
    featurizer = QuestionFeaturizer(words, chars)
    x = csr_matrix(featurizer.matrix([(e.text, e.lang) for e in train]))
    model = LogisticRegression(C=c, max_iter=20000, tol=1e-8, class_weight="balanced", random_state=SEED)
    model.fit(x, [e.kind for e in train])
    return {
        "words": np.asarray(words, dtype=np.str_),
        "chars": np.asarray(chars, dtype=np.str_),
        "dense_names": np.asarray(DENSE_NAMES, dtype=np.str_),
        "classes": np.asarray(model.classes_, dtype=np.str_),
        "coef": model.coef_.astype(np.float32),
        "intercept": model.intercept_.astype(np.float32),
        "sure_kinds": np.asarray(sure_kinds(examples), dtype=np.str_),
        "sure_cues": np.asarray(sure_cues(examples), dtype=np.str_),
    }


def cross_validate(examples: list[Example], c: float = C, folds: int = 5) -> tuple[float, float]:
    """Kind accuracy and open-or-not accuracy of the combined classifier over seeded folds."""
    from sklearn.model_selection import StratifiedKFold

    from adapters.question_model import QuestionModel, TrainedQuestionClassifier

    kinds = [e.kind for e in examples]
    right = open_right = 0
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(np.zeros(len(examples)), kinds):
        classifier = TrainedQuestionClassifier(QuestionModel(fit([examples[i] for i in train], c)))
        for i in test:
            found = classifier.read(examples[i].text, examples[i].lang).kind.value
            right += found == examples[i].kind
            open_right += (found == "open") == (examples[i].kind == "open")
    return right / len(examples), open_right / len(examples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="also print 5-fold scores on the examples")
    parser.add_argument("--search", action="store_true", help="print 5-fold scores for a grid of C values")
    args = parser.parse_args(argv)
    examples = load_examples(args.data)
    if args.search:
        for c in (1.0, 2.0, 4.0, 8.0, 16.0, 32.0):
            kind, open_or_not = cross_validate(examples, c)
            print(f"C {c:5.1f}  kind accuracy {kind:.3f}  open-or-not accuracy {open_or_not:.3f}")
    if args.check:
        kind, open_or_not = cross_validate(examples)
        print(f"5-fold on the examples: kind accuracy {kind:.3f}, open-or-not accuracy {open_or_not:.3f}")
    arrays = fit(examples)
    np.savez_compressed(args.out, **arrays)  # type: ignore[arg-type]
    print(
        f"{len(examples)} examples, {len(arrays['words'])} word n-grams, {len(arrays['chars'])} "
        f"character n-grams, rules sure of {[str(k) for k in arrays['sure_kinds']]} and of the cues "
        f"{[str(c) for c in arrays['sure_cues']]} -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
