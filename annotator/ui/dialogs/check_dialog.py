"""Corpus → Check…: ``annotator check`` from the window.

A thin view over :func:`annotator.store.maintenance.check`, which opens the file read-only
on its own connection in the worker and never changes it: SQLite integrity, foreign keys,
orphan rows, spans outside their text, overlapping entities, the search index, the schema.
The bar follows the checks; Cancel stops the check between two of them (between tables and
every few hundred articles inside one), and the file was only read.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from annotator.store.maintenance import CheckReport, check
from annotator.ui.dialogs.job_dialog import Job, JobDialog
from annotator.ui.dialogs.task import Task


def report_lines(report: CheckReport) -> list[str]:
    """What ``annotator check`` prints: a summary line, the notes, one line per problem."""
    counts = ", ".join(f"{n:,} {name}" for name, n in report.counts.items())
    schema = f"schema {report.schema_version}" if report.schema_version is not None else "no schema"
    summary = "ok" if report.ok else f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}"
    lines = [f"{report.path}: {summary} ({schema}{', ' + counts if counts else ''}; {report.seconds:.2f} s)"]
    lines += [f"note: {note}" for note in report.notes]
    lines += [str(problem) for problem in report.problems]
    return lines


def run_check(task: Task, db_path: str) -> CheckReport:
    task.progress(0, None, "Checking…")
    # task.progress raises Cancelled once Cancel was pressed: check() stops there and closes its connection.
    report = check(db_path, progress=lambda done, total, what: task.progress(done, total, what))
    task.check()
    return report


class CheckDialog(JobDialog):
    title = "Check the corpus"
    run_text = "Check"
    intro = ("Looks for damage and broken rules in the corpus file: SQLite integrity and foreign keys, orphan "
             "rows, spans and quote parts outside their text, overlapping entities, texts changed after import, "
             "the search index and the schema version. It only reads the file; annotating can go on.")

    def build_options(self, box: QWidget) -> None:
        self.setObjectName("checkDialog")
        self.resize(760, 420)

    def make_job(self) -> Job:
        db_path = str(self.corpus_path)
        return lambda task: run_check(task, db_path)

    def describe_start(self) -> str:
        return f"Checking {self.corpus_path}…"

    def show_outcome(self, report: Any) -> None:
        self.panel.what.setText("No problems found." if report.ok else
                                f"{len(report.problems)} problem(s) found: see `annotator check --help`.")
        self.panel.show_result("\n".join(report_lines(report)))

    def show_cancelled(self) -> None:
        self.panel.show_result("Cancelled: the check stopped before its end, so there is no report (the file was only read).")
