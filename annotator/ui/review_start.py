"""Start a review from another window: choose annotator A, annotator B and the reviewer's name.

For the main window's menu: ``open_review(parent, corpus_path)`` asks, then opens a
:class:`~annotator.ui.review_window.ReviewWindow` (kept alive by its parent).
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from annotator.review.adjudication import ReviewError
from annotator.store import Corpus


class ReviewStartDialog(QDialog):
    """Pick two annotators of the corpus and a reviewer name (an existing reviewer by default)."""

    def __init__(self, corpus_path: str | os.PathLike, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewStartDialog")
        self.setWindowTitle("Review a colleague's labels")
        with Corpus.open(corpus_path, create=False) as corpus:
            rows = corpus.annotators()
            reviewed = corpus.reviewed_set()
        annotators = [r["name"] for r in rows if r["kind"] != "reviewer"]
        self.a = QComboBox(self)
        self.a.setObjectName("reviewStart_a")
        self.a.addItems(annotators)
        self.b = QComboBox(self)
        self.b.setObjectName("reviewStart_b")
        self.b.addItems(annotators)
        if len(annotators) > 1:
            self.b.setCurrentIndex(1)
        self.reviewer = QLineEdit(reviewed or "reviewer", self)
        self.reviewer.setObjectName("reviewStart_reviewer")
        self.problem = QLabel(self)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("A (reference)", self.a)
        form.addRow("B", self.b)
        form.addRow("Reviewed set", self.reviewer)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        for signal in (self.a.currentTextChanged, self.b.currentTextChanged, self.reviewer.textChanged):
            signal.connect(self._check)
        self._check()

    def choice(self) -> tuple[str, str, str]:
        return self.a.currentText(), self.b.currentText(), self.reviewer.text().strip()

    def _check(self, *_: object) -> None:
        a, b, reviewer = self.choice()
        problem = ""
        if self.a.count() < 2:
            problem = "This corpus needs two annotators' work (import a colleague's database first)."
        elif a == b:
            problem = "Choose two different annotators."
        elif not reviewer:
            problem = "Name the reviewed set."
        elif reviewer in (a, b):
            problem = "The reviewed set must not be one of the two annotators."
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)


def open_review(parent: QWidget | None, corpus_path: str | os.PathLike):
    """Ask for A, B and the reviewer, then open and return the review window (None if cancelled)."""
    from annotator.ui.review_window import ReviewWindow

    dialog = ReviewStartDialog(corpus_path, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    a, b, reviewer = dialog.choice()
    try:
        window = ReviewWindow(corpus_path, a, b, reviewer, parent=parent)
    except ReviewError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent, "Cannot start the review", str(exc))
        return None
    window.setWindowFlag(Qt.WindowType.Window, True)  # its own window, owned by the parent
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window
