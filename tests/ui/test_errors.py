"""An exception in a Qt slot: logged with its traceback beside the settings, told in the window
(not modal) and in one line on stderr; the window goes on working and nothing saved is lost.

These tests let the exceptions reach the application's own hook (``qt_no_exception_capture``):
pytest-qt would otherwise take them to fail the test.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.spans import DocumentRecord
from annotator.store import Corpus
from annotator.ui import app as app_module
from annotator.ui import errors
from annotator.ui.app import run_app

WHO = "amira"
TEXT = "Putin met Obama in Moscow.\n\nThe talks went on late into the night."
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def user_settings(tmp_path: Path, monkeypatch) -> QSettings:
    """The application's own settings, kept in the test's folder (the log goes beside them)."""
    path = tmp_path / "config" / "annotator.conf"
    monkeypatch.setattr(app_module, "settings", lambda: QSettings(str(path), QSettings.Format.IniFormat))
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    monkeypatch.delenv("ANNOTATOR_DEBUG", raising=False)
    store = app_module.settings()
    store.setValue("annotator/name", WHO)
    return store


@pytest.fixture
def hook():
    """Puts back the exception hooks the application's start-up replaced."""
    before = (sys.excepthook, errors.threading.excepthook)
    yield
    reporter = errors.installed()
    if reporter is not None:
        reporter.uninstall()
    sys.excepthook, errors.threading.excepthook = before


@pytest.fixture
def window(qtbot, tmp_path, user_settings, hook):
    db = tmp_path / "news.db"
    with Corpus.open(db) as corpus:
        corpus.add_documents([DocumentRecord(text=TEXT, title="Talks")])
    assert run_app(str(db), None, exec_loop=False) == 0  # the application's start-up, which installs the hook
    window = app_module._running[-1].window
    qtbot.addWidget(window)
    qtbot.waitActive(window)
    window.view.setFocus()
    return window


class Host(QWidget):
    """A window with a place for the message, for the reporter's own tests."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def show_problem(self, message: str, log_file=None) -> None:
        self.problems.append(message)


def spans_in_db(window) -> list[tuple[int, int, str]]:
    with Corpus.open(window.corpus_path) as corpus:
        return [(s.start, s.end, s.label) for s in corpus.spans(window.session.doc_id, WHO)]


def label(qtbot, window, start: int, end: int, key: Qt.Key) -> None:
    window.view.select_text(start, end)
    qtbot.keyClick(window.view, key)


def test_a_slot_that_raises_is_logged_told_in_the_window_and_the_window_goes_on(qtbot, window, user_settings,
                                                                                 monkeypatch, capsys):
    log = Path(user_settings.fileName()).parent / "annotator-errors.log"
    label(qtbot, window, 0, 5, Qt.Key.Key_1)  # saved before the failure
    assert spans_in_db(window) == [(0, 5, "PER")]

    def broken_accept_all():
        raise RuntimeError("the suggestion cache is damaged")

    monkeypatch.setattr(window.session, "accept_all", broken_accept_all)
    capsys.readouterr()
    qtbot.keyClick(window.view, Qt.Key.Key_A)  # the key's slot raises
    bar = window.problem_bar
    qtbot.waitUntil(bar.isVisible)

    message = bar.text()
    assert message == (f"Something went wrong while “Accept every suggestion in the article” (A): internal error: "
                       f"RuntimeError: the suggestion cache is damaged. Nothing saved was lost. Details: {log}")
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "in broken_accept_all" in logged and "RuntimeError: the suggestion cache is damaged" in logged
    assert "while “Accept every suggestion in the article” (A)" in logged
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1 and "Traceback" not in stderr  # one line, not the traceback
    assert stderr.startswith("annotator: something went wrong while “Accept every suggestion") and str(log) in stderr

    if os.environ.get("ANNOTATOR_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(qtbot.screenshot(window), SCREENSHOTS / "error-message.png")

    # the window still works: a key still labels a span in the database, and the span saved before is there
    label(qtbot, window, 10, 15, Qt.Key.Key_1)  # "Obama"
    assert spans_in_db(window) == [(0, 5, "PER"), (10, 15, "PER")]
    assert bar.isVisible()  # the message stays until it is closed (it is not modal)
    qtbot.mouseClick(bar.close_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()


def test_an_edit_that_fails_half_way_is_rolled_back_and_the_next_one_is_saved(qtbot, window, monkeypatch):
    corpus = window.corpus
    real = corpus.add_span

    def add_then_fail(*args, **kwargs):
        real(*args, **kwargs)  # the row is written inside the edit's transaction...
        raise ValueError("unexpected label colour")  # ...then something unexpected fails

    monkeypatch.setattr(corpus, "add_span", add_then_fail)
    label(qtbot, window, 0, 5, Qt.Key.Key_1)
    qtbot.waitUntil(window.problem_bar.isVisible)
    assert "while “Label the selected text PER” (1): internal error: ValueError: unexpected label colour" in (
        window.problem_bar.text())
    assert not corpus.conn.in_transaction
    assert spans_in_db(window) == []  # the failed edit left nothing half-saved
    monkeypatch.setattr(corpus, "add_span", real)
    label(qtbot, window, 10, 15, Qt.Key.Key_2)
    assert spans_in_db(window) == [(10, 15, "ORG")]


def test_a_menu_entry_names_itself_and_a_timer_names_its_function(qtbot, window, monkeypatch):
    from PySide6.QtGui import QAction

    monkeypatch.setattr(window, "open_dialog", lambda name: 1 / 0)
    window.findChild(QAction, "action_statistics").trigger()
    qtbot.waitUntil(window.problem_bar.isVisible)
    assert window.problem_bar.text().startswith(
        "Something went wrong while “Statistics”: internal error: ZeroDivisionError: division by zero.")
    window.problem_bar.hide()
    QTimer.singleShot(0, window._update_progress)
    monkeypatch.setattr(window.session, "progress", lambda: (_ for _ in ()).throw(KeyError("annotators")))
    qtbot.waitUntil(window.problem_bar.isVisible)
    assert "while running MainWindow._update_progress: internal error: KeyError: 'annotators'." in (
        window.problem_bar.text())


def test_debug_prints_the_whole_traceback(qtbot, tmp_path, hook):
    stderr = io.StringIO()
    host = QWidget()  # a window without a bar of its own: a message box, not modal
    qtbot.addWidget(host)
    host.show()
    reporter = errors.ErrorReporter(tmp_path / "errors.log", debug=True, stderr=stderr, window=lambda: host).install()
    shown: list[str] = []
    reporter.reported.connect(shown.append)

    def failing_slot():
        raise OSError(28, "No space left on device", "/data/corpus.db")

    QTimer.singleShot(0, failing_slot)
    qtbot.waitUntil(lambda: bool(shown))
    printed = stderr.getvalue()
    assert "Traceback (most recent call last)" in printed and "in failing_slot" in printed
    assert shown[0].startswith("Something went wrong while handling an event: ") and (  # no annotator code in it
        ": /data/corpus.db: No space left on device. Nothing saved was lost." in shown[0])
    box = host.findChild(QMessageBox, "problemBox")
    assert box is not None and box.isVisible() and not box.isModal() and box.text() == shown[0]
    box.close()


def test_annotator_debug_in_the_environment_turns_debug_on(monkeypatch, tmp_path, hook):
    monkeypatch.setenv("ANNOTATOR_DEBUG", "1")
    assert errors.install(tmp_path / "e.log").debug
    monkeypatch.setenv("ANNOTATOR_DEBUG", "0")
    assert not errors.install(tmp_path / "e.log").debug
    assert errors.install(tmp_path / "e.log", debug=True).debug  # --debug


def test_the_log_is_capped(qtbot, tmp_path, hook, monkeypatch):
    monkeypatch.setattr(errors, "LOG_BYTES", 2_000)
    log = tmp_path / "errors.log"
    host = Host()
    qtbot.addWidget(host)
    reporter = errors.ErrorReporter(log, stderr=io.StringIO(), window=lambda: host)
    for n in range(40):
        try:
            raise RuntimeError(f"failure {n} " + "x" * 200)
        except RuntimeError as exc:
            reporter.report(exc)
    reporter.uninstall()
    files = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("errors.log"))
    assert files == ["errors.log", "errors.log.1", "errors.log.2"]  # rotated, two older files kept
    assert all((tmp_path / name).stat().st_size < 4_000 for name in files)
    assert "failure 39" in log.read_text(encoding="utf-8")
    qtbot.waitUntil(lambda: len(host.problems) == 40)


@pytest.mark.parametrize(("args", "env", "debug"), [
    (["open"], {}, False),
    (["--debug", "open"], {}, True),
    (["open"], {"ANNOTATOR_DEBUG": "1"}, True),
])
def test_the_cli_passes_debug_to_the_window(tmp_path, monkeypatch, args, env, debug):
    from click.testing import CliRunner

    from annotator.cli.main import main

    db = tmp_path / "c.db"
    with Corpus.open(db) as corpus:
        corpus.add_documents([DocumentRecord(text=TEXT, title="Talks")])
    monkeypatch.delenv("ANNOTATOR_DEBUG", raising=False)
    calls: list[dict] = []
    monkeypatch.setattr(app_module, "run_app", lambda path, name, **kwargs: calls.append(kwargs) or 0)
    result = CliRunner().invoke(main, [*args, str(db)], env=env)
    assert result.exit_code == 0, result.output
    assert calls == [{"debug": debug}]


def test_a_log_that_cannot_be_written_is_said_and_the_message_still_shown(qtbot, tmp_path, hook):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log's folder should be", encoding="utf-8")
    stderr = io.StringIO()
    host = Host()
    qtbot.addWidget(host)
    reporter = errors.ErrorReporter(blocker / "errors.log", stderr=stderr, window=lambda: host)
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        message = reporter.report(exc)
    assert message.startswith("Something went wrong while handling an event: internal error: RuntimeError: boom. "
                              "Nothing saved was lost. Details: the log could not be written (")
    assert stderr.getvalue().count("\n") == 1 and "the log could not be written" in stderr.getvalue()
    qtbot.waitUntil(lambda: host.problems == [message])
