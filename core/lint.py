"""The question lint: every form of every question in a script, checked by its meaning.

Customer discovery depends on asking about what people did, not what they might do or what
they think of our idea. Each question (its ``text``, and its ``followup`` and ``rephrase``
forms) is read by a :class:`core.questions.QuestionClassifier`; a kind its section does not
allow (:func:`core.questions.allowed_kinds`) is a finding that says why the question teaches
nothing and offers an open rewrite from ``prompts/rewrites.yaml``.

The lint itself is pure: it takes the readings already made (``prompts.lint_findings`` makes
them with the offline classifier), so loading a script, ``earful lint`` and Slack's
``/earful lint`` share one function.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import ScriptError
from core.questions import (
    QuestionKind,
    QuestionReading,
    allowed_kinds,
    is_pitch_section,
)
from core.script import Script, SectionKind

# A followup's ``{quote}`` holds the customer's own words; they are not part of our question.
QUOTE_STAND_IN = "that"
FORMS = ("text", "followup", "rephrase")


@dataclass(frozen=True)
class QuestionForm:
    """One thing the interview may ask: a question's ``text``, ``followup`` or ``rephrase``."""

    question_id: str
    field: str
    section: SectionKind
    text: str


def question_forms(script: Script) -> list[QuestionForm]:
    """Every form of every question, in interview order."""
    forms: list[QuestionForm] = []
    for section, question in script.questions():
        for field in FORMS:
            value = getattr(question, field)
            if value and value.strip():
                text = value.replace("{quote}", QUOTE_STAND_IN)
                forms.append(QuestionForm(question.id, field, section.kind, " ".join(text.split())))
    return forms


class Advice(BaseModel):
    """Why one kind of question teaches nothing, and what to ask instead."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    why: str
    rewrite: str
    pitch_rewrite: str


class Rewrites(BaseModel):
    """``prompts/rewrites.yaml``: advice by language, then by kind (every kind but ``open``)."""

    model_config = ConfigDict(frozen=True)

    languages: dict[str, dict[QuestionKind, Advice]]

    def advice(self, language: str, kind: QuestionKind) -> Advice:
        """The advice in ``language`` (or its base, else English, else any language)."""
        for candidate in (language, language.split("-")[0].lower(), "en", *self.languages):
            if kind in self.languages.get(candidate, {}):
                return self.languages[candidate][kind]
        raise KeyError(kind)


def parse_rewrites(data: Any, source: str) -> Rewrites:
    """Validate the rewrites file: every language gives advice for every kind but ``open``."""
    if not isinstance(data, dict):
        raise ScriptError(source, ["the file must map languages to kinds"])
    try:
        rewrites = Rewrites(languages=data)
    except ValidationError as error:
        problems = [f"{'.'.join(str(p) for p in item['loc'][1:])}: {item['msg']}" for item in error.errors()]
        raise ScriptError(source, problems) from None
    needed = set(QuestionKind) - {QuestionKind.OPEN}
    missing = [
        f"{language}: no advice for {', '.join(sorted(needed - set(kinds)))}"
        for language, kinds in rewrites.languages.items()
        if needed - set(kinds)
    ]
    if missing:
        raise ScriptError(source, missing)
    return rewrites


@dataclass(frozen=True)
class LintFinding:
    """One question form that teaches nothing: where, its kind, the offending sentence, why,
    and an open question to ask instead."""

    question_id: str
    field: str
    section: str
    kind: QuestionKind
    sentence: str
    why: str
    rewrite: str

    @property
    def reason(self) -> str:
        return f"{self.kind.value}: {self.why}"

    def __str__(self) -> str:
        form = "" if self.field == "text" else f" {self.field}"
        return (
            f"question '{self.question_id}'{form}: {self.kind.value}: {self.why}: \"{self.sentence}\""
            f' (try: "{self.rewrite}")'
        )

    def as_dict(self) -> dict[str, str]:
        return {
            "question": self.question_id,
            "field": self.field,
            "section": self.section,
            "kind": self.kind.value,
            "sentence": self.sentence,
            "why": self.why,
            "rewrite": self.rewrite,
        }


Readings = Mapping[str, QuestionReading]


def lint_script(script: Script, readings: Readings, rewrites: Rewrites) -> list[LintFinding]:
    """Every question form whose kind its section does not allow, in interview order.
    ``readings`` holds the reading of each form's text (:func:`question_forms`)."""
    findings: list[LintFinding] = []
    for form in question_forms(script):
        reading = readings[form.text]
        if reading.kind in allowed_kinds(form.section):
            continue
        advice = rewrites.advice(script.language, reading.kind)
        rewrite = advice.pitch_rewrite if is_pitch_section(form.section) else advice.rewrite
        findings.append(
            LintFinding(
                question_id=form.question_id,
                field=form.field,
                section=form.section.value,
                kind=reading.kind,
                sentence=reading.sentence,
                why=advice.why,
                rewrite=rewrite,
            )
        )
    return findings
