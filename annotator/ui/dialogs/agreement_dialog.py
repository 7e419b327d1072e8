"""Review → Agreement Report…: ``annotator agreement A B [C…]`` from the window.

A thin view over :func:`annotator.review.agreement.corpus_agreement` (the command's
function), run on a read-only connection of the worker's own, with progress per article
and cancel. It shows the per-label table of the first pair (exact and overlap P/R/F1,
Cohen's kappa, Krippendorff's alpha) and below it the command's whole printed report; the
HTML report the command writes with ``--report`` is one button away. Article titles and
text are shown as plain text; the HTML report escapes them.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from rich.console import Console

from annotator.review.agreement import AgreementReport, corpus_agreement
from annotator.review.report import _label_rows, fmt, print_report, render_html
from annotator.store import Corpus
from annotator.ui.dialogs.job_dialog import Job, JobDialog
from annotator.ui.dialogs.task import Task

COLUMNS = ("label", "A", "B", "P=", "R=", "F1=", "P~", "R~", "F1~", "κ", "α")


def report_text(report: AgreementReport, width: int = 120) -> str:
    """The report exactly as ``annotator agreement`` prints it, as plain text."""
    buffer = io.StringIO()
    print_report(report, Console(file=buffer, width=width, color_system=None, highlight=False, emoji=False))
    return buffer.getvalue()


def run_agreement(task: Task, db_path: str, annotators: list[str], labels: list[str] | None) -> dict:
    """The worker's part: the figures of ``annotator agreement`` and the texts for the HTML report."""
    with Corpus.open(db_path, create=False, readonly=True) as corpus:
        report = corpus_agreement(corpus, annotators, labels=labels,
                                  progress=lambda done, total: task.progress(done, total, "articles read"))
        task.check()
        texts = {row.doc_id: corpus.document(row.doc_id).text for p in report.pairs for row in p.articles}
    return {"report": report, "texts": texts, "text": report_text(report)}


class AgreementDialog(JobDialog):
    title = "Agreement report"
    run_text = "Compute"
    intro = ("Agreement between annotators on the articles they both worked on: span precision, recall and F1 "
             "(exact and overlapping), Cohen's kappa and Krippendorff's alpha on token labels, quote agreement. "
             "The first annotator ticked is the reference (A).")

    def build_options(self, box: QWidget) -> None:
        self.setObjectName("agreementDialog")
        self.annotators = QListWidget(box)
        self.annotators.setObjectName("agreementAnnotators")
        self.annotators.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.annotators.setToolTip("Tick two or more; drag to reorder (the first ticked is A, the reference)")
        names = [r["name"] for r in self.corpus.annotators() if r["kind"] != "import"]
        me = getattr(getattr(self.window_, "session", None), "annotator", None)
        for name in sorted(names, key=lambda n: (n != me, names.index(n))):
            item = QListWidgetItem(name, self.annotators)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if len(names) == 2 or name == me else Qt.CheckState.Unchecked)
        self.annotators.itemChanged.connect(self.validate)
        self.annotators.model().rowsMoved.connect(self.validate)
        self.labels = QListWidget(box)
        self.labels.setObjectName("agreementLabels")
        for name in self.corpus.labels.entity_names:
            item = QListWidgetItem(name, self.labels)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.labels.itemChanged.connect(self.validate)
        for widget in (self.annotators, self.labels):
            widget.setMaximumHeight(130)
        form = QFormLayout()
        form.addRow("Annotators", self.annotators)
        form.addRow("Entity labels", self.labels)
        self.pair = QComboBox(box)
        self.pair.setObjectName("agreementPair")
        self.pair.currentIndexChanged.connect(self._show_pair)
        self.save_button = QPushButton("Save HTML Report…", box)
        self.save_button.setObjectName("agreementSave")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_report)
        row = QHBoxLayout()
        row.addWidget(self.pair, 1)
        row.addWidget(self.save_button)
        form.addRow("Pair", row)
        box.setLayout(form)
        box.layout().setContentsMargins(0, 0, 0, 0)
        self.report: AgreementReport | None = None
        self.texts: dict[int, str] = {}

    def arrange(self, layout) -> None:
        self.panel.result.setLineWrapMode(self.panel.result.LineWrapMode.NoWrap)  # the command's tables
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("agreementTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the table above the command's full report, in the panel's place
        index = layout.indexOf(self.panel)
        layout.removeWidget(self.panel)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.panel)
        split.setSizes([220, 300])
        layout.insertWidget(index, split, 1)
        self.resize(900, 760)

    def chosen(self) -> list[str]:
        return [self.annotators.item(i).text() for i in range(self.annotators.count())
                if self.annotators.item(i).checkState() == Qt.CheckState.Checked]

    def chosen_labels(self) -> list[str] | None:
        ticked = [self.labels.item(i).text() for i in range(self.labels.count())
                  if self.labels.item(i).checkState() == Qt.CheckState.Checked]
        return None if len(ticked) == self.labels.count() else ticked

    def problem_with_options(self) -> str:
        if not hasattr(self, "labels"):
            return ""
        if self.annotators.count() < 2:
            return "This corpus needs two annotators' work (import a colleague's corpus first)."
        if len(self.chosen()) < 2:
            return "Tick at least two annotators."
        if self.chosen_labels() == []:
            return "Tick at least one label."
        return ""

    def describe_start(self) -> str:
        return f"Comparing {', '.join(self.chosen())}…"

    def make_job(self) -> Job:
        db_path, annotators, labels = str(self.corpus_path), self.chosen(), self.chosen_labels()
        return lambda task: run_agreement(task, db_path, annotators, labels)

    def show_outcome(self, result: dict[str, Any]) -> None:
        report: AgreementReport = result["report"]
        self.report, self.texts = report, result["texts"]
        self.panel.what.setText(f"{report.documents} article(s) annotated by at least two of them."
                                if report.documents else "No article was annotated by at least two of them.")
        self.panel.show_result(result["text"])
        self.pair.blockSignals(True)
        self.pair.clear()
        for pair in report.pairs:
            self.pair.addItem(f"{pair.a} (A) vs {pair.b} (B): {pair.documents} article(s)")
        self.pair.blockSignals(False)
        self._show_pair(0)
        self.save_button.setEnabled(bool(report.documents))

    def _show_pair(self, index: int) -> None:
        self.table.setRowCount(0)
        if self.report is None or not 0 <= index < len(self.report.pairs):
            return
        pair = self.report.pairs[index]
        rows = _label_rows(pair) if pair.documents else []
        self.table.setRowCount(len(rows))
        for r, (name, figures) in enumerate(rows):
            values = [name, str(figures["a"]), str(figures["b"]),
                      *(fmt(figures[kind][what]) for kind in ("exact", "overlap") for what in ("precision", "recall",
                                                                                               "f1")),
                      fmt(figures["kappa"]), fmt(figures["alpha"])]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if name == "all":
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)

    def table_rows(self) -> list[list[str]]:
        """What the table shows (for tests)."""
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    def save_report(self, path: str | None = None, open_it: bool = True) -> Path | None:
        """Write the self-contained HTML report (``annotator agreement --report``) and open it."""
        if self.report is None:
            return None
        if path is None:
            start = str(Path(self.corpus_path).resolve().with_name("agreement.html"))
            path, _ = QFileDialog.getSaveFileName(self, "Save the agreement report", start, "HTML (*.html)")
            if not path:
                return None
        target = Path(path)
        target.write_text(render_html(self.report, self.texts), encoding="utf-8")
        self.panel.what.setText(f"Report written to {target}")
        if open_it:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target
