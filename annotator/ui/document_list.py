"""The document list: every article of the corpus, lazily, with status and counts.

:class:`DocumentListModel` never holds the corpus in memory. Its row count comes
from ``SELECT COUNT(*)`` and the rows it is asked to draw come from a small cache of
pages read through :class:`annotator.store.document_query.DocumentQuery`, so the
list of a 100,000-article corpus opens, scrolls, filters and searches as fast as a
list of ten. :class:`DocumentListWidget` adds the search box (SQLite FTS5,
debounced), the status and label filters and a count of what is shown.

From the keyboard the list works like a mail client's: Up/Down (PgUp/PgDown, Home/End)
move the highlight and open the article under it once the key rests for a moment (holding
Down skims without opening every article on the way), the list keeping the keyboard;
Enter opens the highlighted article and gives the keyboard to its text.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.text import detect_direction
from annotator.store import Corpus
from annotator.store.document_query import DocumentFilter, DocumentQuery, DocumentRow
from annotator.ui.fonts import arabic_font, has_arabic

COLUMNS = ("title", "status", "entities", "quotes")
HEADERS = {"title": "Title", "status": "Status", "entities": "Entities", "quotes": "Quotes"}
COLUMN_SORT = {"title": "title", "status": "status", "entities": "entities", "quotes": "quotes"}
STATUS_TEXT = {"new": "new", "in_progress": "in progress", "done": "done", "skipped": "skipped"}
STATUS_COLOR = {"new": "#9aa0a6", "in_progress": "#e0a000", "done": "#2e9d5b", "skipped": "#c0504d"}
STATUS_CHOICES = (
    ("All statuses", None),
    ("To do", "todo"),
    ("New", "new"),
    ("In progress", "in_progress"),
    ("Done", "done"),
    ("Skipped", "skipped"),
)
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_STATUS_FILTER_MEMBERS = {
    "todo": ("new", "in_progress"),
    "new": ("new",),
    "in_progress": ("in_progress",),
    "done": ("done",),
    "skipped": ("skipped",),
}
SEARCH_DELAY_MS = 250
OPEN_DELAY_MS = 160  # the highlight moved by a key opens its article after this pause
NAVIGATION_KEYS = frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                             Qt.Key.Key_Home, Qt.Key.Key_End})
_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.FontRole,
        DOCUMENT_ID_ROLE,
    )
)


def _dot_icon(color: str, size: int = 10) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class DocumentListModel(QAbstractTableModel):
    """A lazy table of documents: COUNT(*) for the size, a page cache for the rows."""

    PAGE_SIZE = 200
    MAX_PAGES = 16  # pages kept in memory; older ones are dropped (least recently used first)

    def __init__(self, query: DocumentQuery, parent: Any = None):
        super().__init__(parent)
        self.query = query
        self._filters = DocumentFilter()
        self._count = self.query.count(self._filters)
        self._pages: OrderedDict[int, list[DocumentRow]] = OrderedDict()
        self._rtl: dict[int, bool] = {}  # doc id -> title reads right to left
        self._status_icons: dict[str, QIcon] = {}
        self.rtl_title_font: QFont | None = None  # Arabic script reads better a little larger
        self.pages_loaded = 0  # pages read from SQL since the last reset (for tests and benchmarks)
        self.reset_reason = ""  # why the last reset happened: "filter", "sort" or "reload"

    # -- what is shown ----------------------------------------------------------------

    @property
    def filters(self) -> DocumentFilter:
        return self._filters

    def set_filters(self, filters: DocumentFilter, force: bool = False, reason: str = "filter") -> None:
        if filters == self._filters and not force:
            return
        self.reset_reason = reason
        self.beginResetModel()
        self._filters = filters
        self._reload()
        self.endResetModel()

    def reload(self) -> None:
        """Show edits: re-read the count and the rows on screen (called after every edit).

        When the number of rows is unchanged the rows stay where they are and only
        the pages drawn last are read again, by id: the selection and the scroll
        position hold, and no sort is recomputed (under a sort by entity count, rows
        do not jump while the annotator works; clicking the header sorts again).
        Otherwise the list is rebuilt from the count.
        """
        count = self.query.count(self._filters)
        if count == self._count and self._refresh_cached_rows():
            if count:
                self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(COLUMNS) - 1))
            return
        self.reset_reason = "reload"
        self.beginResetModel()
        self._reload(count)
        self.endResetModel()

    def _refresh_cached_rows(self, keep: int = 2) -> bool:
        """Re-read the most recently drawn pages in place; False if the filter no longer holds for them."""
        numbers = list(self._pages)[-keep:]
        ids = [row.id for n in numbers for row in self._pages[n]]
        fresh = {row.id: row for row in self.query.rows(ids)}
        allowed = _STATUS_FILTER_MEMBERS.get(self._filters.status or "")
        if len(fresh) != len(ids) or (allowed and any(r.status not in allowed for r in fresh.values())):
            return False
        self._pages = OrderedDict((n, [fresh[row.id] for row in self._pages[n]]) for n in numbers)
        return True

    def _reload(self, count: int | None = None) -> None:
        self._count = self.query.count(self._filters) if count is None else count
        self._pages.clear()
        self._rtl.clear()
        self.pages_loaded = 0

    def refresh_document(self, doc_id: int) -> None:
        """Re-read one document's row if it is cached (its counts or status changed)."""
        for number, rows in self._pages.items():
            for i, row in enumerate(rows):
                if row.id == doc_id:
                    fresh = self.query.rows([doc_id])
                    if fresh:
                        rows[i] = fresh[0]
                        r = number * self.PAGE_SIZE + i
                        self.dataChanged.emit(self.index(r, 0), self.index(r, len(COLUMNS) - 1))
                    return

    # -- rows -------------------------------------------------------------------------

    def _page(self, number: int) -> list[DocumentRow]:
        rows = self._pages.get(number)
        if rows is not None:
            self._pages.move_to_end(number)
            return rows
        rows = self.query.page(number * self.PAGE_SIZE, self.PAGE_SIZE, self._filters)
        self.pages_loaded += 1
        self._pages[number] = rows
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)
        return rows

    def row(self, row: int) -> DocumentRow | None:
        if not 0 <= row < self._count:
            return None
        rows = self._page(row // self.PAGE_SIZE)
        offset = row % self.PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def cached_rows(self) -> int:
        return sum(len(rows) for rows in self._pages.values())

    def doc_id(self, row: int) -> int | None:
        found = self.row(row)
        return found.id if found else None

    def cached_doc_id(self, row: int) -> int | None:
        """The document at ``row`` if its page has been read (no SQL)."""
        rows = self._pages.get(row // self.PAGE_SIZE)
        offset = row % self.PAGE_SIZE
        return rows[offset].id if rows is not None and offset < len(rows) else None

    def cached_row_of(self, doc_id: int) -> int | None:
        """The row of a document among the rows already read (no SQL)."""
        for number, rows in self._pages.items():
            for i, row in enumerate(rows):
                if row.id == doc_id:
                    return number * self.PAGE_SIZE + i
        return None

    def row_of(self, doc_id: int) -> int | None:
        for number, rows in self._pages.items():
            for i, row in enumerate(rows):
                if row.id == doc_id:
                    return number * self.PAGE_SIZE + i
        return self.query.position(doc_id, self._filters)

    def is_rtl(self, row: DocumentRow) -> bool:
        found = self._rtl.get(row.id)
        if found is None:
            found = detect_direction(row.title) == "rtl" if row.title else row.direction == "rtl"
            self._rtl[row.id] = found
        return found

    # -- QAbstractTableModel ------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            column = COLUMNS[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[column]
            if role == Qt.ItemDataRole.TextAlignmentRole and column in ("entities", "quotes"):
                return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A repaint asks ~7 roles of every visible cell; answer the ones we never set at once.
        if role not in _ROLES or not index.isValid():
            return None
        row = self.row(index.row())
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "title":
                return row.title or f"(untitled #{row.id})"
            if column == "status":
                return STATUS_TEXT.get(row.status, row.status)
            if column == "entities":
                return row.entities
            if column == "quotes":
                return row.quotes
        elif role == Qt.ItemDataRole.FontRole:
            if column == "title" and self.rtl_title_font is not None and self.is_rtl(row):
                return self.rtl_title_font
        elif role == DOCUMENT_ID_ROLE:
            return row.id
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == "status" and row.note:
                return f"{STATUS_TEXT.get(row.status, row.status)}: {row.note}"
            if column == "title":
                return f"#{row.id} · {row.length:,} characters · {row.language}"
        elif role == Qt.ItemDataRole.TextAlignmentRole:
            if column in ("entities", "quotes"):
                return int(Qt.AlignmentFlag.AlignCenter)
            if column == "title":
                side = Qt.AlignmentFlag.AlignRight if self.is_rtl(row) else Qt.AlignmentFlag.AlignLeft
                return int(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.DecorationRole and column == "status":
            icon = self._status_icons.get(row.status)
            if icon is None:
                icon = self._status_icons[row.status] = _dot_icon(STATUS_COLOR.get(row.status, "#999999"))
            return icon
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMN_SORT.get(COLUMNS[column], "id") if 0 <= column < len(COLUMNS) else "id"
        # Always re-sorts, even in the same order: counts may have changed since (see reload).
        self.set_filters(self._filters.with_(sort=key, descending=order == Qt.SortOrder.DescendingOrder), force=True,
                         reason="sort")


class _TitleDelegate(QStyledItemDelegate):
    """Lays each title out in its own direction, so Arabic punctuation and numbers sit right."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        model = index.model()
        if isinstance(model, DocumentListModel):
            row = model.row(index.row())
            if row is not None:
                rtl = model.is_rtl(row)
                option.direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight  # type: ignore[attr-defined]
        option.textElideMode = Qt.TextElideMode.ElideRight  # type: ignore[attr-defined]


class DocumentListWidget(QWidget):
    """Search box, status and label filters, and the lazy document table.

    ``documentActivated(doc_id)`` is emitted when the annotator clicks a row or
    presses Enter on it. :meth:`select_document` moves the selection without
    emitting it (the window calls it when it opens a document by other means).
    """

    documentActivated = Signal(int)
    countChanged = Signal(int, int)  # shown, total
    searchChanged = Signal(str)  # the search the list now shows (applied, not while typing)

    def __init__(self, corpus: Corpus | str | os.PathLike, annotator: str, parent: QWidget | None = None):
        super().__init__(parent)
        if isinstance(corpus, Corpus):
            self.corpus, self._owns_corpus = corpus, False
        else:
            self.corpus, self._owns_corpus = Corpus.open(corpus, create=False), True
        self.annotator = annotator
        self.query = DocumentQuery(self.corpus, annotator)
        self.model = DocumentListModel(self.query, self)
        self._current_id: int | None = None
        self._resets = 0
        self.model.modelReset.connect(self._on_model_reset)

        self.search = QLineEdit(self)
        self.search.setObjectName("documentSearch")
        self.search.setPlaceholderText("Search titles and text…")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(
            "Full-text search of titles and text (Ctrl+F). Every word must occur; the last one may be\n"
            "unfinished. Arabic words also match with و ف ب ل ك attached and with أ/ا, ة/ه, ى/ي\n"
            "spelled either way. \"Quotes\" search an exact phrase. Esc clears, ↓ goes to the list."
        )
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        latin_search, arabic_search = QFont(self.search.font()), arabic_font(self.search.font())
        self.search.textChanged.connect(  # Arabic typed reads at the size of Latin
            lambda text: self.search.setFont(arabic_search if has_arabic(text) else latin_search))
        self.search.returnPressed.connect(self._apply_filters_now)

        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        for text, value in STATUS_CHOICES:
            self.status_filter.addItem(_dot_icon(STATUS_COLOR[value]) if value in STATUS_COLOR else QIcon(), text, value)
        self.status_filter.setToolTip("Show only articles with this status (for you)")
        self.status_filter.currentIndexChanged.connect(self._apply_filters_now)

        self.label_filter = QComboBox(self)
        self.label_filter.setObjectName("labelFilter")
        self.label_filter.setToolTip("Show only articles where you labelled this entity type")
        self._fill_labels()
        self.label_filter.currentIndexChanged.connect(self._apply_filters_now)

        self.summary = QLabel(self)
        self.summary.setObjectName("documentCount")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.summary.setStyleSheet("color: palette(placeholder-text);")

        self.table = QTableView(self)
        self.table.setObjectName("documentTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(COLUMNS.index("title"), _TitleDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # import order until a header is clicked
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rtl_font = arabic_font(self.font())  # Naskh at the Latin x-height
        self.model.rtl_title_font = rtl_font
        vertical.setDefaultSectionSize(int(max(self.fontMetrics().height(), QFontMetrics(rtl_font).height() * 0.8)) + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(COLUMNS.index("title"), QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for name, sample in (("status", "in progress"), ("entities", "Entities"), ("quotes", "Quotes")):
            column = COLUMNS.index(name)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + (34 if name == "status" else 16))
        self.table.clicked.connect(self._activate_index)
        self.table.activated.connect(self._activate_index)
        self._open_timer = QTimer(self)
        self._open_timer.setSingleShot(True)
        self._open_timer.setInterval(OPEN_DELAY_MS)
        self._open_timer.timeout.connect(lambda: self._activate_index(self.table.currentIndex()))
        self.table.installEventFilter(self)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.label_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        find.activated.connect(self.focus_search)
        self.search.installEventFilter(self)
        self.setFocusProxy(self.table)
        self._update_summary()

    # -- public API ---------------------------------------------------------------------

    def current_document(self) -> int | None:
        return self._current_id

    def select_document(self, doc_id: int) -> bool:
        """Select and scroll to a document without emitting ``documentActivated``.

        Returns False (and clears the selection) when the filters hide the document.
        """
        self._current_id = doc_id
        selection = self.table.selectionModel()
        current = self.table.currentIndex()
        if current.isValid() and selection.isRowSelected(current.row()) and (
            self.model.cached_doc_id(current.row()) == doc_id
        ):
            return True  # already selected (the common case after every edit): no query at all
        row = self.model.row_of(doc_id)
        if row is None:
            selection.clearSelection()
            return False
        index = self.model.index(row, 0)
        selection.setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def open_highlighted(self) -> int | None:
        """Open the highlighted article now (Enter); returns its id."""
        self._open_timer.stop()
        index = self.table.currentIndex()
        doc_id = self.model.doc_id(index.row()) if index.isValid() else None
        if doc_id is not None and doc_id != self._current_id:
            self._activate_index(index)
        return doc_id

    def adjacent(self, doc_id: int | None, step: int) -> tuple[int | None, str]:
        """The article ``step`` rows from ``doc_id`` in the list as it is filtered and sorted.

        Returns ``(id, "")``, or ``(None, why)`` at either end of the list. An article
        the filters hide is left for the first (or last) listed one.
        """
        count = self.model.rowCount()
        if not count:
            return None, "No article matches the list's search and filters."
        row = self.model.row_of(doc_id) if doc_id is not None else None
        target = (0 if step > 0 else count - 1) if row is None else row + step
        if not 0 <= target < count:
            where = "last" if step > 0 else "first"
            filters = self.model.filters
            shown = " shown" if (filters.status or filters.label or filters.search) else ""
            return None, f"This is the {where} of the {count:,} articles{shown} in the list."
        return self.model.doc_id(target), ""

    def next_to_do(self, after: int | None) -> tuple[int | None, str]:
        """Ctrl+Enter / Ctrl+K: the next article in the list (its search, filters and order) after
        ``after`` that is neither done nor skipped, wrapping round to the top of the list.

        ``after`` is None when the article was not listed: the first one to do in the list,
        as Ctrl+PgDown goes to the first listed article. Returns ``(id, "")`` or ``(None, why)``.
        """
        filters = self.model.filters
        if filters.status in ("done", "skipped"):
            return None, (f"The list shows only {filters.status} articles: Ctrl+PgDown opens the next one "
                          "(the status filter chooses others).")
        to_do = filters if filters.status else filters.with_(status="todo")
        query = self.model.query
        found = query.following(after, to_do)
        if found is None and after is not None:
            found = query.following(None, to_do)  # round to the top of the list
        if found is None or found == after:
            narrowed = filters.status or filters.label or filters.search
            return None, ("Every article in the list is done or skipped." if narrowed
                          else "Every article is done or skipped.")
        return found, ""

    def refresh(self) -> None:
        """Re-read counts and statuses (after edits), keeping the selected document and the scroll position."""
        scroll = self.table.verticalScrollBar().value()
        self._fill_labels()  # the corpus's label schema may have grown
        resets = self._resets
        self.model.reload()
        self.table.verticalScrollBar().setValue(scroll)
        if self._resets == resets:
            # Rows stayed in place, so did the selection; look for the open article only
            # among the rows read (it may have been opened since), never by another query.
            row = self.model.cached_row_of(self._current_id) if self._current_id is not None else None
            if row is not None and row != self.table.currentIndex().row():
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
        self._update_summary()

    def refresh_document(self, doc_id: int) -> None:
        """Cheap update of one row (its counts changed), when the filters are not affected."""
        self.model.refresh_document(doc_id)

    def set_filters(self, status: str | None = None, label: str | None = None, search: str = "") -> None:
        """Set the filters as the annotator would through the widgets (applied at once)."""
        self._set_combo(self.status_filter, status)
        self._set_combo(self.label_filter, label)
        self.search.blockSignals(True)
        self.search.setText(search)
        self.search.blockSignals(False)
        self._apply_filters_now()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def visible_titles(self) -> list[str]:
        """The titles of the rows currently on screen (what the annotator reads)."""
        viewport = self.table.viewport()
        first = self.table.rowAt(0)
        if first < 0:
            return []
        last = self.table.rowAt(viewport.height() - 1)
        last = self.model.rowCount() - 1 if last < 0 else last
        return [self.model.data(self.model.index(r, 0)) for r in range(first, last + 1)]

    def close_corpus(self) -> None:
        """Stop reading the corpus (a pending search never fires on a closed connection)."""
        self._search_timer.stop()
        self._open_timer.stop()
        if self._owns_corpus:
            self.corpus.close()
            self._owns_corpus = False

    # -- internals ------------------------------------------------------------------------

    def _fill_labels(self) -> None:
        names = [label.name for label in self.corpus.labels.entities]
        if names == [self.label_filter.itemData(i) for i in range(1, self.label_filter.count())]:
            return  # unchanged: keep the combo (and an open popup) as it is
        self.label_filter.blockSignals(True)
        current = self.label_filter.currentData()
        self.label_filter.clear()
        self.label_filter.addItem("Any label", None)
        for label in self.corpus.labels.entities:
            text = f"{label.name} — {label.description}" if label.description else label.name
            self.label_filter.addItem(_dot_icon(label.color, 12), text, label.name)
        self._set_combo(self.label_filter, current)
        self.label_filter.blockSignals(False)

    @staticmethod
    def _set_combo(combo: QComboBox, value: str | None) -> None:
        index = combo.findData(value) if value is not None else 0
        combo.blockSignals(True)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def _apply_filters_now(self) -> None:
        self._search_timer.stop()
        self._apply_filters()

    def _apply_filters(self) -> None:
        filters = self.model.filters.with_(
            status=self.status_filter.currentData(),
            label=self.label_filter.currentData(),
            search=self.search.text().strip(),
        )
        if filters != self.model.filters:
            searched = filters.search != self.model.filters.search
            self.model.set_filters(filters)  # the reset selects the open article again
            if searched:
                self.searchChanged.emit(filters.search)
        self._update_summary()

    def _on_model_reset(self) -> None:
        """After a new filter the open article is selected and shown again if it is listed.

        After a sort the list shows its top (what the annotator sorted for); the open
        article stays selected if it is there, without locating it further down (under a
        sort by counts that would cost another pass over the whole corpus).
        """
        self._resets += 1
        if self.model.reset_reason == "sort":
            self.table.scrollToTop()
            self.model.row(0)  # the first page, which the view is about to draw anyway
            row = self.model.cached_row_of(self._current_id) if self._current_id is not None else None
            if row is None:
                self.table.selectionModel().clearSelection()
            else:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
            return
        self._reselect_current(QAbstractItemView.ScrollHint.PositionAtCenter)

    def _reselect_current(self, scroll: QAbstractItemView.ScrollHint | None) -> None:
        if self._current_id is None:
            return
        row = self.model.row_of(self._current_id)
        selection = self.table.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.model.index(row, 0)
        selection.setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        if scroll is not None:
            self.table.scrollTo(index, scroll)

    def _update_summary(self) -> None:
        shown = self.model.rowCount()
        filters = self.model.filters
        filtered = bool(filters.status or filters.label or filters.search)
        total = self.corpus.count_documents() if filtered else shown
        noun = "article" if total == 1 else "articles"
        if filtered and not shown:
            hint = " (Esc in the search box clears it)" if filters.search else ""
            self.summary.setText(f"No article matches{hint} · {total:,} in all")
        else:
            self.summary.setText(f"{shown:,} of {total:,} {noun}" if filtered else f"{total:,} {noun}")
        self.countChanged.emit(shown, total)

    def _activate_index(self, index: QModelIndex) -> None:
        doc_id = self.model.doc_id(index.row()) if index.isValid() else None
        if doc_id is None or doc_id == self._current_id:
            return
        self._current_id = doc_id
        self.documentActivated.emit(doc_id)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        # Keys moving the highlight open its article once they rest (the table moves it itself).
        if watched is self.table and event.type() == event.Type.KeyPress:
            if event.key() in NAVIGATION_KEYS and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self._open_timer.start()
            return False
        # Escape in the search box clears it; Down moves into the list.
        if watched is self.search and event.type() == event.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                self._apply_filters_now()
                return True
            if event.key() == Qt.Key.Key_Down:
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                if self.model.rowCount() and not self.table.selectionModel().hasSelection():
                    self.table.setCurrentIndex(self.model.index(0, 0))  # the first result: opened as it rests
                    self._open_timer.start()
                return True
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        return QSize(360, 600)
