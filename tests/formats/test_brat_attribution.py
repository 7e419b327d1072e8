"""brat attribution files as PARC 3.0 and PolNeAR write them, and the TEXT_ANNOTATOR.ann pairing.

Fixtures (``tests/fixtures/brat_polnear/``, built by ``tests/fixtures/make_brat_fixtures.py``):
the seed article with our own gold in PolNeAR's layout, and a 1,019-character excerpt of a PolNeAR
dev article (Politico 2016-09-08, "Flynn says Trump 'absolutely right'…") with two annotators' files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.spans import quote_from_dict, span_from_dict
from annotator.formats.brat_reader import annotation_files_of, parse_brat, read_brat, text_of
from annotator.formats.importer import import_paths
from annotator.review.quote_metrics import match_quotes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LAYOUT = FIXTURES / "brat_polnear"
FLYNN = "politico_2016-09-08_flynn-says-trump-absolutely-righ"
SEED_NAME = "000_e2e2a45a2d660ad4"


def readable(text: str, quote) -> tuple:
    return (
        [text[r.start : r.end] for r in quote.contents],
        text[quote.cue.start : quote.cue.end] if quote.cue else None,
        [text[r.start : r.end] for r in quote.sources],
        quote.type,
    )


def quote_rows(corpus, annotator: str) -> list[tuple]:
    doc_id = corpus.document_ids()[0]
    text = corpus.document(doc_id).text
    return [readable(text, q) for q in corpus.quotes(doc_id, annotator)]


# -- pairing ---------------------------------------------------------------------------------------


def test_text_annotator_files_pair_with_their_text_in_a_sibling_folder():
    text = LAYOUT / "text" / f"{FLYNN}.txt"
    found = annotation_files_of(text)
    assert [(ann.name, name) for ann, name in found] == [(f"{FLYNN}_4b22.ann", "4b22"), (f"{FLYNN}_5fec.ann", "5fec")]
    assert text_of(LAYOUT / "attributions" / f"{FLYNN}_5fec.ann") == (text, "5fec")


def test_an_exact_text_name_wins_over_the_annotator_suffix(tmp_path):
    (tmp_path / "a_b.txt").write_text("Obama said hello.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Other text.", encoding="utf-8")
    (tmp_path / "a_b.ann").write_text("", encoding="utf-8")
    (tmp_path / "a_amira.ann").write_text("", encoding="utf-8")
    assert text_of(tmp_path / "a_b.ann") == (tmp_path / "a_b.txt", None)
    assert [(ann.name, who) for ann, who in annotation_files_of(tmp_path / "a.txt")] == [("a_amira.ann", "amira")]


# -- the seed gold in PolNeAR's layout ---------------------------------------------------------------


def test_our_seed_gold_in_polnear_layout_imports_as_the_jsonl_gold(corpus):
    gold = json.loads((FIXTURES / "seed_gold.jsonl").read_text(encoding="utf-8").splitlines()[0])
    summary = import_paths(corpus, [LAYOUT / "attributions" / f"{SEED_NAME}_gold.ann"])
    assert summary.ok, summary.errors
    assert (summary.documents_new, summary.quotes, summary.spans, summary.annotators) == (1, 40, 126, {"gold"})
    assert summary.warnings == []
    [doc_id] = corpus.document_ids()
    assert corpus.document(doc_id).text == gold["text"]
    expected = sorted((q.key, q.type, q.entity) for q in map(quote_from_dict, gold["quotes"]))
    assert sorted((q.key, q.type, q.entity) for q in corpus.quotes(doc_id, "gold")) == expected
    assert sorted(s.key for s in corpus.spans(doc_id, "gold")) == sorted(span_from_dict(s).key for s in gold["spans"])


def test_a_source_shared_by_several_attributions_stays_separate_quotes():
    [record] = read_brat(LAYOUT / "attributions" / f"{SEED_NAME}_gold.ann")
    by_source: dict = {}
    for quote in record.quotes:
        for source in quote.sources:
            by_source.setdefault(source, []).append(quote)
    shared = [quotes for quotes in by_source.values() if len(quotes) > 1]
    assert shared, "the seed gold has speakers with several quotes"
    assert len(record.quotes) == 40


# -- a doubly annotated PolNeAR text ----------------------------------------------------------------


def test_a_doubly_annotated_text_gives_one_document_and_two_sets(corpus):
    summary = import_paths(corpus, [LAYOUT / "text" / f"{FLYNN}.txt"])
    assert summary.ok, summary.errors
    assert (summary.documents_new, summary.documents_duplicate) == (1, 0)
    assert summary.annotators == {"4b22", "5fec"}
    assert summary.spans == 0, "Attribution triggers and quote parts are not entities"
    first, second = quote_rows(corpus, "4b22"), quote_rows(corpus, "5fec")
    assert len(first) == len(second) == 7
    # The trigger (type Attribution, the cue's range) is not a second cue.
    assert (["“He's absolutely right. There's a severe disconnect between this White House and frankly the "
             "president and our military,”",
             "“I mean, there's a lot of frustration within the ranks and there's a lot of frustration I know in the "
             "senior leadership about what we're not able to do.”"],
            "said Thursday morning", ["Flynn, a top Trump surrogate,"], "direct") in first
    assert [q[1] for q in second if q[2] == ["Flynn, a top Trump surrogate,"]] == ["said"]
    # Attribution-no-source: a quote without a source (the other annotator gave it one).
    assert (["how he would combat the Islamic State"], "an answer about", [], "indirect") in first
    assert (["how he would combat the Islamic State"], "an answer about", ["which"], "indirect") in second
    # One Source (Robby Mook) shared by two attributions: two quotes with that source.
    mook = [q for q in second if q[2] == ["Hillary Clinton’s campaign manager Robby Mook"]]
    assert [(q[0], q[1]) for q in mook] == [
        (["as much"], "said"),
        (["that Trump “lashed out at our nation's generals when he was asked for details.”"], "arguing"),
    ]
    assert [q[3] for q in mook] == ["indirect", "mixed"]


def test_two_annotators_of_one_text_can_be_compared(corpus):
    import_paths(corpus, [LAYOUT])
    doc_id = next(d for d in corpus.document_ids() if corpus.document(d).text.startswith("Flynn says"))
    match = match_quotes(corpus.quotes(doc_id, "4b22"), corpus.quotes(doc_id, "5fec"))
    counts = match.counts()
    assert (counts["matched"], counts["agree"], counts["only_a"], counts["only_b"]) == (7, 5, 0, 0)
    assert (counts["cue"], counts["source"]) == (1, 1)  # "said Thursday morning" / "said"; no source / "which"


def test_naming_one_ann_file_imports_only_that_annotators_set(corpus):
    summary = import_paths(corpus, [LAYOUT / "attributions" / f"{FLYNN}_5fec.ann"])
    assert summary.ok and summary.annotators == {"5fec"}
    assert corpus.conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0] == 7


def test_a_folder_in_polnear_layout_imports_every_text_once(corpus):
    summary = import_paths(corpus, [LAYOUT])
    assert summary.ok, summary.errors
    assert (summary.files_ok, summary.documents_new, summary.skipped) == (2, 2, [])
    assert summary.annotators == {"gold", "4b22", "5fec"}
    assert summary.quotes == 40 + 7 + 7


# -- what a quote cannot hold is listed, not refused ------------------------------------------------

TEXT = "Obama said the talks failed. Putin agreed. Read the rest here."


def test_an_unlinked_source_and_an_event_without_content_are_listed_and_the_rest_imports(tmp_path, corpus):
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d.ann").write_text(
        "T1\tSource 0 5\tObama\nT2\tCue 6 10\tsaid\nT3\tContent 11 27\tthe talks failed\n"
        "T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        "T5\tSource 29 34\tPutin\n"
        "T6\tCue 35 41\tagreed\nT7\tAttribution-no-source 35 41\tagreed\nE2\tAttribution-no-source:T7 Cue:T6\n"
        "T8\tDiscard 43 62\tRead the rest here.\n",
        encoding="utf-8",
    )
    summary = import_paths(corpus, [tmp_path / "d.txt"])
    assert summary.ok and summary.quotes == 1 and summary.spans == 0
    assert summary.warnings == [
        f"{tmp_path / 'd.ann'}:6: T5 (Source): linked to no Content; not imported as a quote",
        f"{tmp_path / 'd.ann'}:9: E2 Attribution-no-source has no Content; not imported as a quote",
    ]
    meta = corpus.document(corpus.document_ids()[0]).meta
    assert meta["brat_other"] == [{"type": "Discard", "ranges": [[43, 62]]}]
    assert quote_rows(corpus, "imported") == [(["the talks failed"], "said", ["Obama"], "indirect")]


def test_discard_and_discuss_are_never_entities_with_new_labels(tmp_path, corpus):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "d.txt").write_text(TEXT, encoding="utf-8")
    (folder / "d.ann").write_text("T1\tDiscuss 0 27\tObama said the talks failed\nT2\tPER 29 34\tPutin\n",
                                  encoding="utf-8")
    summary = import_paths(corpus, [folder])
    assert summary.ok, summary.errors
    assert [s.label for s in corpus.spans(corpus.document_ids()[0], "imported")] == ["PER"]


def brat_line(ident: str, kind: str, text: str, *pieces: str) -> str:
    ranges = [(text.index(p), text.index(p) + len(p)) for p in pieces]
    return f"{ident}\t{kind} {';'.join(f'{s} {e}' for s, e in ranges)}\t{' '.join(pieces)}\n"


def test_a_cue_in_pieces_is_joined_over_spaces_and_otherwise_the_longest_piece_kept():
    text = "The Post has not learned that it rained. Sources said about the plan that it failed."
    ann = brat_line("T1", "Cue", text, "said", "about") + brat_line("T2", "Content", text, "that it failed") + \
        "E1\tAttribution:T1 Cue:T1 Content:T2\n"
    joined = parse_brat(text, ann, "d.txt", "d.ann")
    assert text[joined.quotes[0].cue.start : joined.quotes[0].cue.end] == "said about"
    assert joined.warnings == []
    ann = brat_line("T1", "Cue", text, "has", "learned") + brat_line("T2", "Content", text, "that it rained") + \
        "E1\tAttribution:T1 Cue:T1 Content:T2\n"
    pieces = parse_brat(text, ann, "d.txt", "d.ann")
    [quote] = pieces.quotes
    assert text[quote.cue.start : quote.cue.end] == "learned"
    assert pieces.warnings == ["d.ann:3: E1: the cue is in pieces ('has' … 'learned'); a quote has one cue range, "
                               "kept 'learned'"]


def test_a_text_column_holding_a_line_break_is_read_across_lines():
    text = "3.\n\nThe number of people, sources said."
    ann = "T1\tContent 0 24\t3.\n\nThe number of people\nT2\tCue 34 38\tsaid\nE1\tAttribution:T2 Content:T1\n"
    record = parse_brat(text, ann, "d.txt", "d.ann")
    [quote] = record.quotes
    assert text[quote.contents[0].start : quote.contents[0].end] == "3.\n\nThe number of people"
    assert text[quote.cue.start : quote.cue.end] == "said"


def test_brat_errors_name_the_ann_file_once(tmp_path, corpus):
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d.ann").write_text("T1\tPER 0 5\tObama\nE1\t\n", encoding="utf-8")
    summary = import_paths(corpus, [tmp_path / "d.txt"])
    assert summary.errors == [f"{tmp_path / 'd.ann'}:2: E1 is empty; a brat line here reads 'E1<TAB>Type:T1 Role:T2 …'"]
    assert corpus.document_ids() == []


@pytest.mark.parametrize("line", ["R1", "R1\t", "R1\t  "])
def test_an_empty_relation_line_gets_one_clear_line(tmp_path, corpus, line):
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d.ann").write_text(f"T1\tPER 0 5\tObama\n{line}\n", encoding="utf-8")
    summary = import_paths(corpus, [tmp_path / "d.txt"])
    assert summary.errors == [f"{tmp_path / 'd.ann'}:2: R1 is empty; a brat line here reads "
                              "'R1<TAB>Type Arg1:T1 Arg2:T2'"]
