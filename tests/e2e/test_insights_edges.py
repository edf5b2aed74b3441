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
    assert sum(t["stories"] for t in themes) == 4
    assert all(len(q["text"]) <= 280 for t in themes for q in t["quotes"])
    exported = runner.invoke(app, ["export", "--format", "csv", "--team", "T9"]).output
    assert "😡😡😡" in exported and exported.count("The invoice export broke again.") == 320
    out = isolated_env / "r.html"
    assert runner.invoke(app, ["report", "--team", "T9", "--out", str(out)]).exit_code == 0
    assert "<svg" in out.read_text(encoding="utf-8")
    since = runner.invoke(app, ["themes", "--team", "T9", "--since", "2999-01-01", "--json"])
    assert json.loads(since.output) == []
