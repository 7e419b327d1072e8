"""What the window does with an exception nobody caught: a desktop application's habits.

An exception raised in a Qt slot or event handler (a key's action, a menu entry, a timer)
reaches ``sys.excepthook``; Python's own prints a traceback to the terminal and the user sees
nothing. :func:`install` (called by :func:`annotator.ui.app.run_app`) replaces it with an
:class:`ErrorReporter` that

- writes the full traceback, with what the user was doing, to a log file beside the
  settings file (``annotator-errors.log``, rotated at :data:`LOG_BYTES`, :data:`LOG_KEEP`
  older files kept);
- shows a message in the window, not modal: *Something went wrong while <what>: <one line>.
  Nothing saved was lost. Details: <log>* (a bar above the article, closed with its ×);
- prints one line to stderr, or the whole traceback with ``--debug`` / ``ANNOTATOR_DEBUG=1``.

"Nothing saved was lost" holds by construction: every edit is its own SQLite transaction,
committed before the key's action returns, and an exception cannot undo a commit. An edit
that was still inside its transaction when it failed was rolled back by it (the corpus's
``transaction()`` rolls back on the way out); the reporter rolls back any transaction still
left open on the window's connection, so the next edit is not blocked by it.

What the user was doing comes from :func:`doing`, which the key actions and the menus wrap
around their work, else from the outermost of the application's functions in the traceback.
Exceptions of other threads (``threading.excepthook``) are logged and shown the same way; the
message is always shown on the GUI thread.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import shiboken6
from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QMessageBox, QToolButton, QWidget

LOG_NAME = "annotator-errors.log"
LOG_BYTES = 1_000_000  # a log file is rotated at this size...
LOG_KEEP = 2  # ...and this many older ones are kept (annotator-errors.log.1, .2): at most ~3 MB
DEBUG_ENV = "ANNOTATOR_DEBUG"
_ACTIVITY = "_annotator_doing"

_installed: ErrorReporter | None = None


def debugging(environ: dict[str, str] | None = None) -> bool:
    """``ANNOTATOR_DEBUG`` set to anything but empty/0/false/no (as the command line reads it)."""
    value = (os.environ if environ is None else environ).get(DEBUG_ENV, "")
    return value.strip().lower() not in ("", "0", "false", "no")


def log_path(settings_file: str | os.PathLike | None = None) -> Path:
    """The error log beside the user's settings file (``QSettings("annotator", "annotator")``)."""
    if not settings_file:
        from annotator.ui.app import settings

        settings_file = settings().fileName()
    return Path(settings_file).parent / LOG_NAME


# -- what the user was doing ------------------------------------------------------------------------


@contextmanager
def doing(what: str) -> Iterator[None]:
    """Name what the user asked for, for the message of an exception raised inside (innermost wins)."""
    try:
        yield
    except BaseException as exc:
        if not hasattr(exc, _ACTIVITY):
            try:
                setattr(exc, _ACTIVITY, what)
            except (AttributeError, TypeError):
                pass
        raise


def activity(exc: BaseException, tb: TracebackType | None = None) -> str:
    """What the user was doing when ``exc`` was raised, in words."""
    named = getattr(exc, _ACTIVITY, None)
    if named:
        return named
    for frame, _line in traceback.walk_tb(tb if tb is not None else exc.__traceback__):
        module = frame.f_globals.get("__name__", "")
        if module.startswith("annotator.") and module != __name__:
            code = frame.f_code
            return f"running {getattr(code, 'co_qualname', code.co_name)}"
    return "handling an event"


def one_line(exc: BaseException) -> str:
    """The exception in one line, as the command line words it (without its --debug hint)."""
    from annotator.cli.main import DEBUG_HINT
    from annotator.cli.main import one_line as cli_line

    return cli_line(exc).replace(f"; {DEBUG_HINT}", "")


# -- the reporter -----------------------------------------------------------------------------------------


class ErrorReporter(QObject):
    """``sys.excepthook`` (and ``threading.excepthook``) of the application; see the module docstring."""

    reported = Signal(str)  # the message shown in the window (on the GUI thread)
    _show = Signal(str)  # from any thread to the GUI thread

    def __init__(self, log_file: str | os.PathLike, *, debug: bool = False, stderr: TextIO | None = None,
                 window: Callable[[], QWidget | None] | None = None) -> None:
        super().__init__()
        self.log_file = Path(log_file)
        self.debug = debug
        self.stderr = stderr
        self.window = window or _active_window
        self.messages: list[str] = []
        self._previous: tuple[Any, Any] | None = None
        self._lock = threading.Lock()
        self._show.connect(self._show_message, Qt.ConnectionType.QueuedConnection)

    # -- installing -------------------------------------------------------------------------------

    def install(self) -> ErrorReporter:
        """Become the exception hook (again, if something replaced it meanwhile)."""
        if sys.excepthook != self.excepthook:
            self._previous = (sys.excepthook, threading.excepthook)
            sys.excepthook = self.excepthook
            threading.excepthook = self._thread_hook
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            if sys.excepthook == self.excepthook:
                sys.excepthook = self._previous[0]
            if threading.excepthook == self._thread_hook:
                threading.excepthook = self._previous[1]
            self._previous = None

    def use_log(self, log_file: str | os.PathLike) -> None:
        """Write to ``log_file`` from now on."""
        self.log_file = Path(log_file)

    # -- reporting ---------------------------------------------------------------------------------

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            sys.__excepthook__(exc_type, exc, tb)  # Ctrl+C in the terminal ends the program as before
            return
        try:
            self.report(exc, tb)
        except Exception:  # the reporter itself failed (a full disk): never lose the original
            sys.__excepthook__(exc_type, exc, tb)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def report(self, exc: BaseException, tb: TracebackType | None = None) -> str:
        """Log, print one line and (on the GUI thread) show the message; returns the message."""
        tb = tb if tb is not None else exc.__traceback__
        what = activity(exc, tb)
        line = one_line(exc).rstrip(".")
        details = "".join(traceback.format_exception(type(exc), exc, tb))
        problem = self._log(f"while {what}:\n{details.rstrip()}")
        where = str(self.log_file) if problem is None else f"the log could not be written ({problem})"
        stderr = self.stderr if self.stderr is not None else sys.stderr
        if stderr is not None:
            if self.debug:
                stderr.write(f"annotator: something went wrong while {what}:\n{details}")
            else:
                stderr.write(f"annotator: something went wrong while {what}: {line} (details: {where})\n")
            stderr.flush()
        message = (f"Something went wrong while {what}: {line}. Nothing saved was lost. "
                   f"Details: {where}")
        self._show.emit(message)
        return message

    def _log(self, text: str) -> str | None:
        """Append ``text`` to the log (rotated first when it would pass :data:`LOG_BYTES`);
        None when written, else why it could not be."""
        entry = f"{datetime.now().isoformat(sep=' ', timespec='seconds')} {text}\n"
        data = entry.encode("utf-8", "replace")
        try:
            with self._lock:
                self.log_file.parent.mkdir(parents=True, exist_ok=True)
                size = self.log_file.stat().st_size if self.log_file.exists() else 0
                if size and size + len(data) > LOG_BYTES:
                    self._rotate()
                with self.log_file.open("ab") as out:
                    out.write(data)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    def _rotate(self) -> None:
        """annotator-errors.log -> .1 -> .2 ...; the oldest beyond :data:`LOG_KEEP` goes."""
        def numbered(n: int) -> Path:
            return self.log_file.with_name(f"{self.log_file.name}.{n}")

        numbered(LOG_KEEP).unlink(missing_ok=True)
        for n in range(LOG_KEEP - 1, 0, -1):
            if numbered(n).exists():
                os.replace(numbered(n), numbered(n + 1))
        os.replace(self.log_file, numbered(1))

    @Slot(str)
    def _show_message(self, message: str) -> None:
        self.messages.append(message)
        try:
            self._show_in_window(message)
        except Exception:  # noqa: BLE001 - never an error about the error: it is logged and on stderr already
            logging.getLogger(__name__).debug("could not show the error message", exc_info=True)
        self.reported.emit(message)

    def _show_in_window(self, message: str) -> None:
        window = self.window()
        if window is not None and not shiboken6.isValid(window):
            window = None
        _roll_back_unfinished(window)
        show = getattr(window, "show_problem", None)
        if callable(show):
            show(message, self.log_file)
        else:
            box = QMessageBox(QMessageBox.Icon.Warning, "Something went wrong", message,
                              QMessageBox.StandardButton.Close, window)
            box.setObjectName("problemBox")
            box.setModal(False)
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.show()


def _active_window() -> QWidget | None:
    """The window the user is in: the application's annotation window, else the active one."""
    from annotator.ui import app

    active = QApplication.activeWindow()
    if active is not None and callable(getattr(active, "show_problem", None)):
        return active
    for controller in reversed(app._running):
        window = controller.window
        if window is not None and shiboken6.isValid(window) and window.isVisible():
            return window
    return active


def _roll_back_unfinished(window: QWidget | None) -> None:
    """A transaction the failed action left open on the window's connection: roll it back (it was never saved)."""
    corpus = getattr(window, "corpus", None)
    conn = getattr(corpus, "conn", None)
    try:
        if conn is not None and conn.in_transaction:
            conn.rollback()
    except Exception:  # noqa: BLE001 - a closed or broken connection: the next edit reports it
        pass


def install(log_file: str | os.PathLike | None = None, *, debug: bool | None = None) -> ErrorReporter:
    """Make the application's one :class:`ErrorReporter` the exception hook and return it.

    ``debug`` None: ``ANNOTATOR_DEBUG`` decides. A second call reuses the reporter (with the
    log file and debug given) and makes it the hook again if something replaced it.
    """
    global _installed
    path = Path(log_file) if log_file else log_path()
    debug = debugging() if debug is None else debug
    if _installed is None:
        _installed = ErrorReporter(path, debug=debug)
    else:
        _installed.use_log(path)
        _installed.debug = debug
    return _installed.install()


def installed() -> ErrorReporter | None:
    return _installed


# -- the bar the window shows the message in --------------------------------------------------------------


class ProblemBar(QFrame):
    """A thin bar above the article: the message, a link to the log's folder, and × to close it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemBar")
        self.setStyleSheet("QFrame#problemBar { background: #fdecea; border: 1px solid #e6a19a; border-radius: 4px; }"
                           "QFrame#problemBar QLabel { color: #611a15; }")
        self.label = QLabel(self)
        self.label.setObjectName("problemText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_log = QToolButton(self)
        self.open_log.setObjectName("problemOpenLog")
        self.open_log.setText("Open log folder")
        self.open_log.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("problemClose")
        self.close_button.setText("×")
        self.close_button.setToolTip("Close this message")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_log, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._log_file: Path | None = None
        self.open_log.clicked.connect(self._open_folder)
        self.hide()

    def show_message(self, message: str, log_file: str | os.PathLike | None = None) -> None:
        self.label.setText(message)
        self._log_file = Path(log_file) if log_file else None
        self.open_log.setVisible(self._log_file is not None)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _open_folder(self) -> None:
        if self._log_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_file.parent)))
