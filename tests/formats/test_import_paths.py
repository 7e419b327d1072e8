"""import_paths: what a user finds in the database after importing files, folders and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.core.text import content_hash
from annotator.formats.importer import import_paths

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "import"
SEED = next((ROOT / "seeds").glob("*.txt"))
SHARED = ROOT.parent / "shared" / "data" / "saudinewsnet-sample.jsonl"


def count(corpus, table: str) -> int:
    return corpus.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def stored_spans(corpus, annotator: str) -> list[tuple[str, str]]:
    rows = corpus.conn.execute(
        'SELECT d.text, s.start, s."end", s.label FROM spans s JOIN documents d ON d.id = s.document_id '
        "JOIN annotators a ON a.id = s.annotator_id WHERE a.name = ? ORDER BY d.id, s.start",
        (annotator,),
    )
    return [(text[start:end], label) for text, start, end, label in rows]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


# -- the seed and real data ------------------------------------------------------------------------


def test_seed_split_at_source_stores_two_articles_with_their_source(corpus):
    summary = import_paths(corpus, [SEED.parent], split_at_source=True)
    assert summary.ok and (summary.files_ok, summary.documents_new) == (1, 2)
    rows = corpus.conn.execute("SELECT title, text, source, language, direction, meta FROM documents ORDER BY id")
    rows = rows.fetchall()
    assert "".join(r["text"] for r in rows) == SEED.read_text(encoding="utf-8")
    assert [r["source"] for r in rows] == ["وكالات", "وكالات"]
    assert [r["title"] for r in rows] == ["أوباما وبوتين خلال قمة مجموعة الـ20 في الصين", "باراك أوباما"]
    assert {(r["language"], r["direction"]) for r in rows} == {("ar", "rtl")}
    assert json.loads(rows[0]["meta"])["caption"] == rows[0]["title"]


def test_reimport_is_a_no_op_that_the_summary_reports(corpus):
    import_paths(corpus, [FIXTURES / "prodigy.jsonl", SEED], annotator="amira")
    before = (count(corpus, "documents"), count(corpus, "spans"), count(corpus, "events"))
    again = import_paths(corpus, [FIXTURES / "prodigy.jsonl", SEED], annotator="amira")
    assert again.ok and (again.documents_new, again.documents_duplicate, again.spans) == (0, 3, 0)
    assert (count(corpus, "documents"), count(corpus, "spans"), count(corpus, "events")) == before


def test_first_50_shared_articles_via_field_mapping(corpus, tmp_path):
    if SHARED.exists():
        source = write(tmp_path, "sample.jsonl", "".join(SHARED.read_text(encoding="utf-8").splitlines(True)[:50]))
        expected = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    else:  # the shipped 20-line extract of the same file
        source = FIXTURES / "saudinewsnet-20.jsonl"
        expected = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    summary = import_paths(corpus, [source], text_field="content", title_field="title", source_field="source")
    with_text = [r for r in expected if r["content"].strip()]
    assert summary.ok and summary.documents_new + summary.documents_duplicate == len(with_text)
    assert summary.documents_skipped == len(expected) - len(with_text)
    first = corpus.document_by_hash(content_hash(expected[0]["content"]))
    assert first.text == expected[0]["content"] and first.title == expected[0]["title"]
    assert first.source == expected[0]["source"] and first.language == "ar"
    assert first.meta == {"url": expected[0]["url"], "date_extracted": expected[0]["date_extracted"],
                          "author": expected[0]["author"]}


def test_an_empty_record_is_skipped_with_a_warning(corpus, tmp_path):
    path = write(tmp_path, "a.jsonl", jsonl({"text": "First article."}, {"text": "  "}, {"text": "Third."}))
    summary = import_paths(corpus, [path])
    assert summary.ok and summary.documents_new == 2 and summary.documents_skipped == 1
    assert summary.warnings == [f"{path}:2: skipped: the record's text is empty"]


# -- every format lands in the database ----------------------------------------------------------


def test_folder_of_every_format_recursively(corpus, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder)
    (folder / "notes.md").write_text("not imported", encoding="utf-8")
    (folder / "saudinewsnet-20.jsonl").unlink()  # needs a field mapping
    summary = import_paths(corpus, [folder], annotator="amira")
    assert summary.errors == [] and summary.files_ok == 8
    assert summary.skipped == [str(folder / "notes.md")]
    assert ("Vladimir Putin", "PER") in stored_spans(corpus, "amira")  # prodigy, the file's own name
    assert ("Angela Merkel", "PER") in stored_spans(corpus, "amira")  # doccano, --annotator
    assert ("BRUSSELS", "LOC") in stored_spans(corpus, "amira")  # conll
    assert stored_spans(corpus, "lina@example.org") == [("Emmanuel Macron", "PER"), ("Berlin", "GPE")]
    assert stored_spans(corpus, "labelstudio-4") == [("Emmanuel Macron", "PER")]
    assert count(corpus, "quotes") == 2 + 3  # quotes.jsonl + the brat article
    assert summary.quotes == 5


def test_label_studio_predictions_become_suggestions_not_labels(corpus):
    summary = import_paths(corpus, [FIXTURES / "labelstudio.json"])
    assert summary.ok and summary.documents_new == 2 and summary.documents_duplicate == 0
    assert summary.suggestions == 1
    doc = corpus.document_by_hash(content_hash("Emmanuel Macron spoke in Berlin."))
    spans, _ = corpus.suggestions(doc.id)
    assert [(s.start, s.end, s.label, s.suggester, s.score) for s in spans] == [(0, 8, "PER", "labelstudio:ner-v1", 0.9)]
    again = import_paths(corpus, [FIXTURES / "labelstudio.json"])
    assert again.suggestions == 0 and count(corpus, "suggestions") == 1


def test_quotes_are_stored_with_parts_and_entity(corpus):
    import_paths(corpus, [FIXTURES / "quotes.jsonl"])
    doc = corpus.document_by_hash(content_hash('"We are close," Putin said, "very close."'))
    [quote] = corpus.quotes(doc.id, "amira")
    assert [doc.text[r.start : r.end] for r in quote.contents] == ["We are close", "very close"]
    assert doc.text[quote.cue.start : quote.cue.end] == "said" and quote.origin == "imported"


def test_spans_without_a_name_go_to_the_imported_set(corpus):
    summary = import_paths(corpus, [FIXTURES / "conll" / "biluo.conll"])
    assert summary.annotators == {"imported"}
    assert stored_spans(corpus, "imported") == [("Barack Obama", "PER"), ("Putin", "PER"), ("Hangzhou", "GPE")]
    assert {"name": "imported", "kind": "import"} in [{k: a[k] for k in ("name", "kind")} for a in corpus.annotators()]


def test_export_shape_round_trips_meta_and_status(corpus, tmp_path):
    text = "Obama met Putin."
    record = {
        "text": text,
        "meta": {"title": "T", "source": "S", "language": "en", "direction": "ltr", "document_id": 9,
                 "content_hash": content_hash(text), "status": "done", "desk": "world"},
        "_input_hash": 1, "_task_hash": 2, "answer": "accept", "annotator": "amira",
        "tokens": [], "spans": [{"start": 0, "end": 5, "label": "PER", "token_start": 0, "token_end": 0}], "quotes": [],
    }
    summary = import_paths(corpus, [write(tmp_path, "export.jsonl", jsonl(record))])
    doc = corpus.document_by_hash(content_hash(text))
    assert (doc.title, doc.source, doc.language, doc.direction, doc.meta) == ("T", "S", "en", "ltr", {"desk": "world"})
    assert corpus.status(doc.id, "amira") == ("done", None) and summary.statuses == 1


# -- bad input: one line naming file, line and problem; nothing partial ----------------------------

GOOD = {"text": "Barack Obama spoke in Cairo.", "spans": [{"start": 0, "end": 12, "label": "PER"}]}


@pytest.mark.parametrize(
    ("name", "content", "line", "words"),
    [
        ("bad.txt", b"Title\n\xff\xfe broken\n", 2, "byte 0xFF at column 1 is not valid UTF-8"),
        ("bad.txt", b"Title\nbody\x00\x01\x02", 2, "binary file"),
        ("bad.jsonl", b"", 1, "the file is empty"),
        ("bad.jsonl", jsonl(GOOD) + '{"text": "x", oops}\n', 2, "malformed JSON: Expecting property name"),
        ("bad.jsonl", jsonl(GOOD, {"body": "x", "id": 3}), 2, "no 'text' field for the text; this record's fields are 'body', 'id'"),
        ("bad.jsonl", jsonl(GOOD, {**GOOD, "spans": [{"start": 20, "end": 99, "label": "GPE"}]}), 2,
         "spans[0] [20, 99) GPE is outside the text (length 28)"),
        ("bad.jsonl", jsonl(GOOD, {**GOOD, "spans": [{"start": 0, "end": 12, "label": "PER", "text": "Barak Obama"}]}), 2,
         "the file gives its text as 'Barak Obama' but the document has 'Barack Obama'"),
        ("bad.jsonl", jsonl(GOOD, {**GOOD, "spans": [{"start": "0", "end": 12, "label": "PER"}]}), 2,
         "spans[0].start: expected an integer, got the string '0'"),
        ("bad.jsonl", jsonl(GOOD, {**GOOD, "spans": [{"start": 0, "end": 12, "label": "PERSON"}]}), 2,
         "unknown label 'PERSON' (this corpus has PER, ORG, GPE, LOC, NORP, MISC); did you mean PER? "
         "pass --allow-new-labels to add it"),
        ("bad.jsonl", jsonl(GOOD, {**GOOD, "spans": [{"start": 0, "end": 12, "label": "PER\u200f"}]}), 2,
         "contains an invisible or blank character, U+200F RIGHT-TO-LEFT MARK"),
        ("bad.jsonl", jsonl(GOOD, {**GOOD, "spans": [{"begin": 0, "end": 12, "label": "PER"}]}), 2,
         "spans[0]: no 'start' field; its fields are 'begin', 'end', 'label'"),
        ("bad.conll", "Obama B-PER\nspoke O\n\nin\nNew B-GPE\n", 4, "expected 'token TAG' (at least two columns), got 'in'"),
        ("bad.conll", "Obama B-PER\u200b\n", 1, "U+200B ZERO WIDTH SPACE"),
    ],
)
def test_bad_input_fails_the_file_with_one_clear_line_and_the_others_go_on(corpus, tmp_path, name, content, line, words):
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "good.jsonl", jsonl({"text": "Another, valid article."}))
    summary = import_paths(corpus, [bad, good], annotator="amira")
    assert (summary.files_ok, summary.files_failed) == (1, 1)
    [error] = summary.errors
    assert error.startswith(f"{bad}:{line}: ") and words in error, error
    assert "\n" not in error
    texts = [r[0] for r in corpus.conn.execute("SELECT text FROM documents")]
    assert texts == ["Another, valid article."]  # nothing from the bad file, not even its good first record
    assert count(corpus, "spans") == 0


def test_explicit_field_that_is_missing_names_the_fields_that_exist(corpus):
    summary = import_paths(corpus, [FIXTURES / "saudinewsnet-20.jsonl"], text_field="body")
    [error] = summary.errors
    assert ":1: no 'body' field for the text; this record's fields are 'source', 'url', 'date_extracted'," in error
    summary = import_paths(corpus, [FIXTURES / "saudinewsnet-20.jsonl"], text_field="content", title_field="headline")
    assert ":1: no 'headline' field for the title" in summary.errors[0]
    assert count(corpus, "documents") == 0


def test_allow_new_labels_adds_the_label(corpus, tmp_path):
    path = write(tmp_path, "a.jsonl", jsonl({**GOOD, "spans": [{"start": 0, "end": 12, "label": "PERSON"}]}))
    summary = import_paths(corpus, [path], annotator="amira", allow_new_labels=True)
    assert summary.ok and "PERSON" in corpus.labels.entity_names
    assert stored_spans(corpus, "amira") == [("Barack Obama", "PERSON")]


def test_missing_path_and_brat_without_txt(corpus, tmp_path):
    orphan = write(tmp_path, "lonely.ann", "T1\tPER 0 5\tObama\n")
    summary = import_paths(corpus, [tmp_path / "nope.txt", orphan])
    assert summary.files_failed == 2
    assert summary.errors[0] == f"{tmp_path / 'nope.txt'}: no such file or folder"
    assert summary.errors[1].startswith(f"{orphan}: no lonely.txt beside it")


def test_progress_is_reported_per_file(corpus):
    calls = []
    import_paths(corpus, [FIXTURES / "conll"], progress=lambda done, total, path: calls.append((done, total, path.name)))
    assert calls == [(0, 3, "biluo.conll"), (1, 3, "bio.conll"), (2, 3, "iob1.conll"), (3, 3, "iob1.conll")]


def test_a_failed_file_leaves_no_stale_annotator_or_label_behind(corpus, tmp_path, monkeypatch):
    """A file that fails inside the store (after its annotator and a new label were created) rolls
    back completely, and the next file with the same annotator still imports."""
    import annotator.formats.importer as importer

    def failing_suggestions(corpus, records):
        raise importer.AnnotationError(f"{records[0].location}: simulated failure after the inserts")

    first = write(tmp_path, "a.jsonl", jsonl({**GOOD, "annotator": "zed", "spans": [{"start": 0, "end": 12, "label": "NEW"}]}))
    with monkeypatch.context() as patch:
        patch.setattr(importer, "_store_suggestions", failing_suggestions)
        failed = import_paths(corpus, [first], allow_new_labels=True)
    assert failed.files_failed == 1 and "simulated failure" in failed.errors[0]
    assert corpus.annotators() == [] and "NEW" not in corpus.labels.entity_names
    second = write(tmp_path, "b.jsonl", jsonl({**GOOD, "annotator": "zed"}))
    assert import_paths(corpus, [second]).ok
    assert stored_spans(corpus, "zed") == [("Barack Obama", "PER")]


def test_json_object_and_array_files(corpus, tmp_path):
    single = write(tmp_path, "one.json", json.dumps({"text": "A single pretty record.", "title": "One"}, indent=2))
    array = write(tmp_path, "many.json", json.dumps([{"text": "First of two."}, {"text": "Second of two."}], indent=2))
    summary = import_paths(corpus, [single, array])
    assert summary.ok and summary.documents_new == 3
    assert corpus.document_by_hash(content_hash("A single pretty record.")).title == "One"


def test_sqlite_files_that_are_not_corpora_fail_clearly(corpus, tmp_path):
    import sqlite3

    other = tmp_path / "shop.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    fake = write(tmp_path, "fake.db", "not a database")
    summary = import_paths(corpus, [other, fake])
    assert summary.files_failed == 2
    assert "not an annotator corpus" in summary.errors[0]
    assert summary.errors[1] == f"{fake}:1: not an SQLite database (its first bytes are not 'SQLite format 3')"


def test_a_large_file_reports_progress_while_it_is_stored(corpus, tmp_path):
    path = write(tmp_path, "big.jsonl", jsonl(*({"text": f"Article number {i}."} for i in range(2500))))
    calls = []
    summary = import_paths(corpus, [path], progress=lambda done, total, p: calls.append(done))
    assert summary.documents_new == 2500
    # before the file, after each 1,000 records (the share of the file read so far), at the end
    assert len(calls) == 4 and calls[0] == 0 and calls[-1] == 1
    assert 0.3 < calls[1] < 0.5 and 0.7 < calls[2] < 0.9, calls


def test_prodigy_rejected_records_bring_their_text_but_not_their_spans(corpus, tmp_path):
    path = write(tmp_path, "p.jsonl", jsonl({**GOOD, "answer": "reject", "annotator": "amira"}, {"text": "Kept.", "answer": "accept"}))
    summary = import_paths(corpus, [path])
    assert summary.ok and summary.documents_new == 2 and summary.spans == 0
    assert summary.warnings == [f"{path}:1: the record's answer is 'reject': its text is imported, its spans and quotes are not"]
    assert count(corpus, "spans") == 0
