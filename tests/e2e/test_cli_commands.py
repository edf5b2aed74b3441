"""The ``earful`` commands other than chat, run in-process through typer's runner with the
real stores and the real embedding model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner(isolated_env: Path) -> CliRunner:
    return CliRunner()


def write_script(path: Path, pre_pitch_question: str) -> Path:
    path.write_text(
        f"""
id: test.en
sections:
  - kind: frustration
    questions:
      - id: hardest
        text: What's the hardest part about hiring engineers?
      - id: pay_q
        text: {pre_pitch_question}
  - kind: pitch
    questions:
      - id: pitch
        text: We built a tool for this. Could I show it to you next Tuesday at 10?
""",
        encoding="utf-8",
    )
    return path


def test_lint_passes_the_shipped_script(runner: CliRunner) -> None:
    result = runner.invoke(app, ["lint", str(ROOT / "prompts" / "discovery.en.yaml")])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


def test_lint_names_the_file_question_kind_reason_and_rewrite(runner: CliRunner, tmp_path: Path) -> None:
    script = write_script(tmp_path / "bad.yaml", "Would you pay $10 for this?")
    result = runner.invoke(app, ["lint", str(script)])
    assert result.exit_code == 1
    assert f"{script}: question 'pay_q': price:" in result.output
    assert 'try: "What do you spend on this today, in money or in time?"' in result.output
    # The commitment ask at the pitch is welcome.
    assert "'pitch'" not in result.output


def test_lint_json_lists_the_findings(runner: CliRunner, tmp_path: Path) -> None:
    script = write_script(tmp_path / "bad.yaml", "Imagine we automated hiring. What would change?")
    result = runner.invoke(app, ["lint", "--json", str(script)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["errors"] == []
    [finding] = report["findings"]
    assert finding["file"] == str(script) and finding["question"] == "pay_q"
    assert finding["kind"] == "hypothetical" and finding["field"] == "text"
    assert finding["sentence"] == "Imagine we automated hiring." and finding["rewrite"].startswith("Tell me")
    clean = runner.invoke(app, ["lint", "--json", str(ROOT / "prompts" / "discovery.fr.yaml")])
    assert clean.exit_code == 0 and json.loads(clean.stdout) == {"findings": [], "errors": []}


def test_lint_reports_a_broken_file_without_a_traceback(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nsections: [\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", str(broken), str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "not valid YAML" in result.output and "line" in result.output
    assert "missing.yaml: cannot read the file" in result.output
    assert "Traceback" not in result.output


def test_lint_names_the_file_and_field_of_a_broken_script_in_one_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    broken = write_script(tmp_path / "kind.yaml", "What went wrong last time?")
    broken.write_text(broken.read_text().replace("kind: pitch", "kind: pitchh"), encoding="utf-8")
    result = runner.invoke(app, ["lint", str(broken), str(ROOT / "prompts" / "discovery.en.yaml")])
    assert result.exit_code == 2  # a broken file outweighs a clean one
    [line] = [line for line in result.output.splitlines() if line.startswith(str(broken))]
    assert line.startswith(f"{broken}: sections.1.kind: Input should be")


def test_eval_questions_reports_shares_per_kind_and_a_confusion_table(
    runner: CliRunner, tmp_path: Path
) -> None:
    lines = [
        {
            "question": "Tell me about the last time the oven broke.",
            "kind": "open",
            "section": "before_pitch",
        },
        {"question": "Would you buy a smart oven?", "kind": "hypothetical", "section": "before_pitch"},
        {"question": "What do you think of our oven app?", "kind": "compliment", "section": "before_pitch"},
        # Labelled open, but a yes/no question: a good question the classifier does not pass.
        {"question": "Do you bake bread?", "kind": "open", "section": "before_pitch"},
        {"question": "Can I show you a demo on Monday at 9?", "kind": "commitment", "section": "pitch"},
    ]
    labelled = tmp_path / "questions.jsonl"
    labelled.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "questions", str(labelled)])
    assert result.exit_code == 0, result.output
    assert "bad caught      2/2 = 100.0%" in result.output
    assert "good passed     2/3 = 66.7%" in result.output
    assert "(1 bad lines skipped)" in result.output
    assert "confusion (rows: labelled kind, columns: kind found)" in result.output
    report = json.loads(runner.invoke(app, ["eval", "questions", "--json", str(labelled)]).stdout)
    assert report["confusion"]["open"] == {"open": 1, "yes_no": 1}
    assert report["misjudged"] == [{"question": "Do you bake bread?", "kind": "open", "found": "yes_no"}]
    per_kind = {row["kind"]: row for row in report["per_kind"]}
    assert per_kind["commitment"] == {"kind": "commitment", "questions": 1, "judged_right": 1, "same_kind": 1}


def test_import_search_erase_and_reindex(runner: CliRunner, tmp_path: Path) -> None:
    lines = [
        {"id": "a1", "text": "My card still hasn't arrived after two weeks.", "customer": "ann"},
        {"id": "a2", "text": "I was charged twice for one coffee.", "customer": "bob"},
        "this line is not json",
        {"id": "a3", "text": "The ordered card never showed up in the mail.", "customer": "cy"},
        {"id": "a4", "text": ""},
    ]
    source = tmp_path / "stories.jsonl"
    source.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", str(source), "--team", "T0123ABC"])
    assert result.exit_code == 0, result.output
    assert "imported 3 new stories" in result.output
    assert f"{source}:3: not valid JSON" in result.output
    assert f"{source}:5: 'text' is missing or empty" in result.output

    again = runner.invoke(app, ["import", str(source), "--team", "T0123ABC"])
    assert "imported 0 new stories (3 already known" in again.output

    found = runner.invoke(app, ["stories", "card did not arrive", "--team", "T0123ABC", "--json"])
    hits = json.loads(found.stdout)
    assert {hit["story"]["text"] for hit in hits[:2]} == {lines[0]["text"], lines[3]["text"]}  # type: ignore[index]
    assert all(hit["story"]["team"] == "T0123ABC" for hit in hits)
    assert hits[0]["match"] in {"close", "related"}

    other_team = runner.invoke(app, ["stories", "card did not arrive", "--team", "T0OTHER", "--json"])
    assert json.loads(other_team.stdout) == []

    erased = runner.invoke(app, ["erase", "--customer", "ann"])
    assert erased.exit_code == 0 and "erased Customer-" in erased.output
    after = json.loads(runner.invoke(app, ["stories", "card", "--team", "T0123ABC", "--json"]).stdout)
    assert lines[0]["text"] not in {hit["story"]["text"] for hit in after}  # type: ignore[index]
    assert runner.invoke(app, ["erase", "--customer", "ann"]).exit_code == 1

    rebuilt = runner.invoke(app, ["reindex"])
    assert rebuilt.exit_code == 0 and "indexed 2 stories" in rebuilt.output


def test_stories_refuses_a_language_name_in_one_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["stories", "card never came", "--lang", "arabic"])
    assert result.exit_code == 2
    assert "'arabic' is not a language code" in result.output
    assert "Traceback" not in result.output


def test_eval_retrieval_on_a_small_labelled_file(runner: CliRunner, tmp_path: Path) -> None:
    topics = {
        "card": [
            "my new card has not arrived",
            "where is the card I ordered",
            "card delivery is late",
            "still waiting for my card in the post",
            "the card never came",
            "card not delivered yet",
        ],
        "refund": [
            "I want my money back for this order",
            "how do I get a refund",
            "refund still missing",
            "the shop owes me a refund",
            "refund has not reached my account",
            "return the payment to me",
        ],
    }
    path = tmp_path / "labelled.jsonl"
    path.write_text(
        "\n".join(json.dumps({"text": t, "label": label}) for label, texts in topics.items() for t in texts),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", "retrieval", str(path), "--k", "3", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["queries"] == 12 and report["stories"] == 12
    assert report["precision_at_k"] >= 0.8  # two well separated topics
    assert report["latency_p50_ms"] > 0


def test_bad_configuration_is_one_friendly_line(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EARFUL_HTTP_PORT", "not-a-port")
    result = runner.invoke(app, ["stories", "anything"])
    assert result.exit_code == 2
    assert "bad configuration" in result.output and "http_port" in result.output
    assert "Traceback" not in result.output
