"""`annotator agreement` through the command line, as a user runs it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord, Span


def run(*args: str):
    return CliRunner().invoke(main, ["agreement", *args], catch_exceptions=False)


def test_json_figures_match_the_seed_disagreements(review_corpus, corpus_path):
    corpus, doc_id, _ = review_corpus
    result = run("amira", "bilal", "--db", str(corpus_path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    pair = data["pairs"][0]
    assert (pair["a"], pair["b"], pair["documents"]) == ("amira", "bilal", 1)
    # 7 spans each, 3 identical: exact tp=3 fp=4 fn=4 -> F1 = 6/14.
    assert pair["spans"]["exact"]["__all__"]["f1"] == 6 / 14
    # Overlap adds the boundary pair (same label, overlapping): tp=4 fp=3 fn=3 -> F1 = 8/14.
    assert pair["spans"]["overlap"]["__all__"]["f1"] == 8 / 14
    assert pair["disagreements"] == {"agree": 3, "only_a": 1, "only_b": 1, "other_label": 1, "boundary": 1,
                                     "other_label_boundary": 1}
    assert pair["quotes"]["matched"] == 2 and pair["quotes"]["only_a"] == 1 and pair["quotes"]["only_b"] == 1
    assert pair["quotes"]["differs"]["type"] == 1 and pair["quotes"]["differs"]["cue"] == 1
    assert pair["articles"][0]["doc_id"] == doc_id


def test_tables_and_html_report(review_corpus, corpus_path, tmp_path):
    corpus, doc_id, _ = review_corpus
    # A title that looks like HTML must come out as text.
    [other] = corpus.add_documents([DocumentRecord(text="Obama met Merkel.", title="<script>x</script>")]).new_ids
    corpus.add_span(other, "amira", Span(0, 5, "PER"))
    corpus.add_span(other, "bilal", Span(10, 16, "PER"))
    report = tmp_path / "agreement.html"
    result = run("amira", "bilal", "--db", str(corpus_path), "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "Entities per label" in result.output and "boundary differs" in result.output
    page = report.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "فلاديمير بوتين" in page  # the words of a boundary disagreement
    assert "quote differs: type" in page and "only B" in page
    assert "Entities per label" in page and "Disagreements by article" in page


def test_three_annotators_print_a_pairwise_matrix(review_corpus, corpus_path):
    corpus, doc_id, expected = review_corpus
    for span in expected["agree"]:
        corpus.add_span(doc_id, "chen", Span(*span))
    result = run("amira", "bilal", "chen", "--db", str(corpus_path))
    assert result.exit_code == 0, result.output
    assert "Pairwise F1 (exact)" in result.output and "Pairwise Cohen's kappa" in result.output


def test_bad_input_gets_a_clear_message(review_corpus, corpus_path):
    result = CliRunner().invoke(main, ["agreement", "amira", "--db", str(corpus_path)])
    assert result.exit_code != 0 and "at least two annotators" in result.output
    result = CliRunner().invoke(main, ["agreement", "amira", "nobody", "--db", str(corpus_path)])
    assert result.exit_code != 0 and "no annotator named 'nobody'" in result.output
    result = CliRunner().invoke(main, ["agreement", "amira", "bilal", "--labels", "PER,FOO", "--db", str(corpus_path)])
    assert result.exit_code != 0 and "unknown label(s) FOO" in result.output
    result = CliRunner().invoke(main, ["agreement", "amira", "bilal", "--db", str(corpus_path) + ".missing"])
    assert result.exit_code != 0 and "no such corpus file" in result.output
