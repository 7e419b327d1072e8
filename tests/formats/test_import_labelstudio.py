"""Label Studio exports as Label Studio 1.x writes them: overlapping regions, UTF-16 offsets,
relations and choices, empty and cancelled annotations, drafts and predictions.

The fixtures in ``tests/fixtures/labelstudio/`` (see its README) follow the JSON export of
Label Studio 1.x task by task.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.text import content_hash
from annotator.formats.common import (
    NOTE_CANCELLED,
    NOTE_CHOICES,
    NOTE_DRAFTS,
    NOTE_OTHER_RESULTS,
    NOTE_OVERLAP,
    NOTE_RELATIONS,
    NOTE_UTF16,
)
from annotator.formats.importer import import_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "labelstudio"
EXPORT = FIXTURES / "export-1.x.json"
UTF16 = FIXTURES / "export-utf16.json"
TASK_101 = "Cairo University hosted Ban Ki-moon in Cairo on Monday, the university said."
TASK_102 = "وقال الأمين العام إن المحادثات في جنيف كانت مثمرة."


def spans_of(corpus, text: str, annotator: str) -> list[tuple[str, str, int]]:
    doc = corpus.document_by_hash(content_hash(text))
    return [(doc.text[s.start : s.end], s.label, s.start) for s in corpus.spans(doc.id, annotator)]


def doc_of(corpus, text: str):
    return corpus.document_by_hash(content_hash(text))


def test_overlapping_regions_import_and_the_one_left_out_is_listed_by_region_id(corpus):
    summary = import_paths(corpus, [EXPORT])
    assert summary.ok, summary.errors
    # the nested GPE "Cairo" inside "Cairo University" cannot sit in the same set: the longer region stays
    assert spans_of(corpus, TASK_101, "lina@example.org") == [
        ("Cairo University", "ORG", 0), ("Ban Ki-moon", "PER", 24), ("Cairo", "GPE", 39)]
    assert summary.notes[NOTE_OVERLAP] == 1
    assert summary.warnings == [
        f"{EXPORT}:2: annotation 31 by lina@example.org: region 'Pq7c1Vb3' [0, 5) GPE overlaps region "
        "'Xk2a9Lq0' [0, 16) ORG: not stored (entities may not overlap)"]
    assert summary.spans == 4  # three of task 101, one of task 102


def test_strict_refuses_a_file_with_overlapping_regions(corpus):
    summary = import_paths(corpus, [EXPORT], strict=True)
    assert summary.files_failed == 1
    assert summary.errors == [
        f"{EXPORT}:2: annotation 31 by lina@example.org: region 'Pq7c1Vb3' [0, 5) GPE overlaps region "
        "'Xk2a9Lq0' [0, 16) ORG; entities may not overlap (--strict refuses the file)"]
    assert corpus.count_documents() == 0


def test_every_submitted_annotation_is_a_done_set_even_without_entities(corpus):
    summary = import_paths(corpus, [EXPORT])
    first, second = doc_of(corpus, TASK_101), doc_of(corpus, TASK_102)
    assert corpus.status(first.id, "lina@example.org") == ("done", None)
    # Omar submitted task 101 with nothing to label: he is there, done, with an empty set
    assert corpus.status(first.id, "omar@example.org") == ("done", None)
    assert corpus.spans(first.id, "omar@example.org") == []
    # ... and skipped task 102 in Label Studio (a cancelled annotation)
    assert corpus.status(second.id, "omar@example.org") == ("skipped", "cancelled (skipped) in Label Studio")
    assert summary.annotators == {"lina@example.org", "omar@example.org"}
    assert summary.statuses_set == {"done": 3, "skipped": 1}
    assert summary.notes[NOTE_CANCELLED] == 1 and summary.notes[NOTE_DRAFTS] == 1


def test_relations_choices_and_other_results_are_kept_in_the_documents_metadata(corpus):
    summary = import_paths(corpus, [EXPORT])
    meta = doc_of(corpus, TASK_101).meta
    assert meta["relations"] == {"lina@example.org": [{
        "from": "Ma4d8Ee1", "to": "Zr5u2Hn6", "labels": ["visited"], "direction": "right",
        "from_span": [24, 35, "PER"], "to_span": [39, 44, "GPE"]}]}
    assert meta["choices"] == {"lina@example.org": [{"name": "topic", "choices": ["Politics"]}]}
    [comment] = meta["labelstudio_results"]["lina@example.org"]
    assert comment["type"] == "textarea" and comment["value"] == {"text": ["check the date"]}
    assert meta["labelstudio_id"] == 101 and doc_of(corpus, TASK_101).title == "Ban Ki-moon in Cairo"
    assert (summary.notes[NOTE_RELATIONS], summary.notes[NOTE_CHOICES], summary.notes[NOTE_OTHER_RESULTS]) == (1, 1, 1)


def test_predictions_are_suggestions_with_their_scores(corpus):
    summary = import_paths(corpus, [EXPORT])
    spans, _ = corpus.suggestions(doc_of(corpus, TASK_101).id)
    assert [(TASK_101[s.start : s.end], s.label, s.suggester, s.score) for s in spans] == [
        ("Ban Ki-moon", "PER", "labelstudio:ner-2024-04", 0.93)]
    assert summary.suggestions == 1


def test_utf16_offsets_of_an_older_label_studio_are_detected_and_converted(corpus):
    text = json.loads(UTF16.read_text(encoding="utf-8"))[0]["data"]["text"]
    summary = import_paths(corpus, [UTF16])
    assert summary.ok, summary.errors
    # "London" has no text in the file: it is converted as the other regions of its annotation were
    assert spans_of(corpus, text, "labelstudio-1") == [
        ("Mohamed Salah", "PER", 19), ("Liverpool", "ORG", 44), ("London", "GPE", 57)]
    assert summary.notes[NOTE_UTF16] == 3
    assert corpus.status(doc_of(corpus, text).id, "labelstudio-1") == ("done", None)


def test_a_region_whose_text_fits_neither_counting_says_both(corpus, tmp_path):
    text = "Fans 🎉 cheered Salah."
    task = {"id": 1, "data": {"text": text}, "annotations": [{"id": 3, "completed_by": 1, "result": [
        {"id": "a", "type": "labels", "value": {"start": 15, "end": 20, "text": "Salam", "labels": ["PER"]}}]}]}
    path = tmp_path / "t.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    summary = import_paths(corpus, [path])
    assert summary.errors == [
        f"{path}:1: annotations[0].result[0].value [15, 20): the file gives its text as 'Salam' but the document "
        "has 'Salah' (counting code points) or ' Sala' (counting UTF-16 units) there"]


def test_the_command_line_summary_says_what_was_left_out_converted_and_kept(tmp_path):
    db = tmp_path / "c.db"
    result = CliRunner().invoke(main, ["import", str(EXPORT), str(UTF16), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for expected in ["statuses: 5 (done 4, skipped 1)", "overlapping entities not stored: 1",
                     "regions with UTF-16 offsets converted to code points: 3",
                     "relations kept in the document's metadata: 1", "choices kept in the document's metadata: 1",
                     "cancelled Label Studio annotations (status skipped): 1",
                     "unsubmitted Label Studio drafts not imported: 1"]:
        assert expected in lines, (expected, lines)
    assert "warning: " in result.stderr and "region 'Pq7c1Vb3' [0, 5) GPE overlaps" in result.stderr


def test_overlapping_prodigy_and_doccano_spans_are_listed_the_same_way(corpus, tmp_path):
    text = "Cairo University hosted Ban Ki-moon."
    path = tmp_path / "spans.jsonl"
    path.write_text(
        json.dumps({"text": text, "annotator": "amira", "spans": [
            {"start": 0, "end": 5, "label": "GPE"}, {"start": 0, "end": 16, "label": "ORG"},
            {"start": 24, "end": 35, "label": "PER"}, {"start": 24, "end": 35, "label": "PER"}]}) + "\n"
        + json.dumps({"text": text + " Again.", "label": [[0, 16, "ORG"], [6, 16, "ORG"]]}) + "\n",
        encoding="utf-8")
    summary = import_paths(corpus, [path])
    assert summary.ok
    assert spans_of(corpus, text, "amira") == [("Cairo University", "ORG", 0), ("Ban Ki-moon", "PER", 24)]
    assert spans_of(corpus, text + " Again.", "imported") == [("Cairo University", "ORG", 0)]
    assert summary.warnings == [
        f"{path}:1: spans[0] [0, 5) GPE overlaps spans[1] [0, 16) ORG: not stored (entities may not overlap)",
        f"{path}:2: label[1] [6, 16) ORG overlaps label[0] [0, 16) ORG: not stored (entities may not overlap)",
    ]
    assert summary.notes[NOTE_OVERLAP] == 2
