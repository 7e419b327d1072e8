"""Corpus → Backup…: ``annotator backup OUT.db`` from the window.

A thin view over :func:`annotator.store.maintenance.backup`: SQLite's online backup API,
safe while this window (and others) keep writing; the copy is written under a temporary
name, verified and only then renamed into place. The bar shows the pages copied; Cancel
stops the copy at its next step (or before the rename, while it is verified): the temporary
file is removed and nothing is written under the chosen name. A file that was there before
is never touched unless replacing it was chosen.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QCheckBox, QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from annotator.store import CorpusError
from annotator.store.maintenance import BACKUP_STEP_PAGES, BackupResult, backup
from annotator.ui.dialogs.job_dialog import Job, JobDialog
from annotator.ui.dialogs.task import Cancelled, Task


def result_line(result: BackupResult) -> str:
    """What ``annotator backup`` prints."""
    return (f"{result.path}: {result.documents:,} documents, {result.bytes / 1e6:.1f} MB, "
            f"schema {result.schema_version}, verified ({result.seconds:.2f} s)")


STEP_PAGES = BACKUP_STEP_PAGES  # pages per step (4 MB): Cancel is looked at between two steps


def run_backup(task: Task, db_path: str, out: str, overwrite: bool) -> dict:
    task.progress(0, None, "Copying…")
    existed = Path(out).exists()

    def copied(pages: int, total: int) -> None:
        # Raises Cancelled once Cancel was pressed: the copy stops at this step, its temporary file goes.
        task.progress(pages, total, "Verifying the copy…" if pages >= total else f"Copying… {pages:,} of {total:,} pages")

    try:
        result = backup(db_path, out, overwrite=overwrite, progress=copied, pages=STEP_PAGES)
    except CorpusError as exc:
        return {"ok": False, "text": str(exc)}
    if task.cancelled:  # pressed in the last moment, after the rename
        if not existed:
            Path(out).unlink(missing_ok=True)  # cancelled: take the new copy back
        raise Cancelled
    return {"ok": True, "text": result_line(result), "result": result}


class BackupDialog(JobDialog):
    title = "Back up the corpus"
    run_text = "Back Up"
    intro = ("A consistent copy of the corpus at one moment, safe while annotating goes on: written under a "
             "temporary name, verified, and only then given its name.")

    def build_options(self, box: QWidget) -> None:
        self.setObjectName("backupDialog")
        base = Path(self.corpus_path).resolve()
        self.out = QLineEdit(str(base.with_name(f"{base.stem}-{datetime.now():%Y%m%d-%H%M}{base.suffix or '.db'}")), box)
        self.out.setObjectName("backupOut")
        browse = QPushButton("Choose…", box)
        browse.clicked.connect(self.choose_out)
        row = QHBoxLayout()
        row.addWidget(self.out, 1)
        row.addWidget(browse)
        self.overwrite = QCheckBox("Replace the file if it exists", box)
        self.overwrite.setObjectName("backupOverwrite")
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Copy to", row)
        form.addRow(self.overwrite)
        self.out.textChanged.connect(self.validate)
        self.overwrite.toggled.connect(self.validate)
        self.resize(720, 360)

    def choose_out(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Back up the corpus to", self.out.text(),
                                                "Corpus (*.db);;All files (*)")
        if chosen:
            self.out.setText(chosen)
            if Path(chosen).exists():
                self.overwrite.setChecked(True)  # the file dialog asked already

    def problem_with_options(self) -> str:
        if not hasattr(self, "overwrite"):
            return ""
        out = self.out.text().strip()
        if not out:
            return "Choose the file to copy the corpus to."
        path = Path(out)
        if path.is_dir():
            return f"{path} is a folder: give the backup a file name."
        if path.exists() and path.resolve() == Path(self.corpus_path).resolve():
            return "That is the corpus itself: choose another file."
        if path.exists() and not self.overwrite.isChecked():
            return f"{path} exists: tick 'Replace' or choose another name."
        return ""

    def make_job(self) -> Job:
        db_path, out, overwrite = str(self.corpus_path), self.out.text().strip(), self.overwrite.isChecked()
        return lambda task: run_backup(task, db_path, out, overwrite)

    def describe_start(self) -> str:
        return f"Backing up to {self.out.text().strip()}…"

    def show_outcome(self, result: Any) -> None:
        self.panel.what.setText("Backed up." if result["ok"] else "No backup was written.")
        self.panel.show_result(result["text"])
        if result["ok"]:
            self.tell_window(f"Backed up to {result['result'].path}.")

    def show_cancelled(self) -> None:
        self.panel.show_result("Cancelled: no backup was written.")
