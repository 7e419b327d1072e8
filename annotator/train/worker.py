"""The training job as a separate process: ``python -m annotator.train.worker REQUEST_JSON``.

The window starts this (through :mod:`annotator.ui.training_runner`) so that training never
runs in the window's process: no key waits for it, and a crash of the job cannot take the
window or the corpus with it. It runs :func:`annotator.train.job.run_training_job`, the function
``annotator train --continue`` runs too.

Protocol (one JSON object per line):

- stdout: every event of the job (``{"event": "phase" | "export" | "step" | "decision" |
  "suggested", ...}``), then exactly one of ``{"event": "outcome", ...TrainingOutcome}``,
  ``{"event": "cancelled"}`` or ``{"event": "error", "message": "one line"}``. Anything else the
  libraries print goes to stderr.
- stdin: ``{"cancel": true}`` stops the job at its next step; ``{"current": 12}`` says which
  article the annotator has open (suggested first). End of input (the window is gone) and
  SIGTERM stop the job too.

Exit code: 0 finished (registered or not), 1 failed, 3 cancelled.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import traceback
from typing import IO

EXIT_FAILED = 1
EXIT_CANCELLED = 3
NICENESS = 10


class Controls:
    """What the parent asked for so far (read from stdin on a thread of its own)."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.current: int | None = None

    def read(self, stream: IO[str]) -> None:
        for line in stream:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if not isinstance(message, dict):
                continue
            if message.get("cancel"):
                self.stop.set()
            if isinstance(message.get("current"), int):
                self.current = message["current"]
        self.stop.set()  # the window closed our stdin, or is gone


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    events = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    sys.stdout = sys.stderr  # libraries that print must not break the protocol
    lock = threading.Lock()

    def send(event: dict) -> None:
        with lock:
            events.write(json.dumps(event, ensure_ascii=False) + "\n")
            events.flush()

    try:
        os.nice(NICENESS)  # the annotator's window (and keys) first, on a machine with few cores
    except OSError:
        pass
    controls = Controls()
    signal.signal(signal.SIGTERM, lambda *_: controls.stop.set())
    threading.Thread(target=controls.read, args=(sys.stdin,), daemon=True, name="training-controls").start()
    if len(args) != 1:
        send({"event": "error", "message": "usage: python -m annotator.train.worker REQUEST_JSON"})
        return EXIT_FAILED
    from annotator.train.job import JobCancelled, TrainingRequest, run_training_job

    try:
        request = TrainingRequest.from_json(args[0])
        outcome = run_training_job(request, send, controls.stop.is_set, lambda: controls.current)
    except JobCancelled:
        send({"event": "cancelled"})
        return EXIT_CANCELLED
    except Exception as exc:  # one line for the window; the traceback goes to stderr for a bug report
        send({"event": "error", "message": one_line(exc)})
        traceback.print_exc(file=sys.stderr)
        return EXIT_FAILED
    send({"event": "outcome", **outcome.to_dict()})
    return 0


def one_line(exc: BaseException) -> str:
    """The message a user reads: known problems as they are, anything else named as an internal error."""
    from annotator.formats.selection import SelectionError
    from annotator.formats.spacy_writer import ExportError
    from annotator.store import CorpusError
    from annotator.train.model_folders import JobRunningError
    from annotator.train.trainer import TrainingError

    text = " ".join(str(exc).split())
    if isinstance(exc, TrainingError | ExportError | SelectionError | JobRunningError | CorpusError):
        return text
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or text}"
    return f"internal error in the training job: {type(exc).__name__}: {text}" if text else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
