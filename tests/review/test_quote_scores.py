"""Whole-quote figures (``annotator evaluate``): content by overlap and exact, cue, source, type, and
source accuracy on the matched quotes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord, Quote, Range
from annotator.review.quote_metrics import AttributionScores
from annotator.store import Corpus

# PolNeAR-style gold (marks inside the content, trailing comma in the source) against our style.
TEXT = '“We will win,” Flynn, a top Trump surrogate, said. Clinton said the plan would fail. It rained.'


def at(piece: str, start: int = 0) -> Range:
    s = TEXT.index(piece, start)
    return Range(s, s + len(piece))


GOLD = [
    Quote(contents=(at("“We will win,”"),), cue=at("said"), sources=(at("Flynn, a top Trump surrogate,"),)),
    Quote(contents=(at("the plan would fail"),), cue=at("said", TEXT.index("Clinton")), sources=(at("Clinton"),),
          type="indirect"),
]
PRED = [
    Quote(contents=(at("We will win"),), cue=at("said"), sources=(at("Flynn, a top Trump surrogate"),)),
    Quote(contents=(at("plan would fail"),), cue=at("said", TEXT.index("Clinton")), sources=(at("It"),),
          type="indirect"),
    Quote(contents=(at("It rained"),)),
]


def test_whole_quote_figures():
    scores = AttributionScores()
    scores.add(GOLD, PRED, TEXT)
    figures = scores.as_dict()
    assert (figures["gold"], figures["pred"]) == (2, 3)
    assert figures["content_overlap"]["tp"] == 2 and figures["content_overlap"]["fp"] == 1
    assert figures["content_exact"]["tp"] == 1  # marks and the comma at the edges are ignored
    assert figures["cue_exact"]["tp"] == 2 and figures["source_exact"]["tp"] == 1
    assert figures["type_accuracy"] == 1.0
    assert figures["source_accuracy"] == {"quotes": 2, "overlap": 0.5, "exact": 0.5}


def test_without_the_text_exact_means_the_same_offsets():
    scores = AttributionScores()
    scores.add(GOLD, PRED)
    assert scores.as_dict()["content_exact"]["tp"] == 0


def test_evaluate_prints_and_returns_whole_quote_figures(tmp_path: Path):
    db = tmp_path / "c.db"
    with Corpus.open(db) as corpus:
        [doc_id] = corpus.add_documents([DocumentRecord(text=TEXT, quotes=GOLD)], annotator="gold").new_ids
        corpus.store_suggestions(doc_id, "quotes", "test", [], PRED)
    result = CliRunner().invoke(main, ["evaluate", "--db", str(db), "--gold", "gold", "--suggestions", "--json"])
    whole = json.loads(result.output)["quote_attribution"]["quotes"]
    assert whole["content_overlap"]["tp"] == 2 and whole["source_accuracy"]["quotes"] == 2
    table = CliRunner().invoke(main, ["evaluate", "--db", str(db), "--gold", "gold", "--suggestions"])
    assert "whole quotes — quotes" in table.output and "source right (matched)" in table.output
