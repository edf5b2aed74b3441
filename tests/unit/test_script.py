"""Interview scripts: the shipped one is valid and open; bad files fail with errors that say where."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from core.catalog import Catalog
from core.errors import ScriptError
from core.lint import lint_script
from core.script import Question, Script, Section, SectionKind, parse_script, structural_problems
from prompts import load_script


def parsed(path: Path) -> Script:
    """The script's structure only, before the wording lint that load_script adds."""
    return parse_script(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


GOOD_STORY = """\
id: mini.en
language: en
title: Invoicing
topic: invoicing
sections:
  - kind: context
    questions:
      - id: role
        text: Tell me about your role and how invoicing fits into your week.
  - kind: frustration
    questions:
      - id: hardest
        text: What's the hardest part about getting invoices out?
  - kind: workaround
    questions:
      - id: tried
        text: What have you tried so far to make it easier?
"""


def write(tmp_path: Path, text: str, name: str = "script.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ScriptError) as caught:
        load_script(path)
    assert caught.value.source == str(path)
    assert str(path) in str(caught.value)
    return caught.value.problems


# --- the shipped script -----------------------------------------------------------------


def test_shipped_discovery_script_loads_and_is_structurally_sound(catalog: Catalog) -> None:
    script = catalog.script("discovery.en")
    assert script.language == "en"
    assert structural_problems(script) == []
    kinds = [section.kind for section in script.sections]
    assert SectionKind.FRUSTRATION in kinds
    pitch = kinds.index(SectionKind.PITCH)
    story_kinds = (SectionKind.FRUSTRATION, SectionKind.SPECIFICS, SectionKind.WORKAROUND)
    assert all(kind in kinds[:pitch] and kind not in kinds[pitch:] for kind in story_kinds)
    ids = [question.id for _, question in script.questions()]
    assert len(ids) == len(set(ids))


def test_shipped_discovery_script_passes_the_open_question_lint(catalog: Catalog) -> None:
    assert lint_script(catalog.script("discovery.en")) == []


def test_shipped_script_file_loads_through_load_script() -> None:
    path = Path(__file__).resolve().parents[2] / "prompts" / "discovery.en.yaml"
    script = load_script(path)
    assert script.id == "discovery.en"
    assert script.questions()[0][1].id == "role"


def test_default_script_is_the_shipped_discovery_script(catalog: Catalog) -> None:
    assert catalog.script(None).id == "discovery.en"


# --- good files --------------------------------------------------------------------------


def test_a_good_script_file_loads(tmp_path: Path) -> None:
    script = load_script(write(tmp_path, GOOD_STORY))
    assert [q.id for _, q in script.questions()] == ["role", "hardest", "tried"]
    assert script.max_probes == 2
    assert lint_script(script) == []


def test_closed_questions_after_the_pitch_are_allowed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_STORY
        + """\
  - kind: pitch
    questions:
      - id: pitch
        text: We're building a tool that sends invoices for you. Would you use it?
  - kind: reaction
    questions:
      - id: price
        text: How much would you pay for this per month?
      - id: like
        text: Do you like the idea?
""",
    )
    script = load_script(path)
    assert [q.id for _, q in script.questions()][-3:] == ["pitch", "price", "like"]
    assert lint_script(script) == []


def test_question_text_is_stripped(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_STORY.replace("text: What's the hardest", "text: '  What''s the hardest"))
    path.write_text(path.read_text().replace("invoices out?", "invoices out?  '"), encoding="utf-8")
    _, _, question = load_script(path).find("hardest")
    assert question.text == "What's the hardest part about getting invoices out?"


# --- the lint on a loaded file -------------------------------------------------------------


def test_would_you_pay_before_the_pitch_fails_lint_naming_the_question(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_STORY
        + """\
  - kind: impact
    questions:
      - id: pay10
        text: Would you pay $10 for this?
  - kind: pitch
    questions:
      - id: pitch
        text: We're building a tool for this. What would have to be true for it to be worth trying?
""",
    )
    findings = lint_script(parsed(path))
    assert [finding.question_id for finding in findings] == ["pay10"]
    [finding] = findings
    assert finding.sentence == "Would you pay $10 for this?"
    assert finding.reason.startswith("hypothetical")
    assert "question 'pay10'" in str(finding)
    with pytest.raises(ScriptError, match="question 'pay10': hypothetical"):
        load_script(path)  # the same lint runs whenever a script is loaded


def test_lint_reports_every_closed_question_in_order(tmp_path: Path) -> None:
    text = GOOD_STORY.replace(
        "What's the hardest part about getting invoices out?", "Is invoicing a problem for you?"
    ).replace("What have you tried so far to make it easier?", "Don't you hate chasing payments?")
    findings = lint_script(parsed(write(tmp_path, text)))
    assert [(f.question_id, f.reason.split(":")[0]) for f in findings] == [
        ("hardest", "yes/no"),
        ("tried", "leading"),
    ]


def test_a_reaction_section_without_a_pitch_does_not_switch_the_lint_off() -> None:
    script = Script(
        id="loophole",
        sections=(
            Section(
                kind=SectionKind.CONTEXT, questions=(Question(id="role", text="Tell me about your day."),)
            ),
            Section(kind=SectionKind.REACTION, questions=(Question(id="like", text="Do you like our app?"),)),
            Section(
                kind=SectionKind.FRUSTRATION,
                questions=(Question(id="great", text="Wouldn't it be great if invoices sent themselves?"),),
            ),
        ),
    )
    assert {finding.question_id for finding in lint_script(script)} == {"like", "great"}


def test_load_script_rejects_a_closed_question_before_the_pitch(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD_STORY.replace("What have you tried so far to make it easier?", "Would you pay $10?")
    )
    with pytest.raises(ScriptError, match="tried"):
        load_script(path)


# --- structural errors ------------------------------------------------------------------------


def test_pitch_before_the_story_sections_is_an_error_naming_the_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        id: pitchy
        sections:
          - kind: frustration
            questions:
              - id: hardest
                text: What's the hardest part about month-end close?
          - kind: pitch
            questions:
              - id: pitch
                text: We built a tool that closes the books for you. What do you make of it?
          - kind: specifics
            questions:
              - id: last_time
                text: Tell me about the last time the close ran late.
          - kind: workaround
            questions:
              - id: tried
                text: What did you do about it?
        """,
    )
    [problem] = problems_of(path)
    assert problem.startswith("sections[1]:")
    assert "pitch comes before" in problem
    assert "specifics" in problem and "workaround" in problem
    assert "frustration" not in problem.split("before", 1)[1]


@pytest.mark.parametrize("late_kind", ["frustration", "specifics", "workaround"])
def test_each_story_kind_after_the_pitch_is_rejected(tmp_path: Path, late_kind: str) -> None:
    # The frustration section comes first (so it is present), then the pitch, then ``late_kind``.
    path = write(
        tmp_path,
        GOOD_STORY.replace("kind: workaround", "kind: pitch")
        + f"""\
  - kind: {late_kind}
    questions:
      - id: late_q
        text: Tell me about the last time payroll went wrong.
""",
    )
    [problem] = problems_of(path)
    assert problem == (
        f"sections[2]: the pitch comes before {late_kind}: ask about their life before pitching your idea"
    )


def test_duplicate_question_ids_are_an_error_naming_the_id(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_STORY.replace("id: tried", "id: hardest"))
    assert problems_of(path) == ["question 'hardest': duplicate id"]


@pytest.mark.parametrize("empty", ["''", "'   '", '"\\n"'])
def test_empty_question_text_names_the_question_id(tmp_path: Path, empty: str) -> None:
    path = write(
        tmp_path,
        GOOD_STORY.replace("text: What have you tried so far to make it easier?", f"text: {empty}"),
    )
    problems = problems_of(path)
    assert "question 'tried' text: question text is empty" in problems


def test_missing_question_text_names_the_question_id(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD_STORY.replace("        text: What have you tried so far to make it easier?\n", "")
    )
    problems = problems_of(path)
    assert "question 'tried' text: Field required" in problems


def test_one_bad_question_is_reported_once(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD_STORY.replace("text: What have you tried so far to make it easier?", "text: ''")
    )
    assert problems_of(path) == ["question 'tried' text: question text is empty"]


def test_a_script_without_a_frustration_section_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_STORY.replace("kind: frustration", "kind: impact"))
    [problem] = problems_of(path)
    assert "frustration" in problem and "required" in problem


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = GOOD_STORY.replace("kind: frustration", "kind: impact").replace("id: tried", "id: role")
    problems = problems_of(write(tmp_path, text))
    assert len(problems) == 2
    assert any("frustration" in p for p in problems)
    assert "question 'role': duplicate id" in problems


# --- file-level errors --------------------------------------------------------------------------


def test_broken_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    # An unquoted colon inside a question: the commonest way to break a script by hand.
    text = GOOD_STORY.replace(
        "text: What have you tried so far to make it easier?", "text: Be honest: what have you tried?"
    )
    path = write(tmp_path, text)
    line = text.splitlines().index("        text: Be honest: what have you tried?") + 1
    [problem] = problems_of(path)
    assert "not valid YAML" in problem
    assert problem.startswith(f"line {line}, column ")


def test_an_unterminated_quote_is_reported_as_invalid_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_STORY.replace("text: What's the hardest", "text: \"What's the hardest"))
    [problem] = problems_of(path)
    assert "not valid YAML" in problem
    assert problem.startswith("line ")


def test_broken_yaml_with_a_tab_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "tabs.yaml"
    path.write_text("id: tabs\nsections:\n\t- kind: frustration\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert "line 3" in problem


def test_a_missing_file_is_a_script_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    [problem] = problems_of(path)
    assert "cannot read" in problem


def test_a_file_that_is_not_utf8_is_a_script_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: caf\xe9\n".encode("latin-1"))
    assert problems_of(path) == ["the file is not UTF-8 text"]


@pytest.mark.parametrize(
    "text",
    ["- id: a\n- id: b\n", "just a sentence\n", "", "42\n"],
    ids=["list", "string", "empty", "number"],
)
def test_yaml_that_is_not_a_mapping_is_rejected(tmp_path: Path, text: str) -> None:
    path = tmp_path / "flat.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = problems_of(path)
    assert "mapping" in problem


def test_an_unknown_question_field_names_the_question_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_STORY.replace(
            "        text: What have you tried so far to make it easier?\n",
            "        text: What have you tried so far to make it easier?\n        hint: be nice\n",
        ),
    )
    problems = problems_of(path)
    assert "question 'tried' hint: Extra inputs are not permitted" in problems


def test_an_unknown_top_level_field_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "colour: blue\n" + GOOD_STORY)
    [problem] = problems_of(path)
    assert problem.startswith("colour:")


def test_an_unknown_section_kind_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_STORY.replace("kind: workaround", "kind: upsell"))
    [problem] = problems_of(path)
    assert problem.startswith("sections.2.kind:")
    assert "workaround" in problem  # pydantic lists the allowed kinds


def test_a_bad_question_id_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_STORY.replace("id: tried", "id: 'what we tried'"))
    problems = problems_of(path)
    assert any(p.startswith("question 'what we tried' id:") for p in problems)


# --- the Script model ---------------------------------------------------------------------------


def test_probe_limit_prefers_question_then_section_then_script() -> None:
    script = Script(
        id="limits",
        max_probes=3,
        sections=(
            Section(
                kind=SectionKind.FRUSTRATION,
                max_probes=1,
                questions=(
                    Question(id="a", text="What's hardest?", max_probes=0),
                    Question(id="b", text="Why?"),
                ),
            ),
            Section(kind=SectionKind.WRAPUP, questions=(Question(id="c", text="What else?"),)),
        ),
    )
    # A wrap-up (like a warm-up) gets no probe unless its section or question says so.
    assert [script.probe_limit(i) for i in range(3)] == [0, 1, 0]
    assert script.max_probes == 3
    assert script.find("b")[0] == 1
    with pytest.raises(KeyError):
        script.find("zzz")
