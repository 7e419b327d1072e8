"""Corpus → Backup… and Check…: Cancel stops the work itself, not only the wait for it.

The backup copies the corpus a few pages at a time (SQLite's online backup in steps): a
Cancel is looked at between two steps, and the copy stops there with nothing under the chosen
name and no temporary file left. The check stops between two checks (between tables, between
articles). The command line's ``annotator backup`` and ``check`` run the same functions.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtCore import Qt

from annotator.cli.main import main as cli
from annotator.core.spans import DocumentRecord
from annotator.store import Corpus, maintenance
from annotator.ui.dialogs import backup_dialog, check_dialog
from annotator.ui.main_window import MainWindow

WHO = "amira"


@pytest.fixture
def corpus_path(tmp_path: Path) -> Path:
    """A corpus of a few hundred pages, so a backup one page per step has many steps."""
    path = tmp_path / "corpus.db"
    with Corpus.open(path) as corpus:
        corpus.add_documents([DocumentRecord(text=f"Article {i}. " + "Markets rose in Cairo today. " * 60,
                                             title=f"Article {i}") for i in range(450)])
    return path


@pytest.fixture
def window(qtbot, corpus_path: Path) -> MainWindow:
    w = MainWindow(corpus_path, WHO, run_suggesters=False)
    qtbot.addWidget(w)
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    return w


class Gate:
    """Holds a worker at a chosen call until the test has pressed Cancel (then counts the calls after)."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.opened = threading.Event()
        self.calls: list[tuple] = []

    def hold(self, *args) -> None:
        self.calls.append(args)
        if not self.reached.is_set():
            self.reached.set()
            self.opened.wait(20)


def partial_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial-" in p.name)


def test_cancel_stops_the_backup_between_two_steps_and_leaves_no_file(qtbot, window, tmp_path, monkeypatch):
    gate = Gate()
    real = maintenance.backup

    @functools.wraps(real)
    def held(source, dest, *, progress=None, **kwargs):
        def report(copied: int, total: int) -> None:
            if 0 < copied < total:
                gate.hold(copied, total)  # in the middle of the copy, the partial file half written
            progress(copied, total)

        return real(source, dest, progress=report, **kwargs)

    monkeypatch.setattr(backup_dialog, "backup", held)
    monkeypatch.setattr(backup_dialog, "STEP_PAGES", 1)
    out = tmp_path / "backups" / "copy.db"
    dialog = window.open_dialog("backup")
    dialog.out.setText(str(out))
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(gate.reached.is_set, timeout=30_000)
    assert partial_files(out.parent)  # the copy is under way, under its temporary name
    qtbot.mouseClick(dialog.panel.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.panel.cancel_button.text() == "Cancelling…"
    gate.opened.set()
    qtbot.waitUntil(lambda: not dialog.runner.running, timeout=30_000)

    assert dialog.panel.what.text() == "Cancelled."
    assert "no backup was written" in dialog.panel.result.toPlainText()
    copied, total = gate.calls[0]
    assert total > 100 and len(gate.calls) == 1  # stopped at the next step: not one more step was copied
    assert not out.exists()
    assert partial_files(out.parent) == []  # the half-written temporary copy is gone too
    # the window goes on annotating, and the next backup, not cancelled, is complete
    with Corpus.open(window.corpus_path) as corpus:
        assert corpus.count_documents() == 450
    monkeypatch.setattr(backup_dialog, "STEP_PAGES", 64)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.runner.running, timeout=60_000)
    assert dialog.panel.what.text() == "Backed up."
    with Corpus.open(out) as copy:
        assert copy.count_documents() == 450


def test_cancel_while_the_copy_is_verified_writes_nothing_under_the_name(tmp_path, corpus_path):
    out = tmp_path / "copy.db"
    calls: list[tuple[int, int]] = []

    class Stop(Exception):
        pass

    def stop_at_the_end(copied: int, total: int) -> None:
        calls.append((copied, total))
        if len(calls) > 1 and calls[-2][0] == total:  # the call after the verification, before the rename
            raise Stop

    with pytest.raises(Stop):
        maintenance.backup(corpus_path, out, progress=stop_at_the_end, pages=64)
    assert not out.exists() and partial_files(tmp_path) == []


def test_ctrl_c_during_annotator_backup_leaves_no_file(tmp_path, corpus_path, monkeypatch):
    out = tmp_path / "copy.db"
    steps: list[int] = []

    def interrupted(copied: int, total: int) -> None:
        steps.append(copied)
        if len(steps) == 3:
            raise KeyboardInterrupt  # what a pending Ctrl+C does in the Python code between two steps

    monkeypatch.setattr(maintenance, "_between_steps", interrupted)
    monkeypatch.setattr(maintenance, "BACKUP_STEP_PAGES", 1)
    result = CliRunner().invoke(cli, ["backup", "--db", str(corpus_path), str(out)])
    assert result.exit_code != 0 and len(steps) == 3
    assert not out.exists() and partial_files(tmp_path) == []
    done = CliRunner().invoke(cli, ["backup", "--db", str(corpus_path), str(out)])
    assert done.exit_code == 0, done.output
    assert "450 documents" in done.output and "verified" in done.output


def test_cancel_stops_the_check_between_two_checks(qtbot, window, monkeypatch):
    gate = Gate()
    real = maintenance.check
    reports: list[tuple[float, int, str]] = []

    @functools.wraps(real)
    def held(path, progress=None):
        def report(done: float, total: int, what: str) -> None:
            reports.append((done, total, what))
            if "texts" in what:
                gate.hold(done, total, what)  # in the middle: between the articles of the text check
            progress(done, total, what)

        return real(path, progress=report)

    monkeypatch.setattr(check_dialog, "check", held)
    dialog = window.open_dialog("check")
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(gate.reached.is_set, timeout=30_000)
    qtbot.mouseClick(dialog.panel.cancel_button, Qt.MouseButton.LeftButton)
    gate.opened.set()
    qtbot.waitUntil(lambda: not dialog.runner.running, timeout=30_000)
    assert dialog.panel.what.text() == "Cancelled."
    assert "stopped before its end" in dialog.panel.result.toPlainText()
    whats = [what for _, _, what in reports]
    assert not any("search index" in w or "counting" in w for w in whats)  # the later checks never ran
    # the check's own connection was closed: the corpus can be written (no lock left)
    with Corpus.open(window.corpus_path) as corpus:
        corpus.set_status(corpus.document_ids()[0], WHO, "done")
    # and run to its end, the same check reports the corpus healthy
    monkeypatch.setattr(check_dialog, "check", real)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.runner.running, timeout=60_000)
    assert dialog.panel.what.text() == "No problems found."


def test_the_check_reports_progress_between_tables_and_articles(corpus_path):
    seen: list[tuple[float, int, str]] = []
    report = maintenance.check(corpus_path, progress=lambda done, total, what: seen.append((done, total, what)))
    assert report.ok
    dones = [done for done, _, _ in seen]
    assert dones == sorted(dones) and seen[-1][1] == len(maintenance._CHECK_STEPS)
    texts = [done for done, _, what in seen if "texts" in what]
    assert len(texts) >= 3  # before the check, then every CHECK_EVERY of the 450 articles
    assert sqlite3.connect(corpus_path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
