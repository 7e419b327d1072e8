"""Import files and folders into a corpus: the one function the CLI and the UI both call.

Each file is read by its reader (see :mod:`annotator.formats.detect`) and stored in ONE
transaction: a file with any problem imports nothing, its error is recorded as
``"file:line: problem"``, and the other files go on. Folders are walked recursively in
sorted order. Another corpus database among the paths (or ``from_db``) is merged with
:func:`annotator.store.merge.merge_corpus`.
"""

from __future__ import annotations

import difflib
import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.spans import DocumentRecord, Span
from annotator.core.text import content_hash
from annotator.formats.brat_reader import text_of
from annotator.formats.common import FormatError, ReadOptions
from annotator.formats.detect import KNOWN_EXTENSIONS, detect_format, read_records
from annotator.store import STATUSES, Corpus, CorpusError
from annotator.store.errors import AnnotationError
from annotator.store.merge import merge_corpus

# Spans a file carries without saying whose they are go to this set (kind "import").
DEFAULT_IMPORT_ANNOTATOR = "imported"
# Version recorded for suggestions that came from a file rather than from a suggester run.
IMPORTED_SUGGESTION_VERSION = "imported"

# progress(done, total, path): ``done`` files of ``total`` are finished; a large file also reports
# its share as it is stored, so ``done`` can be fractional (3.5 = half of the fourth file).
Progress = Callable[[float, int, Path], None]
PROGRESS_EVERY = 1000  # records between two reports inside one file


@dataclass
class ImportSummary:
    """What an import did; ``errors`` holds one ``"file:line: problem"`` line per failed file."""

    files_ok: int = 0
    files_failed: int = 0
    documents_new: int = 0
    documents_duplicate: int = 0
    spans: int = 0
    quotes: int = 0
    suggestions: int = 0
    statuses: int = 0
    documents_skipped: int = 0  # records without text (e.g. a cartoon whose text is empty)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # one "file:line: problem" per skipped record
    skipped: list[str] = field(default_factory=list)  # files in folders that no reader handles
    annotators: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return self.files_failed == 0

    @property
    def files(self) -> int:
        return self.files_ok + self.files_failed


def collect_files(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[str], list[Path]]:
    """``(files, errors, skipped)``: files named directly, and the known files under folders."""
    files: list[Path] = []
    errors: list[str] = []
    skipped: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
            for p in found:
                if p.suffix.lower() not in KNOWN_EXTENSIONS:
                    skipped.append(p)
                elif p.suffix.lower() == ".ann" and text_of(p) is not None:
                    continue  # read together with its .txt (TEXT.ann, TEXT_ANNOTATOR.ann)
                else:
                    files.append(p)
        elif path.is_file():
            if path.suffix.lower() == ".ann" and path.with_suffix(".txt").exists():
                path = path.with_suffix(".txt")
            files.append(path)
        else:
            errors.append(f"{path}: no such file or folder")
    unique = list(dict.fromkeys(files))
    return unique, errors, skipped


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def import_paths(
    corpus: Corpus,
    paths: Iterable[str | os.PathLike],
    *,
    annotator: str | None = None,
    split_at_source: bool = False,
    text_field: str | None = None,
    title_field: str | None = None,
    source_field: str | None = None,
    language_field: str | None = None,
    language: str | None = None,
    from_db: Iterable[str | os.PathLike] = (),
    allow_new_labels: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import files, folders and other corpus databases into ``corpus``.

    Spans and quotes go to the annotator the file names, else ``annotator``, else
    ``"imported"``. ``progress(done, total, path)`` is called before each file, every
    ``PROGRESS_EVERY`` records inside a large file, and once at the end (``done == total``).
    """
    options = ReadOptions(
        split_at_source=split_at_source,
        text_field=text_field,
        title_field=title_field,
        source_field=source_field,
        language_field=language_field,
        language=language,
    )
    files, errors, skipped = collect_files(paths)
    summary = ImportSummary(errors=errors, files_failed=len(errors), skipped=[str(p) for p in skipped])
    databases = [Path(p) for p in from_db]
    total = len(files) + len(databases)
    for done, path in enumerate([*files, *databases]):
        if progress:
            progress(done, total, path)
        try:
            if path in databases or detect_format(path) == "corpus":
                _merge_file(corpus, path, allow_new_labels, summary)
            else:
                tick = (lambda fraction, d=done, p=path: progress(d + fraction, total, p)) if progress else None
                _import_file(corpus, path, options, annotator, allow_new_labels, summary, tick)
        except (ValueError, CorpusError, sqlite3.IntegrityError) as exc:  # FormatError, AnnotationError, ...
            summary.files_failed += 1
            summary.errors.append(_one_line(exc, path))
        except OSError as exc:
            summary.files_failed += 1
            summary.errors.append(f"{path}: cannot read the file ({exc.strerror or exc})")
        else:
            summary.files_ok += 1
    if progress:
        progress(total, total, files[-1] if files else Path("."))
    return summary


def _one_line(exc: Exception, path: Path) -> str:
    message = " ".join(str(exc).split("\n"))
    if isinstance(exc, FormatError) or message.startswith(str(path)):
        return message  # it names its file already (a brat error names the .ann of the .txt imported)
    return f"{path}: {message}"


def _merge_file(corpus: Corpus, path: Path, allow_new_labels: bool, summary: ImportSummary) -> None:
    merged = merge_corpus(corpus, path, allow_new_labels=allow_new_labels)
    summary.documents_new += merged.documents_new
    summary.documents_duplicate += merged.documents_duplicate
    summary.spans += merged.spans
    summary.quotes += merged.quotes
    summary.statuses += merged.statuses
    summary.annotators.update(merged.annotators)


def check_labels(records: list[DocumentRecord], known: list[str]) -> None:
    """Unknown labels are an error naming the record (with ``--allow-new-labels`` as the way out)."""
    for record in records:
        for span in record.spans:
            if span.label not in known:
                close = difflib.get_close_matches(span.label, known, n=1)
                hint = f"did you mean {close[0]}? " if close else ""
                raise AnnotationError(
                    f"{record.location}: unknown label {span.label!r} (this corpus has {', '.join(known)}); "
                    f"{hint}pass --allow-new-labels to add it"
                )


def _import_file(
    corpus: Corpus,
    path: Path,
    options: ReadOptions,
    annotator: str | None,
    allow_new_labels: bool,
    summary: ImportSummary,
    tick: Callable[[float], None] | None = None,
) -> None:
    _, read = read_records(path, options)
    records = []
    for record in read:
        if not record.text.strip():
            summary.documents_skipped += 1
            summary.warnings.append(f"{record.location}: skipped: the record's text is empty")
            continue
        summary.warnings.extend(record.warnings)
        answer = record.meta.get("answer")
        if answer in ("reject", "ignore") and (record.spans or record.quotes):
            # Prodigy: the annotator rejected (or skipped) this annotation; its spans are not labels.
            summary.warnings.append(
                f"{record.location}: the record's answer is {answer!r}: its text is imported, its spans and quotes are not"
            )
            record.spans, record.quotes = [], []
        records.append(record)
    if not records:
        raise FormatError(path, 1, "no record in the file has any text")
    if not allow_new_labels:
        check_labels(records, corpus.labels.entity_names)
    anonymous = any((r.spans or r.quotes) and not r.annotator for r in records)
    default_owner = annotator
    if anonymous and not annotator:
        default_owner = DEFAULT_IMPORT_ANNOTATOR
    given_statuses = _take_statuses(records, default_owner)
    with corpus.transaction():
        if anonymous and default_owner == DEFAULT_IMPORT_ANNOTATOR:
            corpus.annotator_id(DEFAULT_IMPORT_ANNOTATOR, kind="import")
        added = corpus.add_documents(
            _reporting(records, tick), annotator=default_owner, imported_from=str(path), allow_new_labels=allow_new_labels
        )
        suggestions = _store_suggestions(corpus, records)
        statuses = _store_statuses(corpus, given_statuses)
    # Records of one Label Studio task (one per annotator) share text and location: one document.
    distinct = len({(content_hash(r.text), r.location) for r in records})
    summary.documents_new += len(added.new_ids)
    summary.documents_duplicate += distinct - len(added.new_ids)
    summary.spans += added.spans
    summary.quotes += added.quotes
    summary.suggestions += suggestions
    summary.statuses += statuses
    summary.annotators.update(r.annotator or default_owner for r in records if (r.spans or r.quotes))


def _take_statuses(records: list[DocumentRecord], default_owner: str | None) -> list[tuple[str, str, str]]:
    """``(text, annotator, status)`` for records that state their annotator's status (annotator's
    JSONL export does, in ``meta.status``); the status leaves the document's metadata."""
    found = []
    for record in records:
        owner = record.annotator or default_owner
        if owner and record.meta.get("status") in STATUSES:
            found.append((record.text, owner, record.meta.pop("status")))
    return found


def _reporting(records: list[DocumentRecord], tick: Callable[[float], None] | None) -> Iterator[DocumentRecord]:
    """The records, telling ``tick`` which share of them has been handed to the store."""
    for i, record in enumerate(records, start=1):
        yield record
        if tick and i % PROGRESS_EVERY == 0:
            tick(i / len(records))


def _store_statuses(corpus: Corpus, statuses: list[tuple[str, str, str]]) -> int:
    """Set each stated status unless the annotator already has one for the document."""
    stored = 0
    for text, owner, status in statuses:
        doc = corpus.document_by_hash(content_hash(text))
        if status != "new" and doc is not None and corpus.status(doc.id, owner) == ("new", None):
            corpus.set_status(doc.id, owner, status)
            stored += 1
    return stored


def _store_suggestions(corpus: Corpus, records: list[DocumentRecord]) -> int:
    """Pre-annotations carried by the file go to the suggestions cache (inside the file's transaction)."""
    stored = 0
    for record in records:
        if not record.suggestions:
            continue
        doc = corpus.document_by_hash(content_hash(record.text))
        if doc is None:
            continue
        by_suggester: dict[str, list[Span]] = defaultdict(list)
        for span in record.suggestions:
            by_suggester[span.suggester or "imported"].append(span)
        for suggester, spans in by_suggester.items():
            if corpus.suggestion_version(doc.id, suggester) is not None:
                continue  # imported before: re-importing changes nothing
            corpus.store_suggestions(doc.id, suggester, IMPORTED_SUGGESTION_VERSION, spans, [])
            stored += len(spans)
    return stored
