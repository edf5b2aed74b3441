"""The offline answer reader: rules for the facets, a small trained classifier for the act.

:class:`OfflineAnswerReader` implements :class:`core.reading.AnswerReader` with no network
and no model download:

1. the answer is cut into sentences (``reader_rules.split_sentences``), kept verbatim;
2. each sentence is tagged with the facets its phrases carry (``reader_rules.sentence_facets``:
   lexicons and morphology in English, Spanish and French), which gives the evidence;
3. the act comes from a logistic regression over the answer's words and its cues (time
   anchors, past tense, habit, modals, questions, refusals, injections...), trained by
   ``scripts/train_answer_reader.py`` on the examples in ``adapters/reader_data/`` and shipped
   as ``adapters/reader_model.npz``; a few acts that the definitions settle outright (an empty
   or emoji-only answer is ``minimal``, "??" is ``question``) are not left to the classifier;
4. the facets are made consistent with the act (a story always has its occurrence; a minimal
   answer carries none);
5. the language is the detector's when the text says enough, else the interview's hint.

A reading takes well under a millisecond or two once loaded (no sentence vectors: MiniLM costs
~3-12 ms a sentence on the target machine, more than the whole reading's budget).
"""

from __future__ import annotations

import asyncio
import math
import threading
from pathlib import Path

import numpy as np

from core.languages import LanguageDetector, detect_language
from core.reading import Act, Facet, Reading

from .packaged_arrays import load_arrays
from .reader_features import DENSE_NAMES, SENTENCE_DENSE_NAMES, Featurizer, SentenceFeaturizer
from .reader_rules import (
    CLARIFY,
    DECLINE,
    INJECTION,
    UNRELATED,
    is_emoji_only,
    is_occurrence,
    is_real_question,
    split_sentences,
    words,
)

MODEL_FILE = "reader_model.npz"
RETRAIN = "run scripts/train_answer_reader.py"
INLINE_CHARS = 600  # longer answers are read in a worker thread (a few ms or more)
# Below this many letters the interview's language decides ("ok", "👍", "sí").
_MIN_LETTERS_TO_DETECT = 16


class ReaderModelMissing(RuntimeError):
    """The shipped act classifier cannot be read."""


class ActClassifier:
    """The trained act classifier (a logistic regression over the answer), from its ``.npz``."""

    def __init__(self, arrays: dict[str, np.ndarray], source: str) -> None:
        if tuple(str(n) for n in arrays["dense_names"]) != DENSE_NAMES:
            raise ReaderModelMissing(f"{source} was trained with other cues; {RETRAIN}")
        self.featurizer = Featurizer([str(v) for v in arrays["vocabulary"]])
        self.classes = tuple(Act(str(c)) for c in arrays["classes"])
        self._coef = arrays["coef"].astype(np.float64).T
        self._intercept = arrays["intercept"].astype(np.float64)

    def probabilities(self, text: str, sentences: list[str]) -> dict[Act, float]:
        scores = self.featurizer.row(text, sentences) @ self._coef + self._intercept
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return {act: float(p) for act, p in zip(self.classes, scores, strict=True)}


class FacetClassifier:
    """The trained facet classifier: one logistic regression per facet over one sentence."""

    def __init__(self, arrays: dict[str, np.ndarray], source: str) -> None:
        if (
            "facet_coef" not in arrays
            or tuple(str(n) for n in arrays["facet_dense_names"]) != SENTENCE_DENSE_NAMES
        ):
            raise ReaderModelMissing(f"{source} has no facet classifier for these cues; {RETRAIN}")
        self.featurizer = SentenceFeaturizer([str(v) for v in arrays["facet_vocabulary"]])
        self.facets = tuple(Facet(str(f)) for f in arrays["facet_names"])
        self._coef = arrays["facet_coef"].astype(np.float64).T
        self._intercept = arrays["facet_intercept"].astype(np.float64)

    def facets_of(self, sentence: str, position: int, total: int) -> dict[Facet, float]:
        """The facets ``sentence`` carries, each with its logit (above zero: probability above
        one half), which says how plainly the sentence carries it."""
        scores = self.featurizer.row(sentence, position, total) @ self._coef + self._intercept
        return {facet: float(score) for facet, score in zip(self.facets, scores, strict=True) if score > 0}


class ReaderModel:
    """Both trained classifiers, read from one shipped ``.npz`` (no pickle)."""

    def __init__(self, path: Path | None = None) -> None:
        arrays = load_arrays(path, MODEL_FILE, ReaderModelMissing, "the answer reader's model")
        source = str(path or MODEL_FILE)
        try:
            self.acts = ActClassifier(arrays, source)
            self.facets = FacetClassifier(arrays, source)
        except KeyError as error:
            raise ReaderModelMissing(f"{source} lacks {error}; {RETRAIN}") from None


class OfflineAnswerReader:
    """:class:`core.reading.AnswerReader` by rules and a shipped classifier, offline."""

    name = "offline"

    def __init__(self, detector: LanguageDetector | None = None, model_path: Path | None = None) -> None:
        """``detector`` defaults to py3langid (loaded on the first answer long enough to detect)."""
        self._detector = detector
        self._model_path = model_path
        self._model: ReaderModel | None = None
        self._lock = threading.Lock()

    async def warm_up(self) -> None:
        """Load the classifier and the language detector in a worker thread (seconds of work)."""
        await asyncio.to_thread(self.load_now)

    def load_now(self) -> None:
        """Load the classifier and the language detector now rather than on the first answer."""
        from .langid_detector import LangidDetector

        self._load()
        detector = self._language_detector()
        if isinstance(detector, LangidDetector):  # another detector is the caller's to load
            detector.warm_up()

    def _load(self) -> ReaderModel:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = ReaderModel(self._model_path)
        return self._model

    def _language_detector(self) -> LanguageDetector:
        if self._detector is None:
            from .langid_detector import LangidDetector

            self._detector = LangidDetector()
        return self._detector

    async def read(self, answer: str, *, question: str, language: str | None = None) -> Reading:
        """The reading of ``answer`` (``question`` is accepted for the Protocol; the act and facets
        are read from the answer itself, as the definitions say). A long answer is read in a
        worker thread: a flood of long answers must not hold the event loop other customers'
        turns and ``/healthz`` run on; a short one is read in place, faster than a thread hop."""
        if len(answer) > INLINE_CHARS:
            return await asyncio.to_thread(self.read_now, answer, language=language)
        return self.read_now(answer, language=language)

    def read_now(self, answer: str, *, language: str | None = None) -> Reading:
        """The same reading, synchronously (it never waits on anything)."""
        text = answer.strip()
        sentences = split_sentences(text)
        model = self._load().facets
        told = [model.facets_of(s, position, len(sentences)) for position, s in enumerate(sentences)]
        act = self._act(text, sentences, told)
        # Each facet's sentences, the plainest first: a follow-up quotes the customer's clearest
        # words for it, not the first sentence that touches it.
        scored: dict[Facet, list[tuple[float, int, str]]] = {}
        if act is not Act.MINIMAL:
            for position, (sentence, facets_told) in enumerate(zip(sentences, told, strict=True)):
                for facet in _carried(act, sentence, set(facets_told)):
                    scored.setdefault(facet, []).append((-facets_told[facet], position, sentence))
        ordered = {facet: sorted(items) for facet, items in scored.items()}
        evidence = {facet: [sentence for *_, sentence in items] for facet, items in ordered.items()}
        _agree_with_act(act, sentences, evidence)
        facets = tuple(f for f in Facet if f in evidence)
        strength = {
            facet: tuple(round(1 / (1 + math.exp(logit)), 3) for logit, _, _ in ordered[facet])
            for facet in facets
            if facet in ordered and len(ordered[facet]) == len(evidence[facet])
        }
        return Reading(
            act=act,
            facets=facets,
            language=self._language(text, language),
            evidence={f: tuple(evidence[f]) for f in facets},
            strength=strength,
            reader=self.name,
        )

    def _act(self, text: str, sentences: list[str], told: list[dict[Facet, float]]) -> Act:
        if not text or is_emoji_only(text):
            return Act.MINIMAL
        if not words(text):
            return Act.QUESTION if "?" in text else Act.MINIMAL
        if len(words(text)) <= 3 and CLARIFY.search(text):
            return Act.QUESTION
        probabilities = self._load().acts.probabilities(text, sentences)
        ranked = sorted(probabilities, key=lambda a: probabilities[a], reverse=True)
        # Off topic means unrelated to the interview: an answer that tells facts of the customer's
        # work, with nothing aimed at the bot and nothing unrelated in it, is not. The doubt goes
        # to the customer: redirecting a real answer ("let's keep this about your work") costs the
        # interview more than taking one stray remark as an answer.
        tells_work = any(facets.keys() & _WORK_FACTS for facets in told)
        if ranked[0] is Act.OFF_TOPIC and len(ranked) > 1 and tells_work and not _unrelated(sentences):
            return ranked[1]
        return ranked[0]

    def _language(self, text: str, hint: str | None) -> str:
        if sum(ch.isalpha() for ch in text) < _MIN_LETTERS_TO_DETECT:
            return detect_language(None, text, hint or "en")
        return detect_language(self._language_detector(), text, hint or "en", min_confidence=0.5)


# Facets that only an answer about the customer's work can carry.
_WORK_FACTS = frozenset(
    {Facet.ROLE, Facet.PROBLEM, Facet.WORKAROUND, Facet.COST, Facet.REFERRAL, Facet.COMMITMENT}
)


def _unrelated(sentences: list[str]) -> bool:
    """Whether any sentence is aimed at the bot or about something unrelated."""
    return any(INJECTION.search(sentence) or UNRELATED.search(sentence) for sentence in sentences)


# An opinion is a judgment without facts: who is speaking, what pains them, and a concrete offer
# riding on the praise ("love it, sign me up", "my sister has the same trouble") still count.
_OPINION_FACETS = frozenset({Facet.ROLE, Facet.PROBLEM, Facet.REFERRAL, Facet.COMMITMENT})


def _carried(act: Act, sentence: str, told: set[Facet]) -> set[Facet]:
    """The facets ``sentence`` gives as facts in an answer read as ``act``.

    A question asks rather than tells ("how much will it cost?" states no cost); a refusal names
    what it will not talk about ("I'd rather not talk about money"), though an offer riding on it
    is a commitment; an injection or an unrelated remark tells nothing about the customer."""
    if is_real_question(sentence):
        return set()
    found = set(told)
    if act is Act.DECLINE and DECLINE.search(sentence):
        return found & {Facet.COMMITMENT, Facet.ROLE}
    if act is Act.OFF_TOPIC and (INJECTION.search(sentence) or UNRELATED.search(sentence)):
        return set()
    if act is Act.OPINION:
        return found & _OPINION_FACETS
    return found


def _agree_with_act(act: Act, sentences: list[str], evidence: dict[Facet, list[str]]) -> None:
    """Facets that follow from the act: every story has its occurrence, only a story
    has one (a time word in a routine or a wish is not an occurrence)."""
    if act is Act.STORY and Facet.OCCURRENCE not in evidence and sentences:
        anchored = [s for s in sentences if is_occurrence(s)]
        evidence[Facet.OCCURRENCE] = anchored or sentences[:1]
    if act is not Act.STORY:
        evidence.pop(Facet.OCCURRENCE, None)
