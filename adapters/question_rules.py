"""The offline question classifier: rules over the whole question, in English, Spanish and French.

A question is read sentence by sentence, because the part that teaches nothing is often not
the question mark: "Picture a world where suppliers always deliver on time. What changes for
you?" is hypothetical by its preamble. Each sentence gets the first kind whose pattern fits
(:mod:`adapters.question_patterns`), and the whole question takes the worst kind any sentence
has. Polite request forms ("Would you mind telling me…", "May I ask…") are removed before the
test for conditional verbs, so they stay open; a question with no opening wh-word or request
form ("Do you…?", "¿Usas…?", "Utilisez-vous… ?") is yes/no.
"""

from __future__ import annotations

import re

from adapters.question_patterns import PATTERNS, LanguagePatterns
from core.questions import QuestionKind, QuestionReading

# When sentences disagree, the whole question is the kind that comes first here.
SEVERITY = (
    QuestionKind.PRICE,
    QuestionKind.RATING,
    QuestionKind.COMPLIMENT,
    QuestionKind.SOLUTION,
    QuestionKind.HYPOTHETICAL,
    QuestionKind.LEADING,
    QuestionKind.YES_NO,
    QuestionKind.COMMITMENT,
)

_SENTENCE = re.compile(r"(?<=[.?!…])\s+(?=\S)")
_QUOTES = "\"'“”‘’«»`*_ "
_EN_WORDS = (
    "the you your what how do does did is are was of to and it would this that about when who "
    "tell me walk with for last time have has why which"
)
_ES_WORDS = (
    "el los las del que qué tu tus cómo es en y un una por para con lo te usted cuál has "
    "cuéntame última vez hiciste esto eso cuando cuándo también pasó yo mi mis al muy más pero hay "
    "está son ha he cuánto dónde quién puedo puedes nos nuestro"
)
_FR_WORDS = (
    "le les des du que qu vous votre vos est et une pour avec comment ce cette pas quel quelle "
    "racontez dernière fois avez êtes fait quand où pourquoi nous je il elle on au aux dans sur quelles "
    "quels qui ça cela mes mon ma sont été ont puis peut pouvez quoi"
)
_FUNCTION_WORDS = {
    "en": frozenset(_EN_WORDS.split()),
    "es": frozenset(_ES_WORDS.split()),
    "fr": frozenset(_FR_WORDS.split()),
}
_WORD = re.compile(r"[a-zà-ÿ]+", re.IGNORECASE)


def guess_language(text: str) -> str:
    """``en``, ``es`` or ``fr`` from the function words ``text`` uses (English when unsure)."""
    lowered = text.lower()
    if "¿" in lowered or "¡" in lowered or "ñ" in lowered:
        return "es"
    letters = {
        "es": sum(lowered.count(c) for c in "áíóú"),
        "fr": sum(lowered.count(c) for c in "èêàçœùûîïëâ"),
    }
    words = _WORD.findall(lowered.replace("'", " ").replace("’", " "))
    scores = {
        lang: sum(word in vocabulary for word in words) + letters.get(lang, 0)
        for lang, vocabulary in _FUNCTION_WORDS.items()
    }
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > 0 else "en"


def _normalised(sentence: str) -> str:
    text = sentence.replace("’", "'").replace("‘", "'").replace("`", "'").lower()
    return " ".join(text.split()).strip(_QUOTES)


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (a question mark, full stop or exclamation ends one)."""
    return [part.strip() for part in _SENTENCE.split(text.strip()) if part.strip(_QUOTES)]


def sentence_kind(sentence: str, patterns: LanguagePatterns) -> QuestionKind | None:
    """The kind one sentence makes a question, or ``None`` when it is open (or a neutral statement)."""
    text = _normalised(sentence)
    if not text:
        return None
    if patterns.rating.search(text):
        return QuestionKind.RATING
    imagined = patterns.imagined.search(text) is not None
    if not imagined and patterns.commitment_object.search(text) and patterns.commitment_ask.search(text):
        return QuestionKind.COMMITMENT
    if patterns.price.search(text):
        return QuestionKind.PRICE
    if patterns.compliment.search(text):
        return QuestionKind.COMPLIMENT
    past = patterns.past.search(text) is not None
    if patterns.solution.search(text) or (not past and patterns.ideal.search(text)):
        return QuestionKind.SOLUTION
    if patterns.leading.search(text):
        return QuestionKind.LEADING
    if imagined:
        return QuestionKind.HYPOTHETICAL
    polite = patterns.polite.search(text) is not None
    if patterns.conditional.search(patterns.polite.sub(" ", text)) and (
        not past or patterns.ours.search(text)
    ):
        return QuestionKind.HYPOTHETICAL
    if text.rstrip(_QUOTES).endswith("?") and not polite and not patterns.opener.search(text):
        return QuestionKind.YES_NO
    return None


class RuleQuestionClassifier:
    """:class:`core.questions.QuestionClassifier` by rules: offline, instant, deterministic."""

    def read(self, text: str, language: str | None = None) -> QuestionReading:
        """The kind of ``text`` and the sentence that makes it so."""
        base = (language or "").split("-")[0].lower()
        patterns = PATTERNS.get(base) or PATTERNS[guess_language(text)]
        found: dict[QuestionKind, str] = {}
        for sentence in sentences(text):
            kind = sentence_kind(sentence, patterns)
            if kind is not None:
                found.setdefault(kind, sentence)
        for kind in SEVERITY:
            if kind in found:
                return QuestionReading(kind, found[kind])
        return QuestionReading(QuestionKind.OPEN, " ".join(text.split()))

    async def classify(self, text: str, *, language: str | None = None) -> QuestionReading:
        return self.read(text, language)
