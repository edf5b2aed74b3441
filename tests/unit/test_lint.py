"""The question lint: section rules, every form of a question, the finding's words and rewrite."""

from __future__ import annotations

import pytest

from core.errors import ScriptError
from core.lint import LintFinding, parse_rewrites, question_forms
from core.questions import QuestionKind, allowed_kinds, is_allowed
from core.script import Question, Script, Section, SectionKind
from prompts import lint_findings, read_packaged_yaml, rewrites

STORY = (
    Section(
        kind=SectionKind.FRUSTRATION,
        questions=(Question(id="hard", text="What's the hardest part about invoicing?"),),
    ),
)


def script_with(*sections: Section, language: str = "en") -> Script:
    story = STORY
    if language != "en":
        story = (Section(kind=SectionKind.FRUSTRATION, questions=(Question(id="hard", text="Cuéntame."),)),)
    return Script(id=f"lint.{language}", language=language, sections=story + sections)


def test_before_the_pitch_only_open_questions_are_allowed() -> None:
    for section in (SectionKind.WARMUP, SectionKind.CONTEXT, SectionKind.FRUSTRATION, SectionKind.IMPACT):
        assert allowed_kinds(section) == {QuestionKind.OPEN}
    assert not is_allowed(QuestionKind.COMMITMENT, SectionKind.SPECIFICS)


def test_at_the_pitch_open_and_commitment_are_allowed_and_nothing_else() -> None:
    for section in (SectionKind.PITCH, SectionKind.REACTION, "wrapup"):
        assert allowed_kinds(section) == {QuestionKind.OPEN, QuestionKind.COMMITMENT}
    for kind in QuestionKind:
        expected = kind in (QuestionKind.OPEN, QuestionKind.COMMITMENT)
        assert is_allowed(kind, SectionKind.PITCH) is expected, kind


def test_every_closed_kind_before_the_pitch_is_a_finding_with_its_kind() -> None:
    closed = {
        "slow": ("Don't you think invoicing is slow?", QuestionKind.LEADING),
        "tool": ("Do you use a tool for it?", QuestionKind.YES_NO),
        "use": ("Would you use an app that sent invoices for you?", QuestionKind.HYPOTHETICAL),
        "scale": ("On a scale of 1 to 10, how bad is invoicing?", QuestionKind.RATING),
        "pay": ("How much would you pay for it?", QuestionKind.PRICE),
        "idea": ("What do you think of our idea for an invoice robot?", QuestionKind.COMPLIMENT),
        "build": ("What features should we build first?", QuestionKind.SOLUTION),
        "demo": ("Can I show you a demo next Tuesday at 10?", QuestionKind.COMMITMENT),
    }
    section = Section(
        kind=SectionKind.IMPACT,
        questions=tuple(Question(id=qid, text=text) for qid, (text, _) in closed.items()),
    )
    findings = lint_findings(script_with(section))
    assert [(f.question_id, f.kind) for f in findings] == [(qid, kind) for qid, (_, kind) in closed.items()]
    assert all(f.section == "impact" and f.field == "text" for f in findings)


def test_the_pitch_welcomes_a_commitment_and_rejects_a_price_question() -> None:
    pitch = Section(
        kind=SectionKind.PITCH,
        questions=(
            Question(
                id="pitch",
                text="We build a tool that chases late invoices. Could we book a demo on Friday at 3pm?",
            ),
            Question(id="price", text="What's the most you'd pay per month for it?"),
        ),
    )
    reaction = Section(
        kind=SectionKind.REACTION,
        questions=(Question(id="intro", text="Who could introduce me to your finance lead?"),),
    )
    [finding] = lint_findings(script_with(pitch, reaction))
    assert (finding.question_id, finding.kind, finding.section) == ("price", QuestionKind.PRICE, "pitch")


def test_a_finding_says_why_and_offers_the_open_rewrite() -> None:
    section = Section(
        kind=SectionKind.IMPACT, questions=(Question(id="pay", text="How much would you pay for it?"),)
    )
    [finding] = lint_findings(script_with(section))
    assert isinstance(finding, LintFinding)
    assert finding.rewrite == "What do you spend on this today, in money or in time?"
    assert "would pay" in finding.why
    assert str(finding) == (
        "question 'pay': price: " + finding.why + ': "How much would you pay for it?"'
        ' (try: "What do you spend on this today, in money or in time?")'
    )
    assert finding.as_dict()["kind"] == "price" and finding.as_dict()["question"] == "pay"


def test_would_you_use_gets_the_last_time_rewrite() -> None:
    section = Section(
        kind=SectionKind.CONTEXT, questions=(Question(id="use", text="Would you use it every day?"),)
    )
    [finding] = lint_findings(script_with(section))
    assert finding.kind is QuestionKind.HYPOTHETICAL
    assert finding.rewrite.startswith("Tell me about the last time you")


def test_rewrites_come_in_the_language_of_the_script() -> None:
    section = Section(
        kind=SectionKind.IMPACT, questions=(Question(id="pagar", text="¿Cuánto pagarías por esto?"),)
    )
    [finding] = lint_findings(script_with(section, language="es"))
    assert finding.kind is QuestionKind.PRICE
    assert finding.rewrite == "¿Cuánto gastas hoy en esto, en dinero o en tiempo?"


def test_followup_and_rephrase_forms_are_linted_too() -> None:
    question = Question(
        id="hard2",
        text="What went wrong the last time?",
        followup="You said “{quote}”. Wouldn't a tool fix that?",
        rephrase="Did something go wrong last week?",
    )
    findings = lint_findings(script_with(Section(kind=SectionKind.SPECIFICS, questions=(question,))))
    assert [(f.field, f.kind) for f in findings] == [
        ("followup", QuestionKind.LEADING),
        ("rephrase", QuestionKind.YES_NO),
    ]
    assert str(findings[0]).startswith("question 'hard2' followup: leading")


def test_the_quote_in_a_followup_is_not_read_as_our_question() -> None:
    question = Question(
        id="quoted",
        text="What happened next?",
        followup="You said “{quote}”. What happened the last time?",
    )
    script = script_with(Section(kind=SectionKind.SPECIFICS, questions=(question,)))
    forms = question_forms(script)
    assert [form.field for form in forms if form.question_id == "quoted"] == ["text", "followup"]
    assert "{quote}" not in forms[-1].text
    assert lint_findings(script) == []


@pytest.mark.parametrize("classifier_name", ["rules", "model"])
def test_every_packaged_rewrite_is_itself_a_good_question(classifier_name: str) -> None:
    from adapters.question_model import TrainedQuestionClassifier
    from adapters.question_rules import RuleQuestionClassifier

    classifier = RuleQuestionClassifier() if classifier_name == "rules" else TrainedQuestionClassifier()
    for language, kinds in rewrites().languages.items():
        assert set(kinds) == set(QuestionKind) - {QuestionKind.OPEN}, language
        for kind, advice in kinds.items():
            assert classifier.read(advice.rewrite, language).kind is QuestionKind.OPEN, (language, kind)
            pitch = classifier.read(advice.pitch_rewrite, language).kind
            assert pitch is QuestionKind.COMMITMENT, (language, kind, advice.pitch_rewrite)


def test_a_rewrites_file_missing_a_kind_is_an_error_naming_it() -> None:
    data = read_packaged_yaml("rewrites.yaml")
    del data["fr"]["price"]
    with pytest.raises(ScriptError, match="fr: no advice for price"):
        parse_rewrites(data, "rewrites.yaml")


def test_shipped_scripts_pass_with_a_commitment_pitch() -> None:
    from adapters.question_model import TrainedQuestionClassifier
    from prompts import default_catalog

    classifier = TrainedQuestionClassifier()  # the one the lint uses
    catalog = default_catalog()
    for language in ("en", "es", "fr"):
        script = catalog.script(f"discovery.{language}")
        assert lint_findings(script) == []
        _, section, pitch = script.find("pitch")
        assert section.kind is SectionKind.PITCH
        assert classifier.read(pitch.text, language).kind is QuestionKind.COMMITMENT


def test_the_lint_reads_with_the_trained_classifier() -> None:
    from adapters.question_model import TrainedQuestionClassifier
    from adapters.question_rules import RuleQuestionClassifier
    from bot.settings import Settings
    from bot.wiring import question_classifier

    assert isinstance(question_classifier(Settings()), TrainedQuestionClassifier)
    # A hypothetical with no "would you", "imagine" or "if" in it: the rules read it open.
    text = "Fast forward to next summer: how are you running the bookings?"
    assert RuleQuestionClassifier().read(text, "en").kind is QuestionKind.OPEN
    section = Section(kind=SectionKind.SPECIFICS, questions=(Question(id="summer", text=text),))
    [finding] = lint_findings(script_with(section))
    assert (finding.question_id, finding.kind) == ("summer", QuestionKind.HYPOTHETICAL)
