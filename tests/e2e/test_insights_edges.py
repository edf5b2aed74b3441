"""Insight commands on awkward input: clear errors, nothing lost, no stack traces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

pytestmark = pytest.mark.slow


def test_bad_input_gets_clear_errors(isolated_env: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["export", "--format", "xml"])
    assert result.exit_code == 2 and "unknown format 'xml'" in result.output
    result = runner.invoke(app, ["persona", "no-such-interview"])
    assert result.exit_code == 1 and "no interview 'no-such-interview'" in result.output
    result = runner.invoke(app, ["themes", "--team", "empty"])
    assert result.exit_code == 0 and "No stories in team empty" in result.output
    result = runner.invoke(
        app, ["report", "--team", "empty", "--out", str(isolated_env / "no" / "dir" / "r.html")]
    )
    assert result.exit_code == 1 and "cannot write" in result.output
    missing = runner.invoke(app, ["eval", "themes", str(isolated_env / "missing.jsonl")])
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_huge_and_emoji_answers_survive_themes_export_and_report(isolated_env: Path) -> None:
    texts = {
        "long": "The invoice export broke again. " * 320,
        "emoji": "😡😡😡",
        "x1": "Invoices from the supplier portal never match.",
        "x2": "Supplier invoices do not match deliveries.",
    }
    lines = [
        {"id": key, "text": text, "customer": f"c-{key}", "section": "frustration"}
        for key, text in texts.items()
    ]
    data = isolated_env / "stories.jsonl"
    data.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(data), "--team", "T9"]).exit_code == 0
    themes = json.loads(runner.invoke(app, ["themes", "--team", "T9", "--json"]).output)
    # Themes hold the answers that tell a problem (issue 16): never the emoji-only one.
    assert 1 <= sum(t["stories"] for t in themes) <= 3
    assert all(len(q["text"]) <= 280 for t in themes for q in t["quotes"])
    exported = runner.invoke(app, ["export", "--format", "csv", "--team", "T9"]).output
    assert "😡😡😡" in exported and exported.count("The invoice export broke again.") == 320
    out = isolated_env / "r.html"
    assert runner.invoke(app, ["report", "--team", "T9", "--out", str(out)]).exit_code == 0
    assert "<svg" in out.read_text(encoding="utf-8")
    since = runner.invoke(app, ["themes", "--team", "T9", "--since", "2999-01-01", "--json"])
    assert json.loads(since.output) == []


def test_eval_themes_scores_a_small_labelled_file(isolated_env: Path) -> None:
    topics = {
        "card": ["My new card has not arrived yet", "Still waiting for my card in the post",
                 "When will my card be delivered?", "The card you sent never showed up",
                 "How long does card delivery take?", "I ordered a card two weeks ago and nothing came"],
        "refund": ["My refund is missing from my statement", "Where is the refund for my return?",
                   "The shop says it refunded me but I see nothing", "Refund not showing in my account",
                   "I am still waiting on a refund from last month", "Why has my refund not arrived?"],
        "pin": ["I forgot my PIN", "How do I reset my PIN number?", "My PIN is blocked after three tries",
                "Can I change the PIN on my card?", "I need a new PIN, I can't remember it",
                "Where can I unblock my PIN?"],
    }  # fmt: skip
    data = isolated_env / "labelled.jsonl"
    data.write_text(
        "".join(
            json.dumps({"text": t, "label": label}) + "\n" for label, texts in topics.items() for t in texts
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["eval", "themes", str(data), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["stories"] == 18 and report["labels"] == 3
    assert report["ami"] > 0.5 and 2 <= report["themes"] <= 6
