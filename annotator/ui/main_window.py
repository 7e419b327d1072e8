"""The annotation window: document list, document view, side panel, label bar, status bar.

``MainWindow(corpus_path, annotator)`` opens the corpus, builds an
:class:`~annotator.ui.session.AnnotationSession` and wires every part to it: the
parts only talk to the session, never to each other. Every key is a QAction from
:mod:`annotator.ui.keymap`. Suggesters run in the background (current document
first) on their own connection; nothing blocks typing.

Menus: File (Import…, Export…, and the corpus and name actions :mod:`annotator.ui.app`
adds), Annotate, Quotes, Document, Edit, View (Label tags), Corpus (Check…, Backup…,
Statistics…), Review (a colleague's labels, Agreement report…). Each job dialog
(:mod:`annotator.ui.dialogs`) runs the CLI's function in a worker thread with its own
connection, with progress and cancel, and is not modal: annotating goes on meanwhile.

A restart opens the article the annotator left (:mod:`annotator.ui.resume`). A status
message is cleared by the next action or after a while (errors only by the next action).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.store import Corpus, CorpusError, locks
from annotator.ui import resume
from annotator.ui.actions import AnnotationActions
from annotator.ui.document_list import DocumentListWidget
from annotator.ui.document_view import DocumentView
from annotator.ui.errors import ProblemBar, doing
from annotator.ui.help_overlay import HelpOverlay
from annotator.ui.label_bar import LabelBar
from annotator.ui.preferences import LABEL_TAGS_KEY, MemoryStore, flag
from annotator.ui.search_index_job import SearchIndexJob
from annotator.ui.session import AnnotationSession, Message
from annotator.ui.side_panel import SidePanel
from annotator.ui.suggest_worker import SuggestionJob, load_runner, suggestion_pool
from annotator.ui.training_controller import attach_training

MESSAGE_COLORS = {"info": "palette(text)", "warning": "#b35900", "error": "#c0392b"}
MESSAGE_MS = {"info": 6000, "warning": 12000}  # errors stay until the next action
STATUS_NOTE_MS = 8000  # "search index: +N" and the like fade after this
REMEMBER_PLACE_MS = 1500  # the open article is recorded once the annotator stays on it
PREFETCH_DOCUMENTS = 10  # suggestions computed ahead for the next undone articles

MENUS = {
    "&Annotate": ("Entities", "Boundaries", "Suggestions"),
    "&Quotes": ("Quotes",),
    "&Document": ("Document",),
    "&Edit": ("History",),
    "&View": ("View",),
}
# Job dialogs: menu entry -> (module in annotator.ui.dialogs, class).
DIALOGS = {
    "import": ("import_dialog", "ImportDialog"),
    "export": ("export_dialog", "ExportDialog"),
    "agreement": ("agreement_dialog", "AgreementDialog"),
    "check": ("check_dialog", "CheckDialog"),
    "backup": ("backup_dialog", "BackupDialog"),
    "statistics": ("statistics_dialog", "StatisticsDialog"),
}


class MainWindow(QMainWindow):
    """The annotation window for one annotator on one corpus file."""

    def __init__(self, corpus_path: str | os.PathLike, annotator: str, parent: QWidget | None = None,
                 *, run_suggesters: bool = True, preferences: Any = None) -> None:
        super().__init__(parent)
        self.corpus_path = Path(corpus_path)
        self.preferences = preferences if preferences is not None else MemoryStore()
        self.dialogs: dict[str, QDialog] = {}
        self.corpus = Corpus.open(self.corpus_path)
        self.session = AnnotationSession(self.corpus, annotator)
        self.run_suggesters = run_suggesters
        self._pool = suggestion_pool()
        self._jobs: set[SuggestionJob] = set()
        self._suggested: set[int] = set()
        self._closed = False
        # Who has which article open: a second window or process on the same article and
        # annotator is told (see annotator.store.locks); the lock never blocks an edit.
        self._lock_holder = locks.holder_id(f"window-{id(self):x}")
        self._locked_doc: int | None = None
        self._lock_timer = QTimer(self)
        self._lock_timer.setInterval(int(locks.HEARTBEAT_EVERY * 1000))
        self._lock_timer.timeout.connect(self._heartbeat)
        self.setObjectName("mainWindow")
        self.resize(1400, 860)

        # parts
        self.view = DocumentView(self.session, self)
        self.document_list = DocumentListWidget(self.corpus, annotator, self)
        self.side_panel = SidePanel(self.session)
        self.label_bar = LabelBar(self.session)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.document_list)
        splitter.addWidget(self.view)
        splitter.addWidget(self.side_panel)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([300, 800, 320])
        splitter.setChildrenCollapsible(False)
        # Above the panes: the bar an unexpected error is reported in (annotator.ui.errors).
        self.problem_bar = ProblemBar(self)
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(4)
        central_layout.addWidget(self.problem_bar)
        central_layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        labels = QToolBar("Labels", self)
        labels.setObjectName("labelToolBar")
        labels.setMovable(False)
        labels.addWidget(self.label_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, labels)

        # keys and menus
        self.annotation_actions = AnnotationActions(self, self.session, self.view, {
            "before": self.clear_message,
            "help": self.show_help,
            "document.done": self.done_and_next,
            "document.skip": self.skip_with_note,
            "document.next": lambda: self.open_listed(1),
            "document.previous": lambda: self.open_listed(-1),
            "suggestion.accept": self.enter,
            "view.label-tags": lambda: self.set_label_tags(not self.view.label_tags),
            "corpus.import": lambda: self.open_dialog("import"),
            "corpus.export": lambda: self.open_dialog("export"),
        })
        self.label_bar.bind_actions(self.annotation_actions.actions)
        self._build_menus()
        self._help: HelpOverlay | None = None

        # status bar
        self.message_label = self._status_label("statusMessage", stretch=1)
        self.annotator_label = self._status_label("statusAnnotator")
        self.progress_label = self._status_label("statusProgress")
        self.save_label = self._status_label("statusSaved")
        self.suggester_label = self._status_label("statusSuggesters")
        self.index_label = self._status_label("statusSearchIndex")
        self.annotator_label.setText(f"annotator: {annotator}")
        self.annotator_label.setToolTip("Every edit is stored under this annotator name")
        self.save_label.setText("saved")
        self.save_label.setToolTip("Every edit is written to the corpus file the moment it is made")
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.clear_message)
        self._place_timer = QTimer(self)
        self._place_timer.setSingleShot(True)
        self._place_timer.setInterval(REMEMBER_PLACE_MS)
        self._place_timer.timeout.connect(self._remember_place)
        self._list_timer = QTimer(self)
        self._list_timer.setSingleShot(True)
        self._list_timer.setInterval(400)
        self._list_timer.timeout.connect(self._refresh_list)

        # wiring
        self.document_list.documentActivated.connect(self.open_document)
        self.document_list.searchChanged.connect(self.view.set_search)
        self.view.viewport().installEventFilter(self)  # a click is the next action: stale messages go
        self.session.subscribe(self._on_session)
        self.set_label_tags(flag(self.preferences, LABEL_TAGS_KEY), remember=False)
        left = resume.last_document(self.corpus, annotator)
        if left is not None:
            self.session.open_document(left)
        else:
            self.session.open_next_undone()
        # Loading the tokenizer the first time takes a moment: do it while the window is being built,
        # not after the first key. (Later articles are tokenised just after their first frame.)
        self.session.prepare_tokens()
        self._update_progress()
        if self.session.document is None:
            self.show_message(Message("This corpus has no articles yet: import some with `annotator import`."))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._index_job: SearchIndexJob | None = None
        self._indexing = False
        if self.corpus.search_index_pending():
            self._start_search_indexing()
        self.training = attach_training(self)  # Model menu, background training, least-confident order

    # -- construction helpers --------------------------------------------------------------------

    def _status_label(self, name: str, stretch: int = 0) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if stretch:
            self.statusBar().addWidget(label, stretch)
        else:
            self.statusBar().addPermanentWidget(label)
        return label

    def _build_menus(self) -> None:
        bar = self.menuBar()
        actions = self.annotation_actions
        file_menu = bar.addMenu("&File")
        file_menu.addAction(f"Corpus: {self.corpus_path.name}").setEnabled(False)
        file_menu.addSeparator()
        file_menu.addAction(actions["corpus.import"])
        file_menu.addAction(actions["corpus.export"])
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit")
        quit_action.setObjectName("action_quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for title, sections in MENUS.items():
            menu: QMenu = bar.addMenu(title)
            for section in sections:
                if menu.actions():
                    menu.addSeparator()
                for binding in actions.bindings:
                    if binding.section == section and binding.action in actions.actions:
                        menu.addAction(actions[binding.action])
        tags = actions["view.label-tags"]
        tags.setCheckable(True)
        tags.setText("Label &Tags")
        corpus_menu = bar.addMenu("&Corpus")
        self._menu_action(corpus_menu, "action_check", "&Check…", "Check the corpus file for damage and inconsistencies",
                          lambda: self.open_dialog("check"))
        self._menu_action(corpus_menu, "action_backup", "&Backup…", "Write a consistent copy of the corpus, safely",
                          lambda: self.open_dialog("backup"))
        corpus_menu.addSeparator()
        self._menu_action(corpus_menu, "action_statistics", "&Statistics…",
                          "Progress per annotator and label, articles done per day, suggestions accepted",
                          lambda: self.open_dialog("statistics"))
        review_menu = bar.addMenu("&Review")
        self._menu_action(review_menu, "action_review", "Review a colleague's labels…",
                          "Settle two annotators' disagreements into a reviewed set", self.start_review)
        self._menu_action(review_menu, "action_agreement", "&Agreement Report…",
                          "Agreement between annotators: span F1, kappa, alpha, quotes; an HTML report",
                          lambda: self.open_dialog("agreement"))

    def _menu_action(self, menu: QMenu, name: str, text: str, tip: str, slot) -> None:
        action = menu.addAction(text)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        what = f"“{text.replace('&', '').rstrip('…')}”"

        def run(_checked: bool = False) -> None:
            with doing(what):
                slot()

        action.triggered.connect(run)

    # -- documents ---------------------------------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        if doc_id != self.session.doc_id:
            self.session.open_document(doc_id)

    def open_listed(self, step: int) -> int | None:
        """Ctrl+PgDown / Ctrl+PgUp: the next or previous article in the list, within its search and filters."""
        target, why = self.document_list.adjacent(self.session.doc_id, step)
        if target is None:
            self.session.message(why, "info")
            return None
        self.open_document(target)
        return target

    def _next_in_list(self):
        """What Ctrl+Enter and Ctrl+K open next: the next article to do in the list, within its search
        and filters (from where the open article is listed; from the top when the list hides it)."""
        current = self.session.doc_id
        listed = current is not None and self.document_list.model.row_of(current) is not None
        return lambda: self.document_list.next_to_do(current if listed else None)

    def done_and_next(self) -> int | None:
        """Ctrl+Enter: mark the article done and open the next one to do in the list."""
        if self.session.document is None:
            return None
        return self.session.mark_done_and_next(following=self._next_in_list())

    def enter(self) -> None:
        """Enter: in the article list, open the highlighted article and go to its text; else accept."""
        if self.document_list.table.hasFocus():
            self.document_list.open_highlighted()
            self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        if not self.view.hasFocus():
            self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.session.accept_suggestion()

    def set_label_tags(self, shown: bool, remember: bool = True) -> None:
        """View → Label tags: a small tag with the label at the start of each entity (remembered)."""
        self.view.set_label_tags(shown)
        action = self.annotation_actions.actions.get("view.label-tags")
        if action is not None:
            action.setChecked(shown)
        if remember:
            self.preferences.setValue(LABEL_TAGS_KEY, shown)

    def _remember_place(self) -> None:
        if self.session.doc_id is not None and not self._closed:
            resume.remember_document(self.corpus, self.session.annotator, self.session.doc_id)

    def _on_session(self, kind: str, payload: object) -> None:
        if kind == "document":
            self.clear_message()
            self._place_timer.start()
            document = self.session.document
            title = (document.title or f"Article {document.id}") if document else ""
            self.setWindowTitle(f"{title} — {self.corpus_path.name} — annotator")
            self._lock_document(document.id if document else None)
            if document is not None:
                self.document_list.select_document(document.id)
                self._suggest_for(document.id)
            self._list_timer.start()
        elif kind == "annotations":
            self._show_suggestion_count()
            self._mark_saved()
            if self.session.doc_id is not None:
                self.document_list.refresh_document(self.session.doc_id)  # its counts, cheaply
        elif kind == "status":
            self._update_progress()
            self._list_timer.start()
        elif kind == "message" and isinstance(payload, Message):
            self.show_message(payload)
            if self.session.save_error:
                self.save_label.setText("NOT SAVED")
                self.save_label.setStyleSheet(f"color: {MESSAGE_COLORS['error']}; font-weight: bold;")
                self.save_label.setToolTip(self.session.save_error)

    def _refresh_list(self) -> None:
        if self.session.doc_id is not None:
            self.document_list.refresh()
            self.document_list.select_document(self.session.doc_id)

    def _update_progress(self) -> None:
        done, total = self.session.progress()
        status = self.session.status[0].replace("_", " ")
        self.progress_label.setText(f"{done} / {total} done · this article: {status}")

    def _mark_saved(self) -> None:
        saved = self.session.saved_at
        self.save_label.setText(f"saved {saved:%H:%M:%S}" if saved else "saved")
        self.save_label.setStyleSheet("")
        self.save_label.setToolTip("Every edit is written to the corpus file the moment it is made")

    def show_message(self, message: Message) -> None:
        self.message_label.setText(message.text)
        self.message_label.setStyleSheet(f"color: {MESSAGE_COLORS.get(message.level, 'palette(text)')};")
        timeout = MESSAGE_MS.get(message.level)
        if timeout is None:
            self._message_timer.stop()
        else:
            self._message_timer.start(timeout)

    def show_problem(self, message: str, log_file: str | os.PathLike | None = None) -> None:
        """An unexpected error (see :mod:`annotator.ui.errors`): a bar above the article until closed."""
        self.problem_bar.show_message(message, log_file)

    def tell(self, text: str, level: str = "info") -> None:
        """Say something in the status bar (for the application and the dialogs)."""
        self.show_message(Message(text, level))

    def clear_message(self) -> None:
        """The message is stale: the annotator did something else, or it timed out."""
        self._message_timer.stop()
        self.message_label.clear()

    def _fade(self, label: QLabel, text: str) -> None:
        """Show a passing note in a status label, cleared after a while unless replaced."""
        label.setText(text)
        QTimer.singleShot(STATUS_NOTE_MS, lambda: None if self._closed or label.text() != text else label.clear())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.MouseButtonPress:
            self.clear_message()
        return super().eventFilter(watched, event)

    # -- who else has this article open ----------------------------------------------------------

    def _lock_document(self, doc_id: int | None) -> None:
        annotator = self.session.annotator
        try:
            if self._locked_doc is not None and self._locked_doc != doc_id:
                locks.release(self.corpus, self._locked_doc, annotator, holder=self._lock_holder)
            self._locked_doc = doc_id
            if doc_id is None:
                self._lock_timer.stop()
                return
            other = locks.acquire(self.corpus, doc_id, annotator, holder=self._lock_holder)
        except (CorpusError, KeyError):
            return  # the lock is advice; the edits themselves report their own problems
        self._lock_timer.start()
        if other is not None:
            self.show_message(Message(
                f"This article is also open for {annotator} in another window ({other.holder}, since "
                f"{other.acquired_at[:19].replace('T', ' ')}). Every edit is saved, but you may change each "
                "other's labels: close one of them.",
                "warning",
            ))

    def _heartbeat(self) -> None:
        if self._locked_doc is not None:
            try:
                locks.heartbeat(self.corpus, self._locked_doc, self.session.annotator, holder=self._lock_holder)
            except (CorpusError, KeyError):
                pass

    # -- search index ------------------------------------------------------------------------------

    def _start_search_indexing(self) -> None:
        job = SearchIndexJob(self.corpus_path)
        label = self.index_label
        label.setToolTip("Articles imported since the last search are added to the full-text search index")
        job.signals.progress.connect(
            lambda done, total: None if self._closed else label.setText(f"indexing for search {done}/{total}")
        )
        job.signals.finished.connect(lambda n: None if self._closed else self._fade(label, f"search index: +{n}"))
        job.signals.failed.connect(lambda error: None if self._closed else label.setText(f"search index: {error}"))
        job.signals.finished.connect(lambda _n: setattr(self, "_indexing", False))
        job.signals.failed.connect(lambda _e: setattr(self, "_indexing", False))
        self._indexing = True
        self._index_job = job
        QThreadPool.globalInstance().start(job)

    # -- window-level actions ------------------------------------------------------------------

    def start_review(self) -> None:
        """Review → choose annotators A and B and the reviewer, then open the review window."""
        from annotator.ui.review_start import open_review

        open_review(self, self.corpus_path)

    def open_dialog(self, name: str) -> QDialog:
        """Show a job dialog (one of :data:`DIALOGS`), reusing the open one; it is not modal."""
        dialog = self.dialogs.get(name)
        if dialog is None:
            from importlib import import_module

            module, cls = DIALOGS[name]
            dialog = getattr(import_module(f"annotator.ui.dialogs.{module}"), cls)(self)
            self.dialogs[name] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def corpus_changed(self, documents_added: bool = True) -> None:
        """After an import (a dialog calls this): the list, the progress and the search index catch up."""
        if self._closed:
            return
        self.document_list.refresh()
        self._update_progress()
        if self.session.document is None:
            self.session.open_next_undone()
        if documents_added and not self._indexing and self.corpus.search_index_pending():
            self._start_search_indexing()

    def show_help(self) -> None:
        if self._help is None:
            self._help = HelpOverlay(self, self.annotation_actions.bindings)
        self._help.toggle()

    def ask_skip_note(self) -> str | None:
        """Ask why the article is skipped (None when cancelled). Tests replace this method."""
        note, ok = QInputDialog.getText(self, "Skip article", "Why skip this article? (kept with its status)")
        return note if ok else None

    def skip_with_note(self) -> None:
        if self.session.document is None:
            return
        note = self.ask_skip_note()
        if note is None:
            return
        self.session.skip(note, following=self._next_in_list())

    # -- background suggestions ------------------------------------------------------------------

    def _suggest_for(self, doc_id: int) -> None:
        """Run the suggesters for this article, then for the next undone ones (once per session)."""
        if not self.run_suggesters or doc_id in self._suggested:
            return
        if load_runner() is None:
            self.suggester_label.setText("suggesters unavailable")
            self.suggester_label.setToolTip("annotator.suggest.runner is not installed: no new suggestions")
            self.run_suggesters = False
            return
        ahead: list[int] = []
        after = doc_id
        for _ in range(PREFETCH_DOCUMENTS):
            after = self.corpus.next_document(self.session.annotator, after=after)
            if after is None or after == doc_id or after in ahead:
                break
            ahead.append(after)
        for ids in ([doc_id], [d for d in ahead if d not in self._suggested]):
            if ids:
                self._suggested.update(ids)
                self._start_job(ids)

    def _start_job(self, doc_ids: list[int]) -> None:
        job = SuggestionJob(self.corpus_path, doc_ids)
        job.setAutoDelete(False)
        job.signals.progress.connect(self._on_suggest_progress)
        job.signals.finished.connect(lambda ids, job=job: self._on_suggest_finished(job, ids))
        job.signals.failed.connect(lambda error, job=job: self._on_suggest_failed(job, error))
        self._jobs.add(job)
        self.suggester_label.setText("suggesting…")
        self._pool.start(job)

    def _on_suggest_progress(self, done: int, total: int) -> None:
        if not self._closed:
            self.suggester_label.setText(f"suggesting {done}/{total}")

    def _on_suggest_finished(self, job: SuggestionJob, doc_ids: list[int]) -> None:
        self._jobs.discard(job)
        if self._closed:
            return
        if self.session.doc_id in doc_ids:
            self.session.reload_suggestions()
        if not self._jobs:
            self._show_suggestion_count()

    def _show_suggestion_count(self) -> None:
        if self._jobs or not self.run_suggesters:
            return
        pending = len(self.session.pending_suggestions)
        self.suggester_label.setText(f"suggestions ready: {pending} here" if pending else
                                     "suggestions ready: none left here")

    def _on_suggest_failed(self, job: SuggestionJob, error: str) -> None:
        self._jobs.discard(job)
        if self._closed:
            return
        self.suggester_label.setText("suggesters failed")
        self.suggester_label.setToolTip(error)
        self.show_message(Message(f"Suggesters failed: {error}", "error"))

    # -- closing -----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        for dialog in list(self.dialogs.values()):
            dialog.close()  # a running job is cancelled and waited for (nothing is left half-done)
        self._remember_place()
        self._closed = True
        self._list_timer.stop()
        self._message_timer.stop()
        self._place_timer.stop()
        self._lock_timer.stop()
        self._lock_document(None)
        self.document_list.close_corpus()
        self.session.close()
        for job in list(self._jobs):
            job.cancelled = True
        self._pool.clear()
        self._pool.waitForDone(10_000)
        if self._index_job is not None:
            QThreadPool.globalInstance().waitForDone(10_000)
        super().closeEvent(event)
        self.corpus.close()
