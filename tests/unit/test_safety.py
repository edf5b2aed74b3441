"""core.safety: what a generated probe or gist may not say, and that real questions pass."""

from __future__ import annotations

import pytest

from core.catalog import Catalog
from core.safety import probe_problem, summary_problem


def test_every_shipped_question_would_pass_as_a_probe(catalog: Catalog) -> None:
    # The checks must not refuse the kind of question a discovery interview asks, in any language.
    questions = [q.text for script in catalog.scripts.values() for _, q in script.questions()]
    assert len(questions) > 20
    assert [q for q in questions if probe_problem(q) is not None] == []


@pytest.mark.parametrize(
    "question",
    [
        "Tell me more at https://evil.example",
        "See www.example.org for the form, then tell me what happened.",
        "Open t.me/some_bot and tell me what you see.",
        "What is your card number?",
        "What's the CVV on the back?",
        "Which bank account do you pay suppliers from, and its IBAN?",
        "Send me the verification code you just got.",
        "¿Cuál es el número de tu tarjeta?",
        "Quel est votre mot de passe ?",
        "[Tell me](javascript:alert(1)) about it.",
    ],
)
def test_links_and_requests_for_secrets_are_refused(question: str) -> None:
    assert probe_problem(question) is not None


def test_a_gist_may_only_repeat_specifics_the_customer_said() -> None:
    said = ["We lose about 6 hours a week.", "Write to me at ana@bakery.example if you like."]
    assert summary_problem("Ops lead losing 6 hours a week", said) is None
    assert summary_problem("Ops lead losing 16 hours a week", said) is not None
    assert summary_problem("Password resets annoy the ops lead", said) is None  # a topic, not a request
    assert summary_problem("Ops lead; please share your password with the team", said) is not None
    assert summary_problem("Ops lead at https://bakery.example", said) is not None
