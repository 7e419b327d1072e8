"""The annotation window: document list, document view, side panel, label bar, status bar.

``MainWindow(corpus_path, annotator)`` opens the corpus, builds an
:class:`~annotator.ui.session.AnnotationSession` and wires every part to it: the
parts only talk to the session, never to each other. Every key is a QAction from
:mod:`annotator.ui.keymap`. Suggesters run in the background (current document
first) on their own connection; nothing blocks typing.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QToolBar,
    QWidget,
)

from annotator.store import Corpus, CorpusError, locks
from annotator.ui.actions import AnnotationActions
from annotator.ui.document_list import DocumentListWidget
from annotator.ui.document_view import DocumentView
from annotator.ui.help_overlay import HelpOverlay
from annotator.ui.label_bar import LabelBar
from annotator.ui.search_index_job import SearchIndexJob
from annotator.ui.session import AnnotationSession, Message
from annotator.ui.side_panel import SidePanel
from annotator.ui.suggest_worker import SuggestionJob, load_runner, suggestion_pool
from annotator.ui.training_controller import attach_training

MESSAGE_COLORS = {"info": "palette(text)", "warning": "#b35900", "error": "#c0392b"}
MESSAGE_MS = 9000
PREFETCH_DOCUMENTS = 10  # suggestions computed ahead for the next undone articles

MENUS = {
    "&Annotate": ("Entities", "Boundaries", "Suggestions"),
    "&Quotes": ("Quotes",),
    "&Document": ("Document",),
    "&Edit": ("History",),
    "&View": ("View",),
}


class MainWindow(QMainWindow):
    """The annotation window for one annotator on one corpus file."""

    def __init__(self, corpus_path: str | os.PathLike, annotator: str, parent: QWidget | None = None,
                 *, run_suggesters: bool = True) -> None:
        super().__init__(parent)
        self.corpus_path = Path(corpus_path)
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
        self.setCentralWidget(splitter)
        labels = QToolBar("Labels", self)
        labels.setObjectName("labelToolBar")
        labels.setMovable(False)
        labels.addWidget(self.label_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, labels)

        # keys and menus
        self.annotation_actions = AnnotationActions(self, self.session, self.view, {
            "help": self.show_help,
            "document.skip": self.skip_with_note,
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
        self._message_timer.timeout.connect(lambda: self.message_label.clear())
        self._list_timer = QTimer(self)
        self._list_timer.setSingleShot(True)
        self._list_timer.setInterval(400)
        self._list_timer.timeout.connect(self._refresh_list)

        # wiring
        self.document_list.documentActivated.connect(self.open_document)
        self.session.subscribe(self._on_session)
        self.session.open_next_undone()
        # Loading the tokenizer the first time takes a moment: do it while the window is being built,
        # not after the first key. (Later articles are tokenised just after their first frame.)
        self.session.prepare_tokens()
        self._update_progress()
        if self.session.document is None:
            self.show_message(Message("This corpus has no articles yet: import some with `annotator import`."))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._index_job: SearchIndexJob | None = None
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
        file_menu = bar.addMenu("&File")
        file_menu.addAction(f"Corpus: {self.corpus_path.name}").setEnabled(False)
        file_menu.addSeparator()
        review_menu = bar.addMenu("&Review")
        review_action = review_menu.addAction("Review a colleague's labels…")
        review_action.setObjectName("action_review")
        review_action.triggered.connect(self.start_review)
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for title, sections in MENUS.items():
            menu: QMenu = bar.addMenu(title)
            for section in sections:
                if menu.actions():
                    menu.addSeparator()
                for binding in self.annotation_actions.bindings:
                    if binding.section == section and binding.action in self.annotation_actions.actions:
                        menu.addAction(self.annotation_actions[binding.action])

    # -- documents ---------------------------------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        if doc_id != self.session.doc_id:
            self.session.open_document(doc_id)

    def _on_session(self, kind: str, payload: object) -> None:
        if kind == "document":
            document = self.session.document
            title = (document.title or f"Article {document.id}") if document else ""
            self.setWindowTitle(f"{title} — {self.corpus_path.name} — annotator")
            self._lock_document(document.id if document else None)
            if document is not None:
                self.document_list.select_document(document.id)
                self._suggest_for(document.id)
            self._list_timer.start()
        elif kind == "annotations":
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
        self._message_timer.start(MESSAGE_MS)

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
        job.signals.finished.connect(lambda n: None if self._closed else label.setText(f"search index: +{n}"))
        job.signals.failed.connect(lambda error: None if self._closed else label.setText(f"search index: {error}"))
        self._index_job = job
        QThreadPool.globalInstance().start(job)

    # -- window-level actions ------------------------------------------------------------------

    def start_review(self) -> None:
        """Review → choose annotators A and B and the reviewer, then open the review window."""
        from annotator.ui.review_start import open_review

        open_review(self, self.corpus_path)

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
        self.session.skip(note)

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
            self.suggester_label.setText(f"suggestions ready ({len(self.session.pending_suggestions)} here)")

    def _on_suggest_failed(self, job: SuggestionJob, error: str) -> None:
        self._jobs.discard(job)
        if self._closed:
            return
        self.suggester_label.setText("suggesters failed")
        self.suggester_label.setToolTip(error)
        self.show_message(Message(f"Suggesters failed: {error}", "error"))

    # -- closing -----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self._closed = True
        self._list_timer.stop()
        self._message_timer.stop()
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
