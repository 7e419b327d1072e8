"""The frame every job dialog shares: its options, a Run button, the task panel, Close.

A subclass builds its options in :meth:`JobDialog.build_options`, turns them into a
function of the worker in :meth:`JobDialog.make_job` (reading every widget there, on the
GUI thread: the function itself only gets plain values) and shows the result in
:meth:`JobDialog.show_outcome`. The dialog is not modal: the annotation window goes on
working while a job runs. Closing it cancels a running job and waits for it to stop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.ui.dialogs.task import Task, TaskPanel, TaskRunner

Job = Callable[[Task], Any]


class JobDialog(QDialog):
    """A non-modal dialog that runs one job at a time in a worker thread."""

    title = "Job"
    run_text = "Run"
    intro = ""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window_ = window
        self.corpus_path = getattr(window, "corpus_path", None)
        self.setWindowTitle(self.title)
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self._closing = False
        self.runner = TaskRunner(self)
        self.panel = TaskPanel(self.runner, self)
        self.problem = QLabel(self)
        self.problem.setObjectName("jobProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(self)
        self.run_button: QPushButton = self.buttons.addButton(self.run_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.run_button.setObjectName("jobRun")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("jobClose")
        self.run_button.clicked.connect(self.run)
        self.close_button.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        if self.intro:
            intro = QLabel(self.intro, self)
            intro.setTextFormat(Qt.TextFormat.PlainText)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        self.resize(720, 560)  # a subclass may choose another size in build_options or arrange
        self.options = QWidget(self)
        self.build_options(self.options)
        layout.addWidget(self.options)
        layout.addWidget(self.problem)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.buttons)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.cancelled.connect(self._cancelled)
        self.arrange(layout)
        self.resize(self.size().expandedTo(self.sizeHint()))  # never squeezed below what the options need
        self.validate()

    @property
    def corpus(self):
        """The window's own connection, for reading on the GUI thread (the job opens its own)."""
        return self.window_.corpus

    # -- for subclasses -------------------------------------------------------------------------

    def build_options(self, box: QWidget) -> None:
        """Lay the job's options out in ``box``."""

    def arrange(self, layout: QVBoxLayout) -> None:
        """Change the finished layout (e.g. put a results table beside the panel)."""

    def problem_with_options(self) -> str:
        """Why the job cannot run with these options ("" when it can)."""
        return ""

    def make_job(self) -> Job:
        """The function the worker runs, with the options read now (on the GUI thread)."""
        raise NotImplementedError

    def describe_start(self) -> str:
        return ""

    def show_outcome(self, result: Any) -> None:
        self.panel.show_result(str(result))

    def show_cancelled(self) -> None:
        self.panel.show_result("Cancelled: nothing was changed.")

    # -- running --------------------------------------------------------------------------------

    def validate(self, *_: object) -> bool:
        problem = self.problem_with_options()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.run_button.setEnabled(not problem and not self.runner.running)
        return not problem

    def run(self) -> None:
        if self.runner.running or not self.validate():
            return
        job = self.make_job()
        self.options.setEnabled(False)
        self.run_button.setEnabled(False)
        self.panel.begin(self.describe_start())
        self.runner.start(job)

    def _stop(self) -> None:
        self.options.setEnabled(True)
        self.validate()

    def _finished(self, result: Any) -> None:
        self._stop()
        if not self._closing:
            self.show_outcome(result)

    def _failed(self, message: str) -> None:
        self._stop()
        self.panel.what.setText("Failed.")
        self.panel.show_result(message)

    def _cancelled(self) -> None:
        self._stop()
        self.panel.what.setText("Cancelled.")
        if not self._closing:
            self.show_cancelled()

    def tell_window(self, text: str, level: str = "info") -> None:
        tell = getattr(self.window_, "tell", None)
        if tell is not None:
            tell(text, level)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.runner.running:
            self._closing = True  # what the job brings back is not shown any more (the window may be gone)
            self.runner.stop()
            self._stop()
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._closing = False
        super().showEvent(event)
