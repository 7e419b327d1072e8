"""Hostile input to every importer: property-based (hypothesis) and a few large cases.

Whatever a file holds (random bytes, truncated or malformed JSON, CoNLL or brat, spans off
the end, right-to-left and invisible control characters, HTML and script tags, 5 MB
articles), :func:`annotator.formats.importer.import_paths` must:

* never raise: a bad file becomes ONE line in ``summary.errors`` naming the file;
* store nothing from a file that failed (every table keeps its row count);
* store text literally (tags are text, never interpreted) and only spans inside their text.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator.core.text import content_hash, strip_bom
from annotator.formats.importer import import_paths
from annotator.store import Corpus
from annotator.store.maintenance import check

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")

LABELS = ["PER", "ORG", "GPE", "LOC", "NORP", "MISC"]
TABLES = ("documents", "annotators", "spans", "quotes", "quote_parts", "statuses", "suggestions", "events", "labels")
HOSTILE_PIECES = [
    "<script>alert('x')</script>", "<b>bold</b> &amp; &lt;i&gt;", "<!-- comment -->", "<img src=x onerror=alert(1)>",
    "\u202eevil override\u202c", "\u200f", "\u200e", "\u2066isolate\u2069", "\u200b\u200c\u200d", "\ufeff", "\u00a0",
    "قال الرئيس «نعم»", "وأعلن بوتين أن", "Obama", "\r\n", "\n", "\t", "\x0b", "\x1b[31m", "\u0301", "😀",
]
SETTINGS = settings(
    max_examples=int(os.environ.get("ANNOTATOR_HOSTILE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
_names = itertools.count()

hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)),
    min_size=1,
    max_size=12,
).map("".join)
offsets = st.integers(min_value=-3, max_value=300)
any_label = st.one_of(st.sampled_from(LABELS), st.sampled_from(["", " PER", "per", "B-PER", "\u200fPER"]), st.integers())
junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8,
)


def snapshot(corpus: Corpus) -> dict[str, int]:
    return {t: corpus.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def import_one(corpus: Corpus, path: Path) -> bool:
    """Import ``path``; assert the importer's contract; True when the file was imported."""
    before = snapshot(corpus)
    summary = import_paths(corpus, [path])  # must not raise, whatever the file holds
    assert summary.files == 1
    if summary.files_failed:
        [error] = summary.errors
        assert error.startswith(str(path.with_suffix(".txt") if path.suffix == ".ann" else path)) or error.startswith(
            str(path.with_suffix(".ann"))
        ), error
        assert "\n" not in error and "Traceback" not in error
        assert snapshot(corpus) == before, f"a failed file left rows behind: {error}"
        return False
    bad = corpus.conn.execute(
        'SELECT COUNT(*) FROM spans s JOIN documents d ON d.id = s.document_id '
        'WHERE s.start < 0 OR s."end" > d.length OR s."end" <= s.start'
    ).fetchone()[0]
    assert bad == 0, "a span outside its text was stored"
    return True


def stored(corpus: Corpus, text: str) -> bool:
    return corpus.document_by_hash(content_hash(strip_bom(text))) is not None


def new_file(folder: Path, suffix: str) -> Path:
    return folder / f"f{next(_names)}{suffix}"


@pytest.fixture
def hostile(tmp_path: Path):
    corpus = Corpus(tmp_path / "corpus.db")
    yield corpus, tmp_path
    report = check(corpus.path)
    corpus.close()
    assert report.ok, [str(p) for p in report.problems]


# -- random bytes ---------------------------------------------------------------------------------


@SETTINGS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".jsonl", ".json", ".conll", ".txt", ".dat", ".db"]))
def test_random_bytes_never_crash_an_importer(hostile, data: bytes, suffix: str):
    corpus, folder = hostile
    path = new_file(folder, suffix)
    path.write_bytes(data)
    import_one(corpus, path)


@SETTINGS
@given(text=st.binary(max_size=500), ann=st.binary(max_size=500))
def test_random_bytes_as_a_brat_pair(hostile, text: bytes, ann: bytes):
    corpus, folder = hostile
    path = new_file(folder, ".txt")
    path.write_bytes(text)
    path.with_suffix(".ann").write_bytes(ann)
    import_one(corpus, path)


@SETTINGS
@given(tail=st.binary(max_size=4000))
def test_a_file_that_only_starts_like_sqlite(hostile, tail: bytes):
    corpus, folder = hostile
    path = new_file(folder, ".db")
    path.write_bytes(b"SQLite format 3\x00" + tail)
    import_one(corpus, path)


# -- malformed JSON ----------------------------------------------------------------------------------


span_shapes = st.one_of(
    st.fixed_dictionaries({"start": offsets, "end": offsets, "label": any_label}),
    st.fixed_dictionaries({"start": offsets, "end": offsets}),
    st.fixed_dictionaries({"start_offset": offsets, "end_offset": offsets, "label": any_label}),
    st.tuples(offsets, offsets, any_label).map(list),
    junk,
)
json_record = st.one_of(
    st.fixed_dictionaries(
        {"text": hostile_text},
        optional={
            "meta": st.one_of(st.dictionaries(st.text(max_size=5), junk, max_size=3), junk),
            "spans": st.one_of(st.lists(span_shapes, max_size=4), junk),
            "label": st.lists(st.tuples(offsets, offsets, any_label).map(list), max_size=3),
            "entities": st.lists(span_shapes, max_size=3),
            "quotes": st.one_of(st.lists(junk, max_size=2), junk),
            "annotator": st.one_of(st.text(max_size=6), junk),
            "title": junk,
        },
    ),
    st.fixed_dictionaries({"data": st.fixed_dictionaries({"text": hostile_text}),
                           "annotations": st.lists(junk, max_size=2)}),
    junk,
)


@SETTINGS
@given(records=st.lists(json_record, min_size=1, max_size=6), cut=st.floats(0, 1), garbage=st.booleans(),
       as_array=st.booleans(), ascii_only=st.booleans())
def test_malformed_and_truncated_json(hostile, records, cut: float, garbage: bool, as_array: bool, ascii_only: bool):
    corpus, folder = hostile
    if as_array:
        content = json.dumps(records, ensure_ascii=ascii_only)
    else:
        content = "\n".join(json.dumps(r, ensure_ascii=ascii_only) for r in records)
    if garbage:
        content = content[: int(len(content) * cut)]  # truncated mid-record
    path = new_file(folder, ".jsonl" if not as_array else ".json")
    path.write_text(content, encoding="utf-8")
    if import_one(corpus, path) and not garbage:
        for record in records:
            if isinstance(record, dict) and isinstance(record.get("text"), str) and record["text"].strip():
                # A JSON string is kept exactly, a leading U+FEFF included (only a file's own BOM goes).
                assert corpus.document_by_hash(content_hash(record["text"])) is not None, \
                    "an imported record's text was changed"


@SETTINGS
@given(text=hostile_text, spans=st.lists(st.tuples(offsets, offsets, st.sampled_from(LABELS)), max_size=5))
def test_spans_off_the_end_fail_the_whole_file(hostile, text: str, spans):
    assume(strip_bom(text).strip())  # stored() looks a text up without its leading BOM
    corpus, folder = hostile
    good = {"text": f"Good article {next(_names)}: Barack Obama.", "spans": [{"start": 13, "end": 25, "label": "PER"}]}
    hostile_record = {"text": text, "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans]}
    path = new_file(folder, ".jsonl")
    path.write_text(json.dumps(good) + "\n" + json.dumps(hostile_record) + "\n", encoding="utf-8")
    body = strip_bom(text)
    fits = all(0 <= s < e <= len(body) for s, e, _ in spans)
    imported = import_one(corpus, path)
    if not fits:
        assert not imported, "a span off the end of its text was accepted"
    if imported:
        assert stored(corpus, good["text"]) and stored(corpus, text)


# -- CoNLL -----------------------------------------------------------------------------------------


conll_line = st.one_of(
    st.tuples(hostile_text.map(lambda t: t.split()[0] if t.split() else "x"),
              st.sampled_from(["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "L-LOC", "U-GPE", "E-MISC", "S-NORP"]))
    .map(lambda p: f"{p[0]}\t{p[1]}"),
    st.sampled_from(["", "-DOCSTART- -X- O O", "B-", "x B-", "x X-PER", "x I-", "word", "a b c d B-PER", "\t\t"]),
    hostile_text,
)


@SETTINGS
@given(lines=st.lists(conll_line, min_size=1, max_size=40), cut=st.one_of(st.none(), st.floats(0, 1)))
def test_malformed_conll(hostile, lines, cut):
    corpus, folder = hostile
    content = "\n".join(lines)
    if cut is not None:
        content = content[: int(len(content) * cut)]
    path = new_file(folder, ".conll")
    path.write_text(content, encoding="utf-8")
    import_one(corpus, path)


# -- brat --------------------------------------------------------------------------------------------


def brat_lines(length: int):
    offset = st.integers(-2, length + 3)
    textbound = st.tuples(st.integers(1, 9), any_label.map(str), offset, offset, st.booleans()).map(
        lambda t: f"T{t[0]}\t{t[1]} {t[2]} {t[3]}{';' + str(t[2]) + ' ' + str(t[3]) if t[4] else ''}\tcovered"
    )
    others = st.sampled_from([
        "R1\tSays Arg1:T1 Arg2:T2", "R2\tSays Arg1:T1", "A1\tNegated T1", "A2\tType T1 direct", "#1\tAnnotatorNotes T1\tx",
        "E1\tQuote:T1 Source:T2", "N1\tReference T1 Wikipedia:1\tx", "*\tEquiv T1 T2", "T1", "T1\t", "X9\tjunk",
        "T1\tPER 0", "T1\tPER a b\tx", "", "T1\tContent 0 4\tx", "T2\tCue 0 4\tx",
    ])
    return st.lists(st.one_of(textbound, others), max_size=8)


@SETTINGS
@given(data=st.data(), text=hostile_text)
def test_malformed_brat(hostile, data, text: str):
    corpus, folder = hostile
    lines = data.draw(brat_lines(len(text)))
    path = new_file(folder, ".txt")
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".ann").write_text("\n".join(lines), encoding="utf-8")
    if import_one(corpus, path) and text.strip():
        assert stored(corpus, text), "brat text must be stored exactly"


# -- literal text, big articles, partial files --------------------------------------------------------


def test_html_rtl_and_invisible_characters_are_stored_literally(hostile):
    corpus, folder = hostile
    text = "".join(HOSTILE_PIECES) + " <script>document.write('x')</script> النهاية."
    jsonl = new_file(folder, ".jsonl")
    jsonl.write_text(json.dumps({"text": text, "spans": [{"start": 0, "end": 8, "label": "MISC"}]}) + "\n")
    txt = new_file(folder, ".txt")
    txt.write_text("Headline <i>with tags</i>\n" + text + "\n", encoding="utf-8")
    assert import_one(corpus, jsonl) and import_one(corpus, txt)
    assert stored(corpus, text)
    assert stored(corpus, txt.read_bytes().decode("utf-8"))
    doc = corpus.document_by_hash(content_hash(text))
    assert doc is not None and doc.text == text and "<script>" in doc.text


@pytest.mark.slow
def test_five_megabyte_articles(hostile):
    corpus, folder = hostile
    rng = random.Random(5)
    words = ["قال", "الرئيس", "<b>", "</b>", "Obama", "\u200f", "«نعم»", "الحكومة", "\n"]
    text = " ".join(rng.choice(words) for _ in range(900_000))
    while len(text.encode("utf-8")) < 5_000_000:
        text += " الحكومة"
    txt = new_file(folder, ".txt")
    txt.write_text(text, encoding="utf-8")
    assert import_one(corpus, txt)
    assert stored(corpus, text)
    # the same size in JSONL, with one span off the end: the whole file is refused, nothing partial
    other = "Another " + text
    jsonl = new_file(folder, ".jsonl")
    records = [{"text": other, "spans": [{"start": len(other) - 3, "end": len(other) + 2, "label": "PER"}]}]
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    assert not import_one(corpus, jsonl)
    assert not stored(corpus, other)


def test_one_bad_line_at_the_end_imports_nothing_of_that_file(hostile):
    corpus, folder = hostile
    path = new_file(folder, ".jsonl")
    good = [json.dumps({"text": f"Article {i}: Barack Obama met Putin.", "spans": [{"start": 12, "end": 24,
                                                                                      "label": "PER"}]})
            for i in range(50)]
    path.write_text("\n".join(good) + '\n{"text": "truncated', encoding="utf-8")
    assert not import_one(corpus, path)
    summary = import_paths(corpus, [path])
    assert summary.errors[0].startswith(f"{path}:51: "), summary.errors
    assert corpus.count_documents() == 0


@pytest.mark.parametrize(
    "content",
    [
        pytest.param('{"text": "abc \\ud800 def"}\n', id="unpaired-surrogate-escape"),
        pytest.param('{"text": "Obama spoke.", "spans": [{"start": 0, "end": 5, "label": "\\udc00"}]}\n',
                     id="surrogate-label"),
        pytest.param('{"text": "Obama spoke.", "spans": [{"start": 0, "end": ' + "9" * 5000 + ', "label": "PER"}]}\n',
                     id="5000-digit-offset"),
        pytest.param('{"text": "Obama spoke.", "spans": [{"start": NaN, "end": Infinity, "label": "PER"}]}\n',
                     id="nan-offsets"),
        pytest.param("[" * 100_000 + "]" * 100_000, id="deeply-nested-array"),
        pytest.param('{"text": "a", "meta": ' + "{\"a\": " * 50_000 + "1" + "}" * 50_001, id="deeply-nested-meta"),
    ],
)
def test_pathological_json(hostile, content: str):
    corpus, folder = hostile
    path = new_file(folder, ".jsonl")
    path.write_text(content, encoding="utf-8")
    assert not import_one(corpus, path)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param('INSERT INTO spans(document_id, annotator_id, start, "end", label, origin, created_at) '
                     "VALUES (1, 1, 3, 500, 'ORG', 'manual', 'x')", id="span-off-the-end"),
        pytest.param('INSERT INTO spans(document_id, annotator_id, start, "end", label, origin, created_at) '
                     "VALUES (1, 1, 2, 4, 'ORG', 'manual', 'x')", id="overlapping-entities"),
        pytest.param("UPDATE quote_parts SET \"end\" = 999", id="quote-part-off-the-end"),
    ],
)
def test_a_damaged_colleague_corpus_imports_nothing(hostile, damage: str):
    import sqlite3

    from annotator.core.spans import DocumentRecord, Quote, Range, Span

    corpus, folder = hostile
    colleague = new_file(folder, ".db")
    with Corpus(colleague) as other:
        [doc] = other.add_documents([DocumentRecord(text="Obama met Putin in Moscow.")]).new_ids
        other.add_span(doc, "amira", Span(0, 5, "PER"))
        other.add_quote(doc, "amira", Quote(contents=(Range(6, 9),)))
    conn = sqlite3.connect(colleague)
    conn.execute(damage)
    conn.commit()
    conn.close()
    assert not import_one(corpus, colleague)


def test_a_second_byte_order_mark_is_text_and_offsets_stay_exact(corpus, tmp_path):
    """Only the file's own BOM is removed: a U+FEFF after it (or at the start of a JSON text) is a
    character of the article, and the spans' offsets keep pointing at the same letters."""
    from annotator.formats.importer import import_paths

    txt = tmp_path / "twice.txt"
    txt.write_bytes("\ufeff\ufeffHeadline\n\nBody.".encode())
    record = tmp_path / "record.jsonl"
    record.write_text('{"text": "\\ufeffObama spoke.", "spans": [{"start": 1, "end": 6, "label": "PER"}]}\n',
                      encoding="utf-8")
    summary = import_paths(corpus, [txt, record], annotator="amira")
    assert summary.ok, summary.errors
    texts = sorted(corpus.document(i).text for i in corpus.document_ids())
    assert texts == ["\ufeffHeadline\n\nBody.", "\ufeffObama spoke."]
    doc_id = next(i for i in corpus.document_ids() if "Obama" in corpus.document(i).text)
    [span] = corpus.spans(doc_id, "amira")
    assert corpus.document(doc_id).text[span.start : span.end] == "Obama"
