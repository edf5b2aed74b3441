"""The open-question lint: real closed questions are rejected with the right reason, open ones pass."""

from __future__ import annotations

import pytest

from core.lint import LintFinding, lint_script, question_problem
from core.script import Question, Script, Section, SectionKind

HYPOTHETICAL = [
    "Would you use an app that chased late invoices for you?",
    "How much would you pay for automatic bank reconciliation?",
    "If you could wave a magic wand, what would you change about payroll?",
    "Imagine you had a tool that did month-end close for you. What would that change?",
    "What would you pay for a tool like that?",
    "Will you switch accounting software this year?",
    "What if your invoices sent themselves?",
    "Suppose the export never failed again. How would your week look?",
    "Could you see yourself using this every day?",
    "How likely are you to recommend us to a colleague?",
    "Would it help if reports were generated automatically?",
    "Are you going to hire another bookkeeper?",
]

LEADING = [
    "Don't you think onboarding is slow?",
    "Don’t you think onboarding is slow?",  # typographic apostrophe, as pasted from a doc
    "Do you like our dashboard?",
    "Wouldn't it be great if invoices sent themselves?",
    "Isn't chasing payments the worst part of your week?",
    "Do you agree that spreadsheets are error-prone?",
    "Do you want a faster way to close the books?",
    "How much do you love the new reports?",
    "Chasing invoices is painful, right?",
    "Manual reconciliation is a nightmare, don't you think?",
]

YES_NO = [
    "Do you use spreadsheets?",
    "Is pricing a problem?",
    "Have you tried Zapier?",
    "Did the export fail last month?",
    "Are invoices late often?",
    "Was that frustrating?",
    "Does your accountant help with this?",
    "Can you export to CSV?",
    "Should we call your finance team?",
]

OPEN = [
    "What's the hardest part about getting invoices out?",
    "Tell me about the last time that happened.",
    "How do you handle invoices today?",
    "Can you walk me through your week?",
    "Why was that hard?",
    "Could you tell me about the last time the close ran late?",
    "Can you describe what happened next?",
    "How often does this come up, and who else is involved when it does?",
    "What did you do about it? What have you tried so far to solve it?",
    "How much time do you spend on invoicing each week?",
    "Who else do you know who has this problem? We'd love to hear their story too.",
    "What do you like least about your current tool?",
    "Walk me through the last month-end close.",
]


def reason_word(reason: str) -> str:
    return reason.split(":", 1)[0]


@pytest.mark.parametrize("question", HYPOTHETICAL)
def test_hypothetical_questions_are_rejected(question: str) -> None:
    problem = question_problem(question)
    assert problem is not None
    assert reason_word(problem[1]) == "hypothetical"
    assert "future" in problem[1]


@pytest.mark.parametrize("question", LEADING)
def test_leading_questions_are_rejected(question: str) -> None:
    problem = question_problem(question)
    assert problem is not None
    assert reason_word(problem[1]) == "leading"
    assert problem[0] == question


@pytest.mark.parametrize("question", YES_NO)
def test_yes_no_questions_are_rejected(question: str) -> None:
    problem = question_problem(question)
    assert problem is not None
    assert reason_word(problem[1]) == "yes/no"
    assert "what, how or tell me about" in problem[1]


@pytest.mark.parametrize("question", OPEN)
def test_open_questions_pass(question: str) -> None:
    assert question_problem(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "What would you do if your bank stopped exporting CSVs?",
        "How would you feel if we automated this for you?",
    ],
)
def test_what_would_you_hypotheticals_are_rejected(question: str) -> None:
    problem = question_problem(question)
    assert problem is not None and reason_word(problem[1]) == "hypothetical"


def test_the_offending_sentence_is_named_in_a_multi_sentence_question() -> None:
    text = "Thanks, that helps. What's hard about payroll? Do you use Gusto for it?"
    assert question_problem(text) == (
        "Do you use Gusto for it?",
        "yes/no: can be answered with one word; ask what, how or tell me about",
    )


def test_the_first_closed_sentence_wins() -> None:
    sentence, reason = question_problem("Would you buy it? Do you like it?") or ("", "")
    assert sentence == "Would you buy it?"
    assert reason_word(reason) == "hypothetical"


def test_quotes_and_case_do_not_hide_a_closed_question() -> None:
    assert question_problem('"WOULD YOU use this?"') is not None
    assert question_problem("  do you like our dashboard?  ") is not None


def test_lint_script_checks_only_questions_before_the_pitch() -> None:
    script = Script(
        id="lint",
        sections=(
            Section(
                kind=SectionKind.FRUSTRATION,
                questions=(
                    Question(id="hard", text="What's the hardest part about invoicing?"),
                    Question(id="slow", text="Don't you think invoicing is slow?"),
                ),
            ),
            Section(
                kind=SectionKind.IMPACT, questions=(Question(id="pay", text="Would you pay $10 for this?"),)
            ),
            Section(kind=SectionKind.PITCH, questions=(Question(id="pitch", text="Would you use our app?"),)),
            Section(kind=SectionKind.REACTION, questions=(Question(id="like", text="Do you like it?"),)),
            Section(
                kind=SectionKind.WRAPUP, questions=(Question(id="else", text="Is there anything else?"),)
            ),
        ),
    )
    findings = lint_script(script)
    assert [(f.question_id, reason_word(f.reason)) for f in findings] == [
        ("slow", "leading"),
        ("pay", "hypothetical"),
    ]
    assert str(findings[0]) == (
        "question 'slow': leading: suggests the answer it wants: \"Don't you think invoicing is slow?\""
    )
    assert isinstance(findings[1], LintFinding)


def test_lint_script_without_a_pitch_checks_every_question() -> None:
    script = Script(
        id="nopitch",
        sections=(
            Section(
                kind=SectionKind.FRUSTRATION, questions=(Question(id="hard", text="Why was that hard?"),)
            ),
            Section(
                kind=SectionKind.WRAPUP, questions=(Question(id="else", text="Is there anything else?"),)
            ),
        ),
    )
    assert [f.question_id for f in lint_script(script)] == ["else"]
