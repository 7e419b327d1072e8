"""Typed validation: every structurally wrong JSON field is ONE line ``file:line: field path: problem``,
the file imports nothing, the next file still imports. One case per shape a user reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli.main import main
from annotator.formats.importer import import_paths

GOOD_TEXT = "Barack Obama spoke in Cairo."
LS_VALUE = {"start": 0, "end": 12, "text": "Barack Obama", "labels": ["PER"]}


def ls_task(result: list | None = None, **task) -> dict:
    """A Label Studio 1.x task with one annotation holding ``result``."""
    annotation = {"id": 11, "completed_by": 3, "was_cancelled": False,
                  "result": result if result is not None else [{"id": "r1", "from_name": "label", "to_name": "text",
                                                                 "type": "labels", "value": LS_VALUE}]}
    return {"id": 1, "data": {"text": GOOD_TEXT}, "annotations": [annotation], "predictions": [], **task}


def region(**changes) -> dict:
    return {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels", "value": LS_VALUE, **changes}


def count(corpus, table: str) -> int:
    return corpus.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def import_bad(corpus, tmp_path: Path, name: str, content: str) -> tuple[Path, str]:
    """Import a bad file then a good one: the one error line for the bad file; the good one imported."""
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"text": "Another, valid article."}) + "\n", encoding="utf-8")
    summary = import_paths(corpus, [bad, good])
    assert (summary.files_ok, summary.files_failed) == (1, 1), summary.errors
    [error] = summary.errors
    assert "\n" not in error and "Traceback" not in error
    assert [r[0] for r in corpus.conn.execute("SELECT text FROM documents")] == ["Another, valid article."]
    assert count(corpus, "spans") == count(corpus, "annotators") == count(corpus, "suggestions") == 0
    return bad, error


LABEL_STUDIO_CASES = [
    pytest.param(ls_task([region(value=[0, 12])]), "annotations[0].result[0].value: expected an object (or null), "
                 "got a list ([0, 12])", id="value-a-list"),
    pytest.param(ls_task([region(value="Barack Obama")]), "annotations[0].result[0].value: expected an object "
                 "(or null), got the string 'Barack Obama'", id="value-a-string"),
    pytest.param(ls_task([region(value={**LS_VALUE, "labels": 3})]),
                 "annotations[0].result[0].value.labels: expected a list, got the number 3", id="labels-an-int"),
    pytest.param({**ls_task(), "annotations": 5}, "annotations: expected a list (or null), got the number 5",
                 id="annotations-an-int"),
    pytest.param({**ls_task(), "predictions": 5}, "predictions: expected a list (or null), got the number 5",
                 id="predictions-an-int"),
    pytest.param(ls_task([region(type=["labels"])]),
                 "annotations[0].result[0].type: expected a string (or null), got a list (['labels'])",
                 id="type-a-list"),
    pytest.param(ls_task([region(value={**LS_VALUE, "start": "0"})]),
                 "annotations[0].result[0].value.start: expected an integer, got the string '0'", id="start-a-string"),
    pytest.param(ls_task([{"id": "x", "type": "relation", "to_id": "r1", "labels": []}]),
                 "annotations[0].result[0]: a relation needs 'from_id' and 'to_id'", id="relation-without-from"),
    pytest.param(ls_task(completed_by=None) | {"annotations": [{"completed_by": [3], "result": []}]},
                 "annotations[0].completed_by: expected an integer, a string or an object (or null), got a list ([3])",
                 id="completed-by-a-list"),
]


@pytest.mark.parametrize(("task", "problem"), LABEL_STUDIO_CASES)
def test_label_studio_shapes(corpus, tmp_path, task, problem):
    bad, error = import_bad(corpus, tmp_path, "tasks.json", json.dumps([task], indent=2))
    assert error == f"{bad}:2: {problem}"


JSONL_CASES = [
    pytest.param({"text": GOOD_TEXT, "quotes": [{"contents": 5}]},
                 "quotes[0].contents: expected a list, got the number 5", id="quote-contents-an-int"),
    pytest.param({"text": GOOD_TEXT, "quotes": [{"contents": [[0, 5]], "sources": 7}]},
                 "quotes[0].sources: expected a list (or null), got the number 7", id="quote-sources-an-int"),
    pytest.param({"text": GOOD_TEXT, "quotes": [{"contents": [[0, 5, 9]]}]},
                 "quotes[0].contents[0]: expected a list of 2 items, got a list ([0, 5, 9])", id="quote-range-of-3"),
    pytest.param({"text": GOOD_TEXT, "quotes": [{"contents": [[0, 5]], "type": "direkt"}]},
                 "quotes[0].type: must be one of direct, indirect, mixed, not 'direkt'", id="quote-type"),
    pytest.param({"text": GOOD_TEXT, "spans": [{"start": "a", "end": 2, "label": 5}]},
                 "spans[0].start: expected an integer, got the string 'a'", id="span-wrong-types"),
    pytest.param({"text": GOOD_TEXT, "spans": [{"start": 0, "end": 2, "label": 5}]},
                 "spans[0].label: expected a string, got the number 5", id="span-label-an-int"),
    pytest.param({"text": GOOD_TEXT, "spans": [{"start": True, "end": 2, "label": "PER"}]},
                 "spans[0].start: expected an integer, got true", id="span-start-a-bool"),
    pytest.param({"text": GOOD_TEXT, "entities": [{"start_offset": 0, "end_offset": None, "label": "PER"}]},
                 "entities[0].end_offset: expected an integer, got null", id="doccano-end-null"),
    pytest.param({"text": GOOD_TEXT, "label": [[0, 12, "PER", "extra"]]},
                 "label[0]: expected a list of 3 items, got a list ([0, 12, 'PER', 'extra'])", id="doccano-label-of-4"),
    pytest.param({"text": GOOD_TEXT, "annotator": 7}, "annotator: expected a string (or null), got the number 7",
                 id="annotator-an-int"),
    pytest.param({"text": GOOD_TEXT, "annotator": "   "},
                 "annotator: annotator name: the name '   ' (only spaces) is not a name; give the annotator a name",
                 id="annotator-blank"),
    pytest.param({"text": GOOD_TEXT, "title": ["a", "b"]}, "title: expected a string, got a list (['a', 'b'])",
                 id="title-a-list"),
]


@pytest.mark.parametrize(("record", "problem"), JSONL_CASES)
def test_jsonl_shapes(corpus, tmp_path, record, problem):
    first = json.dumps({"text": "A first, valid record."})
    bad, error = import_bad(corpus, tmp_path, "records.jsonl", first + "\n" + json.dumps(record) + "\n")
    assert error == f"{bad}:2: {problem}"


@pytest.mark.parametrize("layout", ["lines", "array"])
def test_a_5000_digit_offset_names_its_field(corpus, tmp_path, layout):
    record = '{"text": "Obama spoke.", "spans": [{"start": 0, "end": ' + "9" * 5000 + ', "label": "PER"}]}'
    content = record + "\n" if layout == "lines" else "[\n" + record + "\n]\n"
    bad, error = import_bad(corpus, tmp_path, "big.jsonl" if layout == "lines" else "big.json", content)
    line = 1 if layout == "lines" else 2
    assert error == f"{bad}:{line}: spans[0].end: expected an integer, got a number with 5,000 digits"


def test_a_5000_digit_number_in_meta_names_its_field(corpus, tmp_path):
    content = '{"text": "Obama spoke.", "meta": {"views": ' + "9" * 5000 + "}}\n"
    bad, error = import_bad(corpus, tmp_path, "big.jsonl", content)
    assert error == f"{bad}:1: meta.views: a number with 5,000 digits is too long to be stored"


@pytest.mark.parametrize(
    ("record", "field"),
    [
        pytest.param('{"text": "Obama spoke.", "title": "The \\ud800 title"}', "title", id="title"),
        pytest.param('{"text": "Obama spoke.", "meta": {"desk": {"name": "x\\udfff"}}}', "meta.desk.name", id="meta"),
        pytest.param('{"text": "Obama spoke.", "author": "\\ud83d"}', "author", id="top-level-field-kept-in-meta"),
        pytest.param('{"text": "Obama spoke.", "annotator": "am\\ud800ira"}', "annotator", id="annotator"),
        pytest.param('{"text": "Obama \\ud800 spoke."}', "text", id="text"),
    ],
)
def test_a_lone_surrogate_names_the_line_and_the_field(corpus, tmp_path, record, field):
    bad, error = import_bad(corpus, tmp_path, "s.jsonl", '{"text": "First."}\n' + record + "\n")
    assert error.startswith(f"{bad}:2: {field}: unpaired surrogate U+D"), error
    assert "which is not valid Unicode" in error


def test_a_lone_surrogate_in_a_label_studio_field(corpus, tmp_path):
    task = json.dumps([ls_task(), {**ls_task(), "id": 2, "data": {"text": "Second.", "title": "x"}}], indent=1)
    task = task.replace('"title": "x"', '"title": "\\udc00"')
    bad, error = import_bad(corpus, tmp_path, "tasks.json", task)
    assert error.startswith(f"{bad}:") and ": data.title: unpaired surrogate U+DC00" in error, error


def test_a_blank_annotator_option_is_blamed_on_the_option_not_the_file(corpus, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": GOOD_TEXT, "spans": [{"start": 0, "end": 12, "label": "PER"}]}) + "\n")
    with pytest.raises(ValueError, match=r"annotator name: the name '   ' \(only spaces\) is not a name"):
        import_paths(corpus, [path], annotator="   ")
    result = CliRunner().invoke(main, ["import", str(path), "--db", str(tmp_path / "c.db"), "--annotator", "   "])
    assert result.exit_code == 2
    assert "Invalid value for '--annotator': annotator name: the name '   ' (only spaces) is not a name" in result.output
    assert str(path) not in result.output and not (tmp_path / "c.db").exists()


def test_an_annotator_name_with_blanks_around_it_is_the_same_annotator(corpus, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": GOOD_TEXT, "annotator": " amira ",
                                "spans": [{"start": 0, "end": 12, "label": "PER"}]}) + "\n")
    other = tmp_path / "b.jsonl"
    other.write_text(json.dumps({"text": "Putin spoke.", "spans": [{"start": 0, "end": 5, "label": "PER"}]}) + "\n")
    assert import_paths(corpus, [path]).ok and import_paths(corpus, [other], annotator="amira  ").ok
    assert [a["name"] for a in corpus.annotators()] == ["amira"]


def test_a_text_that_starts_with_a_bom_keeps_it_and_its_spans_and_quotes_on_their_words(corpus, tmp_path):
    """Only a file's own BOM is removed: a U+FEFF at the start of a JSON text is a character of it."""
    path = tmp_path / "bom.jsonl"
    path.write_text(json.dumps({"text": "\ufeffObama met Putin.", "annotator": "amira",
                                "spans": [{"start": 1, "end": 6, "label": "PER"}, {"start": 11, "end": 16, "label": "PER"}],
                                "quotes": [{"contents": [[7, 10]], "sources": [[1, 6]]}]}) + "\n", encoding="utf-8")
    summary = import_paths(corpus, [path])
    assert summary.ok and summary.documents_new == 1
    [doc_id] = corpus.document_ids()
    doc = corpus.document(doc_id)
    assert doc.text == "\ufeffObama met Putin."
    assert [doc.text[s.start : s.end] for s in corpus.spans(doc_id, "amira")] == ["Obama", "Putin"]
    [quote] = corpus.quotes(doc_id, "amira")
    assert doc.text[quote.contents[0].start : quote.contents[0].end] == "met"
    again = import_paths(corpus, [path])  # found again by its hash, BOM and all
    assert (again.documents_new, again.documents_duplicate) == (0, 1)
