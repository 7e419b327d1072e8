"""File → Import…: files or a folder into the corpus, with the options of ``annotator import``.

A thin view over :func:`annotator.formats.importer.import_paths`, the function the command
calls: the worker opens its own connection, every file is still one transaction (a file
with a problem imports nothing), and the outcome is the command's own summary with its
``file:line: problem`` lines. Cancel stops at the next file, or inside a large file at its
next thousand records: the file being read is rolled back, the files before it stay
imported (and are counted).

Options the importer has gained or gains (``strict``, ``sentences_per_doc``, ``label_map``;
``status`` on another branch) appear here as soon as :func:`import_paths` accepts them:
:func:`import_options` reads its signature.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.formats import importer
from annotator.formats.selection import SelectionError, parse_label_map
from annotator.store import STATUSES, Corpus
from annotator.ui.dialogs.export_dialog import label_map_items
from annotator.ui.dialogs.job_dialog import Job, JobDialog
from annotator.ui.dialogs.task import Task

FILE_FILTER = (
    "Annotation data (*.txt *.jsonl *.ndjson *.json *.conll *.iob *.bio *.bilou *.bioes *.ann *.tsv *.xmi *.xml *.zip "
    "*.db *.sqlite);;All files (*)"
)
JSON_FIELDS = (("text_field", "text"), ("title_field", "title"), ("source_field", "source"),
               ("language_field", "language or lang"))


def import_options() -> set[str]:
    """The keyword arguments :func:`import_paths` accepts (the dialog shows what is there)."""
    return set(inspect.signature(importer.import_paths).parameters)


def summary_text(summary: Any, db_path: str) -> str:
    """The command's own summary lines, then every error and warning line (as the CLI prints them)."""
    format_summary = getattr(importer, "format_summary", None)
    if format_summary is None:  # the command's module, until the summary moves next to the importer
        from annotator.cli.commands.import_ import format_summary
    lines = [f"error: {line}" for line in summary.errors] + [f"warning: {line}" for line in summary.warnings]
    return "\n".join([format_summary(summary, db_path), *lines])


def run_import(task: Task, db_path: str, paths: list[str], options: dict[str, Any]) -> dict:
    """The worker's part: ``import_paths`` on a connection of this thread, reporting to ``task``.

    Returns ``{"summary", "text"}``; on cancel, raises after counting what the files done brought.
    """
    accepted = import_options()
    kwargs = {name: value for name, value in options.items() if name in accepted}

    def progress(done: float, total: int, path: Path) -> None:
        task.progress(done, total, f"{path.name} ({min(int(done) + 1, total)} of {total})" if done < total else "")

    with Corpus.open(db_path, create=False) as corpus:
        summary = importer.import_paths(corpus, paths, progress=progress, **kwargs)
    return {"summary": summary, "text": summary_text(summary, db_path)}


class PathList(QListWidget):
    """The files and folders to import; files dropped from a file manager are added."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importPaths")
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def paths(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def add(self, paths: list[str]) -> None:
        known = set(self.paths())
        for path in paths:
            if path and path not in known:
                self.addItem(path)
                known.add(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self.add([url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()])
        event.acceptProposedAction()


class ImportDialog(JobDialog):
    title = "Import into the corpus"
    run_text = "Import"
    intro = ("Plain text, JSONL/JSON (Prodigy, doccano, Label Studio), CoNLL/IOB, brat standoff and other "
             "formats, folders (walked recursively) and colleagues' corpus files. Each file is one "
             "transaction: a file with a problem imports nothing and is listed; the others go on.")

    def build_options(self, box: QWidget) -> None:
        self.setObjectName("importDialog")
        supported = import_options()
        self.paths = PathList(box)
        self.paths.model().rowsInserted.connect(self.validate)
        self.paths.model().rowsRemoved.connect(self.validate)
        add_files = QPushButton("Add Files…", box)
        add_files.setObjectName("importAddFiles")
        add_files.clicked.connect(self.choose_files)
        add_folder = QPushButton("Add Folder…", box)
        add_folder.setObjectName("importAddFolder")
        add_folder.clicked.connect(self.choose_folder)
        remove = QPushButton("Remove", box)
        remove.clicked.connect(lambda: [self.paths.takeItem(self.paths.row(i)) for i in self.paths.selectedItems()])
        buttons = QVBoxLayout()
        for button in (add_files, add_folder, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        files = QHBoxLayout()
        files.addWidget(self.paths, 1)
        files.addLayout(buttons)

        self.annotator = QComboBox(box)
        self.annotator.setObjectName("importAnnotator")
        self.annotator.setEditable(True)
        self.annotator.addItem("")
        self.annotator.lineEdit().setPlaceholderText("the name a file gives, else 'imported'")
        self.annotator.addItems([r["name"] for r in self.corpus.annotators() if r["kind"] == "annotator"])
        self.annotator.setToolTip("--annotator: whose set the spans and quotes of the files go to, "
                                  "unless a file names its own annotator")
        self.split_at_source = QCheckBox("Split plain text after each source line (المصدر: …)", box)
        self.split_at_source.setObjectName("importSplitAtSource")
        self.allow_new_labels = QCheckBox("Add labels the files use that the corpus does not have yet", box)
        self.allow_new_labels.setObjectName("importAllowNewLabels")
        self.language = QLineEdit(box)
        self.language.setObjectName("importLanguage")
        self.language.setPlaceholderText("detected per article")
        self.language.setMaxLength(12)
        form = QFormLayout()
        form.addRow("Annotator", self.annotator)
        form.addRow("Language", self.language)
        self.extra: dict[str, QWidget] = {}
        if "status" in supported:  # import --status (jsonio)
            status = QComboBox(box)
            status.setObjectName("importStatus")
            status.addItem("as the files say", None)
            for name in STATUSES:
                status.addItem(name.replace("_", " "), name)
            form.addRow("Status", status)
            self.extra["status"] = status
        if "label_map" in supported:  # import --map FROM=TO
            relabel = QLineEdit(box)
            relabel.setObjectName("importLabelMap")
            relabel.setPlaceholderText("e.g. PERS=PER, B-ORG=ORG, MISC=   (MISC= leaves MISC out)")
            relabel.setToolTip("--map: relabel the files' entities before they are stored")
            relabel.textChanged.connect(self.validate)
            form.addRow("Relabel", relabel)
            self.extra["label_map"] = relabel
        if "sentences_per_doc" in supported:  # CoNLL without -DOCSTART- (the lead's lenient reader)
            sentences = QSpinBox(box)
            sentences.setObjectName("importSentencesPerDoc")
            sentences.setRange(0, 100_000)
            sentences.setSpecialValueText("one document per file section")
            form.addRow("CoNLL sentences per document", sentences)
            self.extra["sentences_per_doc"] = sentences
        form.addRow(self.split_at_source)
        form.addRow(self.allow_new_labels)
        if "strict" in supported:  # import --strict
            strict = QCheckBox("Strict: refuse a file instead of warning and going on", box)
            strict.setObjectName("importStrict")
            form.addRow(strict)
            self.extra["strict"] = strict

        fields = QGroupBox("JSON records: which field holds what (leave empty for the usual names)", box)
        grid = QGridLayout(fields)
        self.fields: dict[str, QLineEdit] = {}
        for i, (name, default) in enumerate(JSON_FIELDS):
            edit = QLineEdit(fields)
            edit.setObjectName(f"import_{name}")
            edit.setPlaceholderText(default)
            label = name.removesuffix("_field")
            grid.addWidget(_caption(label, fields), i // 2, 2 * (i % 2))
            grid.addWidget(edit, i // 2, 2 * (i % 2) + 1)
            self.fields[name] = edit

        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(files)
        layout.addLayout(form)
        layout.addWidget(fields)
        self.resize(760, 720)

    # -- choosing ---------------------------------------------------------------------------------

    def _start_folder(self) -> str:
        paths = self.paths.paths()
        return str(Path(paths[-1]).parent) if paths else str(Path(self.corpus_path).resolve().parent)

    def choose_files(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(self, "Files to import", self._start_folder(), FILE_FILTER)
        self.paths.add(chosen)

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "A folder to import (recursively)", self._start_folder())
        if chosen:
            self.paths.add([chosen])

    # -- running ----------------------------------------------------------------------------------

    def problem_with_options(self) -> str:
        if not hasattr(self, "paths"):
            return ""
        if not self.paths.count():
            return "Add the files or folders to import (or drop them on the list)."
        missing = [p for p in self.paths.paths() if not Path(p).exists()]
        if missing:
            return f"{missing[0]}: no such file or folder"
        relabel = self.extra.get("label_map")
        if isinstance(relabel, QLineEdit):
            try:
                parse_label_map(label_map_items(relabel.text()))
            except SelectionError as exc:
                return str(exc)
        return ""

    def values(self) -> dict[str, Any]:
        """The options as ``import_paths`` keywords (what ``annotator import`` would be given)."""
        values: dict[str, Any] = {
            "annotator": " ".join(self.annotator.currentText().split()) or None,
            "split_at_source": self.split_at_source.isChecked(),
            "allow_new_labels": self.allow_new_labels.isChecked(),
            "language": self.language.text().strip() or None,
        }
        for name, edit in self.fields.items():
            values[name] = edit.text().strip() or None
        for name, widget in self.extra.items():
            if isinstance(widget, QComboBox):
                values[name] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                values[name] = widget.isChecked()
            elif isinstance(widget, QSpinBox):
                values[name] = widget.value() or None
            elif isinstance(widget, QLineEdit) and name == "label_map":
                values[name] = parse_label_map(label_map_items(widget.text())) or None
        return {k: v for k, v in values.items() if v not in (None, False)}

    def describe_start(self) -> str:
        return f"Importing {self.paths.count()} path(s)…"

    def make_job(self) -> Job:
        db_path, paths, options = str(self.corpus_path), self.paths.paths(), self.values()
        self._documents_before = self.corpus.count_documents()
        return lambda task: run_import(task, db_path, paths, options)

    def show_outcome(self, result: dict) -> None:
        summary = result["summary"]
        self.panel.what.setText("Imported." if summary.ok else f"{summary.files_failed} file(s) could not be imported.")
        self.panel.show_result(result["text"])
        changed = getattr(self.window_, "corpus_changed", None)
        if changed is not None:
            changed(bool(summary.documents_new))
        self.tell_window(f"Import: {summary.documents_new} new article(s), {summary.spans} span(s), "
                         f"{summary.quotes} quote(s)" + ("" if summary.ok else f"; {summary.files_failed} file(s) failed"),
                         "info" if summary.ok else "warning")

    def show_cancelled(self) -> None:
        added = self.corpus.count_documents() - self._documents_before
        self.panel.show_result(
            f"Cancelled. The file being read when you cancelled was not stored (nothing of it is in the corpus);\n"
            f"the files before it were imported: {added} new article(s)."
        )
        changed = getattr(self.window_, "corpus_changed", None)
        if changed is not None and added:
            changed(True)


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
