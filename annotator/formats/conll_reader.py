"""CoNLL / IOB files: one ``token TAG`` per line (the tag is the last column).

Units are separated by blank lines. Without ``-DOCSTART-`` lines every unit (sentence)
is one document; with them, ``-DOCSTART-`` starts a new document and its sentences are
joined by newlines. Tokens are joined by single spaces; each token's offsets are known,
so tags become entity spans ``[start, end)`` on the rebuilt text.

Tag schemes: BIO (IOB2), IOB1 (``I-`` starts an entity, ``B-`` only separates two
adjacent entities of the same type), BILUO / BIOES (``L-``/``E-`` last, ``U-``/``S-``
single), and bare labels (IO: ``PER PER O``). ``auto`` picks BILUO when ``L-``/``E-``/
``U-``/``S-`` tags appear, IOB1 when entities start with ``I-`` and ``B-`` only ever
follows ``I-`` of the same type, BIO otherwise. An invalid transition (``I-PER`` after
``O`` in a BIO file, ``B-PER`` not closed by ``L-PER`` in BILUO) is an error naming its
line: no repair is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.spans import DocumentRecord, Span
from annotator.formats.common import FormatError, ReadOptions, check_label_name, iter_lines, read_text

SCHEMES = ("auto", "bio", "iob1", "biluo")
DOCSTART = "-DOCSTART-"
_PREFIXES = {"B": "B", "I": "I", "L": "L", "E": "L", "U": "U", "S": "U"}


@dataclass
class _Token:
    text: str
    prefix: str  # "O", "B", "I", "L", "U", or "" for a bare label (IO)
    label: str | None
    line: int


@dataclass
class _Document:
    line: int
    sentences: list[list[_Token]] = field(default_factory=list)


def _parse_tag(tag: str, path: str, line: int) -> tuple[str, str | None]:
    if tag == "O":
        return "O", None
    head, sep, label = tag.partition("-")
    if sep and head in _PREFIXES:
        return _PREFIXES[head], check_label_name(label, path, line, what=f"tag {tag!r} label")
    return "", check_label_name(tag, path, line, what="tag")


def _units(text: str, path: str) -> list[_Document]:
    documents: list[_Document] = []
    uses_docstart = any(line.split()[:1] == [DOCSTART] for _, _, line in iter_lines(text))
    current: _Document | None = None
    sentence: list[_Token] = []

    def close_sentence() -> None:
        nonlocal sentence, current
        if sentence:
            if current is None:
                current = _Document(line=sentence[0].line)
                documents.append(current)
            current.sentences.append(sentence)
            if not uses_docstart:
                current = None
        sentence = []

    for number, _, raw in iter_lines(text):
        columns = raw.split()
        if not columns:
            close_sentence()
            continue
        if columns[0] == DOCSTART:
            close_sentence()
            current = _Document(line=number + 1)
            documents.append(current)
            continue
        if len(columns) < 2:
            raise FormatError(path, number, f"expected 'token TAG' (at least two columns), got {raw.strip()!r}")
        prefix, label = _parse_tag(columns[-1], path, number)
        sentence.append(_Token(columns[0], prefix, label, number))
    close_sentence()
    return [doc for doc in documents if doc.sentences]


def _detect_scheme(tokens: list[_Token]) -> str:
    prefixes = {t.prefix for t in tokens}
    if prefixes & {"L", "U"}:
        return "biluo"
    starts_with_i = False
    b_after_other = False
    previous: _Token | None = None
    for token in tokens:
        continues = previous is not None and previous.prefix in ("B", "I") and previous.label == token.label
        if token.prefix == "I" and not continues:
            starts_with_i = True
        if token.prefix == "B" and not (previous is not None and previous.prefix == "I" and previous.label == token.label):
            b_after_other = True
        previous = token
    return "iob1" if starts_with_i and not b_after_other else "bio"


def _entities(sentence: list[_Token], scheme: str, path: str) -> list[tuple[int, int, str]]:
    """(first token, last token, label) for each entity of one sentence."""
    entities: list[tuple[int, int, str]] = []
    open_start: int | None = None
    open_label: str | None = None

    def close(end: int) -> None:
        nonlocal open_start, open_label
        if open_start is not None:
            entities.append((open_start, end, open_label or ""))
        open_start, open_label = None, None

    for i, token in enumerate(sentence):
        where = f"{token.prefix}-{token.label}" if token.prefix not in ("O", "") else (token.label or "O")
        inside = open_start is not None and open_label == token.label
        if token.prefix == "O":
            if scheme == "biluo" and open_start is not None:
                raise FormatError(path, sentence[i - 1].line, f"{open_label} entity is not closed by L-{open_label} (BILUO)")
            close(i - 1)
        elif token.prefix == "":  # bare label (IO): consecutive equal labels form one entity
            if not inside:
                close(i - 1)
                open_start, open_label = i, token.label
        elif token.prefix == "B":
            if scheme == "biluo" and open_start is not None:
                raise FormatError(path, sentence[i - 1].line, f"{open_label} entity is not closed by L-{open_label} (BILUO)")
            if scheme == "iob1" and not inside:
                raise FormatError(
                    path, token.line, f"{where} does not follow I-{token.label}; in IOB1 an entity starts with I-"
                )
            close(i - 1)
            open_start, open_label = i, token.label
        elif token.prefix == "I":
            if not inside:
                if scheme == "iob1":
                    close(i - 1)
                    open_start, open_label = i, token.label
                    continue
                previous = sentence[i - 1] if i else None
                after = f"after {_tag(previous)}" if previous else "at the start of a sentence"
                begin = "B-" if scheme == "bio" else "B- (BILUO)"
                raise FormatError(
                    path, token.line, f"{where} {after}: an entity must start with {begin}{token.label} ({scheme.upper()})"
                )
        elif token.prefix == "L":
            if not inside:
                raise FormatError(path, token.line, f"{where} ends an entity that was never started with B-{token.label}")
            close(i)
        elif token.prefix == "U":
            if open_start is not None and scheme == "biluo":
                raise FormatError(path, sentence[i - 1].line, f"{open_label} entity is not closed by L-{open_label} (BILUO)")
            close(i - 1)
            entities.append((i, i, token.label or ""))
    if open_start is not None:
        if scheme == "biluo":
            raise FormatError(path, sentence[-1].line, f"{open_label} entity is not closed by L-{open_label} (BILUO)")
        close(len(sentence) - 1)
    return entities


def _tag(token: _Token) -> str:
    return "O" if token.prefix == "O" else (token.label or "") if token.prefix == "" else f"{token.prefix}-{token.label}"


def parse_conll(text: str, name: str, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    if options.conll_scheme not in SCHEMES:
        raise ValueError(f"conll_scheme must be one of {', '.join(SCHEMES)}")
    documents = _units(text, name)
    if not documents:
        raise FormatError(name, 1, "no 'token TAG' lines found")
    scheme = options.conll_scheme
    if scheme == "auto":
        scheme = _detect_scheme([t for doc in documents for sentence in doc.sentences for t in sentence])
    records = []
    for doc in documents:
        pieces: list[str] = []
        spans: list[Span] = []
        offset = 0
        for s, sentence in enumerate(doc.sentences):
            if s:
                pieces.append("\n")
                offset += 1
            bounds = []
            for t, token in enumerate(sentence):
                if t:
                    pieces.append(" ")
                    offset += 1
                bounds.append((offset, offset + len(token.text)))
                pieces.append(token.text)
                offset += len(token.text)
            for first, last, label in _entities(sentence, scheme, name):
                spans.append(Span(bounds[first][0], bounds[last][1], label, origin="imported"))
        records.append(
            DocumentRecord(
                text="".join(pieces),
                language=options.language,
                meta={"file": name, "format": "conll", "scheme": scheme, "sentences": len(doc.sentences)},
                spans=spans,
                location=f"{name}:{doc.line}",
            )
        )
    return records


def read_conll(path: str | Path, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    """Read a CoNLL/IOB file (see the module docstring)."""
    return parse_conll(read_text(path), str(path), options)
