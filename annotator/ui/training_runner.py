"""The window's training job: a separate process, relayed as Qt signals.

:class:`TrainingRunner` starts ``python -m annotator.train.worker REQUEST_JSON`` (see
:mod:`annotator.train.worker`) with ``QProcess`` and turns the JSON lines it prints into signals
on the GUI thread. Training never runs in the window's process, so typing never waits for it
and a crash of the job (even ``SIGKILL``) only ends that process: the corpus is read-only to the
job until it registers its model in one transaction. The runner only relays: it decides nothing.

- :meth:`cancel` asks the job to stop (it stops at its next step and registers nothing), and
  ends the process if it has not stopped within :data:`CANCEL_GRACE_MS`;
- :meth:`set_current` tells the job which article is open (its suggestions are refreshed first);
- :meth:`shutdown` (the window closing) cancels and waits, then kills what is left.
"""

from __future__ import annotations

import json
import sys
from collections import deque

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from annotator.train.job import TrainingRequest

CANCEL_GRACE_MS = 8000
# Closing the window waits this long for the job to stop by itself, then ends it: a killed job
# changes nothing (the next job removes what it left), and the window should close at once.
SHUTDOWN_MS = 2000
STDERR_LINES = 40


class TrainingRunner(QObject):
    """One training process at a time."""

    progressed = Signal(dict)  # every event of the job ({"event": "phase" | "step" | ...})
    suggested = Signal(list)  # article ids whose suggestions the new model just replaced
    finished = Signal(dict)  # the outcome (TrainingOutcome.to_dict())
    failed = Signal(str)  # one line
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process: QProcess | None = None
        self._buffer = b""
        self._stderr: deque[str] = deque(maxlen=STDERR_LINES)
        self._ended: dict | None = None  # the job's last word: outcome, cancelled or error
        self._cancelling = False
        self._kill_timer = QTimer(self)
        self._kill_timer.setSingleShot(True)
        self._kill_timer.timeout.connect(self._force_stop)
        self.request: TrainingRequest | None = None

    @property
    def running(self) -> bool:
        return self.process is not None

    def start(self, request: TrainingRequest, current_document: int | None = None) -> None:
        if self.process is not None:
            raise RuntimeError("a training job is already running")
        self.request = request
        self._buffer, self._ended, self._cancelling = b"", None, False
        self._stderr.clear()
        process = QProcess(self)
        process.setProgram(sys.executable)
        process.setArguments(["-m", "annotator.train.worker", request.to_json()])
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self.process = process
        process.start()
        if current_document is not None:
            self.set_current(current_document)

    def _send(self, message: dict) -> None:
        if self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.write((json.dumps(message) + "\n").encode("utf-8"))

    def set_current(self, doc_id: int | None) -> None:
        if doc_id is not None:
            self._send({"current": int(doc_id)})

    def cancel(self) -> None:
        """Ask the job to stop; end the process if it does not within :data:`CANCEL_GRACE_MS`."""
        if self.process is None or self._cancelling:
            return
        self._cancelling = True
        self._send({"cancel": True})
        self._kill_timer.start(CANCEL_GRACE_MS)

    def _force_stop(self) -> None:
        if self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.terminate()
            if not self.process.waitForFinished(2000):
                self.process.kill()

    def shutdown(self, ms: int = SHUTDOWN_MS) -> bool:
        """Stop the job and wait for its process to end (closing the window). True if it ended by itself."""
        process = self.process
        if process is None:
            return True
        self._cancelling = True
        self._send({"cancel": True})
        process.closeWriteChannel()
        ended = process.waitForFinished(ms)
        if not ended:
            process.kill()
            process.waitForFinished(2000)
        return ended

    # -- the process's output -------------------------------------------------------------------

    def _read_stdout(self) -> None:
        if self.process is None:
            return
        self._buffer += bytes(self.process.readAllStandardOutput())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line.decode("utf-8"))
            except ValueError:
                continue
            if isinstance(event, dict):
                self._dispatch(event)

    def _read_stderr(self) -> None:
        if self.process is None:
            return
        text = bytes(self.process.readAllStandardError()).decode("utf-8", "replace")
        self._stderr.extend(line for line in text.splitlines() if line.strip())

    def _dispatch(self, event: dict) -> None:
        kind = event.get("event")
        if kind in ("outcome", "cancelled", "error"):
            self._ended = event
            return
        if kind == "suggested":
            self.suggested.emit(list(event.get("doc_ids") or []))
        self.progressed.emit(event)

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._finish_with(None, f"the training process could not start ({sys.executable})")

    def _on_finished(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        self._read_stdout()
        self._read_stderr()
        ended = self._ended
        if ended is None:
            last = self._stderr[-1] if self._stderr else "no message"
            how = "was stopped" if self._cancelling else "stopped unexpectedly"
            why = "killed" if status == QProcess.ExitStatus.CrashExit else f"exit code {exit_code}"
            if self._cancelling:
                self._finish_with({"event": "cancelled"}, None)
                return
            self._finish_with(None, f"the training process {how} ({why}: {last}); the corpus was not changed")
            return
        self._finish_with(ended, None)

    def _finish_with(self, event: dict | None, error: str | None) -> None:
        self._kill_timer.stop()
        process, self.process = self.process, None
        if process is not None:
            process.deleteLater()
        if error is not None:
            self.failed.emit(error)
        elif event is not None and event.get("event") == "outcome":
            self.finished.emit({k: v for k, v in event.items() if k != "event"})
        elif event is not None and event.get("event") == "error":
            self.failed.emit(str(event.get("message") or "the training job failed"))
        else:
            self.cancelled.emit()
