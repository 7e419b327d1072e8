"""The application: one entry point that builds and wires everything.

:func:`run_app` creates the ``QApplication`` (Fusion style, high-DPI pass-through,
the shipped Noto fonts), finds out who is annotating (:mod:`annotator.ui.identity`:
``--annotator`` or ``$ANNOTATOR_NAME`` for the run only, the corpus's last annotator on
this machine, the saved name, or a small dialog on the first run), remembers recently
opened corpora (File → Open Recent) and shows :class:`annotator.ui.main_window.MainWindow`
on the corpus.

Settings live in ``QSettings("annotator", "annotator")``: ``annotator/name``,
``corpora/<hash>/annotator``, ``recent/corpora`` (most recent first), the window layout
and ``view/label-tags``. A run with a name given for the run writes none of them itself.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QWidget,
)

from annotator.store import DEFAULT_CORPUS
from annotator.ui.dialogs.annotator_name import ask_name
from annotator.ui.fonts import FONTS_DIR, load_shipped_fonts, ui_font  # noqa: F401 (FONTS_DIR: part of this module's API)
from annotator.ui.identity import Identity, choose_for_corpus, resolve_identity, save_name, saved_name

ORGANISATION = "annotator"
APPLICATION = "annotator"
RECENT_KEY = "recent/corpora"
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
SPLITTER_KEY = "window/splitter"
MAX_RECENT = 10

_running: list[Application] = []


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


def resolve_annotator(
    explicit: str | None = None,
    store: QSettings | None = None,
    ask: Callable[[], str | None] | None = None,
    corpus_path: str | os.PathLike | None = None,
) -> Identity | None:
    """Who annotates this run (see :mod:`annotator.ui.identity`): asked with a dialog on the very first run."""
    return resolve_identity(corpus_path, explicit, store or settings(), ask if ask is not None else ask_name)


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
    """Owns the main window and switches it to another corpus (File → Open, Open Recent).

    A run whose name was given for the run (``--annotator``, ``$ANNOTATOR_NAME``) is a
    visit: it reads the settings and writes none of them by itself (not the name, the
    recent corpora or the window layout). Only what the annotator changes in the menus is
    saved (File → Annotate as…, File → Saved Name…, View → Label tags).
    """

    def __init__(self, annotator: str | Identity, store: QSettings | None = None):
        super().__init__()
        self.identity = annotator if isinstance(annotator, Identity) else Identity(annotator, "saved")
        self.store = store or settings()
        self.window: QMainWindow | None = None
        self.path: Path | None = None

    @property
    def annotator(self) -> str:
        return self.identity.name

    @property
    def visit(self) -> bool:
        """True when this run must leave the settings file as it found it."""
        return self.identity.for_this_run_only

    def open(self, db_path: str | os.PathLike) -> QMainWindow:
        from annotator.ui.main_window import MainWindow

        path = Path(db_path)
        if not self.visit and (self.path is None or path.resolve() != self.path.resolve()):
            # Another corpus: the name its annotator last chose here, else the saved name.
            found = resolve_identity(path, None, self.store, ask=None, environ={})
            if found is not None:
                self.identity = found
        previous = self.window
        if previous is not None:
            self.save_layout(previous)
        window = MainWindow(str(path), self.annotator, preferences=self.store)
        window.annotator_label.setToolTip(f"Every edit is stored under this name: {self.identity.describe()}")
        if not self.visit:
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
        if self.visit:
            return
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

    # -- who is annotating ---------------------------------------------------------------------

    def annotate_as(self, parent: QWidget | None = None) -> None:
        """File → Annotate as…: another name for this corpus, remembered for it on this machine."""
        if self.path is None:
            return
        known = self._corpus_annotators()
        name = ask_name(
            parent, self.annotator, title="Annotate this corpus as…", known=known,
            intro=(f"Every label you make in {self.path.name} is stored under this name, from now on "
                   "on this machine (your saved name stays as it is for other corpora). Choose a "
                   "colleague's name to continue their work."),
        )
        if not name or name == self.annotator:
            return
        choose_for_corpus(self.store, self.path, name)
        self.identity = Identity(name, "corpus" if name != saved_name(self.store) else "saved")
        self.open(self.path).show()

    def change_saved_name(self, parent: QWidget | None = None) -> None:
        """File → Saved Name…: the name for corpora not given another one; asks first."""
        current = saved_name(self.store)
        name = ask_name(
            parent, current or self.annotator, title="Your saved name",
            intro=("The name your labels are stored under in every corpus you open on this machine, "
                   "unless you chose another one for a corpus (File → Annotate as…)."
                   + (f" Now: {current}." if current else "")),
        )
        if not name or name == current:
            return
        follows_saved = self.identity.source in ("saved", "asked")
        save_name(self.store, name)
        if follows_saved and self.path is not None:
            self.identity = Identity(name, "saved")
            self.open(self.path).show()
        elif self.window is not None and hasattr(self.window, "tell"):
            self.window.tell(f"Saved name is now {name}; this window stays {self.annotator} "
                             f"({self.identity.describe()}).")

    def _corpus_annotators(self) -> list[str]:
        window = self.window
        corpus = getattr(window, "corpus", None)
        if corpus is None:
            return []
        return [row["name"] for row in corpus.annotators() if row["kind"] == "annotator"]

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
        annotate_as = QAction("Annotate &as…", window)
        annotate_as.setObjectName("annotateAsAction")
        annotate_as.setToolTip("Store this corpus's labels under another name (e.g. to continue a colleague's work)")
        annotate_as.triggered.connect(lambda: self.annotate_as(window))
        saved = QAction("Saved &Name…", window)
        saved.setObjectName("savedNameAction")
        saved.setToolTip("Change the name your labels are stored under in every corpus (asks first)")
        saved.triggered.connect(lambda: self.change_saved_name(window))
        menu.insertAction(first, open_action)
        menu.insertMenu(first, recent)
        menu.insertSeparator(first)
        menu.insertAction(first, annotate_as)
        menu.insertAction(first, saved)
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


def run_app(db_path: str | None, annotator: str | None = None, *, exec_loop: bool = True,
            debug: bool | None = None) -> int:
    """Open the annotation window on ``db_path`` (None: the most recent corpus) and run until it closes.

    An exception no code catches (in a slot, an event handler) is logged beside the settings,
    told in the window and in one line on stderr (the traceback with ``debug``, ``--debug`` or
    ``ANNOTATOR_DEBUG=1``): :mod:`annotator.ui.errors`.

    Returns the process exit code: 0 normally, 2 when no corpus or no annotator name was given.
    """
    from annotator.ui import errors

    app = make_application()
    store = settings()
    errors.install(errors.log_path(store.fileName()), debug=debug)
    path = Path(db_path) if db_path else default_corpus(store)
    if not path.is_file():
        QMessageBox.critical(
            None,
            "No corpus",
            f"There is no corpus at {path}.\n\nImport articles first, e.g.\n    annotator import seeds/ --db {path}",
        )
        return 2
    identity = resolve_annotator(annotator, store, corpus_path=path)
    if identity is None:
        return 2
    controller = Application(identity, store)
    window = controller.open_checked(str(path))
    if window is None:
        return 2
    _running.append(controller)  # keeps the window alive as long as the application
    if not exec_loop:
        return 0
    return app.exec()
