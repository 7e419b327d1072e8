"""JSON files read as a stream: the same records and the same error lines as reading the whole file,
whatever the chunk size, and never more of the file than the record being parsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import annotator.formats.json_stream as json_stream
from annotator.formats.common import FormatError, HugeNumber
from annotator.formats.json_stream import JsonFile, iter_json_text

RECORDS = [{"text": "قال الرئيس «نعم» 😀", "n": i, "spans": [{"start": 0, "end": 3, "label": "PER"}]} for i in range(6)]


def write(tmp_path: Path, content: str | bytes, name: str = "f.json") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.fixture(params=[3, 7, 64, 1 << 20], ids=lambda n: f"chunk-{n}")
def chunk(request, monkeypatch):
    monkeypatch.setattr(json_stream, "CHUNK", request.param)
    return request.param


LAYOUTS = {
    "lines": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS),
    "array": json.dumps(RECORDS, ensure_ascii=False, indent=2),
    "compact-array": json.dumps(RECORDS, ensure_ascii=False),
    "pretty-objects": "\n".join(json.dumps(r, ensure_ascii=False, indent=2) for r in RECORDS),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_gives_the_records_and_their_lines_in_any_chunk_size(tmp_path, chunk, layout):
    content = LAYOUTS[layout]
    path = write(tmp_path, "\ufeff" + content)
    streamed = list(JsonFile(path))
    assert [value for _, value in streamed] == RECORDS
    assert streamed == list(iter_json_text(content, str(path)))
    lines = content.split("\n")
    for line, value in streamed:  # each record starts on the line it is said to start on
        assert lines[line - 1].lstrip(" [,").startswith("{"), (line, value["n"])


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        pytest.param('[\n  {"text": "a"},\n  {"text": "b",}\n]', 3, "malformed JSON: Expecting property name",
                     id="array-bad-item"),
        pytest.param('[\n  {"text": "a"}\n  {"text": "b"}\n]', 3, "expected ',' or ']' between array items",
                     id="array-missing-comma"),
        pytest.param('[\n  {"text": "a"},\n  {"text": "b"', 3, "malformed JSON", id="array-truncated"),
        pytest.param('[{"text": "a"}]\n{"text": "b"}', 2, "extra data after the array", id="array-then-more"),
        pytest.param('{"text": "a"}\n{"text": "b" "c"}\n', 2, "malformed JSON: Expecting ',' delimiter",
                     id="lines-bad-line"),
        pytest.param('{"text": "a"}\n{"text": "trunc', 2, "malformed JSON: Unterminated string", id="lines-truncated"),
        pytest.param('{"text": "a"}\n{"text": \n{"text": "c"}\n', 2, "malformed JSON: Expecting value (column 10)",
                     id="lines-value-missing-at-the-end-of-the-line"),
        pytest.param('{\n  "text": "a",\n  "n": tru\n}', 3, "malformed JSON: Expecting value", id="pretty-bad-literal"),
        pytest.param("   \n\t\n", 1, "the file holds only whitespace", id="whitespace"),
        pytest.param("", 1, "the file is empty", id="empty"),
    ],
)
def test_errors_name_the_same_line_in_any_chunk_size(tmp_path, chunk, content, line, words):
    path = write(tmp_path, content)
    with pytest.raises(FormatError) as info:
        list(JsonFile(path))
    assert str(info.value).startswith(f"{path}:{line}: ") and words in str(info.value), str(info.value)


@pytest.mark.parametrize("layout", ["lines", "array"])
def test_bytes_that_are_not_utf8_and_nul_bytes_name_their_line(tmp_path, chunk, layout):
    good = json.dumps({"text": "é"}, ensure_ascii=False).encode()
    bad = b'{"text": "ab\xff"}'
    joined = b"[\n" + good + b",\n" + bad + b"\n]" if layout == "array" else good + b"\n" + bad + b"\n"
    line = 3 if layout == "array" else 2
    path = write(tmp_path, joined)
    with pytest.raises(FormatError) as info:
        list(JsonFile(path))
    assert str(info.value) == f"{path}:{line}: byte 0xFF at column 13 is not valid UTF-8; save the file as UTF-8"
    nul = joined.index(b"\xff")
    path = write(tmp_path, joined.replace(b"\xff", b"\x00"))
    with pytest.raises(FormatError, match=rf":{line}: binary file \(NUL byte at offset {nul}\)"):
        list(JsonFile(path))


def test_utf16_files_are_refused_with_the_reason(tmp_path):
    path = write(tmp_path, json.dumps({"text": "a"}).encode("utf-16"))
    with pytest.raises(FormatError, match=r":1: the file is UTF-16; save it as UTF-8"):
        list(JsonFile(path))


def test_records_come_out_before_the_rest_of_the_file_is_read(tmp_path, monkeypatch):
    """A record is handed over as soon as it is parsed: a file's error at its end comes after its
    first records (the importer's transaction then rolls them back)."""
    monkeypatch.setattr(json_stream, "CHUNK", 64)
    for content in (LAYOUTS["lines"] + '{"broken\n', LAYOUTS["array"][:-1] + ", {oops}]"):
        path = write(tmp_path, content)
        source = JsonFile(path)
        records = iter(source)
        first_line, first = next(records)
        assert first == RECORDS[0] and first_line in (1, 2)
        assert 0 < source.fraction() < 0.6  # only the beginning of the file has been read
        with pytest.raises(FormatError):
            list(records)


def test_numbers_too_long_to_convert_are_kept_for_the_reader_to_name(tmp_path):
    path = write(tmp_path, '{"text": "a", "n": ' + "7" * 5000 + ', "m": -' + "1" * 4000 + "}\n")
    [(line, value)] = list(JsonFile(path))
    assert isinstance(value["n"], HugeNumber) and value["n"].digits == 5000
    assert value["m"] == -int("1" * 4000)


def test_nesting_deeper_than_any_record_is_refused(tmp_path):
    path = write(tmp_path, "[" + '{"a": ' * 5000 + "1" + "}" * 5000 + "]")
    with pytest.raises(FormatError, match=r":1: JSON nested more than 200 levels deep"):
        list(JsonFile(path))
