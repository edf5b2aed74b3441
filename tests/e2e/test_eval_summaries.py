"""`earful eval summaries`: interviews written here (not the measuring file) are imported, scored
and correlated with the scores given; a rich interview beats a wandering one and a minimal one."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

RICH = [
    "I manage the kitchen of a hotel restaurant with forty covers at lunch.",
    "Ordering produce for the week and keeping food costs under thirty percent.",
    "The fish supplier changes the price without telling us. I only see it on the invoice.",
    "Last Friday the sea bass came in at twice the price and I had already printed the menu.",
    "Every two or three weeks. My sous-chef and the hotel accountant both end up chasing it.",
    "I photograph every delivery note and compare it with the invoice in a spreadsheet on Sunday.",
    "That Friday alone cost us about 400 euros of margin, and I lose two hours every Sunday.",
    "We are building a tool that flags price changes on delivery notes.",
    "Send me a demo slot next Tuesday and I will bring last month's invoices to try it.",
    "Talk to Marta, she runs the bakery next door and has the same problem.",
    "No, that covers it.",
]
WANDERING = [
    "I run a gift shop near the station.",
    "My daughter is getting married in June and the whole family is coming.",
    "The weather this spring has been lovely, we went to the coast twice.",
    "I don't want to talk about that.",
    "My cousin breeds dogs, he has eleven of them now.",
    "We went to see a band on Saturday.",
    "",
    "",
    "",
    "",
    "",
]
MINIMAL = ["ok", "yes", "no", "fine", "no", "yes", "ok", "no", "fine", "no", "no"]


def test_scores_follow_the_evidence_and_json_lists_every_interview(tmp_path: Path) -> None:
    path = tmp_path / "ranked.jsonl"
    rows = [("rich", RICH, 90), ("wandering", WANDERING, 15), ("minimal", MINIMAL, 3)]
    path.write_text(
        "".join(json.dumps({"id": i, "answers": a, "expert_score": s}) + "\n" for i, a, s in rows),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["eval", "summaries", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    scores = {i["id"]: i["score"] for i in report["interviews"]}
    assert set(scores) == {"rich", "wandering", "minimal"}
    assert scores["rich"] > scores["wandering"] > scores["minimal"] or (
        scores["rich"] > scores["wandering"] >= scores["minimal"] == 0
    )
    assert scores["rich"] >= 60 and scores["minimal"] <= 10
    assert -1.0 <= report["spearman"] <= 1.0 and report["within_20"] <= 3
    table = CliRunner().invoke(app, ["eval", "summaries", str(path)])
    assert table.exit_code == 0 and "Spearman" in table.output


def test_a_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"id": "a", "answers": "not a list", "expert_score": 5}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "summaries", str(path)])
    assert result.exit_code != 0
    assert "'answers' must be a list of strings" in result.output and "Traceback" not in result.output
