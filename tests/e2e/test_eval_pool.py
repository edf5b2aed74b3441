"""``earful eval retrieval QUERIES --pool POOL``: questions in one file, stories in another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes import TEST_PSEUDONYMS
from typer.testing import CliRunner

from bot.cli import app
from bot.evaluation import seeded_sample
from bot.importing import read_jsonl
from core.models import AnswerRecord

POOL = {
    "lost_card": [
        "I lost my card somewhere in town yesterday",
        "My debit card is missing, I think I dropped it",
        "I can't find my card anywhere, it must be lost",
    ],
    "exchange_rate": [
        "The exchange rate for my euro payment was far too high",
        "Why was the currency conversion rate so bad on my transfer?",
        "You used a terrible exchange rate when I paid in dollars",
    ],
    "cash_withdrawal": [
        "The cash machine kept my money but charged my account",
        "I withdrew cash at an ATM and the amount was wrong",
        "The ATM did not give me all the cash I asked for",
    ],
}
QUERIES = {
    "lost_card": ["لقد فقدت بطاقتي ولا أجدها", "ضاعت بطاقتي البنكية أمس"],
    "exchange_rate": ["سعر الصرف على دفعتي باليورو كان مرتفعاً جداً"],
    "cash_withdrawal": ["الصراف الآلي لم يعطني كل النقود التي طلبتها"],
}


def _write(path: Path, groups: dict[str, list[str]], prefix: str) -> Path:
    lines = [
        json.dumps({"id": f"{prefix}-{label}-{i}", "text": text, "label": label}, ensure_ascii=False)
        for label, texts in groups.items()
        for i, text in enumerate(texts)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_arabic_questions_are_asked_of_an_english_pool(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Multilingual search is opt-in (off by default: a second model, more memory).
    monkeypatch.setenv("EARFUL_MULTILINGUAL", "true")
    queries = _write(isolated_env / "queries.jsonl", QUERIES, "q")
    pool = _write(isolated_env / "pool.jsonl", POOL, "p")
    result = CliRunner().invoke(
        app, ["eval", "retrieval", str(queries), "--pool", str(pool), "--k", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["pool"] == str(pool) and report["file"] == str(queries)
    assert report["stories"] == 9  # the pool is what gets imported
    assert report["queries"] == 4  # every question is asked; none is left out of its own pool
    # Three same-label stories out of nine: chance is 1/3; an Arabic question must find them.
    assert report["precision_at_k"] >= 0.75


@pytest.mark.slow
def test_a_missing_pool_file_is_a_clear_error(isolated_env: Path) -> None:
    queries = _write(isolated_env / "queries.jsonl", QUERIES, "q")
    result = CliRunner().invoke(app, ["eval", "retrieval", str(queries), "--pool", "nowhere.jsonl"])
    assert result.exit_code == 1
    assert "nowhere.jsonl: no such file" in result.output


def test_the_query_sample_is_fixed_and_keeps_file_order(tmp_path: Path) -> None:
    path = _write(tmp_path / "pool.jsonl", POOL, "p")
    records = [r for r in read_jsonl(path, "t", TEST_PSEUDONYMS) if isinstance(r, AnswerRecord)]
    first = seeded_sample(records, 4)
    assert first == seeded_sample(records, 4)
    assert [records.index(r) for r in first] == sorted(records.index(r) for r in first)
    assert len(first) == 4 and seeded_sample(records, None) == records


@pytest.mark.slow
def test_stories_lang_filters_and_shows_the_language(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Languages are detected at import only with multilingual search on (opt-in).
    monkeypatch.setenv("EARFUL_MULTILINGUAL", "true")
    mixed = isolated_env / "mixed.jsonl"
    mixed.write_text(
        "\n".join(
            json.dumps({"id": str(i), "text": text}, ensure_ascii=False)
            for i, text in enumerate(POOL["lost_card"] + QUERIES["lost_card"] + QUERIES["exchange_rate"])
        )
        + "\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(mixed)]).exit_code == 0
    result = runner.invoke(app, ["stories", "I lost my card", "--lang", "ar", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert [hit["lang"] for hit in hits] == ["ar", "ar", "ar"]
    assert hits[0]["story"]["text"] in QUERIES["lost_card"]
    everything = runner.invoke(app, ["stories", "I lost my card", "--k", "10"])
    assert ", ar" in everything.output and ", en" in everything.output  # each hit shows its language
