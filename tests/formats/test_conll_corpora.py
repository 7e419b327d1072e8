"""CoNLL as corpora ship it: read leniently like conlleval and spaCy, every leniency listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.formats.common import FormatError, ReadOptions
from annotator.formats.conll_reader import MAX_SENTENCES_PER_DOCUMENT, parse_conll
from annotator.formats.detect import read_records
from annotator.formats.importer import import_paths

CORPORA = Path(__file__).resolve().parents[1] / "fixtures" / "corpora"


def entities(record) -> list[tuple[str, str]]:
    return [(record.text[s.start : s.end], s.label) for s in record.spans]


def test_anercorp_as_shipped_is_conll_despite_its_txt_extension():
    fmt, records = read_records(CORPORA / "anercorp-excerpt.txt")
    assert fmt == "conll"
    [record] = records  # one -DOCSTART- over 8 sentences: one article
    assert len(record.meta["sentences"]) == 8
    assert ("حمدان", "PERS") in entities(record)
    # The stray I-MISC at the start of a sentence starts an entity, and is listed with its line.
    assert ("\u200fسي", "MISC") in entities(record)
    [warning] = record.warnings
    lines = (CORPORA / "anercorp-excerpt.txt").read_text(encoding="utf-8").split("\n")
    line = lines.index("\u200fسي I-MISC") + 1
    assert warning.startswith(f"{CORPORA / 'anercorp-excerpt.txt'}:{line}: I-MISC at the start of a sentence")
    assert "read as the start of a MISC entity" in warning


def test_original_tokens_are_kept_with_their_offsets():
    [record] = parse_conll("BRUSSELS B-LOC\n1996-08-22 O\n\nU.S. B-GPE\nofficials O\n", "x.conll",
                           ReadOptions(sentences_per_doc=2))
    assert record.text == "BRUSSELS 1996-08-22\nU.S. officials"
    assert [record.text[s:e] for s, e in record.meta["tokens"]] == ["BRUSSELS", "1996-08-22", "U.S.", "officials"]


def test_strict_refuses_what_lenient_reads_with_a_warning():
    text = "Obama B-PER\nvisited O\nNew I-GPE\nYork I-GPE\n"
    [record] = parse_conll(text, "x.conll")
    assert entities(record) == [("Obama", "PER"), ("New York", "GPE")]
    assert record.warnings == [
        "x.conll:3: I-GPE after O: an entity must start with B-GPE (BIO); "
        "read as the start of a GPE entity, as conlleval and spaCy read it"
    ]
    with pytest.raises(FormatError, match=r"^x.conll:3: I-GPE after O"):
        parse_conll(text, "x.conll", ReadOptions(strict=True))


def test_wnut17_bom_line_and_i_tag_after_another_type():
    fmt, records = read_records(CORPORA / "wnut17-style.conll")
    assert fmt == "conll"
    first, second = records
    assert ("Empire State Building", "location") in entities(first)
    assert entities(second) == [("Green", "group"), ("Day", "corporation")]
    assert "I-corporation after B-group" in second.warnings[0]


def test_biluo_repairs_are_listed():
    [record] = parse_conll("Barack B-PER\nObama O\nmet O\nPutin L-PER\n", "x.conll", ReadOptions(conll_scheme="biluo"))
    assert entities(record) == [("Barack", "PER"), ("Putin", "PER")]
    assert len(record.warnings) == 2


def test_doccano_sample_in_a_txt_file_is_conll_not_an_article():
    fmt, records = read_records(CORPORA / "doccano-conll.txt")
    assert fmt == "conll"
    assert [entities(r) for r in records] == [
        [("EU", "ORG"), ("German", "MISC"), ("British", "MISC")],
        [("Peter Blackburn", "PER")],
    ]


def test_plain_article_in_a_txt_file_stays_an_article(seed_text, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(seed_text, encoding="utf-8")
    assert read_records(path)[0] == "txt"


@pytest.mark.parametrize(
    "line",
    [
        "I|PRP|O like|VBP|O London|NNP|B-GPE and|CC|O New|NNP|B-GPE York|NNP|I-GPE City|NNP|I-GPE .|.|O",
        "I|O like|O London|B-GPE and|O New|B-GPE York|I-GPE City|I-GPE .|O",
    ],
)
def test_spacy_word_pos_tag_sentences(tmp_path, line):
    path = tmp_path / "ner-sent-per-line.iob"
    path.write_text(line + "\n" + line.replace("London", "Paris") + "\n", encoding="utf-8")
    fmt, records = read_records(path)
    assert fmt == "conll"
    assert [r.text for r in records] == ["I like London and New York City .", "I like Paris and New York City ."]
    assert entities(records[0]) == [("London", "GPE"), ("New York City", "GPE")]
    assert not records[0].warnings


def test_docstart_with_any_columns_separates_documents():
    text = "-DOCSTART- O\n\nEU B-ORG\n\nrejects O\n-DOCSTART- -X- -X- -X- O\nPeter B-PER\n"
    first, second = parse_conll(text, "x.conll")
    assert first.text == "EU\nrejects" and second.text == "Peter"


def test_one_docstart_over_a_whole_corpus_gives_one_document_per_sentence_unless_grouped():
    sentences = "\n".join(f"word{i} O\nName{i} B-PER\n" for i in range(MAX_SENTENCES_PER_DOCUMENT + 5))
    text = "-DOCSTART- -X- -X- -X- O\n\n" + sentences
    records = parse_conll(text, "big.txt")
    assert len(records) == MAX_SENTENCES_PER_DOCUMENT + 5
    assert "each sentence is imported as a document" in records[0].warnings[0]
    grouped = parse_conll(text, "big.txt", ReadOptions(sentences_per_doc=100))
    assert [len(r.meta["sentences"]) for r in grouped] == [100, 100, 5]
    assert not grouped[0].warnings


def test_import_maps_labels_and_reports_the_warnings(corpus):
    summary = import_paths(corpus, [CORPORA / "anercorp-excerpt.txt"], annotator="anercorp",
                           label_map={"PERS": "PER", "LOC": "GPE", "MISC": None})
    assert summary.ok, summary.errors
    labels = {row["label"] for row in corpus.conn.execute("SELECT label FROM spans")}
    assert labels == {"PER", "GPE", "ORG"}
    assert any("I-MISC at the start of a sentence" in w for w in summary.warnings)
    assert any("MISC span" in w and "left out by --map MISC=" in w for w in summary.warnings)


def test_a_tag_column_that_is_only_an_invisible_mark_is_read_as_o_with_a_warning():
    # ANERcorp's dev split, line 18,122: "الأمن\u200f1706 \u200f" (the tag column is a lone U+200F).
    text = "مجلس B-ORG\nالأمن\u200f1706 \u200f\nالذي O\n"
    [record] = parse_conll(text, "dev_data.txt")
    assert entities(record) == [("مجلس", "ORG")]
    assert record.warnings == [
        "dev_data.txt:2: the tag column holds only U+200F RIGHT-TO-LEFT MARK, not a tag; read as O"
    ]
    with pytest.raises(FormatError, match="dev_data.txt:2: the tag column holds only U\\+200F"):
        parse_conll(text, "dev_data.txt", ReadOptions(strict=True))
