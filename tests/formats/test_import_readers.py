"""Readers: each format gives the documents, spans and quotes a user would expect (no store involved)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.spans import Quote, Range
from annotator.formats.brat_reader import parse_brat, read_brat
from annotator.formats.common import FormatError, ReadOptions, decode
from annotator.formats.conll_reader import parse_conll, read_conll
from annotator.formats.detect import detect_format, read_records, sniff
from annotator.formats.jsonl_reader import parse_jsonl, read_jsonl
from annotator.formats.txt_reader import parse_txt, read_txt

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "import"
SEED = next((ROOT / "seeds").glob("*.txt"))


def spans_text(record) -> list[tuple[str, str]]:
    return [(record.text[s.start : s.end], s.label) for s in record.spans]


# -- plain text ---------------------------------------------------------------------------------


def test_seed_is_one_article_with_title_caption_and_source_and_the_text_untouched():
    [record] = read_txt(SEED)
    raw = SEED.read_text(encoding="utf-8")
    assert record.text == raw
    assert "\u00a0" in record.text  # NO-BREAK SPACEs stay
    assert record.title == "أوباما وبوتين خلال قمة مجموعة الـ20 في الصين"
    assert record.meta["caption"] == record.title
    assert record.source == "وكالات"
    assert record.location.endswith(":1")


def test_seed_split_at_source_gives_two_articles_that_concatenate_back_to_the_file():
    records = read_txt(SEED, ReadOptions(split_at_source=True))
    raw = SEED.read_text(encoding="utf-8")
    assert len(records) == 2
    assert "".join(r.text for r in records) == raw
    assert [r.title for r in records] == ["أوباما وبوتين خلال قمة مجموعة الـ20 في الصين", "باراك أوباما"]
    assert [r.source for r in records] == ["وكالات", "وكالات"]
    assert records[0].text.rstrip().endswith("المصدر: وكالات")
    assert records[1].meta["offset"] == len(records[0].text)
    assert records[1].location == f"{SEED}:{raw[: len(records[0].text)].count(chr(10)) + 1}"


def test_txt_keeps_crlf_and_strips_only_the_bom():
    text = decode("\ufeffHeadline\r\n\r\nBody text.\r\nSource: Reuters\r\n".encode(), "a.txt")
    [record] = parse_txt(text, "a.txt")
    assert record.text == "Headline\r\n\r\nBody text.\r\nSource: Reuters\r\n"
    assert record.title == "Headline" and record.source == "Reuters"


def test_txt_without_source_line_has_no_source():
    [record] = parse_txt("\n\n  Title here\nBody.\n", "b.txt")
    assert record.title == "Title here" and record.source is None and record.location == "b.txt:3"


# -- JSON ---------------------------------------------------------------------------------------


def test_prodigy_spans_with_tokens_ignored():
    records = list(read_jsonl(FIXTURES / "prodigy.jsonl"))
    assert spans_text(records[0]) == [("Barack Obama", "PER"), ("Vladimir Putin", "PER"), ("Hangzhou", "GPE")]
    assert records[0].annotator == "amira" and records[0].title == "G20" and records[0].source == "wire"
    assert "tokens" not in records[0].meta and "_input_hash" not in records[0].meta
    assert spans_text(records[1]) == [("بوتين", "PER"), ("واشنطن", "GPE")]


def test_doccano_label_and_entities_shapes():
    first, second = list(read_jsonl(FIXTURES / "doccano.jsonl"))
    assert spans_text(first) == [("Angela Merkel", "PER"), ("Paris", "GPE")]
    assert first.meta["id"] == 7 and "label" not in first.meta
    assert spans_text(second) == [("Reuters", "ORG"), ("Tokyo", "GPE")]


def test_label_studio_annotations_per_annotator_and_predictions_as_suggestions():
    records = list(read_jsonl(FIXTURES / "labelstudio.json"))
    by_annotator = {r.annotator: spans_text(r) for r in records if r.spans}
    assert by_annotator == {
        "lina@example.org": [("Emmanuel Macron", "PER"), ("Berlin", "GPE")],
        "labelstudio-4": [("Emmanuel Macron", "PER")],
    }
    [suggestion] = [s for r in records for s in r.suggestions]
    assert (suggestion.start, suggestion.end, suggestion.suggester, suggestion.score) == (0, 8, "labelstudio:ner-v1", 0.9)
    assert {r.text for r in records} == {"Emmanuel Macron spoke in Berlin.", "Olaf Scholz answered from Bonn."}
    assert records[0].title == "Macron"


def test_quotes_in_the_projects_export_shape():
    first, second = list(read_jsonl(FIXTURES / "quotes.jsonl"))
    assert first.quotes == [
        Quote(contents=(Range(12, 23),), cue=Range(6, 10), sources=(Range(0, 5),), entity=Range(0, 5), origin="imported")
    ]
    [split] = second.quotes
    assert [second.text[r.start : r.end] for r in split.contents] == ["We are close", "very close"]


def test_field_mapping_keeps_other_fields_in_meta():
    options = ReadOptions(text_field="content", title_field="title", source_field="source")
    records = list(read_jsonl(FIXTURES / "saudinewsnet-20.jsonl", options))
    assert len(records) == 20
    first = records[0]
    assert first.text.startswith("في إطار الأهداف") and first.source == "aljazirah"
    assert first.title.startswith("صكوك «الطيران»")
    assert set(first.meta) == {"url", "date_extracted", "author"}


def test_json_array_errors_name_the_line_of_the_item():
    text = '[\n  {"text": "one"},\n  {"txt": "two"}\n]\n'
    with pytest.raises(FormatError) as info:
        parse_jsonl(text, "a.json")
    assert str(info.value).startswith("a.json:3: no 'text' field")
    assert "'txt'" in str(info.value)


def test_invisible_mark_in_a_field_name_is_named():
    with pytest.raises(FormatError, match=r"x.jsonl:1: field 'text\\u200f' is 'text' with an invisible U\+200F"):
        parse_jsonl('{"text\u200f": "Obama spoke."}\n', "x.jsonl")


# -- CoNLL --------------------------------------------------------------------------------------


def test_conll_bio_one_document_per_sentence():
    first, second = read_conll(FIXTURES / "conll" / "bio.conll")
    assert first.text == "وأعلن فلاديمير بوتين في موسكو ."
    assert spans_text(first) == [("فلاديمير بوتين", "PER"), ("موسكو", "GPE")]
    assert spans_text(second) == [("Barack Obama", "PER"), ("New York", "GPE")]
    assert second.location.endswith("bio.conll:8")


def test_conll_iob1_with_docstart_joins_sentences_by_newline():
    first, second = read_conll(FIXTURES / "conll" / "iob1.conll")
    assert first.text == "EU rejects German call .\nPeter Blackburn"
    assert spans_text(first) == [("EU", "ORG"), ("German", "MISC"), ("Peter Blackburn", "PER")]
    assert first.meta["scheme"] == "iob1"
    assert spans_text(second) == [("BRUSSELS", "LOC")]


def test_conll_biluo_and_bioes():
    [record] = read_conll(FIXTURES / "conll" / "biluo.conll")
    assert spans_text(record) == [("Barack Obama", "PER"), ("Putin", "PER"), ("Hangzhou", "GPE")]


def test_conll_iob1_b_separates_adjacent_entities():
    [record] = parse_conll("Peter I-PER\nPaul B-PER\nand O\nMary I-PER\n", "x.conll")
    assert spans_text(record) == [("Peter", "PER"), ("Paul", "PER"), ("Mary", "PER")]


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("Obama B-PER\nvisited O\nYork I-GPE\n", 3, "I-GPE after O: an entity must start with B-GPE"),
        ("Barack B-PER\nObama O\n", 1, "PER entity is not closed by L-PER"),
        ("Obama L-PER\n", 1, "L-PER ends an entity that was never started"),
        ("Obama\n", 1, "expected 'token TAG'"),
    ],
)
def test_conll_invalid_transitions_are_errors_with_the_line_when_strict(content, line, words):
    scheme = "biluo" if "L-" in content or "not closed" in words else "auto"
    with pytest.raises(FormatError) as info:
        parse_conll(content, "x.conll", ReadOptions(conll_scheme=scheme, strict=True))
    assert str(info.value).startswith(f"x.conll:{line}: ")
    assert words in str(info.value)


def test_conll_invisible_mark_in_a_tag_is_named():
    with pytest.raises(FormatError, match=r"x.conll:2: .*U\+200F RIGHT-TO-LEFT MARK"):
        parse_conll("Obama B-PER\nPutin B-PER\u200f\n", "x.conll")


# -- brat ---------------------------------------------------------------------------------------


def test_brat_entities_quotes_and_kept_relations():
    [record] = read_brat(FIXTURES / "brat" / "article.txt")
    assert spans_text(record) == [
        ("باراك أوباما", "PER"), ("بكين", "GPE"), ("روسيا", "GPE"), ("بوتين", "PER"), ("موسكو", "GPE"),
    ]
    text = record.text
    quotes = [
        (
            [text[r.start : r.end] for r in q.contents],
            text[q.cue.start : q.cue.end] if q.cue else None,
            [text[r.start : r.end] for r in q.sources],
            text[q.entity.start : q.entity.end] if q.entity else None,
            q.type,
        )
        for q in record.quotes
    ]
    assert quotes == [
        (["سنواصل العمل مع روسيا"], "قال", ["الرئيس باراك أوباما"], "باراك أوباما", "direct"),
        (["الاتفاق قريب"], "أضاف", [], None, "indirect"),
        (["الحوار مستمر"], "قال", ["بوتين"], None, "direct"),
    ]
    assert record.meta["brat_relations"] == [
        {"type": "LocatedIn", "args": {"Arg1": [85, 90, "PER"], "Arg2": [94, 99, "GPE"]}}
    ]
    assert record.meta["brat_notes"] == [{"target": [11, 23, "PER"], "note": "the US president"}]


def test_brat_discontinuous_entity_gives_one_span_per_fragment_and_content_parts():
    text = "New and old York said: first part, he said, second part."
    ann = (
        "T1\tGPE 0 3;12 16\tNew York\n"
        "T2\tContent 23 33;44 55\tfirst part second part\n"
        "T3\tCue 38 42\tsaid\n"
        "E1\tQuote:T3 Content:T2\n"
    )
    record = parse_brat(text, ann, "d.txt", "d.ann")
    assert spans_text(record) == [("New", "GPE"), ("York", "GPE")]
    [quote] = record.quotes
    assert [text[r.start : r.end] for r in quote.contents] == ["first part", "second part"]
    assert text[quote.cue.start : quote.cue.end] == "said"


def test_brat_source_that_is_an_entity_links_the_quote_to_it():
    text = 'Obama said "we will act".'
    ann = "T1\tPER 0 5\tObama\nT2\tCue 6 10\tsaid\nT3\tContent 12 23\twe will act\nE1\tAttribution:T2 Source:T1 Content:T3\n"
    record = parse_brat(text, ann, "d.txt", "d.ann")
    assert spans_text(record) == [("Obama", "PER")]
    [quote] = record.quotes
    assert quote.sources == (Range(0, 5),) and quote.entity == Range(0, 5)


@pytest.mark.parametrize(
    ("ann", "line", "words"),
    [
        ("T1\tPER 0 5\tObamma\n", 1, "the .ann text 'Obamma' does not match the document's 'Obama'"),
        ("T1\tPER 0 5\tObama\nT2\tPER 0 50\tx\n", 2, "is outside the text"),
        ("T1\tPER 0 5\tObama\nT2\tPER 2 5\tama\n", 2, "overlaps T1 PER"),
        ("R1\tRel Arg1:T1 Arg2:T9\n", 1, "refers to T1, which is not defined"),
        ("T1\tPER\u200e 0 5\tObama\n", 1, "U+200E LEFT-TO-RIGHT MARK"),
        ("T1\tPER 0 5\tObama\nR1\t\n", 2, "R1 is empty; a brat line here reads 'R1<TAB>Type Arg1:T1 Arg2:T2'"),
        ("E1\n", 1, "E1 is empty; a brat line here reads 'E1<TAB>Type:T1 Role:T2 …'"),
        ("E1\tAttribution Content:T1\n", 1, "E1: the event 'Attribution' has no trigger"),
        ("T1 PER 0 5 Obama\n", 1, "T1: the id must be followed by a TAB"),
    ],
)
def test_brat_problems_name_the_ann_line(ann, line, words):
    with pytest.raises(FormatError) as info:
        parse_brat("Obama said hello.", ann, "d.txt", "d.ann")
    assert str(info.value).startswith(f"d.ann:{line}: ")
    assert words in str(info.value)


# -- detection and decoding ----------------------------------------------------------------------


def test_detection_by_extension_and_by_content(tmp_path):
    assert detect_format(FIXTURES / "brat" / "article.txt") == "brat"
    assert detect_format(FIXTURES / "brat" / "article.ann") == "brat"
    assert detect_format(SEED) == "txt"
    assert detect_format(FIXTURES / "labelstudio.json") == "jsonl"
    assert sniff('{"text": "x"}\n') == "jsonl"
    assert sniff("Obama B-PER\nspoke O\n\nPutin U-PER\n") == "conll"
    assert sniff("A headline\n\nSome text with two words.\n") == "txt"
    odd = tmp_path / "data.tsv"
    odd.write_text("Obama\tB-PER\nspoke\tO\n", encoding="utf-8")
    fmt, [record] = read_records(odd)
    assert fmt == "conll" and spans_text(record) == [("Obama", "PER")]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", ":1: the file is empty"),
        (b"  \n\n", ":1: the file holds only whitespace"),
        (b"line one\nline \x00two", ":2: binary file (NUL byte at offset 14)"),
        (b"ok\nbad \xff byte\n", ":2: byte 0xFF at column 5 is not valid UTF-8"),
        ("\ufeffutf16".encode("utf-16"), ":1: the file is UTF-16"),
    ],
)
def test_undecodable_binary_and_empty_files(data, words):
    with pytest.raises(FormatError) as info:
        decode(data, "f.txt")
    assert str(info.value).startswith("f.txt") and words in str(info.value)
