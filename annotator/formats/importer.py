"""Import files and folders into a corpus: the one function the CLI and the UI both call.

Each file is read by its reader (see :mod:`annotator.formats.detect`) and stored in ONE
transaction, in batches as its records are read (a JSONL file is never held in memory whole):
a file with any problem imports nothing, its error is recorded as ``"file:line: problem"``,
and the other files go on. A reader that crashes is reported the same way, as an internal
error of that file; the summary always comes back. Folders are walked recursively in sorted
order; links that lead nowhere (or in a loop) are listed. Another corpus database among the
paths (or ``from_db``) is merged with :func:`annotator.store.merge.merge_corpus`.

Statuses: a file's own evidence sets its annotator's status (Prodigy ``accept`` → done,
``reject``/``ignore`` → skipped with a note, a submitted Label Studio annotation → done,
annotator's own export → the status it states) unless the annotator already has one;
``status="done"`` (``import --status done``) sets that status for every annotation set the
file brings instead (brat and CoNLL gold state none of their own).
"""

from __future__ import annotations

import dataclasses
import difflib
import errno
import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.spans import DocumentRecord, Span
from annotator.core.text import content_hash, detect_direction, detect_language_and_direction
from annotator.formats.archives import unpack_archives
from annotator.formats.brat_reader import text_of
from annotator.formats.common import FormatError, ReadOptions
from annotator.formats.detect import KNOWN_EXTENSIONS, detect_format, read_records
from annotator.formats.uima_cas_reader import TYPESYSTEM_NAMES
from annotator.store import STATUSES, Corpus, CorpusError
from annotator.store.errors import AnnotationError
from annotator.store.merge import merge_corpus
from annotator.store.values import annotator_name

# Spans a file carries without saying whose they are go to this set (kind "import").
DEFAULT_IMPORT_ANNOTATOR = "imported"
# Version recorded for suggestions that came from a file rather than from a suggester run.
IMPORTED_SUGGESTION_VERSION = "imported"
# The statuses ``import --status`` offers for everything a file brings (``import_paths`` also takes
# ``skipped``, which the window offers).
IMPORT_STATUSES = ("done", "in_progress", "new")

# progress(done, total, path): ``done`` files of ``total`` are finished; a large file also reports
# its share as it is stored, so ``done`` can be fractional (3.5 = half of the fourth file).
Progress = Callable[[float, int, Path], None]
PROGRESS_EVERY = 1000  # records between two reports inside one file
BATCH = 500  # records handed to the store at a time (all of a file's batches are one transaction)


@dataclass
class ImportSummary:
    """What an import did; ``errors`` holds one ``"file:line: problem"`` line per failed file."""

    files_ok: int = 0
    files_failed: int = 0
    documents_new: int = 0
    documents_duplicate: int = 0  # already in the corpus before the file was imported
    documents_repeated: int = 0  # the same text earlier in the same file
    documents_repeated_across: int = 0  # the same text in an earlier file of this import
    spans: int = 0
    quotes: int = 0
    suggestions: int = 0
    statuses: int = 0
    documents_skipped: int = 0  # records without text (e.g. a cartoon whose text is empty)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # one "file:line: problem" per item left out
    skipped: list[str] = field(default_factory=list)  # files in folders that no reader handles
    annotators: set[str] = field(default_factory=set)
    # What readers left out or converted, by kind (see the NOTE_* kinds in formats.common)
    notes: Counter = field(default_factory=Counter)
    statuses_set: Counter = field(default_factory=Counter)  # status -> documents given it

    @property
    def ok(self) -> bool:
        return self.files_failed == 0

    @property
    def files(self) -> int:
        return self.files_ok + self.files_failed

    def add(self, other: ImportSummary) -> None:
        """Add the counts of one file's import (``other``) to this summary."""
        for name in ("documents_new", "documents_duplicate", "documents_repeated", "documents_repeated_across",
                     "spans", "quotes",
                     "suggestions", "statuses", "documents_skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.warnings.extend(other.warnings)
        self.annotators.update(other.annotators)
        self.notes.update(other.notes)
        self.statuses_set.update(other.statuses_set)


# -- finding the files ------------------------------------------------------------------------------


def collect_files(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[str], list[Path], list[str]]:
    """``(files, errors, skipped, warnings)``: the files named directly and the known files under
    folders; errors for named paths that do not exist; files of unknown types found in folders;
    one warning per link in a folder that leads nowhere or in a loop."""
    files: list[Path] = []
    errors: list[str] = []
    skipped: list[Path] = []
    warnings: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for p in _walk(path, warnings):
                if p.name in TYPESYSTEM_NAMES and any(p.parent.glob("*.xmi")):
                    continue  # read with the .xmi files beside it
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
            errors.append(_missing(path))
    unique = list(dict.fromkeys(files))
    return unique, errors, skipped, warnings


def _missing(path: Path) -> str:
    if path.is_symlink():
        problem = _broken_link(path)
        if problem:
            return f"{path}: {problem}"
    return f"{path}: no such file or folder"


def _broken_link(path: Path) -> str | None:
    """Why the symbolic link ``path`` cannot be followed, or None when it leads somewhere."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    try:
        os.stat(path)
    except FileNotFoundError:
        return f"dangling symbolic link to {target!r} (nothing there)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"symbolic link loop ({target!r} leads back to itself)"
        return f"cannot follow the symbolic link to {target!r} ({exc.strerror or exc})"
    return None


def _walk(folder: Path, warnings: list[str]) -> list[Path]:
    """Every file under ``folder`` (hidden ones aside), in sorted order. Links to folders are followed
    once; a link that leads nowhere, or back to a folder already walked, is listed in ``warnings``."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            info = current.stat()
        except OSError as exc:
            warnings.append(f"{current}: cannot read the folder ({exc.strerror or exc}); not imported")
            continue
        if (info.st_dev, info.st_ino) in seen:
            warnings.append(f"{current}: a link back to a folder already imported; not walked again")
            continue
        seen.add((info.st_dev, info.st_ino))
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            warnings.append(f"{current}: cannot read the folder ({exc.strerror or exc}); not imported")
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                problem = _broken_link(path)
                if problem:
                    warnings.append(f"{path}: {problem}; not imported")
                    continue
            if entry.is_dir():
                stack.append(path)
            elif entry.is_file():
                found.append(path)
    return sorted(found)


# -- importing ---------------------------------------------------------------------------------------


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
    strict: bool = False,
    sentences_per_doc: int | None = None,
    label_map: dict[str, str | None] | None = None,
    from_db: Iterable[str | os.PathLike] = (),
    allow_new_labels: bool = False,
    status: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import files, folders and other corpus databases into ``corpus``.

    Spans and quotes go to the annotator the file names, else ``annotator``, else
    ``"imported"``. ``status`` (new, in_progress, done or skipped) is given to every annotation set
    the files bring, instead of the status the files state. ``strict`` refuses a file that holds
    something a set cannot (overlapping entities) instead of listing it. ``progress(done, total,
    path)`` is called before each file, every ``PROGRESS_EVERY`` records inside a large file, and
    once at the end (``done == total``); an exception it raises (a cancel) stops the import, the
    file being read rolled back, and reaches the caller. ``label_map`` relabels the files' entities (``{FROM: TO}``;
    ``TO`` None leaves them out, counted); ``sentences_per_doc`` groups CoNLL sentences. A
    ``ValueError`` for an ``annotator`` that is no name or an unknown ``status``, before anything is read.
    """
    if annotator is not None:
        annotator = annotator_name(annotator)  # InvalidNameError (a ValueError) names the name, not a file
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    options = ReadOptions(
        split_at_source=split_at_source,
        text_field=text_field,
        title_field=title_field,
        source_field=source_field,
        language_field=language_field,
        language=language,
        strict=strict,
        sentences_per_doc=sentences_per_doc,
    )
    unpacked = unpack_archives(paths)  # ZIPs (an INCEpTION project export) -> temporary folders
    files, errors, skipped, warnings = collect_files(unpacked.paths)
    errors = unpacked.errors + errors
    summary = ImportSummary(errors=errors, files_failed=len(errors), skipped=[str(p) for p in skipped] + unpacked.left_out,
                            warnings=warnings)
    databases = [Path(p) for p in from_db]
    total = len(files) + len(databases)
    imported_here: set[str] = set()  # content hashes the files imported so far brought
    for done, path in enumerate([*files, *databases]):
        if progress:
            progress(done, total, path)
        one = ImportSummary()
        try:
            if path in databases or detect_format(path) == "corpus":
                _merge_file(corpus, path, allow_new_labels, one)
            else:
                tick = _ticker(progress, done, total, path) if progress else None
                file_import = _FileImport(corpus, path, options, annotator, status, allow_new_labels, one, tick,
                                          label_map or {}, earlier=imported_here)
                file_import.run()
                imported_here.update(file_import.first_seen)
        except _Stopped as stop:  # the progress callback stopped the import (a cancel): the file is rolled back
            raise stop.reason from None
        except (ValueError, CorpusError, sqlite3.IntegrityError) as exc:  # FormatError, AnnotationError, ...
            summary.files_failed += 1
            summary.errors.append(_one_line(exc, path))
        except OSError as exc:
            summary.files_failed += 1
            summary.errors.append(f"{path}: cannot read the file ({exc.strerror or exc})")
        except Exception as exc:  # a reader's bug: that file fails (rolled back), the others go on
            summary.files_failed += 1
            summary.errors.append(_one_line(internal_error(exc), path))
        else:
            summary.files_ok += 1
            summary.add(one)
    if progress:
        progress(total, total, files[-1] if files else Path("."))
    unpacked.cleanup()
    return summary


class _Stopped(Exception):
    """What the progress callback raised inside a file (e.g. the window's Cancel), carried past the
    guard that turns a reader's crash into that file's error."""

    def __init__(self, reason: BaseException) -> None:
        super().__init__(str(reason))
        self.reason = reason


def _ticker(progress: Progress, done: int, total: int, path: Path) -> Callable[[float], None]:
    """``progress`` for the share ``fraction`` of the file ``path`` (file ``done`` of ``total``)."""

    def tick(fraction: float) -> None:
        try:
            progress(done + fraction, total, path)
        except Exception as exc:
            raise _Stopped(exc) from exc

    return tick


def internal_error(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or "no message"
    return f"internal error while reading ({type(exc).__name__}: {message[:300]}); please report it"


def _one_line(exc: Exception | str, path: Path) -> str:
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


def check_labels(records: Iterable[DocumentRecord], known: list[str]) -> None:
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


@dataclass
class _Status:
    digest: str
    owner: str
    status: str
    note: str | None
    explicit: bool


class _FileImport:
    """One file: its records checked one by one and stored in batches, in one transaction."""

    def __init__(self, corpus: Corpus, path: Path, options: ReadOptions, annotator: str | None,
                 status: str | None, allow_new_labels: bool, summary: ImportSummary,
                 tick: Callable[[float], None] | None, label_map: dict[str, str | None],
                 earlier: AbstractSet[str] = frozenset()) -> None:
        self.corpus = corpus
        self.earlier = earlier  # content hashes that earlier files of this import brought
        self.label_map = label_map
        self.left_out: dict[str, int] = defaultdict(int)  # label -> spans left out by --map LABEL=
        self.path = path
        self.options = options
        self.annotator = annotator
        self.status = status
        self.allow_new_labels = allow_new_labels
        self.summary = summary
        self.tick = tick
        self.first_seen: dict[str, str] = {}  # content hash -> location of its first record here
        self.counted: set[str] = set()  # locations whose document has been counted
        self.known_labels = corpus.labels.entity_names
        self.empty: set[str] = set()  # locations of records skipped for their empty text
        self.sets = 0  # records that bring an annotation set
        self.imported_set = False
        self.detected: tuple[str, str, str] | None = None  # (location, language, direction) just detected

    def run(self) -> None:
        _, records = read_records(self.path, self.options)
        fraction = getattr(records, "fraction", None)
        count = len(records) if isinstance(records, list) else None
        stored = 0
        with self.corpus.transaction():
            batch: list[DocumentRecord] = []
            for i, record in enumerate(records, start=1):
                if self._take(record):
                    batch.append(record)
                if len(batch) >= BATCH:
                    stored += self._store(batch)
                    batch = []
                if self.tick and i % PROGRESS_EVERY == 0:
                    self.tick(fraction() if fraction else i / count if count else 0.0)
            if batch:
                stored += self._store(batch)
            if not stored:
                raise FormatError(self.path, 1, "no record in the file has any text")
        for label, count in sorted(self.left_out.items()):
            self.summary.warnings.append(
                f"{self.path}: {count} {label} span{'s' if count != 1 else ''} left out by --map {label}=")
        if self.status and not self.sets:
            self.summary.warnings.append(
                f"{self.path}: --status {self.status}: the file names no annotator and carries no annotations, so "
                "there is no annotation set to give a status to; pass --annotator NAME"
            )

    def _take(self, record: DocumentRecord) -> bool:
        """Check one record and settle whose it is; False for a record left out (its text is empty)."""
        if self.label_map:
            record.spans = relabel(record.spans, self.label_map, self.left_out)
            record.suggestions = relabel(record.suggestions, self.label_map, self.left_out)
        self.summary.warnings.extend(record.warnings)
        if not record.text.strip():
            if record.location not in self.empty:
                self.empty.add(record.location)
                self.summary.documents_skipped += 1
                self.summary.warnings.append(f"{record.location}: skipped: the record's text is empty")
            return False
        self._detect_language(record)
        for kind, message in record.notes:
            self.summary.notes[kind] += 1
            if message:
                self.summary.warnings.append(message)
        if not self.allow_new_labels:
            check_labels([record], self.known_labels)
        # a record brings an annotation set when it names its annotator, carries annotations or states
        # a status; with --status and --annotator, every document is that annotator's to mark
        brings_set = bool(record.annotator or record.spans or record.quotes or record.status) or bool(
            self.status and self.annotator)
        if brings_set:
            owner = record.annotator or self.annotator
            if owner is None:
                owner = DEFAULT_IMPORT_ANNOTATOR
                if not self.imported_set:
                    self.corpus.annotator_id(DEFAULT_IMPORT_ANNOTATOR, kind="import")
                    self.imported_set = True
            record.annotator = owner
            self.sets += 1
            self.summary.annotators.add(owner)
        return True

    def _detect_language(self, record: DocumentRecord) -> None:
        """The language and direction a record does not state, detected once for all the records of
        one location (a Label Studio task gives one record per annotator, all with its text)."""
        if record.language and record.direction:
            return
        if record.language:  # --lang or the file's own: only the direction (lingua is not asked)
            record.direction = detect_direction(record.text)
            return
        if self.detected is None or self.detected[0] != record.location:
            self.detected = (record.location, *detect_language_and_direction(record.text))
        record.language = record.language or self.detected[1]
        record.direction = record.direction or self.detected[2]

    def _store(self, batch: list[DocumentRecord]) -> int:
        """Hand a batch to the store; count new, already known and repeated documents."""
        firsts = 0
        statuses: list[_Status] = []
        for record in batch:
            digest = content_hash(record.text)
            # a Label Studio task gives several records (one per annotator) with one location
            if record.location not in self.counted:
                self.counted.add(record.location)
                if self.first_seen.setdefault(digest, record.location) != record.location:
                    self.summary.documents_repeated += 1
                elif digest in self.earlier:
                    self.summary.documents_repeated_across += 1
                else:
                    firsts += 1
            status = self.status or record.status
            if record.annotator and status and (self.status or status != "new"):
                note = None if self.status else record.status_note
                statuses.append(_Status(digest, record.annotator, status, note, explicit=bool(self.status)))
        added = self.corpus.add_documents(batch, annotator=self.annotator, imported_from=str(self.path),
                                          allow_new_labels=self.allow_new_labels)
        self.summary.documents_new += len(added.new_ids)
        self.summary.documents_duplicate += firsts - len(added.new_ids)
        self.summary.spans += added.spans
        self.summary.quotes += added.quotes
        self.summary.suggestions += _store_suggestions(self.corpus, batch)
        self._store_statuses(statuses)
        return len(batch)

    def _store_statuses(self, statuses: list[_Status]) -> None:
        """The file's evidence never replaces a status the annotator has; ``--status`` does."""
        for item in statuses:
            doc_id = self.corpus.document_id_by_hash(item.digest)
            if doc_id is None:
                continue
            current = self.corpus.status(doc_id, item.owner)
            if current == (item.status, item.note) or (not item.explicit and current != ("new", None)):
                continue
            self.corpus.set_status(doc_id, item.owner, item.status, item.note)
            self.summary.statuses += 1
            self.summary.statuses_set[item.status] += 1


def relabel(spans: list[Span], label_map: dict[str, str | None], left_out: dict[str, int]) -> list[Span]:
    """Spans with their labels mapped (``FROM=TO``); a label mapped to ``None`` is left out and counted."""
    kept = []
    for span in spans:
        if span.label not in label_map:
            kept.append(span)
        elif label_map[span.label] is None:
            left_out[span.label] += 1
        else:
            kept.append(dataclasses.replace(span, label=label_map[span.label]))
    return kept


def _store_suggestions(corpus: Corpus, records: list[DocumentRecord]) -> int:
    """Pre-annotations carried by the file go to the suggestions cache (inside the file's transaction)."""
    stored = 0
    for record in records:
        if not record.suggestions:
            continue
        doc_id = corpus.document_id_by_hash(content_hash(record.text))
        if doc_id is None:
            continue
        by_suggester: dict[str, list[Span]] = defaultdict(list)
        for span in record.suggestions:
            by_suggester[span.suggester or "imported"].append(span)
        for suggester, spans in by_suggester.items():
            if corpus.suggestion_version(doc_id, suggester) is not None:
                continue  # imported before: re-importing changes nothing
            corpus.store_suggestions(doc_id, suggester, IMPORTED_SUGGESTION_VERSION, spans, [])
            stored += len(spans)
    return stored
