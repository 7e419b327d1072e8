"""The application: one entry point that builds and wires everything.

:func:`run_app` creates the ``QApplication`` (Fusion style, high-DPI pass-through,
the shipped Noto fonts), finds out who is annotating (``--annotator``, the
``ANNOTATOR_NAME`` environment variable, the settings, or a small dialog on first
run), remembers recently opened corpora (File → Open Recent) and shows
:class:`annotator.ui.main_window.MainWindow` on the corpus.

Settings live in ``QSettings("annotator", "annotator")``: ``annotator/name`` and
``recent/corpora`` (most recent first).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QFont, QFontDatabase, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.labels import RESOURCES
from annotator.store import DEFAULT_CORPUS

ORGANISATION = "annotator"
APPLICATION = "annotator"
FONTS_DIR = RESOURCES / "fonts"
UI_FAMILIES = ["Noto Sans", "Noto Naskh Arabic", "DejaVu Sans"]
NAME_ENV = "ANNOTATOR_NAME"
NAME_KEY = "annotator/name"
RECENT_KEY = "recent/corpora"
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
SPLITTER_KEY = "window/splitter"
MAX_RECENT = 10

_loaded_fonts: dict[str, list[str]] | None = None
_running: list[Application] = []


def load_shipped_fonts() -> dict[str, list[str]]:
    """Register every font file of ``resources/fonts`` with Qt (once); file name -> families."""
    global _loaded_fonts
    if _loaded_fonts is None:
        loaded: dict[str, list[str]] = {}
        for path in sorted(FONTS_DIR.glob("*.ttf")) + sorted(FONTS_DIR.glob("*.otf")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            loaded[path.name] = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _loaded_fonts = loaded
    return _loaded_fonts


def ui_font(point_size: float | None = None) -> QFont:
    """The interface font: Noto Sans for Latin text, Noto Naskh Arabic for Arabic titles and labels."""
    load_shipped_fonts()
    font = QFont(QGuiApplication.font())
    font.setFamilies(UI_FAMILIES)
    if point_size:
        font.setPointSizeF(point_size)
    return font


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once (tests reuse pytest-qt's instance)."""
    existing = QApplication.instance()
    if existing is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(list(argv) if argv is not None else [sys.argv[0]])
    else:
        app = existing  # type: ignore[assignment]
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    from annotator import __version__

    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setApplicationDisplayName("Annotator")
    if "Fusion" in _styles():
        app.setStyle("Fusion")
    app.setFont(ui_font())
    return app  # type: ignore[return-value]


def _styles() -> list[str]:
    from PySide6.QtWidgets import QStyleFactory

    return QStyleFactory.keys()


def settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


# -- who is annotating -------------------------------------------------------------------


class AnnotatorNameDialog(QDialog):
    """Asked once: the name every label is stored under."""

    def __init__(self, parent: QWidget | None = None, name: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        self.setModal(True)
        intro = QLabel(
            "Your name is stored with every label you make, so your work can be told apart from "
            "your colleagues' and compared with it. You can change it later in the settings.",
            self,
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setObjectName("annotatorName")
        self.name_edit.setPlaceholderText("Your name, e.g. amira")
        self.name_edit.setMaxLength(80)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.buttons)
        self._update()
        self.resize(420, self.sizeHint().height())

    def name(self) -> str:
        return " ".join(self.name_edit.text().split())

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.name()))


def resolve_annotator(
    explicit: str | None = None,
    store: QSettings | None = None,
    ask: Callable[[], str | None] | None = None,
) -> str | None:
    """The annotator's name: given (remembered), ``$ANNOTATOR_NAME``, remembered, or asked (and remembered)."""
    store = store or settings()
    if explicit and explicit.strip():
        name = " ".join(explicit.split())
        store.setValue(NAME_KEY, name)
        return name
    from_env = os.environ.get(NAME_ENV, "")
    if from_env.strip():
        return " ".join(from_env.split())  # for this run only: the environment is not a choice to remember
    remembered = store.value(NAME_KEY, "", type=str)
    if remembered and remembered.strip():
        return remembered.strip()
    if ask is None:
        ask = _ask_name
    name = ask()
    if name and name.strip():
        name = " ".join(name.split())
        store.setValue(NAME_KEY, name)
        return name
    return None


def _ask_name() -> str | None:
    dialog = AnnotatorNameDialog()
    return dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else None


# -- recent corpora ------------------------------------------------------------------------


def recent_corpora(store: QSettings | None = None) -> list[str]:
    """Recently opened corpora that still exist, most recent first."""
    store = store or settings()
    value = store.value(RECENT_KEY, [])
    paths = [value] if isinstance(value, str) else list(value or [])
    return [p for p in paths if p and Path(p).is_file()]


def remember_corpus(path: str | os.PathLike, store: QSettings | None = None) -> list[str]:
    store = store or settings()
    resolved = str(Path(path).resolve())
    paths = [resolved] + [p for p in recent_corpora(store) if p != resolved]
    store.setValue(RECENT_KEY, paths[:MAX_RECENT])
    return paths[:MAX_RECENT]


# -- the window --------------------------------------------------------------------------------


class Application(QObject):
    """Owns the main window and switches it to another corpus (File → Open, Open Recent)."""

    def __init__(self, annotator: str, store: QSettings | None = None):
        super().__init__()
        self.annotator = annotator
        self.store = store or settings()
        self.window: QMainWindow | None = None
        self.path: Path | None = None

    def open(self, db_path: str | os.PathLike) -> QMainWindow:
        from annotator.ui.main_window import MainWindow

        path = Path(db_path)
        previous = self.window
        if previous is not None:
            self.save_layout(previous)
        window = MainWindow(str(path), self.annotator)
        remember_corpus(path, self.store)
        self._install_file_menu(window)
        self.restore_layout(window)
        window.installEventFilter(self)
        if previous is not None:
            previous.removeEventFilter(self)
            previous.close()
            previous.deleteLater()
        self.window, self.path = window, path
        return window

    # -- the window's size and panes, as the annotator left them ---------------------------------

    def save_layout(self, window: QMainWindow) -> None:
        self.store.setValue(GEOMETRY_KEY, window.saveGeometry())
        self.store.setValue(STATE_KEY, window.saveState())
        splitter = window.findChild(QSplitter, "mainSplitter")
        if splitter is not None:
            self.store.setValue(SPLITTER_KEY, splitter.saveState())

    def restore_layout(self, window: QMainWindow) -> None:
        geometry = self.store.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            window.restoreGeometry(geometry)
        state = self.store.value(STATE_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            window.restoreState(state)
        splitter = window.findChild(QSplitter, "mainSplitter")
        sizes = self.store.value(SPLITTER_KEY)
        if splitter is not None and isinstance(sizes, QByteArray) and not sizes.isEmpty():
            splitter.restoreState(sizes)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.save_layout(self.window)
        return False

    def change_annotator(self, parent: QWidget | None = None) -> None:
        """Ask for another name and reopen the corpus under it."""
        dialog = AnnotatorNameDialog(parent, self.annotator)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.name() or dialog.name() == self.annotator:
            return
        self.annotator = dialog.name()
        self.store.setValue(NAME_KEY, self.annotator)
        if self.path is not None:
            self.open(self.path).show()

    def _install_file_menu(self, window: QMainWindow) -> None:
        menu = self._file_menu(window)
        first = menu.actions()[0] if menu.actions() else None
        open_action = QAction("&Open Corpus…", window)
        open_action.setObjectName("openCorpusAction")
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(lambda: self._choose_corpus(window))
        recent = QMenu("Open &Recent", window)
        recent.setObjectName("openRecentMenu")
        recent.aboutToShow.connect(lambda: self._fill_recent(recent))
        self._fill_recent(recent)
        rename = QAction("Change Annotator &Name…", window)
        rename.setObjectName("changeAnnotatorAction")
        rename.triggered.connect(lambda: self.change_annotator(window))
        menu.insertAction(first, open_action)
        menu.insertMenu(first, recent)
        menu.insertAction(first, rename)
        if first is not None:
            menu.insertSeparator(first)

    @staticmethod
    def _file_menu(window: QMainWindow) -> QMenu:
        bar = window.menuBar()
        for action in bar.actions():
            menu = action.menu()
            if isinstance(menu, QMenu) and action.text().replace("&", "").lower() == "file":
                return menu
        menu = QMenu("&File", window)
        first = bar.actions()[0] if bar.actions() else None
        bar.insertMenu(first, menu)
        return menu

    def _fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        current = str(self.path.resolve()) if self.path else ""
        paths = recent_corpora(self.store)
        for number, path in enumerate(paths, start=1):
            label = f"&{number} {Path(path).name} — {Path(path).parent}" if number < 10 else f"{Path(path).name} — {path}"
            action = menu.addAction(label)
            action.setData(path)
            action.setToolTip(path)
            action.setEnabled(path != current)
            action.triggered.connect(lambda _checked=False, p=path: self.open(p).show())
        if not paths:
            empty = menu.addAction("No recent corpora")
            empty.setEnabled(False)

    def _choose_corpus(self, window: QMainWindow) -> None:
        start = recent_corpora(self.store)[0] if recent_corpora(self.store) else str(DEFAULT_CORPUS.resolve().parent)
        path, _ = QFileDialog.getOpenFileName(
            window, "Open a corpus", start, "Annotator corpora (*.db *.sqlite *.sqlite3);;All files (*)"
        )
        if path:
            self.open_checked(path, window)

    def open_checked(self, path: str, parent: QWidget | None = None) -> QMainWindow | None:
        """Open ``path``, telling the annotator (not raising) when it is not a corpus."""
        from annotator.store import CorpusError

        try:
            window = self.open(path)
        except (CorpusError, OSError, sqlite3.DatabaseError) as exc:
            QMessageBox.warning(parent, "Cannot open this corpus", str(exc))
            return None
        window.show()
        return window


def default_corpus(store: QSettings | None = None) -> Path:
    """What to open when no corpus is named: the most recent one, else ``corpus/corpus.db``."""
    recent = recent_corpora(store)
    if recent:
        return Path(recent[0])
    return DEFAULT_CORPUS


def run_app(db_path: str | None, annotator: str | None = None, *, exec_loop: bool = True) -> int:
    """Open the annotation window on ``db_path`` (None: the most recent corpus) and run until it closes.

    Returns the process exit code: 0 normally, 2 when no corpus or no annotator name was given.
    """
    app = make_application()
    store = settings()
    path = Path(db_path) if db_path else default_corpus(store)
    if not path.is_file():
        QMessageBox.critical(
            None,
            "No corpus",
            f"There is no corpus at {path}.\n\nImport articles first, e.g.\n    annotator import seeds/ --db {path}",
        )
        return 2
    name = resolve_annotator(annotator, store)
    if not name:
        return 2
    controller = Application(name, store)
    window = controller.open_checked(str(path))
    if window is None:
        return 2
    _running.append(controller)  # keeps the window alive as long as the application
    if not exec_loop:
        return 0
    return app.exec()
