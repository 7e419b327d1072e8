"""Running a job dialog's function off the GUI thread, with progress and cancel.

:class:`TaskRunner` runs ``function(task)`` on its own ``QThread``; the function opens its
own SQLite connection (connections never cross threads), reports with
``task.progress(done, total, text)`` and stops at the next report once
:meth:`TaskRunner.cancel` was called (``task.progress`` raises :class:`Cancelled` there,
so the function's own transaction rolls back and nothing is left half-done). Results,
failures and cancellation come back as signals on the GUI thread; nothing here touches a
widget from the worker.

:class:`TaskPanel` is the part every job dialog shares: a progress bar, what is being done,
the elapsed time, a Cancel button, and the outcome as plain text (never HTML: it quotes
file contents and article titles).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

_log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The user cancelled the job (raised inside it at its next progress report)."""


class Task:
    """What the function running in the worker sees: progress reports and the cancel flag."""

    def __init__(self, report: Callable[[float, float, str], None]) -> None:
        self._report = report
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        """Stop here if the user cancelled."""
        if self._cancel.is_set():
            raise Cancelled

    def progress(self, done: float, total: float | None = None, text: str = "") -> None:
        """Report ``done`` of ``total`` (None: unknown); raises :class:`Cancelled` once cancelled."""
        self.check()
        self._report(float(done), float(total) if total else 0.0, text)


class _Signals(QObject):
    progressed = Signal(float, float, str)  # done, total (0: unknown), what
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _Worker(QThread):
    def __init__(self, function: Callable[[Task], Any], task: Task, signals: _Signals) -> None:
        super().__init__()
        self.function, self.task, self.signals = function, task, signals

    def run(self) -> None:  # on the worker thread
        try:
            result = self.function(self.task)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # shown in the dialog as one line; never a traceback in the user's face
            _log.debug("job failed", exc_info=True)
            self.signals.failed.emit(one_line(exc))
        else:
            if self.task.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)


def one_line(exc: BaseException) -> str:
    """An exception as the one line a user reads (its message, else its kind)."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


class TaskRunner(QObject):
    """Runs one function at a time on a worker thread; relays its progress, result or failure."""

    progressed = Signal(float, float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _Signals()
        self._signals.progressed.connect(self.progressed)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_cancelled)
        self._worker: _Worker | None = None
        self.task: Task | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None

    def start(self, function: Callable[[Task], Any]) -> None:
        if self._worker is not None:
            raise RuntimeError("a job is already running")
        self.task = Task(self._signals.progressed.emit)
        self._worker = _Worker(function, self.task, self._signals)
        self._worker.start()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def wait(self, ms: int = 30_000) -> bool:
        """Block until the worker has stopped; True if it did."""
        worker = self._worker
        return worker.wait(ms) if worker is not None else True

    def stop(self, ms: int = 30_000) -> bool:
        """Cancel and wait for the worker to stop (closing the dialog or the window); True if it did."""
        self.cancel()
        stopped = self.wait(ms)
        if stopped:
            self._done()
        return stopped

    def _done(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.wait()
            worker.deleteLater()

    def _on_finished(self, result: object) -> None:
        self._done()
        self.finished.emit(result)

    def _on_failed(self, message: str) -> None:
        self._done()
        self.failed.emit(message)

    def _on_cancelled(self) -> None:
        self._done()
        self.cancelled.emit()


class TaskPanel(QWidget):
    """Progress bar, current item, elapsed time, Cancel, and the outcome as plain text."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskPanel")
        self.runner = runner
        self.bar = QProgressBar(self)
        self.bar.setObjectName("taskProgress")
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.bar.setTextVisible(True)
        self.bar.setFormat("")
        self.what = QLabel(self)
        self.what.setObjectName("taskWhat")
        self.what.setTextFormat(Qt.TextFormat.PlainText)
        self.what.setWordWrap(True)
        self.elapsed = QLabel(self)
        self.elapsed.setObjectName("taskElapsed")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("taskCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self._cancel)
        self.result = QPlainTextEdit(self)
        self.result.setObjectName("taskResult")
        self.result.setReadOnly(True)
        self.result.setPlaceholderText("The outcome appears here.")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), QFont().pointSizeF() * 0.95))
        self.result.setFont(mono)
        self.result.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)  # tables of figures: NoWrap
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.elapsed)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.what)
        layout.addWidget(self.result, 1)
        self._started = 0.0
        self._clock = QTimer(self)
        self._clock.setInterval(250)
        self._clock.timeout.connect(self._tick)
        runner.progressed.connect(self.show_progress)
        for signal in (runner.finished, runner.failed, runner.cancelled):
            signal.connect(self._stopped)

    def begin(self, text: str = "") -> None:
        self._started = time.monotonic()
        self.bar.setRange(0, 0)  # busy until the first report with a total
        self.bar.setFormat("")
        self.what.setText(text)
        self.result.clear()
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self._tick()
        self._clock.start()

    def show_progress(self, done: float, total: float, text: str) -> None:
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(done, total) / total))
            whole = f"{int(done):,}" if done == int(done) else f"{done:,.1f}"
            self.bar.setFormat(f"{whole} / {int(total):,}")
        else:
            self.bar.setRange(0, 0)
        if text:
            self.what.setText(text)

    def show_result(self, text: str) -> None:
        self.result.setPlainText(text)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.runner.cancel()

    def _stopped(self, *_: object) -> None:
        self._clock.stop()
        self._tick()
        if self.bar.maximum() == 0:
            self.bar.setRange(0, 1000)
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancel")

    def _tick(self) -> None:
        seconds = time.monotonic() - self._started if self._started else 0.0
        self.elapsed.setText(f"{seconds:.1f} s" if seconds < 60 else f"{int(seconds // 60)} min {int(seconds % 60)} s")
