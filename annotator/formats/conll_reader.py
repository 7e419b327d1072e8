"""CoNLL / IOB files as corpora ship them: ``token … TAG`` lines, or ``word|POS|TAG`` items.

Two layouts are read, whatever the file's extension (``detect.py`` sniffs the content):

* **columns**: one token per line, the tag in the last column (``EU NNP B-NP B-ORG``,
  ``وبوتين B-PERS``, tab- or space-separated); a blank line ends a sentence;
* **pipes** (spaCy's ``ner-sent-per-line.iob``): one sentence per line, tokens separated by
  spaces, each ``word|TAG`` or ``word|POS|TAG``.

``-DOCSTART-`` lines (with any number of columns) start a new document. A document is an
article: its sentences are joined by newlines, its tokens by single spaces, and each token's
offsets are kept in ``meta["tokens"]`` and each sentence's in ``meta["sentences"]`` (``[start,
end]`` code points) so that exports give the corpus's own tokens and sentences back unchanged
(``1996-08-22`` stays one token). Without ``-DOCSTART-``
every sentence is a document. A ``-DOCSTART-`` document of more than
:data:`MAX_SENTENCES_PER_DOCUMENT` sentences is not an article but a whole corpus under one
header (ANERcorp ships that way): each of its sentences becomes a document, and a warning says
so. ``ReadOptions.sentences_per_doc = N`` groups every N sentences of a document instead.

Tag schemes: BIO (IOB2), IOB1 (``I-`` starts an entity, ``B-`` only separates two adjacent
entities of the same type), BILUO / BIOES (``L-``/``E-`` last, ``U-``/``S-`` single), and bare
labels (IO: ``PER PER O``). ``auto`` picks BILUO when ``L-``/``E-``/``U-``/``S-`` tags appear,
IOB1 when entities start with ``I-`` and ``B-`` only ever follows ``I-`` of the same type, BIO
otherwise.

Invalid transitions are read the way conlleval and spaCy read them, and each is listed as a
warning naming its line: an ``I-X`` after ``O`` or after another type starts an ``X`` entity;
a BILUO entity not closed by ``L-`` ends where the next tag starts; an ``L-X`` without its
``B-X`` is a one-token entity. With ``ReadOptions.strict`` each of them is an error instead.
A line holding only invisible characters (a stray byte-order mark) is a blank line, and a tag
column holding only invisible characters (a lone U+200F) is read as ``O`` with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.spans import DocumentRecord, Span
from annotator.core.text import detect_language
from annotator.formats.common import (
    FormatError,
    ReadOptions,
    check_label_name,
    describe_char,
    invisible_characters,
    iter_lines,
    read_text,
)

SCHEMES = ("auto", "bio", "iob1", "biluo")
LANGUAGE_SAMPLE = 2000  # characters of the file's text its language is detected from
DOCSTART = "-DOCSTART-"
# More sentences than any news article: a -DOCSTART- "document" this long is a whole corpus.
MAX_SENTENCES_PER_DOCUMENT = 200
_PREFIXES = {"B": "B", "I": "I", "L": "L", "E": "L", "U": "U", "S": "U"}
# A tag as the last field: O, a prefixed label, or a bare label (IO) of word characters.
TAG_PATTERN = re.compile(r"^(?:O|[BIELUS]-\S+)$")
_PIPE_ITEM = re.compile(r"^[^|]+(?:\|[^|]*)*\|(?:O|[BIELUS]-[^|\s]+)$")

Warn = Callable[[int, str], None]


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


def _is_blank(line: str) -> bool:
    """Whitespace, or only invisible characters (a byte-order mark left on a line of its own)."""
    stripped = line.strip()
    return not stripped or len(invisible_characters(stripped)) == len(stripped)


def is_pipe_layout(lines: list[str]) -> bool:
    """Most non-blank lines are sentences of ``word|…|TAG`` items (spaCy's ``.iob`` layout)."""
    content = [line.split() for line in lines if not _is_blank(line) and line.split()[0] != DOCSTART]
    if not content:
        return False
    piped = sum(1 for items in content if all(_PIPE_ITEM.match(item) for item in items))
    return piped / len(content) >= 0.9


def looks_like_conll(text: str, sample_lines: int = 200) -> bool:
    """The first lines of ``text`` are CoNLL: ``token … TAG`` lines or ``word|POS|TAG`` sentences."""
    lines = [line for line in text.split("\n")[:sample_lines] if not _is_blank(line)]
    if not lines:
        return False
    if is_pipe_layout(lines):
        return True
    tagged = 0
    for line in lines:
        columns = line.split()
        if columns[0] == DOCSTART or (len(columns) >= 2 and TAG_PATTERN.match(columns[-1])):
            tagged += 1
    return tagged / len(lines) >= 0.9


def _token_lines(
    text: str, path: str, pipes: bool, strict: bool, warnings: list[str]
) -> Iterator[tuple[int, list[_Token] | None, bool]]:
    """``(line, tokens, docstart)``: tokens of one line (columns: one token; pipes: a sentence);
    ``None`` for a sentence break; ``docstart`` for a ``-DOCSTART-`` line."""
    for number, _, raw in iter_lines(text):
        if _is_blank(raw):
            yield number, None, False
            continue
        columns = raw.split()
        if columns[0] == DOCSTART:
            yield number, None, True
            continue
        if pipes:
            tokens = []
            for item in columns:
                word, _, tag = item.rpartition("|")
                word = word.split("|", 1)[0]
                if not word:
                    raise FormatError(path, number, f"expected 'word|TAG' or 'word|POS|TAG' items, got {item!r}")
                prefix, label = _parse_tag(tag, path, number)
                tokens.append(_Token(word, prefix, label, number))
            yield number, tokens, False
            yield number, None, False
            continue
        if len(columns) < 2:
            raise FormatError(path, number, f"expected 'token TAG' (at least two columns), got {raw.strip()!r}")
        tag = columns[-1]
        hidden = invisible_characters(tag)
        if len(hidden) == len(tag):  # ANERcorp's dev split has a tag column that is only U+200F
            problem = f"the tag column holds only {describe_char(hidden[0])}, not a tag"
            if strict:
                raise FormatError(path, number, problem)
            warnings.append(f"{path}:{number}: {problem}; read as O")
            tag = "O"
        prefix, label = _parse_tag(tag, path, number)
        yield number, [_Token(columns[0], prefix, label, number)], False


def _units(text: str, path: str, strict: bool, warnings: list[str]) -> tuple[list[_Document], bool]:
    """The file's documents (all its sentences in one when no ``-DOCSTART-`` delimits them) and
    whether ``-DOCSTART-`` lines delimit them."""
    pipes = is_pipe_layout(text.split("\n")[:200])
    documents: list[_Document] = []
    uses_docstart = any(_first_column(line) == DOCSTART for _, _, line in iter_lines(text))
    current: _Document | None = None
    sentence: list[_Token] = []

    def close_sentence() -> None:
        nonlocal sentence, current
        if sentence:
            if current is None:
                current = _Document(line=sentence[0].line)
                documents.append(current)
            current.sentences.append(sentence)
        sentence = []

    for number, tokens, docstart in _token_lines(text, path, pipes, strict, warnings):
        if docstart:
            close_sentence()
            current = _Document(line=number + 1)
            documents.append(current)
        elif tokens is None:
            close_sentence()
        else:
            sentence.extend(tokens)
    close_sentence()
    return [doc for doc in documents if doc.sentences], uses_docstart


def _first_column(line: str) -> str | None:
    columns = line.split(maxsplit=1)
    return columns[0] if columns else None


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


def _entities(sentence: list[_Token], scheme: str, path: str, strict: bool, warn: Warn) -> list[tuple[int, int, str]]:
    """(first token, last token, label) for each entity of one sentence.

    An invalid transition raises with ``strict``; otherwise it is read as conlleval reads it and
    reported through ``warn(line, problem)``.
    """
    entities: list[tuple[int, int, str]] = []
    open_start: int | None = None
    open_label: str | None = None

    def close(end: int) -> None:
        nonlocal open_start, open_label
        if open_start is not None:
            entities.append((open_start, end, open_label or ""))
        open_start, open_label = None, None

    def invalid(line: int, problem: str, reading: str) -> None:
        if strict:
            raise FormatError(path, line, problem)
        warn(line, f"{problem}; read as {reading}")

    def unclosed(i: int) -> None:
        if scheme == "biluo" and open_start is not None:
            invalid(
                sentence[i - 1].line,
                f"{open_label} entity is not closed by L-{open_label} (BILUO)",
                "an entity ending at this token",
            )

    for i, token in enumerate(sentence):
        where = f"{token.prefix}-{token.label}" if token.prefix not in ("O", "") else (token.label or "O")
        inside = open_start is not None and open_label == token.label
        if token.prefix == "O":
            unclosed(i)
            close(i - 1)
        elif token.prefix == "":  # bare label (IO): consecutive equal labels form one entity
            if not inside:
                close(i - 1)
                open_start, open_label = i, token.label
        elif token.prefix == "B":
            unclosed(i)
            if scheme == "iob1" and not inside:
                invalid(
                    token.line,
                    f"{where} does not follow I-{token.label}; in IOB1 an entity starts with I-",
                    f"the start of a {token.label} entity",
                )
            close(i - 1)
            open_start, open_label = i, token.label
        elif token.prefix == "I":
            if not inside:
                if scheme != "iob1":
                    previous = sentence[i - 1] if i else None
                    after = f"after {_tag(previous)}" if previous else "at the start of a sentence"
                    begin = "B-" if scheme == "bio" else "B- (BILUO)"
                    invalid(
                        token.line,
                        f"{where} {after}: an entity must start with {begin}{token.label} ({scheme.upper()})",
                        f"the start of a {token.label} entity, as conlleval and spaCy read it",
                    )
                unclosed(i)
                close(i - 1)
                open_start, open_label = i, token.label
        elif token.prefix == "L":
            if not inside:
                invalid(
                    token.line,
                    f"{where} ends an entity that was never started with B-{token.label}",
                    f"a one-token {token.label} entity",
                )
                unclosed(i)
                close(i - 1)
                open_start, open_label = i, token.label
            close(i)
        elif token.prefix == "U":
            unclosed(i)
            close(i - 1)
            entities.append((i, i, token.label or ""))
    if open_start is not None:
        unclosed(len(sentence))
        close(len(sentence) - 1)
    return entities


def _tag(token: _Token) -> str:
    return "O" if token.prefix == "O" else (token.label or "") if token.prefix == "" else f"{token.prefix}-{token.label}"


def _grouped(
    documents: list[_Document], uses_docstart: bool, options: ReadOptions, name: str, warnings: list[str]
) -> list[_Document]:
    """Documents of a sensible size: ``sentences_per_doc`` sentences each when asked; a
    ``-DOCSTART-`` document longer than any article split into its sentences."""
    per_doc = options.sentences_per_doc
    if per_doc is not None and per_doc < 1:
        raise FormatError(name, None, f"--sentences-per-doc must be at least 1, not {per_doc}")
    grouped: list[_Document] = []
    for doc in documents:
        size = per_doc
        if size is None and not uses_docstart:
            size = 1  # no document boundaries: every sentence is a document
        elif size is None and len(doc.sentences) > MAX_SENTENCES_PER_DOCUMENT:
            size = 1
            warnings.append(
                f"{name}:{doc.line}: {len(doc.sentences):,} sentences under one {DOCSTART}, more than any article: "
                "each sentence is imported as a document (--sentences-per-doc N groups N sentences)"
            )
        if size is None:
            grouped.append(doc)
            continue
        for first in range(0, len(doc.sentences), size):
            chunk = doc.sentences[first : first + size]
            grouped.append(_Document(line=chunk[0][0].line, sentences=chunk))
    return grouped


def parse_conll(text: str, name: str, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    if options.conll_scheme not in SCHEMES:
        raise ValueError(f"conll_scheme must be one of {', '.join(SCHEMES)}")
    file_warnings: list[str] = []
    documents, uses_docstart = _units(text, name, options.strict, file_warnings)
    if not documents:
        raise FormatError(name, 1, "no 'token TAG' lines found")
    scheme = options.conll_scheme
    if scheme == "auto":
        scheme = _detect_scheme([t for doc in documents for sentence in doc.sentences for t in sentence])
    documents = _grouped(documents, uses_docstart, options, name, file_warnings)
    records = []
    for doc in documents:
        pieces: list[str] = []
        spans: list[Span] = []
        tokens: list[list[int]] = []
        sentence_bounds: list[list[int]] = []
        warnings: list[str] = []
        offset = 0

        def warn(line: int, problem: str, warnings: list[str] = warnings) -> None:
            warnings.append(f"{name}:{line}: {problem}")

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
            tokens.extend([start, end] for start, end in bounds)
            sentence_bounds.append([bounds[0][0], bounds[-1][1]])
            for first, last, label in _entities(sentence, scheme, name, options.strict, warn):
                spans.append(Span(bounds[first][0], bounds[last][1], label, origin="imported"))
        records.append(
            DocumentRecord(
                text="".join(pieces),
                language=options.language,
                meta={
                    "file": name,
                    "format": "conll",
                    "scheme": scheme,
                    "sentences": sentence_bounds,
                    "tokens": tokens,
                },
                spans=spans,
                location=f"{name}:{doc.line}",
                warnings=warnings,
            )
        )
    records[0].warnings[:0] = file_warnings
    if options.language is None:
        # One corpus, one language: detected once over the file (its articles are often single
        # sentences, too short to tell one by one).
        sample = "\n".join(r.text for r in records[:200])[:LANGUAGE_SAMPLE]
        language = detect_language(sample)
        for record in records:
            record.language = language
    return records


def read_conll(path: str | Path, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    """Read a CoNLL/IOB file (see the module docstring)."""
    return parse_conll(read_text(path), str(path), options)
