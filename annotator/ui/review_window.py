"""The review window: settle annotator A's and B's disagreements into the reviewer's set.

``ReviewWindow(corpus_path, annotator_a, annotator_b, reviewer)`` opens its own connection
to the corpus and shows the articles both annotators worked on, one at a time:

- a merged view of the article (agreements green, only-A blue, only-B orange, conflicts red,
  settled items grey; the current item framed), or side by side (``V``): A's set and B's set;
- the list of the article's disagreements and the agreement figures (article and corpus);
- the status bar: disagreements left in this article and in the corpus.

Keys (also in the Review menu): ``N`` / ``Shift+N`` next / previous disagreement, ``A`` take
A, ``B`` take B, ``2`` take both, ``0`` take neither, ``E`` edit by hand (select text first,
then a label key; for a quote, a small dialog), ``Ctrl+Enter`` accept all agreements and go
to the next article, ``Ctrl+Down`` / ``Ctrl+Up`` next / previous article, ``Ctrl+Z`` / ``U`` take
back the last decision, ``Esc`` cancel an edit.

All decisions go through :class:`annotator.review.adjudication.Adjudication` (Qt-free and
tested without widgets); this module only shows state and turns keys into calls.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.core.snapping import TokenIndex
from annotator.core.spans import Span
from annotator.core.tokenizer import token_bounds
from annotator.review.adjudication import (
    DECISION_NAMES,
    EDIT,
    TAKE_A,
    TAKE_B,
    TAKE_BOTH,
    TAKE_NEITHER,
    Adjudication,
    ReviewError,
    ReviewItem,
)
from annotator.review.agreement import (
    AnnotationSet,
    Article,
    compute_agreement,
    load_articles,
    schema_ordered_labels,
)
from annotator.store import Corpus
from annotator.ui.keymap import label_keys
from annotator.ui.review_dialogs import QuoteEditDialog
from annotator.ui.review_panel import AgreementPanel, DisagreementList
from annotator.ui.review_view import STATUS_COLORS, ReviewTextView

LEGEND = (
    ("agree", "agreement"),
    ("only_a", "only A"),
    ("only_b", "only B"),
    ("conflict", "both, differently"),
    ("decided", "settled"),
)


class _CorpusFigures(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Cancelled(Exception):
    pass


class _CorpusFiguresJob(QRunnable):
    """Corpus-wide agreement on a worker thread, with its own SQLite connection.

    Cancellable between articles (closing the window sets ``cancelled``), so quitting never
    waits for a large corpus to be tokenized.
    """

    def __init__(self, path: str, a: str, b: str) -> None:
        super().__init__()
        self.path, self.a, self.b = path, a, b
        self.signals = _CorpusFigures()
        self.cancelled = False

    def _check(self, *_: object) -> None:
        if self.cancelled:
            raise _Cancelled

    def run(self) -> None:
        try:
            with Corpus.open(self.path, create=False) as corpus:
                articles = load_articles(corpus, [self.a, self.b], progress=self._check)
                for article in articles:  # the slow part, one article at a time
                    self._check()
                    article.tokens()
                report = compute_agreement(articles, [self.a, self.b], schema_ordered_labels(corpus, articles))
        except _Cancelled:
            return
        except Exception as exc:  # shown in the panel, never lost in the thread
            self.signals.failed.emit(str(exc))
            return
        if not self.cancelled:
            self.signals.done.emit(report)


class ReviewWindow(QMainWindow):
    """Review ``annotator_a`` (A, the reference) against ``annotator_b`` (B) into ``reviewer``'s set."""

    def __init__(
        self,
        corpus_path: str | os.PathLike,
        annotator_a: str,
        annotator_b: str,
        reviewer: str = "reviewer",
        doc_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.corpus_path = str(corpus_path)
        self.corpus = Corpus.open(self.corpus_path, create=False)
        try:
            self.adjudication = Adjudication(self.corpus, annotator_a, annotator_b, reviewer)
        except Exception:
            self.corpus.close()
            raise
        self.a, self.b, self.reviewer = annotator_a, annotator_b, reviewer
        self.labels = {key: label.name for label, key in label_keys(self.corpus.labels)}
        self.doc_id: int | None = None
        self.current: ReviewItem | None = None
        self.text = ""
        self.tokens: TokenIndex | None = None
        self.pending_edit: tuple[int, int] | None = None
        self.corpus_report = None
        self._titles: dict[int, str] = {}
        self.history: list[tuple[int, str]] = []  # (article, item key) of this session's decisions
        self.setObjectName("reviewWindow")
        self.setWindowTitle(f"Review: {annotator_a} (A) vs {annotator_b} (B) → {reviewer}")
        self.resize(1280, 820)
        self._build()
        self._build_actions()
        self._start_corpus_figures()
        articles = self.adjudication.articles()
        if doc_id is None and articles:
            found = self.adjudication.next_disagreement(articles[0])
            doc_id = found[0] if found else articles[0]
        if doc_id is not None:
            self.show_article(doc_id)
        else:
            self.message(f"No article was annotated by both {annotator_a} and {annotator_b}.")
            self.update_status()

    # -- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.article_box = QComboBox(self)
        self.article_box.setObjectName("articleBox")
        self.article_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.article_box.activated.connect(self._on_article_chosen)

        self.merged = ReviewTextView(None, self)
        self.view_a = ReviewTextView("a", self)
        self.view_b = ReviewTextView("b", self)
        self._sync_scroll(self.view_a, self.view_b)
        side = QSplitter(Qt.Orientation.Horizontal, self)
        side.setObjectName("sideBySide")
        self.side = side  # A reads first: on the left, or on the right for a right-to-left article
        for view, name in ((self.view_a, f"A: {self.a}"), (self.view_b, f"B: {self.b}")):
            box = QWidget(side)
            layout = QVBoxLayout(box)
            layout.setContentsMargins(0, 0, 0, 0)
            title = QLabel(name, box)
            title.setTextFormat(Qt.TextFormat.PlainText)
            title.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)  # mirrored with the pane
            layout.addWidget(title)
            layout.addWidget(view)
            side.addWidget(box)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.merged)
        self.stack.addWidget(side)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 6, 6)
        left_layout.addWidget(self.article_box)
        left_layout.addWidget(self.stack, 1)
        left_layout.addWidget(self._legend())

        self.list = DisagreementList(self)
        self.list.item_chosen.connect(self._on_item_chosen)
        self.list_title = QLabel("Disagreements", self)
        self.list_title.setTextFormat(Qt.TextFormat.PlainText)
        self.panel = AgreementPanel(self)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 6, 6, 6)
        right_layout.addWidget(self.list_title)
        right_layout.addWidget(self.list, 1)
        right_layout.addWidget(self.panel, 0)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([880, 400])
        self.setCentralWidget(splitter)

        self.progress = QLabel(self)
        self.progress.setObjectName("reviewProgress")
        self.progress.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.progress)

    def _legend(self) -> QWidget:
        box = QWidget(self)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        for key, name in LEGEND:
            chip = QLabel(name, box)
            chip.setTextFormat(Qt.TextFormat.PlainText)
            chip.setStyleSheet(f"background: {STATUS_COLORS[key]}; color: #111; padding: 2px 8px; border-radius: 3px;")
            layout.addWidget(chip)
        hint = QLabel("entities: background · quotes: underline (cue wavy, source dashed)", box)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(hint)
        layout.addStretch(1)
        return box

    @staticmethod
    def _sync_scroll(one: ReviewTextView, other: ReviewTextView) -> None:
        def follow(src: ReviewTextView, dst: ReviewTextView) -> Callable[[int], None]:
            def apply(_: int) -> None:
                bar, target = src.verticalScrollBar(), dst.verticalScrollBar()
                if bar.maximum() and target.maximum():
                    target.setValue(round(bar.value() * target.maximum() / bar.maximum()))

            return apply

        one.verticalScrollBar().valueChanged.connect(follow(one, other))
        other.verticalScrollBar().valueChanged.connect(follow(other, one))

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu("&Review")
        toolbar = QToolBar("Review", self)
        toolbar.setObjectName("reviewToolbar")
        self.addToolBar(toolbar)
        self.actions_by_name: dict[str, QAction] = {}

        def add(name: str, text: str, keys: list[str], handler: Callable[[], None], tool: bool = False,
                checkable: bool = False) -> QAction:
            action = QAction(text, self)
            action.setObjectName(f"review_{name}")
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setCheckable(checkable)
            action.triggered.connect(lambda *_: handler())
            self.addAction(action)
            menu.addAction(action)
            if tool:
                toolbar.addAction(action)
            self.actions_by_name[name] = action
            return action

        add("previous", "Previous disagreement", ["Shift+N"], lambda: self.go_next(backwards=True), tool=True)
        add("next", "Next disagreement", ["N"], self.go_next, tool=True)
        menu.addSeparator()
        add("take_a", f"Take A ({self.a})", ["A"], lambda: self.decide(TAKE_A), tool=True)
        add("take_b", f"Take B ({self.b})", ["B"], lambda: self.decide(TAKE_B), tool=True)
        add("take_both", "Take both", ["2"], lambda: self.digit("2"), tool=True)
        add("take_neither", "Take neither", ["0"], lambda: self.digit("0"), tool=True)
        add("edit", "Edit by hand…", ["E"], self.start_edit, tool=True)
        add("undo", "Take back the last decision", ["Ctrl+Z", "U"], self.undo, tool=True)
        add("cancel", "Cancel edit", ["Escape"], self.cancel_edit)
        menu.addSeparator()
        add("accept_next", "Accept all agreements and go to the next article", ["Ctrl+Return", "Ctrl+Enter"],
            self.accept_and_next, tool=True)
        add("accept_agreeing", "Accept every article where A and B agree fully", [], self.accept_agreeing_articles)
        menu.addSeparator()
        add("next_article", "Next article", ["Ctrl+Down", "Ctrl+PgDown"], lambda: self.go_article(+1))
        add("previous_article", "Previous article", ["Ctrl+Up", "Ctrl+PgUp"], lambda: self.go_article(-1))
        add("side_by_side", "Side by side", ["V"], self.toggle_side_by_side, tool=True, checkable=True)
        menu.addSeparator()
        add("close", "Close", ["Ctrl+W", "Ctrl+Q"], self.close)
        # Label keys (digits) other than 2 and 0 choose the label while editing by hand.
        for key in self.labels:
            if key in ("2", "0"):
                continue
            action = QAction(f"Label {self.labels[key]}", self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda *_, k=key: self.digit(k))
            self.addAction(action)

    # -- showing -------------------------------------------------------------------------------------

    def _article_entry(self, n: int, total: int, doc_id: int) -> str:
        title = self._titles.get(doc_id)
        if title is None:
            title = self._titles[doc_id] = self.corpus.document(doc_id).title or f"article {doc_id}"
        left = self.adjudication.disagreements_left(doc_id)
        mark = "✓" if left == 0 else f"{left} left"
        # A leading LRM keeps the entry left-to-right whatever script the title is in.
        return f"\u200e{n}/{total} · #{doc_id} \u2068{title}\u2069 · {mark}"

    def _refresh_article_box(self) -> None:
        """Fill the article chooser once; afterwards only the current article's entry changes."""
        articles = self.adjudication.articles()
        self.article_box.blockSignals(True)
        if self.article_box.count() != len(articles):
            self.article_box.clear()
            for n, doc_id in enumerate(articles, 1):
                self.article_box.addItem(self._article_entry(n, len(articles), doc_id), doc_id)
        if self.doc_id in articles:
            index = articles.index(self.doc_id)
            self.article_box.setItemText(index, self._article_entry(index + 1, len(articles), self.doc_id))
            self.article_box.setCurrentIndex(index)
        self.article_box.blockSignals(False)

    def show_article(self, doc_id: int, item: ReviewItem | None = None) -> None:
        """Show an article and go to ``item`` (default: its first undecided disagreement)."""
        self.cancel_edit(quiet=True)
        document = self.corpus.document(doc_id)
        self.doc_id = doc_id
        self.text = document.text
        self.tokens = TokenIndex(token_bounds(document.text, document.language))
        for view in (self.merged, self.view_a, self.view_b):
            view.show_text(document.text, document.direction)
        # Side by side follows the reading direction: in Arabic, A (read first) is on the right.
        self.side.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if document.direction == "rtl" else Qt.LayoutDirection.LeftToRight)
        for view in (self.view_a, self.view_b):
            view.set_direction(document.direction)  # the views keep the text's own direction
        if item is None:
            found = self.adjudication.next_disagreement(doc_id)
            item = found[1] if found and found[0] == doc_id else None
        self.current = item
        self._refresh_items(reveal=True)
        self._refresh_article_figures(document)
        self._refresh_article_box()

    def _refresh_items(self, reveal: bool = False) -> None:
        assert self.doc_id is not None
        state = self.adjudication.state(self.doc_id)
        if self.current is not None:  # the same item, with its decision brought up to date
            self.current = next((i for i in state.items if i.key == self.current.key), None)
        for view in (self.merged, self.view_a, self.view_b):
            view.show_items(state.items, self.current)
            view.set_current(self.current, reveal=reveal)
        self.list.show_items(state.disagreements, self.text, self.current)
        self.list_title.setText(
            f"Disagreements: {state.disagreements_left} of {len(state.disagreements)} left · "
            f"agreements to accept: {state.agreements_pending} (Ctrl+Enter)"
        )
        self.update_status()

    def _refresh_article_figures(self, document) -> None:
        sets = {}
        for name in (self.a, self.b):
            sets[name] = AnnotationSet(
                spans=tuple(s.key for s in self.corpus.spans(document.id, name)),
                quotes=tuple(self.corpus.quotes(document.id, name)),
            )
        article = Article(document.id, document.text, document.language, document.title, sets)
        pair = compute_agreement([article], [self.a, self.b]).pairs[0]
        self.panel.set_column(0, pair)

    def update_status(self) -> None:
        articles = self.adjudication.articles()
        if self.doc_id is None or self.doc_id not in articles:
            self.progress.setText(f"reviewer: {self.reviewer}")
            return
        here = self.adjudication.disagreements_left(self.doc_id)
        total = self.adjudication.corpus_disagreements_left()
        position = articles.index(self.doc_id) + 1
        self.progress.setText(
            f"Article {position} of {len(articles)} · disagreements left: {here} in this article, "
            f"{total} in the corpus · reviewer: {self.reviewer}"
        )

    def message(self, text: str, ms: int = 8000) -> None:
        self.statusBar().showMessage(text, ms)

    # -- corpus figures ----------------------------------------------------------------------------

    def _start_corpus_figures(self) -> None:
        job = _CorpusFiguresJob(self.corpus_path, self.a, self.b)
        job.signals.done.connect(self._on_corpus_figures)
        job.signals.failed.connect(self.panel.set_corpus_error)
        self._job = job  # keep the signals object alive
        QThreadPool.globalInstance().start(job)

    def _on_corpus_figures(self, report) -> None:
        self.corpus_report = report
        self.panel.set_corpus(report.pairs[0], report.documents)

    # -- navigation ----------------------------------------------------------------------------------

    def go_next(self, backwards: bool = False) -> None:
        """Go to the next (previous) undecided disagreement, across articles."""
        if self.doc_id is None:
            return
        self.cancel_edit(quiet=True)
        found = self.adjudication.next_disagreement(self.doc_id, self.current, backwards=backwards)
        if found is None:
            self.message("No disagreement left in the corpus. Ctrl+Enter accepts an article's agreements.")
            return
        doc_id, item = found
        if doc_id != self.doc_id:
            self.show_article(doc_id, item)
        else:
            self.go_to(item)

    def go_to(self, item: ReviewItem) -> None:
        self.current = item
        for view in (self.merged, self.view_a, self.view_b):
            view.set_current(item)
        self.list.set_current(item)

    def go_article(self, step: int) -> None:
        articles = self.adjudication.articles()
        if not articles or self.doc_id is None:
            return
        index = articles.index(self.doc_id) if self.doc_id in articles else 0
        self.show_article(articles[(index + step) % len(articles)])

    def _on_article_chosen(self, index: int) -> None:
        doc_id = self.article_box.itemData(index)
        if doc_id is not None and doc_id != self.doc_id:
            self.show_article(int(doc_id))

    def _on_item_chosen(self, key: str) -> None:
        if self.doc_id is None:
            return
        item = next((i for i in self.adjudication.items(self.doc_id) if i.key == key), None)
        if item is not None:
            self.go_to(item)

    # -- deciding -------------------------------------------------------------------------------------

    def digit(self, key: str) -> None:
        """Digits: a label while editing by hand; otherwise 2 = take both, 0 = take neither."""
        if self.pending_edit is not None:
            label = self.labels.get(key)
            if label is None:
                self.message(f"No label on key {key}. " + self._label_hint())
                return
            self.apply_edit_label(label)
        elif key == "2":
            self.decide(TAKE_BOTH)
        elif key == "0":
            self.decide(TAKE_NEITHER)
        else:
            self.message("Label keys work while editing by hand: press E first.")

    def decide(self, decision: str, **kwargs) -> bool:
        """Apply a decision to the current item and move to the next disagreement of the article."""
        if self.pending_edit is not None and decision != EDIT:
            self.message("Finish the edit first: press a label key, or Esc to cancel.")
            return False
        if self.doc_id is None or self.current is None:
            self.message("No item selected: press N for the next disagreement.")
            return False
        item = self.current
        try:
            decided = self.adjudication.decide(self.doc_id, item, decision, **kwargs)
        except ReviewError as exc:
            self.message(str(exc))
            return False
        self.history.append((self.doc_id, decided.key))
        self.current = decided
        found = self.adjudication.next_disagreement(self.doc_id, decided)
        next_here = found[1] if found and found[0] == self.doc_id else None
        self.current = next_here or decided
        self._refresh_items(reveal=True)
        self._refresh_article_box()
        left = self.adjudication.disagreements_left(self.doc_id)
        self.message(f"{DECISION_NAMES[decision]}. " + (
            f"{left} disagreement(s) left in this article." if left
            else "Article settled: Ctrl+Enter accepts its agreements and moves on."))
        return True

    def undo(self) -> None:
        """Ctrl+Z / U: take back this session's last decision and go back to that item."""
        self.cancel_edit(quiet=True)
        while self.history:
            doc_id, key = self.history.pop()
            try:
                item = self.adjudication.undecide(doc_id, key)
            except ReviewError:
                continue  # the item changed since (A's or B's set was edited): nothing to take back
            if doc_id != self.doc_id:
                self.show_article(doc_id, item)
            else:
                self.current = item
                self._refresh_items(reveal=True)
                self._refresh_article_box()
            self.message(f"Decision taken back: {item.describe()}")
            return
        self.message("No decision of this session to take back.")

    def _label_hint(self) -> str:
        return "Press a label key (" + ", ".join(f"{k} {v}" for k, v in self.labels.items()) + ") or Esc."

    def start_edit(self) -> None:
        """E: edit the current item by hand. Entities: the selection (or the item's span), then a label
        key. Quotes: a dialog to pick each part from A or B and the type."""
        if self.doc_id is None or self.current is None:
            self.message("No item selected: press N for the next disagreement.")
            return
        item = self.current
        if item.kind == "quote":
            dialog = QuoteEditDialog(item, self.a, self.b, self)
            dialog.accepted.connect(lambda: self.decide(EDIT, quote=dialog.quote()))
            dialog.open()
            return
        view = self.merged if self.stack.currentIndex() == 0 else self.view_a
        chosen = view.selected_range() or self.merged.selected_range() or self.view_a.selected_range() \
            or self.view_b.selected_range()
        if chosen is None:
            base = item.a if item.a is not None else item.b
            chosen = (base.start, base.end)  # type: ignore[union-attr]
        snapped = self.tokens.snap(*chosen) if self.tokens is not None else chosen
        if snapped is None:
            self.message("The selection holds no word: select the text of the entity.")
            return
        self.pending_edit = snapped
        self.merged.select_range(*snapped)
        words = " ".join(self.text[snapped[0]:snapped[1]].split())
        self.statusBar().showMessage(f"Edit by hand: \u2068{words}\u2069. " + self._label_hint())

    def apply_edit_label(self, label: str) -> None:
        assert self.pending_edit is not None
        start, end = self.pending_edit
        self.pending_edit = None
        self.decide(EDIT, span=Span(start, end, label))

    def cancel_edit(self, quiet: bool = False) -> None:
        if self.pending_edit is not None:
            self.pending_edit = None
            if not quiet:
                self.message("Edit cancelled.")

    def accept_and_next(self) -> None:
        """Ctrl+Enter: take every agreement of this article, then go to the next article."""
        if self.doc_id is None:
            return
        self.cancel_edit(quiet=True)
        taken = self.adjudication.accept_agreements(self.doc_id)
        left = self.adjudication.disagreements_left(self.doc_id)
        articles = self.adjudication.articles()
        note = f"{taken} agreement(s) accepted" + (f"; {left} disagreement(s) still open there" if left else "")
        if len(articles) > 1:
            index = articles.index(self.doc_id) if self.doc_id in articles else -1
            self.show_article(articles[(index + 1) % len(articles)])
        else:
            self._refresh_items()
            self._refresh_article_box()
        self.message(note + ".")

    def accept_agreeing_articles(self) -> None:
        accepted = self.adjudication.accept_agreeing_articles()
        self.article_box.clear()
        if self.doc_id is not None:
            self._refresh_items()
            self._refresh_article_box()
        self.message(f"Accepted {len(accepted)} article(s) where A and B agree fully.")

    def toggle_side_by_side(self) -> None:
        side = self.stack.currentIndex() == 0
        self.stack.setCurrentIndex(1 if side else 0)
        self.actions_by_name["side_by_side"].setChecked(side)
        for view in (self.merged, self.view_a, self.view_b):
            view.set_current(self.current)

    # -- closing ----------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self._job.cancelled = True
        for signal, slot in ((self._job.signals.done, self._on_corpus_figures),
                             (self._job.signals.failed, self.panel.set_corpus_error)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self.corpus.close()
        super().closeEvent(event)
