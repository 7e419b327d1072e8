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
    load_shipped_fonts,
    recent_corpora,
    remember_corpus,
    resolve_annotator,
    run_app,
)
from annotator.ui.dialogs.annotator_name import AnnotatorNameDialog


@pytest.fixture
def store(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def user_settings(tmp_path: Path, monkeypatch) -> QSettings:
    """The application's own settings, kept in the test's folder."""
    path = tmp_path / "user-settings.ini"
    monkeypatch.setattr(app_module, "settings", lambda: QSettings(str(path), QSettings.Format.IniFormat))
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    store = app_module.settings()
    store.setValue("annotator/name", "amira")  # the user's saved name (a run with a name given saves nothing)
    return store


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


def test_name_given_explicitly_is_for_this_run_only(store, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    store.setValue("annotator/name", "amira")
    found = resolve_annotator("  bilal  ", store, ask=lambda: pytest.fail("must not ask"))
    assert (found.name, found.source, found.for_this_run_only) == ("bilal", "explicit", True)
    assert store.value("annotator/name") == "amira"
    assert resolve_annotator(None, store, ask=lambda: pytest.fail("must not ask")).name == "amira"


def test_name_from_environment_is_used_but_not_remembered(store, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_NAME", "salem")
    found = resolve_annotator(None, store, ask=lambda: pytest.fail("must not ask"))
    assert (found.name, found.source) == ("salem", "environment")
    assert not store.value("annotator/name")
    assert resolve_annotator("amira", store).name == "amira"  # an explicit name wins


def test_first_run_asks_once_and_remembers(store, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    asked: list[int] = []
    assert resolve_annotator(None, store, ask=lambda: asked.append(1) or "نور").name == "نور"
    assert resolve_annotator(None, store, ask=lambda: asked.append(1) or "other").name == "نور"
    assert asked == [1]


def test_cancelled_first_run_gives_no_name(store, monkeypatch):
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    assert resolve_annotator(None, store, ask=lambda: None) is None
    assert resolve_annotator(None, store, ask=lambda: "   ") is None


def test_the_corpus_name_chosen_on_this_machine_comes_before_the_saved_name(store, monkeypatch, tmp_path):
    from annotator.ui.identity import choose_for_corpus

    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    mine, theirs = tmp_path / "mine.db", tmp_path / "colleague.db"
    store.setValue("annotator/name", "amira")
    choose_for_corpus(store, theirs, "bilal")
    assert resolve_annotator(None, store, corpus_path=theirs).name == "bilal"
    assert resolve_annotator(None, store, corpus_path=theirs).source == "corpus"
    assert resolve_annotator(None, store, corpus_path=mine).name == "amira"
    assert resolve_annotator("chen", store, corpus_path=theirs).name == "chen"  # the flag still wins
    choose_for_corpus(store, theirs, "amira")  # back to the saved name: it follows the saved name again
    store.setValue("annotator/name", "amira k")
    assert resolve_annotator(None, store, corpus_path=theirs).name == "amira k"


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
    user_settings.setValue("annotator/name", "amira")
    assert run_app(str(db), None, exec_loop=False) == 0
    controller = app_module._running[-1]
    window = controller.window
    qtbot.addWidget(window)
    assert window.isVisible()
    assert window.session.annotator == "amira"
    assert window.session.document is not None and window.session.document.title == "خبر"
    assert window.document_list.model.rowCount() == 2
    assert recent_corpora(user_settings)[0] == str(db.resolve())
    assert "saved name" in window.annotator_label.toolTip()


def test_a_run_with_annotator_leaves_the_settings_file_untouched(qtbot, tmp_path, user_settings, monkeypatch):
    """The issue: one `open … --annotator bilal` made every later plain run save labels as bilal."""
    db = make_corpus(tmp_path / "colleague.db", "خبر")
    mine = make_corpus(tmp_path / "mine.db", "mine")
    user_settings.setValue("annotator/name", "amira")
    remember_corpus(mine, user_settings)
    user_settings.sync()
    settings_file = Path(user_settings.fileName())
    before = settings_file.read_bytes()

    assert run_app(str(db), "bilal", exec_loop=False) == 0
    window = app_module._running[-1].window
    qtbot.addWidget(window)
    assert window.session.annotator == "bilal"
    assert "for this run only" in window.annotator_label.toolTip()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.view.setFocus()
    window.view.select_text(0, 3)
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # a label stored as bilal
    window.resize(640, 480)
    window.close()
    user_settings.sync()
    assert settings_file.read_bytes() == before
    with Corpus.open(db) as corpus:
        assert [s.label for s in corpus.spans(window.session.doc_id, "bilal")] == ["PER"]

    # a plain run afterwards is amira again, on both corpora
    for path in (db, mine):
        assert run_app(str(path), None, exec_loop=False) == 0
        again = app_module._running[-1].window
        qtbot.addWidget(again)
        assert again.session.annotator == "amira"
        again.close()


def test_environment_name_run_writes_no_settings_either(qtbot, tmp_path, user_settings, monkeypatch):
    db = make_corpus(tmp_path / "env.db", "env")
    user_settings.setValue("annotator/name", "amira")
    user_settings.sync()
    before = Path(user_settings.fileName()).read_bytes()
    monkeypatch.setenv("ANNOTATOR_NAME", "salem")
    assert run_app(str(db), None, exec_loop=False) == 0
    window = app_module._running[-1].window
    qtbot.addWidget(window)
    assert window.session.annotator == "salem"
    window.close()
    user_settings.sync()
    assert Path(user_settings.fileName()).read_bytes() == before


def test_open_recent_switches_corpus(qtbot, tmp_path, user_settings):
    first = make_corpus(tmp_path / "first.db", "first")
    second = make_corpus(tmp_path / "second.db", "second")
    remember_corpus(second, user_settings)
    run_app(str(first), None, exec_loop=False)
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
    monkeypatch.setattr(app_module, "run_app", lambda path, name, **_: calls.append((path, name)) or 0)
    result = CliRunner().invoke(main, ["open", str(db), "--annotator", "amira"])
    assert result.exit_code == 0, result.output
    assert calls == [(str(db), "amira")]


def test_help_key_shows_the_overlay_in_the_window(qtbot, tmp_path, user_settings):
    db = make_corpus(tmp_path / "k.db", "k")
    run_app(str(db), None, exec_loop=False)
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
    run_app(str(db), None, exec_loop=False)
    window = app_module._running[-1].window
    qtbot.addWidget(window)
    screen = window.screen().availableGeometry()
    size = (min(777, screen.width() - 40), min(555, screen.height() - 60))  # restoreGeometry keeps it on screen
    window.resize(*size)
    splitter = window.findChild(QSplitter, "mainSplitter")
    splitter.setSizes([200, size[0] - 420, 220])
    sizes = splitter.sizes()
    window.close()
    run_app(str(db), None, exec_loop=False)
    again = app_module._running[-1].window
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == size
    assert again.findChild(QSplitter, "mainSplitter").sizes() == sizes


def test_annotate_as_reopens_this_corpus_under_the_name_and_remembers_it_here(qtbot, tmp_path, user_settings,
                                                                               monkeypatch):
    db = make_corpus(tmp_path / "n.db", "n")
    other = make_corpus(tmp_path / "other.db", "other")
    user_settings.setValue("annotator/name", "amira")
    run_app(str(db), None, exec_loop=False)
    controller = app_module._running[-1]
    qtbot.addWidget(controller.window)

    def answer(dialog):
        assert "n.db" in dialog.intro.text()
        dialog.name_edit.setText("salem")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AnnotatorNameDialog, "exec", answer)
    window = controller.window
    window.findChild(QAction, "annotateAsAction").trigger()
    qtbot.addWidget(controller.window)
    assert controller.window is not window
    assert controller.window.session.annotator == "salem"
    assert user_settings.value("annotator/name") == "amira"  # the saved name is not changed
    controller.window.close()
    run_app(str(db), None, exec_loop=False)  # the corpus remembers its annotator on this machine
    qtbot.addWidget(app_module._running[-1].window)
    assert app_module._running[-1].window.session.annotator == "salem"
    run_app(str(other), None, exec_loop=False)  # other corpora keep the saved name
    qtbot.addWidget(app_module._running[-1].window)
    assert app_module._running[-1].window.session.annotator == "amira"


def test_saved_name_is_changed_only_by_its_menu_action_which_asks(qtbot, tmp_path, user_settings, monkeypatch):
    db = make_corpus(tmp_path / "s.db", "s")
    user_settings.setValue("annotator/name", "amira")
    run_app(str(db), None, exec_loop=False)
    controller = app_module._running[-1]
    qtbot.addWidget(controller.window)
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.windowTitle())
        dialog.name_edit.setText("amira k")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AnnotatorNameDialog, "exec", answer)
    controller.window.findChild(QAction, "savedNameAction").trigger()
    qtbot.addWidget(controller.window)
    assert asked == ["Your saved name"]
    assert user_settings.value("annotator/name") == "amira k"
    assert controller.window.session.annotator == "amira k"  # this corpus follows the saved name


def test_label_bar_click_labels_the_selected_text_in_the_window(qtbot, tmp_path, user_settings):
    db = make_corpus(tmp_path / "l.db", "l")
    run_app(str(db), None, exec_loop=False)
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
    monkeypatch.setattr(app_module, "run_app", lambda path, name, **_: calls.append((path, name)) or 0)
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0, result.output
    assert calls == [(str(Path("corpus") / "corpus.db"), None)]
