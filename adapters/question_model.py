"""The offline question classifier: a trained model over the whole question, with the rules kept
where they are sure.

The rules (:mod:`adapters.question_rules`) match grammar; they miss a question phrased in a way
no pattern foresaw ("Describe your dream inventory tool.", "Does the name work for you?"). The
model, a logistic regression over the question's words, letters and the rules' own cues
(:mod:`adapters.question_features`), trained by ``scripts/train_question_model.py`` on questions
written for it (``training/questions/``), reads those too. When the rules give a kind they were
right about on nearly every training question they gave it to (the artefact's ``sure_kinds``),
their reading stands; and the model may not call a question open against the rules when one of
the rules' cues that fit only closed training questions fits it (``sure_cues``: "imagine",
"what if", "your ideal…"). Otherwise the model decides.

Weights ship as ``adapters/question_model.npz`` (no pickle); a reading takes well under a millisecond.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from core.questions import QuestionKind, QuestionReading

from .packaged_arrays import load_arrays
from .question_features import DENSE_NAMES, QuestionFeaturizer, cues
from .question_rules import RuleQuestionClassifier, sentences

MODEL_FILE = "question_model.npz"


class QuestionModelMissing(RuntimeError):
    """The shipped question model cannot be read."""


class QuestionModel:
    """The trained weights: a score per kind for a question."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        if tuple(str(n) for n in arrays["dense_names"]) != DENSE_NAMES:
            raise QuestionModelMissing(
                "the question model was trained with other cues; run scripts/train_question_model.py"
            )
        self.featurizer = QuestionFeaturizer(
            [str(g) for g in arrays["words"]], [str(g) for g in arrays["chars"]]
        )
        self.kinds = tuple(QuestionKind(str(k)) for k in arrays["classes"])
        self.sure_kinds = frozenset(QuestionKind(str(k)) for k in arrays["sure_kinds"])
        self.sure_cues = frozenset(str(c) for c in arrays["sure_cues"])
        self._coef = arrays["coef"].astype(np.float64).T
        self._intercept = arrays["intercept"].astype(np.float64)

    @classmethod
    def load(cls, path: Path | None = None) -> QuestionModel:
        """The model in ``path``, or the one shipped with the package."""
        return cls(load_arrays(path, MODEL_FILE, QuestionModelMissing, "the question model"))

    def scores(self, text: str, language: str | None = None) -> dict[QuestionKind, float]:
        """The score of each kind for ``text`` (higher is likelier)."""
        values = self.featurizer.row(text, language) @ self._coef + self._intercept
        return dict(zip(self.kinds, (float(v) for v in values), strict=True))

    def kind(self, text: str, language: str | None = None) -> QuestionKind:
        """Open when the model finds that likelier than all the other kinds together, else the
        likeliest other kind: the lint's question is whether a question is open, and nine-way
        argmax would call a question open while most of the probability says it is not."""
        scores = self.scores(text, language)
        values = np.asarray(list(scores.values()))
        probabilities = np.exp(values - values.max())
        probabilities /= probabilities.sum()
        by_kind = dict(zip(scores, probabilities, strict=True))
        if by_kind.get(QuestionKind.OPEN, 0.0) >= 0.5:
            return QuestionKind.OPEN
        return max((k for k in scores if k is not QuestionKind.OPEN), key=lambda k: scores[k])


@cache
def shipped_model() -> QuestionModel:
    """The model shipped with the package, read once."""
    return QuestionModel.load()


class TrainedQuestionClassifier:
    """:class:`core.questions.QuestionClassifier` by the trained model and the sure rules:
    offline, instant, deterministic."""

    def __init__(self, model: QuestionModel | None = None) -> None:
        self._model = model
        self._rules = RuleQuestionClassifier()

    @property
    def model(self) -> QuestionModel:
        if self._model is None:
            self._model = shipped_model()
        return self._model

    def read(self, text: str, language: str | None = None) -> QuestionReading:
        """The kind of ``text`` and the sentence that makes it so."""
        ruled = self._rules.read(text, language)
        if ruled.kind in self.model.sure_kinds:
            return ruled
        kind = self.model.kind(text, language)
        whole = " ".join(text.split())
        if kind is QuestionKind.OPEN:
            if ruled.kind is not QuestionKind.OPEN and self._sure_cue_fits(text, language):
                return ruled
            return QuestionReading(kind, whole)
        if ruled.kind is kind:
            return ruled
        return QuestionReading(kind, self._deciding_sentence(text, language, kind) or whole)

    def _sure_cue_fits(self, text: str, language: str | None) -> bool:
        found = cues(text, language)
        return any(found.get(name) for name in self.model.sure_cues)

    def _deciding_sentence(self, text: str, language: str | None, kind: QuestionKind) -> str | None:
        """The sentence of a question of several that, read alone, looks most like ``kind``."""
        parts = sentences(text)
        if len(parts) < 2:
            return None
        return max(parts, key=lambda part: self.model.scores(part, language)[kind])

    async def classify(self, text: str, *, language: str | None = None) -> QuestionReading:
        return self.read(text, language)
