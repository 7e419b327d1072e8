"""INCEpTION / WebAnno files as those tools write them: WebAnno TSV 3.3, UIMA CAS XMI and CAS JSON,
in and out again (import -> export -> import gives the same text and spans)."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.core.text import content_hash
from annotator.formats.common import FormatError, ReadOptions
from annotator.formats.detect import read_records
from annotator.formats.importer import import_paths
from annotator.formats.selection import Selection, iter_documents
from annotator.formats.uima_cas_writer import write_uima_cas
from annotator.formats.webanno_tsv_writer import write_webanno_tsv
from annotator.store import Corpus

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inception"
ARABIC = 'وقال بوتين إن "الأمور سارت على ما يرام". والتقى أوباما وبوتين في هانغتشو.\nسطر ثانٍ 😊 بلا نقطة'


def entities(record) -> list[tuple[str, str]]:
    return [(record.text[s.start : s.end], s.label) for s in record.spans]


# -- reading what INCEpTION writes ----------------------------------------------------------------------


def test_webanno_tsv_named_entities_tokens_and_sentences():
    fmt, [record] = read_records(FIXTURES / "serbian-ner.tsv")
    assert fmt == "webanno-tsv"
    assert record.text == "PISMA SRPSKOGA PUTNIKA Pisma srpskoga putnika .\nU Baji , 10. julija ."
    assert entities(record) == [("SRPSKOGA", "DEMO"), ("srpskoga", "DEMO"), ("Baji", "LOC")]
    assert [record.text[s:e] for s, e in record.meta["tokens"]][:3] == ["PISMA", "SRPSKOGA", "PUTNIKA"]
    assert [record.text[s:e] for s, e in record.meta["sentences"]] == [
        "PISMA SRPSKOGA PUTNIKA Pisma srpskoga putnika .", "U Baji , 10. julija ."]
    assert any("1 named entity carries an identifier" in w for w in record.warnings)


def test_custom_layers_stacked_and_sub_token_annotations_are_listed_not_guessed():
    fmt, [record] = read_records(FIXTURES / "letters-custom-layers.tsv")
    assert fmt == "webanno-tsv" and record.spans == []
    assert record.text.startswith("Braun an Gerhard Dresden, 10.\nMärz 1832 (Zettel an den Brief geklebt)")
    assert "\n- Den Intelligenzblättern" in record.text  # a sentence written on two #Text= lines
    tokens = [record.text[s:e] for s, e in record.meta["tokens"]]
    assert tokens[-2:] == ["beigelegt", "."] and "Bernhard" not in tokens  # the sub-token is not a token
    assert record.warnings == [
        f"{FIXTURES / 'letters-custom-layers.tsv'}: span layer webanno.custom.LetterEntity: 9 annotations not "
        "imported (annotator imports the named entities of de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity)",
        f"{FIXTURES / 'letters-custom-layers.tsv'}: span layer webanno.custom.Tex: 1 annotation not imported "
        "(annotator imports the named entities of de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity)",
    ]


def test_tsv_offsets_are_utf16_units():
    _, [record] = read_records(FIXTURES / "sentence-with-emoji.tsv")
    assert record.text == "I like it 😊 ."
    assert [record.text[s:e] for s, e in record.meta["tokens"]] == ["I", "like", "it", "😊", "."]


def test_an_entity_without_a_label_is_listed_and_strict_refuses_it():
    path = FIXTURES / "leading-whitespace.tsv"
    _, [record] = read_records(path)
    assert record.text == " one two" and record.spans == []  # the text starts where the first token does
    assert record.warnings == [f"{path}:6: named entity [1, 4) 'one' has no value (label); not imported"]
    with pytest.raises(FormatError, match=r"leading-whitespace.tsv:6: named entity \[1, 4\) 'one' has no value"):
        read_records(path, ReadOptions(strict=True))


def test_xmi_without_a_type_system_beside_it():
    path = FIXTURES / "leading-whitespace.xmi"
    fmt, [record] = read_records(path)
    assert fmt == "xmi" and record.text == " one two"
    assert record.meta["tokens"] == [[1, 4], [5, 8]] and record.meta["sentences"] == [[1, 8]]
    assert record.warnings == [
        f"{path}: no TypeSystem.xml beside the file: read with the DKPro Core type system",
        f"{path}: named entity [0, 4) ' one' has no value (label); not imported",
    ]


def test_cas_json_named_entities_with_emoji_offsets_and_an_overlap():
    path = FIXTURES / "named-entities.json"
    fmt, [record] = read_records(path)
    assert fmt == "cas-json" and record.text == "📰 Angela Merkel visited Paris ."
    assert entities(record) == [("Angela Merkel", "PER"), ("Paris", "GPE")]
    assert [record.text[s:e] for s, e in record.meta["tokens"]] == ["Angela", "Merkel", "visited", "Paris", "."]
    assert f"{path}: named entity PER [9, 15) 'Merkel' overlaps PER [2, 15) 'Angela Merkel'; entities in one set " \
           "do not overlap; not imported" in record.warnings


def test_cas_json_from_uima_with_astral_text():
    fmt, [record] = read_records(FIXTURES / "emoji-text.json")
    assert fmt == "cas-json" and record.text.startswith("🥳 This ") and record.text.endswith("test 👻")
    assert record.warnings[-1].endswith("9 uima.tcas.Annotation annotations not imported "
                                        "(annotator imports the named entities of "
                                        "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity)")


def test_project_export_layout_names_the_annotator_and_the_document(corpus, tmp_path):
    for user in ("amira", "omar"):
        target = tmp_path / "project" / "annotation" / "letter-17.txt" / f"{user}.tsv"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / "serbian-ner.tsv", target)
    summary = import_paths(corpus, [tmp_path / "project"], allow_new_labels=True)
    assert summary.errors == [] and summary.documents_new == 1 and summary.annotators == {"amira", "omar"}
    [doc_id] = corpus.document_ids()
    assert corpus.document(doc_id).title == "letter-17.txt"
    assert [s.label for s in corpus.spans(doc_id, "amira")] == [s.label for s in corpus.spans(doc_id, "omar")] == [
        "DEMO", "DEMO", "LOC"]


def test_import_summary_lists_what_was_not_imported(corpus):
    summary = import_paths(corpus, [FIXTURES], allow_new_labels=True)
    # the XMI and the TSV of INCEpTION's "leading whitespace" test hold the same text: one document
    assert summary.errors == [] and summary.files_ok == 7 and summary.documents_new == 6
    assert summary.documents_repeated_across == 1
    assert sum("not imported" in w for w in summary.warnings) >= 5
    assert summary.skipped == [str(FIXTURES / "README.md")]


@pytest.mark.parametrize("content, problem", [
    ("#FORMAT=WebAnno TSV 3.3\n#T_SP=x.Y|value\n\n\n#Text=a b\n1-1\t0-1\ta\n", r"x.tsv:6: 0 annotation columns"),
    ("#FORMAT=WebAnno TSV 3.3\n\n\n#Text=a b\n1-1\t0-1\tb\t\n", r"x.tsv:5: token 'b' at 0-1, but the sentence text"),
    ("#FORMAT=WebAnno TSV 3.3\n\n\n1-1\t0-1\ta\t\n", r"x.tsv:4: a token row before any '#Text=' line"),
    ("#FORMAT=WebAnno TSV 2.1\n", r"x.tsv:1: WebAnno TSV 2.1 is not read"),
    ("#FORMAT=WebAnno TSV 3.3\n\n\n#Text=ab\n1-1\t0-9\tab\t\n", r"x.tsv:5: offset 9 is beyond the end"),
])
def test_malformed_tsv_is_one_line_naming_the_line(tmp_path, content, problem):
    path = tmp_path / "x.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError, match=problem):
        read_records(path)


def test_malformed_xmi_and_doctype_are_refused_with_one_line(corpus, tmp_path):
    broken = tmp_path / "broken.xmi"
    broken.write_text('<?xml version="1.0"?>\n<xmi:XMI xmlns:xmi="http://www.omg.org/XMI">\n<cas:Sofa', encoding="utf-8")
    entity = tmp_path / "entity.xmi"
    entity.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
                      '<xmi:XMI xmlns:xmi="http://www.omg.org/XMI"/>', encoding="utf-8")
    summary = import_paths(corpus, [broken, entity])
    assert summary.files_failed == 2 and corpus.document_ids() == []
    assert summary.errors[0].startswith(f"{broken}:") and "not a readable UIMA CAS XMI file" in summary.errors[0]
    assert summary.errors[1] == f"{entity}:2: XML with a document type or entity declaration is not read " \
                                "(UIMA never writes one)"


# -- round trips: import -> export -> import gives the same text and spans -----------------------------


@pytest.fixture
def mixed_corpus(corpus, tmp_path):
    """An Arabic article (an entity inside a token, an emoji, two lines, a quote), the Serbian TSV and a CoNLL
    file of two sentences (two articles): 4 documents, 9 entities."""
    [doc_id] = corpus.add_documents([DocumentRecord(text=ARABIC, title="قمة", language="ar")]).new_ids
    for needle, label in (("بوتين", "PER"), ("أوباما", "PER"), ("هانغتشو", "GPE")):
        start = ARABIC.index(needle)
        corpus.add_span(doc_id, "amira", Span(start, start + len(needle), label))
    inner = ARABIC.index("وبوتين") + 1  # بوتين inside وبوتين: a sub-token in TSV
    corpus.add_span(doc_id, "amira", Span(inner, inner + 5, "PER"))
    content = ARABIC.index("الأمور")
    corpus.add_quote(doc_id, "amira", Quote(contents=(Range(content, content + 23),)))
    conll = tmp_path / "news.conll"
    conll.write_text("BRUSSELS B-LOC\n1996-08-22 O\n\nU.S. B-GPE\nofficials O\n", encoding="utf-8")
    assert import_paths(corpus, [FIXTURES / "serbian-ner.tsv", conll], annotator="amira",
                        allow_new_labels=True).errors == []
    for i in corpus.document_ids():
        corpus.set_status(i, "amira", "done")
    return corpus


def same_documents(original: Corpus, copy: Corpus) -> None:
    assert len(copy.document_ids()) == len(original.document_ids())
    for doc_id in original.document_ids():
        document = original.document(doc_id)
        twin = copy.document_by_hash(content_hash(document.text))
        assert twin is not None, f"document {doc_id} did not come back with the same text: {document.text[:40]!r}"
        assert [s.key for s in copy.spans(twin.id, "amira")] == [s.key for s in original.spans(doc_id, "amira")]
        if "tokens" in document.meta:
            assert twin.meta["tokens"] == document.meta["tokens"]


@pytest.mark.parametrize("fmt", ["webanno", "xmi", "cas-json"])
def test_round_trip(mixed_corpus, tmp_path, fmt):
    documents = list(iter_documents(mixed_corpus, Selection()))
    out = tmp_path / fmt
    if fmt == "webanno":
        result = write_webanno_tsv(documents, out)
        assert result.misaligned == []
    else:
        result = write_uima_cas(documents, out, fmt)
    assert result.documents == 4 and result.quotes_left_out == 1
    assert (out / "TypeSystem.xml").exists() == (fmt == "xmi")
    with Corpus.open(tmp_path / f"{fmt}.db") as copy:
        summary = import_paths(copy, [out], annotator="amira", allow_new_labels=True)
        assert summary.errors == [] and summary.documents_new == 4
        assert not [w for w in summary.warnings if "not imported" in w or "not read" in w], summary.warnings
        same_documents(mixed_corpus, copy)


def test_tsv_writes_an_entity_inside_a_token_as_a_sub_token(mixed_corpus, tmp_path):
    documents = [d for d in iter_documents(mixed_corpus, Selection()) if d.language == "ar"]
    write_webanno_tsv(documents, tmp_path / "out")
    rows = (tmp_path / "out" / "قمة.tsv").read_text(encoding="utf-8").splitlines()
    token = next(r for r in rows if r.split("\t")[2:3] == ["وبوتين"])
    sub = rows[rows.index(token) + 1].split("\t")
    assert token.split("\t")[3:5] == ["_", "_"]
    assert sub[0].endswith(".1") and sub[2:5] == ["بوتين", "*", "PER"]
    assert rows[0] == "#FORMAT=WebAnno TSV 3.3"
    assert rows[1] == "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value"


def test_export_commands(mixed_corpus, corpus_path, tmp_path):
    for kind, suffix in (("webanno", ".tsv"), ("xmi", ".xmi"), ("cas-json", ".json")):
        out = tmp_path / kind
        result = CliRunner().invoke(main, ["export", kind, str(out), "--db", str(corpus_path)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "wrote 4 documents (9 entities) of annotator 'amira'" in result.output
        assert "1 quotes are not written" in result.output
        assert sorted(p.suffix for p in out.iterdir() if p.name != "TypeSystem.xml") == [suffix] * 4
    cas = json.loads(next((tmp_path / "cas-json").glob("قمة.json")).read_text(encoding="utf-8"))
    assert "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity" in cas["%TYPES"]
    # A folder that holds an export is replaced whole, and only when asked.
    (tmp_path / "webanno" / "stale.tsv").write_text("from an earlier export", encoding="utf-8")
    again = CliRunner().invoke(main, ["export", "webanno", str(tmp_path / "webanno"), "--db", str(corpus_path)])
    assert again.exit_code == 1 and "--overwrite" in again.output
    assert (tmp_path / "webanno" / "stale.tsv").exists()
    replaced = CliRunner().invoke(main, ["export", "webanno", str(tmp_path / "webanno"), "--db", str(corpus_path),
                                         "--overwrite"])
    assert replaced.exit_code == 0, replaced.output
    assert not (tmp_path / "webanno" / "stale.tsv").exists()
    assert len(list((tmp_path / "webanno").glob("*.tsv"))) == 4


# -- damaged files: one clear line, never a traceback ------------------------------------------------


DAMAGE = st.lists(
    st.tuples(st.integers(min_value=0, max_value=5000), st.integers(min_value=0, max_value=40),
              st.sampled_from(["", "\t", "\n", "|", "[", "]", "[3]", "\\", "*", "_", "-", "9", "😊", "<", "\"", "}"])),
    min_size=1, max_size=6,
)


def damaged(text: str, edits) -> str:
    for position, length, insert in edits:
        position %= max(1, len(text))
        text = text[:position] + insert + text[position + length :]
    return text


@settings(max_examples=int(os.environ.get("ANNOTATOR_HOSTILE_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["serbian-ner.tsv", "letters-custom-layers.tsv", "leading-whitespace.xmi",
                             "named-entities.json"]), edits=DAMAGE)
def test_damaged_inception_files_fail_with_one_line_or_read(tmp_path, name, edits):
    path = tmp_path / name
    path.write_text(damaged((FIXTURES / name).read_text(encoding="utf-8"), edits), encoding="utf-8")
    try:
        _, stream = read_records(path)
        records = list(stream)  # JSON files are streamed: their errors come as they are read
    except FormatError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
    else:
        for record in records:
            for span in record.spans:
                assert 0 <= span.start < span.end <= len(record.text)


def test_tsv_3_1_text_is_unescaped_as_java_escapes_it(tmp_path):
    path = tmp_path / "old.tsv"
    path.write_text("#FORMAT=WebAnno TSV 3.1\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value\n\n\n"
                    "#Text=Caf\\u00e9 M\\u00fcller\\tLtd\n1-1\t0-4\tCaf\\u00e9\t_\t\n1-2\t5-11\tM\\u00fcller\tORG[1]\t\n"
                    "1-3\t12-15\tLtd\tORG[1]\t\n", encoding="utf-8")
    _, [record] = read_records(path)
    assert record.text == "Café Müller\tLtd" and entities(record) == [("Müller\tLtd", "ORG")]


# -- an INCEpTION project export, as the ZIP INCEpTION writes --------------------------------------



def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_project_export_zip_brings_every_annotators_set(corpus, tmp_path):
    tsv = (FIXTURES / "serbian-ner.tsv").read_bytes()
    fewer = tsv.replace(b"\t*\tDEMO\t", b"\t_\t_\t")  # omar labelled only Baji
    project = tmp_path / "serbian-letters_project_2024.zip"
    project.write_bytes(zipped({
        "exportedproject4711.json": b'{"name": "serbian-letters"}',
        "source/pisma.txt": b"PISMA SRPSKOGA PUTNIKA",
        "annotation/pisma.txt/webanno101export.zip": zipped({"amira.tsv": tsv}),
        "annotation/pisma.txt/webanno102export.zip": zipped({"omar.tsv": fewer}),
        "curation/pisma.txt/webanno103export.zip": zipped({"CURATION_USER.tsv": tsv}),
        "annotation_ser/pisma.txt/amira.ser": b"\xac\xed\x00\x05binary",
        "log/project-4711.log": b"exported",
    }))
    unpacked_before = set(Path(tempfile.gettempdir()).glob("annotator-unpacked-*"))
    summary = import_paths(corpus, [project], allow_new_labels=True)
    assert set(Path(tempfile.gettempdir()).glob("annotator-unpacked-*")) == unpacked_before  # cleaned up
    assert summary.errors == [] and summary.documents_new == 1 and summary.annotators == {"amira", "omar", "curation"}
    [doc_id] = corpus.document_ids()
    assert corpus.document(doc_id).title == "pisma.txt"
    assert [s.label for s in corpus.spans(doc_id, "amira")] == ["DEMO", "DEMO", "LOC"]
    assert [s.label for s in corpus.spans(doc_id, "omar")] == ["LOC"]
    assert [s.label for s in corpus.spans(doc_id, "curation")] == ["DEMO", "DEMO", "LOC"]
    assert sorted(summary.skipped) == sorted(f"{project}: {n}" for n in (
        "exportedproject4711.json", "source/pisma.txt", "annotation_ser/pisma.txt/amira.ser", "log/project-4711.log"))


def test_a_zip_of_xmi_files_is_imported_as_its_folder(corpus, tmp_path):
    archive = tmp_path / "export.zip"
    archive.write_bytes(zipped({"doc/leading-whitespace.xmi": (FIXTURES / "leading-whitespace.xmi").read_bytes(),
                                "doc/named-entities.json": (FIXTURES / "named-entities.json").read_bytes()}))
    summary = import_paths(corpus, [archive])
    assert summary.errors == [] and summary.documents_new == 2


def test_a_zip_entry_that_would_leave_the_folder_is_refused(corpus, tmp_path):
    archive = tmp_path / "evil.zip"
    archive.write_bytes(zipped({"../../outside.tsv": b"#FORMAT=WebAnno TSV 3.3\n"}))
    summary = import_paths(corpus, [archive])
    assert summary.errors == [f"{archive}: the archive entry '../../outside.tsv' would leave the folder; not unpacked"]
    assert corpus.document_ids() == [] and not (tmp_path.parent / "outside.tsv").exists()


def test_an_article_xml_cannot_hold_is_listed_by_the_xmi_export_and_kept_by_cas_json(corpus, tmp_path):
    text = "Weather report\x1a: sunny in Cairo."  # U+001A, as in 3 of the shared SaudiNewsNet articles
    corpus.add_documents([DocumentRecord(text=text, title="weather", language="en"),
                          DocumentRecord(text="Rain in Alexandria.", title="rain", language="en")])
    for doc_id in corpus.document_ids():
        corpus.set_status(doc_id, "amira", "done")
    corpus.add_span(corpus.document_ids()[0], "amira", Span(text.index("Cairo"), text.index("Cairo") + 5, "GPE"))
    documents = list(iter_documents(corpus, Selection()))
    xmi = write_uima_cas(documents, tmp_path / "xmi", "xmi")
    assert xmi.documents == 1 and xmi.notes == [
        "document 1 (weather): its text holds U+001A (a control character) at offset 14, which XML 1.0 cannot hold; "
        "not written (export cas-json or webanno keeps it)"]
    with pytest.raises(Exception, match="1 documents cannot be written as XMI"):
        write_uima_cas(documents, tmp_path / "strict", "xmi", strict=True)
    assert not (tmp_path / "strict").exists()
    for fmt, writer in (("cas-json", lambda out: write_uima_cas(documents, out, "cas-json")),
                        ("webanno", lambda out: write_webanno_tsv(documents, out))):
        writer(tmp_path / fmt)
        with Corpus.open(tmp_path / f"{fmt}.db") as copy:
            assert import_paths(copy, [tmp_path / fmt], annotator="amira").errors == []
            twin = copy.document_by_hash(content_hash(text))
            assert twin is not None and [s.key for s in copy.spans(twin.id, "amira")] == [
                (text.index("Cairo"), text.index("Cairo") + 5, "GPE")]
