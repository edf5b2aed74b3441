"""The offline question classifier on questions written for these tests, in English, Spanish and
French: every kind, preambles, polite request forms, and the sentence that decides."""

from __future__ import annotations

import pytest
from question_examples import EXAMPLES

from adapters.question_rules import RuleQuestionClassifier, guess_language
from core.questions import QuestionKind

CASES = [
    (language, kind, question)
    for language, kinds in EXAMPLES.items()
    for kind, questions in kinds.items()
    for question in questions
]


def test_every_kind_has_examples_in_every_language() -> None:
    for language, kinds in EXAMPLES.items():
        assert set(kinds) == set(QuestionKind), language


@pytest.mark.parametrize(("language", "kind", "question"), CASES, ids=lambda v: str(v)[:40])
async def test_the_kind_of_each_question(language: str, kind: QuestionKind, question: str) -> None:
    reading = await RuleQuestionClassifier().classify(question, language=language)
    assert reading.kind is kind, reading


@pytest.mark.parametrize(("language", "kind", "question"), CASES, ids=lambda v: str(v)[:40])
def test_the_language_is_guessed_when_not_given(language: str, kind: QuestionKind, question: str) -> None:
    assert guess_language(question) == language
    assert RuleQuestionClassifier().read(question).kind is kind


def test_the_sentence_that_makes_it_so_is_named() -> None:
    classifier = RuleQuestionClassifier()
    reading = classifier.read("Thanks, that helps. What's hard about payroll? Do you use Gusto for it?")
    assert (reading.kind, reading.sentence) == (QuestionKind.YES_NO, "Do you use Gusto for it?")
    preamble = classifier.read("Picture a world where stock counts itself. What changes for you?")
    assert preamble.kind is QuestionKind.HYPOTHETICAL
    assert preamble.sentence == "Picture a world where stock counts itself."


def test_an_open_question_reads_whole() -> None:
    reading = RuleQuestionClassifier().read("  Tell me about   the last time it broke. ")
    assert reading.kind is QuestionKind.OPEN
    assert reading.sentence == "Tell me about the last time it broke."


def test_the_worst_sentence_decides_a_question_of_several() -> None:
    # A commitment ask does not excuse a price question beside it.
    text = "Can I show you a demo on Monday at 9? And what would you pay for it?"
    assert RuleQuestionClassifier().read(text).kind is QuestionKind.PRICE


def test_case_quotes_and_typographic_apostrophes_do_not_hide_a_kind() -> None:
    classifier = RuleQuestionClassifier()
    assert classifier.read('"WOULD YOU use this?"').kind is QuestionKind.HYPOTHETICAL
    assert classifier.read("Isn’t it annoying, right?").kind is QuestionKind.LEADING


def test_nouns_that_look_like_conditional_verbs_are_not_hypothetical() -> None:
    classifier = RuleQuestionClassifier()
    assert classifier.read("¿Qué te pidió la gestoría el mes pasado?", "es").kind is QuestionKind.OPEN
    assert classifier.read("Comment gérez-vous le retrait des espèces ?", "fr").kind is QuestionKind.OPEN
