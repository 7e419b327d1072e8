"""Structurally hostile records for every JSON shape, and hostile layouts for plain text (Hypothesis).

Each case starts from a valid record of the shape (Prodigy, doccano, annotator's own export with
quotes, a Label Studio 1.x task) and puts a value of the wrong type -- or no value -- at one to
three of its fields, at any depth. Whatever comes of it, the importer must:

* never raise, and never report an internal error (a reader crash is a bug even when guarded);
* fail a bad file with ONE line naming the file, and store nothing from it;
* store only spans that lie inside their text, and the text exactly as the file holds it.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.text import content_hash
from annotator.formats.importer import import_paths
from annotator.store import Corpus
from annotator.store.maintenance import check

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")

TABLES = ("documents", "annotators", "spans", "quotes", "quote_parts", "statuses", "suggestions", "events", "labels")
SETTINGS = settings(
    max_examples=int(os.environ.get("ANNOTATOR_HOSTILE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
_names = itertools.count()

TEXT = "Barack Obama met Vladimir Putin in Cairo. «نعم» قال الرئيس 😀."
PRODIGY = {
    "text": TEXT, "meta": {"title": "G20", "source": "wire", "desk": {"name": "world", "tags": ["a", "b"]}},
    "_input_hash": 1, "_task_hash": 2, "answer": "accept", "annotator": "amira", "_annotator_id": "news-amira",
    "tokens": [{"text": "Barack", "start": 0, "end": 6, "id": 0}],
    "spans": [{"start": 0, "end": 12, "label": "PER", "text": "Barack Obama"}, {"start": 35, "end": 40, "label": "GPE"}],
}
DOCCANO = {"id": 7, "text": TEXT, "label": [[0, 12, "PER"], [17, 31, "PER"]], "Comments": [],
           "entities": [{"id": 1, "start_offset": 35, "end_offset": 40, "label": "GPE"}], "relations": []}
OWN_EXPORT = {
    "text": TEXT, "meta": {"title": "T", "language": "en", "direction": "ltr", "status": "done",
                           "content_hash": content_hash(TEXT), "document_id": 3},
    "annotator": "amira", "answer": "accept", "spans": [{"start": 0, "end": 12, "label": "PER"}],
    "quotes": [{"type": "direct", "contents": [[42, 45]], "cue": [50, 53], "sources": [[0, 12]], "entity": [0, 12]}],
}
LABEL_STUDIO = {
    "id": 1, "data": {"text": TEXT, "title": "Summit"}, "meta": {}, "drafts": [], "project": 3,
    "annotations": [{
        "id": 11, "completed_by": {"id": 3, "email": "lina@example.org", "first_name": "", "last_name": ""},
        "was_cancelled": False, "ground_truth": False, "lead_time": 4.2,
        "result": [
            {"id": "a", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
             "value": {"start": 0, "end": 12, "text": "Barack Obama", "labels": ["PER"]}},
            {"id": "b", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 35, "end": 40, "text": "Cairo", "labels": ["GPE"]}},
            {"from_id": "a", "to_id": "b", "type": "relation", "direction": "right", "labels": ["in"]},
            {"id": "c", "from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": ["Politics"]}},
        ],
    }],
    "predictions": [{"model_version": "v1", "score": 0.5, "result": [
        {"id": "p", "type": "labels", "score": 0.9, "value": {"start": 17, "end": 31, "labels": ["PER"]}}]}],
}
SHAPES = {"prodigy": PRODIGY, "doccano": DOCCANO, "own-export": OWN_EXPORT, "label-studio": LABEL_STUDIO}


def paths_of(value, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside ``value`` (dict keys and list indices), the root excluded."""
    found = []
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return found
    for key, child in items:
        found.append((*prefix, key))
        found.extend(paths_of(child, (*prefix, key)))
    return found


MISSING = object()
wrong_values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**6), st.just(10**30), st.floats(allow_nan=True),
    st.text(max_size=6), st.sampled_from(["", "   ", "\u200f", "PER", "done", "labels", "relation", "\udc80x"]),
    st.lists(st.one_of(st.integers(-2, 80), st.text(max_size=3), st.none()), max_size=4),
    st.dictionaries(st.sampled_from(["start", "end", "labels", "text", "id", "x"]),
                    st.one_of(st.integers(-2, 80), st.text(max_size=3), st.none(), st.lists(st.integers(0, 9))),
                    max_size=3),
    st.just(MISSING),
)


def mutate(record: dict, changes: list[tuple[tuple, object]]) -> dict:
    record = copy.deepcopy(record)
    for path, value in changes:
        parent = record
        try:
            for step in path[:-1]:
                parent = parent[step]
            if value is MISSING:
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this path
    return record


def snapshot(corpus: Corpus) -> dict[str, int]:
    return {t: corpus.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def import_one(corpus: Corpus, path: Path, **options) -> bool:
    before = snapshot(corpus)
    summary = import_paths(corpus, [path], **options)  # must not raise
    assert summary.files == 1
    if summary.files_failed:
        [error] = summary.errors
        assert error.startswith(f"{path}:") or error.startswith(f"{path} "), error
        assert "\n" not in error and "Traceback" not in error
        assert "internal error" not in error, error
        assert snapshot(corpus) == before, f"a failed file left rows behind: {error}"
        return False
    bad = corpus.conn.execute(
        'SELECT COUNT(*) FROM spans s JOIN documents d ON d.id = s.document_id '
        'WHERE s.start < 0 OR s."end" > d.length OR s."end" <= s.start'
    ).fetchone()[0]
    assert bad == 0, "a span outside its text was stored"
    return True


@pytest.fixture
def hostile(tmp_path: Path):
    corpus = Corpus(tmp_path / "corpus.db")
    yield corpus, tmp_path
    report = check(corpus.path)
    corpus.close()
    assert report.ok, [str(p) for p in report.problems]


@pytest.mark.parametrize("shape", sorted(SHAPES))
@SETTINGS
@given(data=st.data(), as_array=st.booleans(), strict=st.booleans())
def test_wrong_types_at_any_field_of_a_json_shape(hostile, shape, data, as_array: bool, strict: bool):
    corpus, folder = hostile
    template = SHAPES[shape]
    paths = paths_of(template)
    chosen = data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3, unique=True))
    changes = [(path, data.draw(wrong_values)) for path in chosen]
    record = mutate(template, changes)
    good = {"text": f"A valid first record {next(_names)}.", "spans": [{"start": 2, "end": 7, "label": "MISC"}]}
    records = [good, record]
    path = folder / f"f{next(_names)}{'.json' if as_array else '.jsonl'}"
    content = json.dumps(records, indent=1) if as_array else "\n".join(json.dumps(r) for r in records)
    path.write_text(content, encoding="utf-8")
    if import_one(corpus, path, strict=strict):
        assert corpus.document_by_hash(content_hash(good["text"])) is not None


def test_the_unmutated_shapes_import(hostile):
    corpus, folder = hostile
    for shape, record in SHAPES.items():
        path = folder / f"{shape}.json"
        path.write_text(json.dumps([record]), encoding="utf-8")
        assert import_one(corpus, path), shape
    doc = corpus.document_by_hash(content_hash(TEXT))
    assert [(s.start, s.end, s.label) for s in corpus.spans(doc.id, "lina@example.org")] == [(0, 12, "PER"),
                                                                                              (35, 40, "GPE")]


# -- plain text: hostile layouts ------------------------------------------------------------------------

text_lines = st.one_of(
    st.sampled_from(["", " ", "\u00a0", "\t", "\r", "المصدر: وكالات", "Source: Reuters", "المصادر :", "المصدر:",
                     "source:   ", "Title", "\ufeffTitle", "\u200f", "«نعم»", "<b>x</b>", "\x0b", "\x1c"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)


@SETTINGS
@given(lines=st.lists(text_lines, min_size=1, max_size=15), ending=st.sampled_from(["\n", "\r\n", "\r"]),
       split=st.booleans(), bom=st.booleans())
def test_hostile_plain_text_layouts(hostile, lines, ending: str, split: bool, bom: bool):
    corpus, folder = hostile
    content = ("\ufeff" if bom else "") + ending.join(lines)
    path = folder / f"t{next(_names)}.txt"
    path.write_bytes(content.encode("utf-8"))
    if import_one(corpus, path, split_at_source=split):
        stored = [r[0] for r in corpus.conn.execute(
            "SELECT text FROM documents WHERE imported_from = ? ORDER BY id", (str(path),))]
        body = content.removeprefix("\ufeff")  # only the file's own BOM is removed
        if split:  # each article is a slice of the file; one whose text an earlier example imported
            # is not stored again
            assert all(s in body for s in stored)
        else:
            assert stored in ([body], [])  # [] when the same text was imported before
