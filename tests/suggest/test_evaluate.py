"""`annotator evaluate` counts every gold item of every selected article, whatever the suggesters did."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord, Span
from annotator.review.agreement import corpus_agreement
from annotator.store import Corpus
from annotator.suggest.evaluation import evaluate

TEXTS = [
    "وقال بوتين إن موسكو مستعدة.",  # gold: بوتين PER, موسكو GPE; suggested: both, موسكو with a bad boundary
    "وزار لافروف جنيف أمس.",  # gold: لافروف PER, جنيف GPE; suggested: nothing at all
    "وأعلنت الأمم المتحدة أن الاجتماع تأجل.",  # gold: الأمم المتحدة ORG; suggested: الأمم as ORG, المتحدة as GPE
    "ولم يعلق البيت الأبيض.",  # gold has no set here: not scored
]


def span(text: str, name: str, label: str, suggester: str | None = None, end_extra: int = 0) -> Span:
    start = text.index(name)
    return Span(start, start + len(name) + end_extra, label, suggester=suggester, score=0.9 if suggester else None)


def fill(corpus: Corpus) -> list[int]:
    ids = corpus.add_documents([DocumentRecord(text=t, language="ar") for t in TEXTS]).new_ids
    t = TEXTS
    for doc_id, gold in zip(ids, [[("بوتين", "PER"), ("موسكو", "GPE")], [("لافروف", "PER"), ("جنيف", "GPE")],
                                  [("الأمم المتحدة", "ORG")]], strict=False):
        for name, label in gold:
            corpus.add_span(doc_id, "gold", span(t[ids.index(doc_id)], name, label))
        corpus.set_status(doc_id, "gold", "done")
    corpus.store_suggestions(ids[0], "gazetteer", "g1", [span(t[0], "بوتين", "PER", "gazetteer"),
                                                         span(t[0], "موسكو", "GPE", "gazetteer", end_extra=1)], [])
    corpus.store_suggestions(ids[1], "gazetteer", "g1", [], [])  # ran, found nothing
    corpus.store_suggestions(ids[2], "gazetteer", "g1", [span(t[2], "الأمم", "ORG", "gazetteer"),
                                                         span(t[2], "المتحدة", "GPE", "gazetteer")], [])
    corpus.store_suggestions(ids[3], "gazetteer", "g1", [span(t[3], "البيت الأبيض", "ORG", "gazetteer")], [])
    return ids


def test_gold_counts_in_articles_where_nothing_was_proposed(corpus) -> None:
    fill(corpus)
    result = evaluate(corpus, "gold")
    assert result["documents"] == 3  # the article without a gold set is left out
    exact = result["entities"]["gazetteer"]["exact"]
    assert (exact["PER"]["tp"], exact["PER"]["fn"], exact["PER"]["fp"]) == (1, 1, 0)  # لافروف counted as missed
    assert (exact["GPE"]["tp"], exact["GPE"]["fn"], exact["GPE"]["fp"]) == (0, 2, 2)
    assert (exact["ORG"]["tp"], exact["ORG"]["fn"], exact["ORG"]["fp"]) == (0, 1, 1)
    assert exact["__all__"]["recall"] == 1 / 5 and exact["__all__"]["precision"] == 1 / 4
    overlap = result["entities"]["gazetteer"]["overlap"]
    # موسكو with one character too many overlaps; الأمم overlaps the gold الأمم المتحدة (one to one);
    # المتحدة has another label and stays wrong.
    assert overlap["__all__"]["tp"] == 3 and overlap["__all__"]["fn"] == 2 and overlap["__all__"]["fp"] == 1


def test_selection_by_documents_and_by_status(corpus) -> None:
    ids = fill(corpus)
    corpus.set_status(ids[1], "gold", "in_progress")
    done = evaluate(corpus, "gold", statuses=["done"])
    assert done["documents"] == 2 and done["entities"]["gazetteer"]["exact"]["PER"]["fn"] == 0
    one = evaluate(corpus, "gold", doc_ids=[ids[1]])
    assert one["documents"] == 1 and one["entities"]["gazetteer"]["exact"]["__all__"]["recall"] == 0.0
    corpus.set_status(ids[2], "gold", "skipped")
    assert evaluate(corpus, "gold")["documents"] == 2  # skipped articles are not gold


def test_a_suggester_that_did_not_run_counts_as_proposing_nothing_and_says_so(corpus) -> None:
    ids = fill(corpus)
    t = TEXTS[0]
    corpus.store_suggestions(ids[0], "learned", "l1", [span(t, "بوتين", "PER", "learned")], [])
    result = evaluate(corpus, "gold")
    assert result["coverage"] == {"gazetteer": 3, "learned": 1, "combined": 3}
    learned = result["entities"]["learned"]["exact"]["__all__"]
    assert (learned["tp"], learned["fp"], learned["fn"]) == (1, 0, 4)
    # combined: بوتين proposed by both counts once
    combined = result["entities"]["combined"]["exact"]["__all__"]
    assert (combined["tp"], combined["fp"], combined["fn"]) == (1, 3, 4)


def test_overlap_is_counted_as_agreement_counts_it(corpus) -> None:
    ids = fill(corpus)
    for doc_id in ids[:3]:
        spans, _ = corpus.suggestions(doc_id)
        for s in spans:
            corpus.add_span(doc_id, "omar", Span(s.start, s.end, s.label))
        corpus.set_status(doc_id, "omar", "done")
    ours = evaluate(corpus, "gold", "omar", doc_ids=ids[:3])["entities"]["omar"]
    theirs = corpus_agreement(corpus, ["gold", "omar"]).pair("gold", "omar")
    assert ours["overlap"]["__all__"]["f1"] == theirs.overlap["__all__"]["f1"]
    assert ours["exact"]["__all__"]["f1"] == theirs.exact["__all__"]["f1"]


def test_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Corpus.open(db) as corpus:
        ids = fill(corpus)
    run = CliRunner().invoke
    out = run(main, ["evaluate", "--db", str(db), "--gold", "gold", "--suggestions", "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["documents"] == 3 and "at least one shared character" in result["matching"]
    out = run(main, ["evaluate", "--db", str(db), "--gold", "gold", "--suggestions", "--docs", f"{ids[0]}-{ids[1]}"])
    assert out.exit_code == 0 and "on 2 articles" in out.output and "entities — gazetteer" in out.output
    out = run(main, ["evaluate", "--db", str(db), "--gold", "gold", "--suggestions", "--suggester", "learned"])
    assert "learned has not run on 3 of these articles" in out.output
    bad = run(main, ["evaluate", "--db", str(db), "--gold", "gold", "--suggestions", "--docs", "99"])
    assert bad.exit_code != 0 and "no document(s) 99" in bad.output
    bad = run(main, ["evaluate", "--db", str(db), "--gold", "gold", "--suggestions", "--docs", "x"])
    assert bad.exit_code != 0 and "expected document ids" in bad.output
