"""Which reader a file needs: by extension first, by content when the extension says nothing,
and a refusal naming what the file is when it is not annotation data.

* ``.txt`` with a ``.ann`` beside it: brat; ``.ann``: brat (read with its ``.txt``);
* ``.txt``: CoNLL when its lines are ``token TAG`` (corpora such as ANERcorp ship CoNLL as
  ``.txt``), else a plain article; ``.jsonl``/``.ndjson``/``.json``: JSON records, or a UIMA
  CAS JSON file when its root holds ``%TYPES``/``%FEATURE_STRUCTURES``;
* ``.conll``/``.iob``/``.bio``/``.bilou``/``.biluo``/``.bioes``: CoNLL;
* ``.tsv``: WebAnno TSV 3.x (``#FORMAT=WebAnno TSV 3.x``), else CoNLL; ``.xmi``: UIMA CAS XMI;
* an SQLite file (``SQLite format 3`` header): another corpus database;
* anything else is sniffed: a WebAnno TSV header, an XMI root, a CAS JSON root, ``{`` or ``[``
  first (JSON), lines of ``token TAG`` (CoNLL), otherwise plain text.

Refused, with what the file looks like (:mod:`annotator.formats.file_kind`), never stored as an
article: binary files (PDF, ZIP, images, ...), web pages (``eng.train: this is an HTML page,
not annotation data``), XML that is not UIMA CAS XMI, WebAnno TSV 2, a ``.tsv`` that is neither
WebAnno TSV nor CoNLL. Non-UTF-8 text is refused with its line and column.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.core.spans import DocumentRecord
from annotator.formats.brat_reader import is_brat_text, read_brat
from annotator.formats.common import FormatError, ReadOptions, RecordStream, decode
from annotator.formats.conll_reader import looks_like_conll, parse_conll
from annotator.formats.file_kind import binary_kind, text_kind
from annotator.formats.jsonl_reader import parse_jsonl, read_jsonl
from annotator.formats.txt_reader import parse_txt
from annotator.formats.uima_cas_reader import is_cas_json, is_xmi, parse_uima_cas
from annotator.formats.webanno_tsv_reader import is_webanno_tsv, parse_webanno_tsv

SQLITE_HEADER = b"SQLite format 3\x00"
JSON_EXTENSIONS = {".jsonl", ".ndjson", ".json"}
CONLL_EXTENSIONS = {".conll", ".iob", ".bio", ".bilou", ".biluo", ".bioes", ".iob2"}
TEXT_EXTENSIONS = {".txt"}
BRAT_EXTENSIONS = {".ann"}
DATABASE_EXTENSIONS = {".db", ".sqlite", ".sqlite3"}
TSV_EXTENSIONS = {".tsv"}
XMI_EXTENSIONS = {".xmi"}
# Extensions collected when a folder is imported (other files in a folder are skipped).
KNOWN_EXTENSIONS = (
    JSON_EXTENSIONS | CONLL_EXTENSIONS | TEXT_EXTENSIONS | BRAT_EXTENSIONS | DATABASE_EXTENSIONS | TSV_EXTENSIONS
    | XMI_EXTENSIONS
)
FORMATS = ("txt", "jsonl", "conll", "brat", "corpus", "webanno-tsv", "xmi", "cas-json")


def is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def sniff(text: str) -> str:
    """The format of decoded content: ``"webanno-tsv"``, ``"xmi"``, ``"cas-json"``, ``"jsonl"``,
    ``"conll"`` or ``"txt"``."""
    if is_webanno_tsv(text):
        return "webanno-tsv"
    if is_xmi(text):
        return "xmi"
    if is_cas_json(text):
        return "cas-json"
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
    if suffix in XMI_EXTENSIONS:
        return "xmi"
    if suffix in DATABASE_EXTENSIONS:
        raise FormatError(path, 1, "not an SQLite database (its first bytes are not 'SQLite format 3')")
    return "sniff"


_PARSERS: dict[str, Callable[[str, str, ReadOptions], list[DocumentRecord]]] = {
    "txt": parse_txt,
    "jsonl": parse_jsonl,
    "conll": parse_conll,
    "webanno-tsv": parse_webanno_tsv,
    "xmi": lambda text, name, options: parse_uima_cas(text, name, options, "xmi"),
    "cas-json": lambda text, name, options: parse_uima_cas(text, name, options, "cas-json"),
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
    if fmt == "jsonl" and not _is_cas_json_file(path):
        _refuse_by_head(path)
        # streamed: records are parsed as they are stored, never the whole file at once
        return fmt, read_jsonl(path, options)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(path, None, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        text = decode(data, path)
    except FormatError as exc:
        kind = binary_kind(data)
        if kind:
            raise FormatError(path, None, kind) from None
        raise exc from None
    fmt = _content_format(fmt, text, path)
    return fmt, _PARSERS[fmt](text, str(path), options)


def _refuse_by_head(path: Path) -> None:
    """What a streamed file is not, from its first bytes: a binary file, a web page, XML."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return  # the reader reports it
    kind = binary_kind(head) if (b"\x00" in head or not _decodes(head)) else None
    if kind is None:
        kind = text_kind(head.decode("utf-8", errors="ignore"))
    if kind:
        raise FormatError(path, None, kind)


def _decodes(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut by the 4 KB boundary
    return True


def _is_cas_json_file(path: Path) -> bool:
    """A ``.json`` file whose root holds ``%TYPES``/``%FEATURE_STRUCTURES`` (UIMA CAS JSON), from its first bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return is_cas_json(head.decode("utf-8", errors="ignore").lstrip("\ufeff"))


def _content_format(fmt: str, text: str, path: Path) -> str:
    """The reader the content needs, given what the extension said; refuses what is not annotation data."""
    kind = text_kind(text)
    if kind and not (fmt == "xmi" and is_xmi(text)):
        raise FormatError(path, None, kind)
    if fmt == "sniff":
        if path.suffix.lower() in TSV_EXTENSIONS:
            if is_webanno_tsv(text):
                return "webanno-tsv"
            if looks_like_conll(text):
                return "conll"
            raise FormatError(path, 1, "a tab-separated file that is neither WebAnno TSV 3.x ('#FORMAT=WebAnno TSV "
                                       "3.3' first) nor CoNLL ('token<TAB>TAG' lines); not annotation data annotator reads")
        return sniff(text)
    if fmt == "jsonl" and is_cas_json(text):
        return "cas-json"
    if fmt == "txt":
        if is_webanno_tsv(text):
            return "webanno-tsv"
        if looks_like_conll(text):
            return "conll"  # corpora ship CoNLL as .txt (ANERcorp, doccano's sample)
    return fmt
