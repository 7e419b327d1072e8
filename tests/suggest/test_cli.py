"""`annotator suggest` and `annotator evaluate` through click's CliRunner, checked against the database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import Corpus

TEXT = 'وقال أوباما إن المحادثات مع بوتين كانت مفيدة. وأضاف "سنواصل العمل مع روسيا".'


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def make_db(tmp_path: Path) -> tuple[Path, int]:
    db = tmp_path / "c.db"
    with Corpus.open(db) as corpus:
        [doc_id] = corpus.add_documents([DocumentRecord(text=TEXT)]).new_ids
    return db, doc_id


def test_suggest_then_cached_then_forced(tmp_path: Path) -> None:
    db, doc_id = make_db(tmp_path)
    first = run("suggest", "--db", db)
    assert first.exit_code == 0, first.output
    assert "1 of 1 documents processed" in first.output
    with Corpus.open(db) as corpus:
        spans, quotes = corpus.suggestions(doc_id)
        assert len(quotes) == 2 and spans
    again = run("suggest", "--db", db, "--json")
    assert json.loads(again.output)["up_to_date"] == 1
    forced = run("suggest", "--db", db, "--suggester", "quotes", "--force", "--json")
    summary = json.loads(forced.output)
    assert summary["processed"] == 1 and list(summary["per_suggester"]) == ["quotes"]


def test_suggest_errors_are_clear(tmp_path: Path) -> None:
    db, _ = make_db(tmp_path)
    unknown = run("suggest", "--db", db, "--suggester", "quote")
    assert unknown.exit_code != 0 and "unknown suggester 'quote'" in unknown.output
    bad_ids = run("suggest", "--db", db, "--docs", "1,x")
    assert bad_ids.exit_code != 0 and "expected document ids" in bad_ids.output
    missing = run("suggest", "--db", db, "--docs", "7")
    assert missing.exit_code != 0 and "no document(s) 7" in missing.output
    no_db = run("suggest", "--db", tmp_path / "none.db")
    assert no_db.exit_code != 0 and "no such corpus file" in no_db.output


def test_evaluate_suggestions_and_what_the_annotator_changed(tmp_path: Path) -> None:
    db, doc_id = make_db(tmp_path)
    run("suggest", "--db", db, "--suggester", "quotes", "--suggester", "gazetteer")
    with Corpus.open(db) as corpus:
        obama = TEXT.index("أوباما")
        putin = TEXT.index("بوتين")
        russia = TEXT.index("روسيا")
        corpus.add_span(doc_id, "gold", Span(obama, obama + 6, "PER", origin="accepted", suggester="gazetteer"))
        corpus.add_span(doc_id, "gold", Span(putin, putin + 5, "PER", origin="manual"))
        corpus.add_span(doc_id, "gold", Span(russia, russia + 5, "GPE", origin="edited"))
        corpus.decide_suggestion(doc_id, "gold", "entity", 0, 4, "PER", "rejected")
        content = TEXT.index("المحادثات")
        corpus.add_quote(doc_id, "gold", Quote(contents=(Range(content, TEXT.index(".")),), cue=Range(0, 4),
                                               sources=(Range(obama, obama + 6),), type="indirect",
                                               origin="accepted"))
    result = run("evaluate", "--db", db, "--gold", "gold", "--suggestions", "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["documents"] == 1
    gazetteer = scores["entities"]["gazetteer"]["exact"]
    assert gazetteer["PER"]["tp"] == 2 and gazetteer["GPE"]["tp"] == 1
    quotes = scores["quotes"]["quotes"]
    assert quotes["content_exact"]["tp"] == 1 and quotes["content_exact"]["fp"] == 1
    assert quotes["cue_exact"]["recall"] == 1.0 and quotes["source_overlap"]["recall"] == 1.0
    assert scores["changes"]["entities"] == {"manual": 1, "accepted": 1, "edited": 1, "imported": 0, "rejected": 1}
    assert scores["changes"]["quotes"]["accepted"] == 1
    table = run("evaluate", "--db", db, "--gold", "gold", "--suggestions")
    assert "entities — gazetteer" in table.output and "quotes — quotes" in table.output


def test_evaluate_one_annotator_against_another(tmp_path: Path) -> None:
    db, doc_id = make_db(tmp_path)
    with Corpus.open(db) as corpus:
        obama = TEXT.index("أوباما")
        corpus.add_span(doc_id, "gold", Span(obama, obama + 6, "PER"))
        corpus.add_span(doc_id, "omar", Span(obama, obama + 6, "ORG"))
    scores = json.loads(run("evaluate", "--db", db, "--gold", "gold", "--pred", "omar", "--json").output)
    assert scores["entities"]["omar"]["overlap"]["PER"]["fn"] == 1
    assert scores["entities"]["omar"]["overlap"]["ORG"]["fp"] == 1


def test_evaluate_usage_errors(tmp_path: Path) -> None:
    db, _ = make_db(tmp_path)
    both = run("evaluate", "--db", db, "--gold", "gold", "--pred", "x", "--suggestions")
    assert both.exit_code != 0 and "exactly one of --pred ANNOTATOR or --suggestions" in both.output
    nobody = run("evaluate", "--db", db, "--gold", "nobody", "--suggestions")
    assert nobody.exit_code != 0 and "no annotator 'nobody'" in nobody.output
