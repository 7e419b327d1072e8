"""Which reader a file needs: by extension first, by content when the extension says nothing.

* ``.txt`` with a ``.ann`` beside it: brat; ``.ann``: brat (read with its ``.txt``);
* ``.txt``: CoNLL when its lines are ``token TAG`` (corpora such as ANERcorp ship CoNLL as
  ``.txt``), else a plain article; ``.jsonl``/``.ndjson``/``.json``: JSON records;
* ``.conll``/``.iob``/``.bio``/``.bilou``/``.biluo``/``.bioes``: CoNLL;
* an SQLite file (``SQLite format 3`` header): another corpus database;
* anything else is sniffed: ``{`` or ``[`` first means JSON, lines of ``token TAG`` mean
  CoNLL, otherwise plain text. Binary and non-UTF-8 files are refused with the line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.core.spans import DocumentRecord
from annotator.formats.brat_reader import is_brat_text, read_brat
from annotator.formats.common import FormatError, ReadOptions, RecordStream, decode
from annotator.formats.conll_reader import looks_like_conll, parse_conll
from annotator.formats.jsonl_reader import parse_jsonl, read_jsonl
from annotator.formats.txt_reader import parse_txt

SQLITE_HEADER = b"SQLite format 3\x00"
JSON_EXTENSIONS = {".jsonl", ".ndjson", ".json"}
CONLL_EXTENSIONS = {".conll", ".iob", ".bio", ".bilou", ".biluo", ".bioes", ".iob2"}
TEXT_EXTENSIONS = {".txt"}
BRAT_EXTENSIONS = {".ann"}
DATABASE_EXTENSIONS = {".db", ".sqlite", ".sqlite3"}
# Extensions collected when a folder is imported (other files in a folder are skipped).
KNOWN_EXTENSIONS = JSON_EXTENSIONS | CONLL_EXTENSIONS | TEXT_EXTENSIONS | BRAT_EXTENSIONS | DATABASE_EXTENSIONS
FORMATS = ("txt", "jsonl", "conll", "brat", "corpus")


def is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def sniff(text: str) -> str:
    """``"jsonl"``, ``"conll"`` or ``"txt"`` from decoded content."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        return "jsonl"
    return "conll" if looks_like_conll(text) else "txt"


def detect_format(path: Path) -> str:
    """The format of ``path`` (one of :data:`FORMATS`) from its extension or its content."""
    suffix = path.suffix.lower()
    if suffix in BRAT_EXTENSIONS or (suffix in TEXT_EXTENSIONS and is_brat_text(path)):
        return "brat"
    if is_sqlite(path):
        return "corpus"
    if suffix in TEXT_EXTENSIONS:
        return "txt"
    if suffix in JSON_EXTENSIONS:
        return "jsonl"
    if suffix in CONLL_EXTENSIONS:
        return "conll"
    if suffix in DATABASE_EXTENSIONS:
        raise FormatError(path, 1, "not an SQLite database (its first bytes are not 'SQLite format 3')")
    return "sniff"


_PARSERS: dict[str, Callable[[str, str, ReadOptions], list[DocumentRecord]]] = {
    "txt": parse_txt,
    "jsonl": parse_jsonl,
    "conll": parse_conll,
}


def read_records(
    path: str | Path, options: ReadOptions = ReadOptions()
) -> tuple[str, list[DocumentRecord] | RecordStream]:
    """``(format, records)`` for a text-format file (JSON files as a lazy :class:`RecordStream`).
    Corpus databases are not read here."""
    path = Path(path)
    fmt = detect_format(path)
    if fmt == "corpus":
        raise ValueError(f"{path} is a corpus database: merge it with annotator.store.merge.merge_corpus")
    if fmt == "brat":
        return fmt, read_brat(path, options)
    if fmt == "jsonl":  # streamed: records are parsed as they are stored, never the whole file at once
        return fmt, read_jsonl(path, options)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(path, None, f"cannot read the file ({exc.strerror or exc})") from None
    text = decode(data, path)
    if fmt == "sniff":
        fmt = sniff(text)
    elif fmt == "txt" and looks_like_conll(text):
        fmt = "conll"  # corpora ship CoNLL as .txt (ANERcorp, doccano's sample)
    return fmt, _PARSERS[fmt](text, str(path), options)
