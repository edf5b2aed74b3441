"""The offline answer reader, its training script and `earful eval answers` on a small file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from training_scripts import training_script
from typer.testing import CliRunner

from adapters.answer_reader import OfflineAnswerReader
from adapters.reader_rules import split_sentences
from bot.cli import app
from core.reading import Act, Facet

ROOT = Path(__file__).resolve().parents[2]


def test_training_script_reproduces_the_shipped_model(tmp_path: Path) -> None:
    out = tmp_path / "model.npz"
    assert training_script("train_answer_reader").main(["--out", str(out)]) == 0
    trained = dict(np.load(out, allow_pickle=False))
    shipped = dict(np.load(ROOT / "adapters" / "reader_model.npz", allow_pickle=False))
    assert trained.keys() == shipped.keys()
    for name, array in shipped.items():
        if array.dtype.kind == "U":  # vocabularies, cue names, classes
            assert list(trained[name]) == list(array), name
        else:
            # The solver stops at a tolerance, and where it stops moves a little between
            # scikit-learn/numpy releases (seen: 0.03 at most on weights of magnitude 1 to 10):
            # the same data, seed and settings must give the same model up to that.
            np.testing.assert_allclose(trained[name], array, atol=0.05, err_msg=name)


async def test_a_story_is_read_with_its_facets_and_verbatim_evidence() -> None:
    reader = OfflineAnswerReader()
    answer = (
        "I run a small bakery. Last Tuesday the flour delivery didn't show up at 5am, "
        "so I drove to the cash and carry myself. We lost maybe 300 euros of sales."
    )
    reading = await reader.read(answer, question="Tell me about the last time.")
    assert reading.act is Act.STORY
    assert Facet.OCCURRENCE in reading.facets and Facet.COST in reading.facets
    for sentences in reading.evidence.values():
        assert all(sentence in answer for sentence in sentences)
    assert reading.language == "en"


async def test_short_answers_and_language_hint() -> None:
    reader = OfflineAnswerReader()
    minimal = await reader.read("yes", question="Anything else?", language="es")
    assert minimal.act is Act.MINIMAL and minimal.facets == () and minimal.language == "es"
    spanish = await reader.read(
        "Tengo una panadería y los proveedores siempre llegan tarde los lunes.", question="¿A qué te dedicas?"
    )
    assert spanish.language == "es"


def test_eval_answers_prints_json_and_writes_predictions(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "question": "Anything else?", "answer": "nope", "act": "minimal", "facets": []},
        {
            "id": "b",
            "question": "Who are you?",
            "answer": "Who are you exactly? Is this a sales call?",
            "act": "question",
            "facets": [],
        },
        {"id": "c", "question": "Anything else?", "answer": "Can we skip this one?"},
    ]
    file = tmp_path / "answers.jsonl"
    file.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "predictions.jsonl"
    result = CliRunner().invoke(app, ["eval", "answers", str(file), "--json", "--predictions", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["answers"] == 3 and report["labelled"] == 2
    assert 0.0 <= report["act_accuracy"] <= 1.0 and "confusion" in report and "per_facet" in report
    predictions = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in predictions] == ["a", "b", "c"]
    assert predictions[0]["act"] == "minimal"
    table = CliRunner().invoke(app, ["eval", "answers", str(file)])
    assert table.exit_code == 0 and "act accuracy" in table.output and "reading p50" in table.output


async def test_an_offer_riding_on_praise_is_kept() -> None:
    reader = OfflineAnswerReader()
    signed = await reader.read(
        "What a great idea, I love it. Sign me up for the pilot.", question="What do you think?"
    )
    assert signed.act is Act.OPINION and Facet.COMMITMENT in signed.facets
    referred = await reader.read(
        "Brilliant idea. My sister runs a florist and has the same trouble, I can ask her.",
        question="Thoughts?",
    )
    assert Facet.REFERRAL in referred.facets


def test_each_facets_sentences_come_plainest_first() -> None:
    """A follow-up quotes the sentence the reader finds plainest for a facet, not merely the first."""
    reader = OfflineAnswerReader()
    model = reader._load().facets  # the shipped classifier, asked directly for its logits
    answer = (
        "I do the books for a dental practice, mostly payroll and supplier bills. "
        "Last month the card reader went down for two days and we lost about 900 euros of payments. "
        "Honestly the worst part was ringing every patient to pay by bank transfer, which took me ages. "
        "Our dentist was furious and the hygienist had to help me with the calls."
    )
    reading = reader.read_now(answer)
    sentences = split_sentences(answer)
    logits = [model.facets_of(s, i, len(sentences)) for i, s in enumerate(sentences)]
    assert any(len(reading.sentences(facet)) > 1 for facet in reading.facets)  # an order to check
    for facet in reading.facets:
        if facet is Facet.OCCURRENCE:
            continue  # a story's occurrence may be added from the time anchors
        quoted = [logits[sentences.index(s)][facet] for s in reading.sentences(facet)]
        assert quoted == sorted(quoted, reverse=True), facet
