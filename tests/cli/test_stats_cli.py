"""`annotator stats`: articles done per day and what annotators did with the suggestions,
the figures the window's statistics view shows."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import Corpus

TEXT = "Obama met Putin in Moscow on Monday."


def test_stats_counts_days_done_and_suggestion_outcomes(tmp_path):
    db = tmp_path / "corpus.db"
    with Corpus.open(db) as corpus:
        first, second, third = corpus.add_documents(
            [DocumentRecord(text=f"{TEXT} ({i})", title=f"t{i}") for i in range(3)]).new_ids
        corpus.add_span(first, "amira", Span(0, 5, "PER", origin="accepted", suggester="g"))
        corpus.add_span(first, "amira", Span(10, 15, "PER", origin="edited", suggester="g"))
        corpus.add_span(first, "amira", Span(19, 25, "GPE"))
        corpus.add_quote(first, "amira", Quote(contents=(Range(0, 9),), origin="accepted"))
        corpus.decide_suggestion(first, "amira", "entity", 19, 25, "LOC", "rejected")
        corpus.decide_suggestion(first, "amira", "quote", 10, 20, "", "rejected")
        corpus.set_status(first, "amira", "done")
        corpus.set_status(second, "amira", "done")
        corpus.set_status(third, "bilal", "skipped", "not news")
    result = CliRunner().invoke(main, ["stats", "--db", str(db), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["done_per_day"] == {"amira": {date.today().isoformat(): 2}}
    amira = stats["suggestion_outcomes"]["amira"]
    assert (amira["accepted"], amira["edited"], amira["rejected"]) == (2, 1, 2)
    assert amira["entities"] == {"accepted": 1, "edited": 1, "rejected": 1}
    assert amira["quotes"] == {"accepted": 1, "edited": 0, "rejected": 1}
    assert amira["acceptance_rate"] == 0.6
    assert "bilal" not in stats["suggestion_outcomes"]
    table = CliRunner().invoke(main, ["stats", "--db", str(db)], catch_exceptions=False).stdout
    assert "Suggestions decided" in table and "60%" in table
    assert "Articles done per day" in table


def test_done_per_day_counts_only_articles_still_done(tmp_path):
    db = tmp_path / "corpus.db"
    with Corpus.open(db) as corpus:
        [doc] = corpus.add_documents([DocumentRecord(text=TEXT)]).new_ids
        corpus.set_status(doc, "amira", "done")
        corpus.set_status(doc, "amira", "in_progress")  # reopened
    stats = json.loads(CliRunner().invoke(main, ["stats", "--db", str(db), "--json"]).stdout)
    assert stats["done_per_day"] == {}
