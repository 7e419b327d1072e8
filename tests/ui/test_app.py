"""The application entry: fonts, annotator name, recent corpora, the window, ``annotator open``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMenu, QMessageBox, QSplitter

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord
from annotator.store import Corpus
from annotator.ui import app as app_module
from annotator.ui.app import (
    FONTS_DIR,
    AnnotatorNameDialog,
    load_shipped_fonts,
    recent_corpora,
    remember_corpus,
    resolve_annotator,
    run_app,
)


@pytest.fixture
def store(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def user_settings(tmp_path: Path, monkeypatch) -> QSettings:
    """The application's own settings, kept in the test's folder."""
    path = tmp_path / "user-settings.ini"
    monkeypatch.setattr(app_module, "settings", lambda: QSettings(str(path), QSettings.Format.IniFormat))
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    return app_module.settings()


def make_corpus(path: Path, title: str) -> Path:
    corpus = Corpus.open(path)
    corpus.add_documents([DocumentRecord(text=f"نص الخبر {title}.", title=title),
                          DocumentRecord(text=f"Second article of {title}.", title=f"{title} 2")])
    corpus.close()
    return path


# -- fonts ---------------------------------------------------------------------------------------


def test_shipped_fonts_are_loaded_from_resources(qapp):
    loaded = load_shipped_fonts()
    assert loaded["NotoNaskhArabic-Regular.ttf"] == ["Noto Naskh Arabic"]
    assert loaded["NotoSans-Regular.ttf"] == ["Noto Sans"]
    assert "Noto Naskh Arabic" in QFontDatabase.families()
    font = QFont("Noto Naskh Arabic")
    assert QFontInfo(font).family() == "Noto Naskh Arabic"
    assert (FONTS_DIR / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1


# -- who is annotating --------------------------------------------------------------------------


def test_name_given_explicitly_is_remembered(store, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    assert resolve_annotator("  amira  ", store, ask=lambda: pytest.fail("must not ask")) == "amira"
    assert resolve_annotator(None, store, ask=lambda: pytest.fail("must not ask")) == "amira"


def test_name_from_environment_is_used_but_not_remembered(store, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_NAME", "salem")
    assert resolve_annotator(None, store, ask=lambda: pytest.fail("must not ask")) == "salem"
    assert not store.value("annotator/name")
    assert resolve_annotator("amira", store) == "amira"  # an explicit name wins


def test_first_run_asks_once_and_remembers(store, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    asked: list[int] = []
    assert resolve_annotator(None, store, ask=lambda: asked.append(1) or "نور") == "نور"
    assert resolve_annotator(None, store, ask=lambda: asked.append(1) or "other") == "نور"
    assert asked == [1]


def test_cancelled_first_run_gives_no_name(store, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    assert resolve_annotator(None, store, ask=lambda: None) is None
    assert resolve_annotator(None, store, ask=lambda: "   ") is None


def test_name_dialog_needs_a_name(qtbot):
    dialog = AnnotatorNameDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "  amira   k ")
    assert ok.isEnabled()
    assert dialog.name() == "amira k"


# -- recent corpora -----------------------------------------------------------------------------


def test_recent_corpora_most_recent_first_without_duplicates_or_missing_files(store, tmp_path):
    a = make_corpus(tmp_path / "a.db", "a")
    b = make_corpus(tmp_path / "b.db", "b")
    remember_corpus(a, store)
    remember_corpus(b, store)
    remember_corpus(a, store)
    assert recent_corpora(store) == [str(a.resolve()), str(b.resolve())]
    b.unlink()
    assert recent_corpora(store) == [str(a.resolve())]


# -- the window ---------------------------------------------------------------------------------


def test_run_app_opens_the_window_on_the_corpus(qtbot, tmp_path, user_settings):
    db = make_corpus(tmp_path / "news.db", "خبر")
    assert run_app(str(db), "amira", exec_loop=False) == 0
    controller = app_module._running[-1]
    window = controller.window
    qtbot.addWidget(window)
    assert window.isVisible()
    assert window.session.annotator == "amira"
    assert window.session.document is not None and window.session.document.title == "خبر"
    assert window.document_list.model.rowCount() == 2
    assert recent_corpora(user_settings)[0] == str(db.resolve())
    assert user_settings.value("annotator/name") == "amira"


def test_open_recent_switches_corpus(qtbot, tmp_path, user_settings):
    first = make_corpus(tmp_path / "first.db", "first")
    second = make_corpus(tmp_path / "second.db", "second")
    remember_corpus(second, user_settings)
    run_app(str(first), "amira", exec_loop=False)
    controller = app_module._running[-1]
    window = controller.window
    qtbot.addWidget(window)
    recent = window.findChild(QMenu, "openRecentMenu")
    assert recent is not None
    recent.aboutToShow.emit()
    entries = {a.data(): a for a in recent.actions() if a.data()}
    assert set(entries) == {str(first.resolve()), str(second.resolve())}
    assert not entries[str(first.resolve())].isEnabled()  # the open one
    entries[str(second.resolve())].trigger()
    switched = controller.window
    qtbot.addWidget(switched)
    assert switched is not window
    assert switched.session.document.title == "second"
    assert not window.isVisible()


def test_run_app_without_a_corpus_says_so(tmp_path, user_settings, monkeypatch, qapp):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    assert run_app(str(tmp_path / "missing.db"), "amira", exec_loop=False) == 2
    assert "annotator import" in shown[0]


# -- the command ----------------------------------------------------------------------------------


def test_open_command_explains_a_missing_corpus(tmp_path):
    result = CliRunner().invoke(main, ["open", str(tmp_path / "nothing.db"), "--annotator", "amira"])
    assert result.exit_code != 0
    assert "no corpus at" in result.output and "annotator import" in result.output


def test_open_command_refuses_a_file_that_is_not_a_corpus(tmp_path):
    other = tmp_path / "notes.db"
    other.write_text("not sqlite", encoding="utf-8")
    result = CliRunner().invoke(main, ["open", str(other)])
    assert result.exit_code != 0
    assert "not a readable SQLite database" in result.output


def test_open_command_runs_the_window(tmp_path, monkeypatch):
    db = make_corpus(tmp_path / "c.db", "c")
    calls: list[tuple] = []
    monkeypatch.setattr(app_module, "run_app", lambda path, name: calls.append((path, name)) or 0)
    result = CliRunner().invoke(main, ["open", str(db), "--annotator", "amira"])
    assert result.exit_code == 0, result.output
    assert calls == [(str(db), "amira")]


def test_help_key_shows_the_overlay_in_the_window(qtbot, tmp_path, user_settings):
    db = make_corpus(tmp_path / "k.db", "k")
    run_app(str(db), "amira", exec_loop=False)
    window = app_module._running[-1].window
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F1)
    overlay = window.findChild(app_module.QWidget, "helpOverlay")
    assert overlay is not None and overlay.isVisible()
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible()


def test_window_size_and_panes_are_remembered(qtbot, tmp_path, user_settings):
    db = make_corpus(tmp_path / "w.db", "w")
    run_app(str(db), "amira", exec_loop=False)
    window = app_module._running[-1].window
    qtbot.addWidget(window)
    screen = window.screen().availableGeometry()
    size = (min(777, screen.width() - 40), min(555, screen.height() - 60))  # restoreGeometry keeps it on screen
    window.resize(*size)
    splitter = window.findChild(QSplitter, "mainSplitter")
    splitter.setSizes([200, size[0] - 420, 220])
    sizes = splitter.sizes()
    window.close()
    run_app(str(db), "amira", exec_loop=False)
    again = app_module._running[-1].window
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == size
    assert again.findChild(QSplitter, "mainSplitter").sizes() == sizes


def test_change_annotator_name_reopens_the_corpus_under_it(qtbot, tmp_path, user_settings, monkeypatch):
    db = make_corpus(tmp_path / "n.db", "n")
    run_app(str(db), "amira", exec_loop=False)
    controller = app_module._running[-1]
    qtbot.addWidget(controller.window)

    def answer(dialog):
        dialog.name_edit.setText("salem")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AnnotatorNameDialog, "exec", answer)
    window = controller.window
    window.findChild(QAction, "changeAnnotatorAction").trigger()
    qtbot.addWidget(controller.window)
    assert controller.window is not window
    assert controller.window.session.annotator == "salem"
    assert user_settings.value("annotator/name") == "salem"


def test_label_bar_click_labels_the_selected_text_in_the_window(qtbot, tmp_path, user_settings):
    db = make_corpus(tmp_path / "l.db", "l")
    run_app(str(db), "amira", exec_loop=False)
    window = app_module._running[-1].window
    qtbot.addWidget(window)
    session = window.session
    start = session.text.index("الخبر")
    window.view.select_text(start, start + len("الخبر"))
    qtbot.mouseClick(window.label_bar.buttons["label:ORG"], Qt.MouseButton.LeftButton)
    stored = [(session.text[s.start:s.end], s.label) for s in session.corpus.spans(session.doc_id, "amira")]
    assert stored == [("الخبر", "ORG")]
    assert window.label_bar.buttons["label:ORG"].isChecked()  # the new span is selected
    qtbot.mouseClick(window.label_bar.buttons["label:GPE"], Qt.MouseButton.LeftButton)  # relabel it
    stored = [(session.text[s.start:s.end], s.label) for s in session.corpus.spans(session.doc_id, "amira")]
    assert stored == [("الخبر", "GPE")]


def test_annotator_without_a_command_opens_the_default_corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    make_corpus(Path("corpus") / "corpus.db", "default")
    calls: list[tuple] = []
    monkeypatch.setattr(app_module, "run_app", lambda path, name: calls.append((path, name)) or 0)
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0, result.output
    assert calls == [(str(Path("corpus") / "corpus.db"), None)]
