"""The side panel: the open article's quotes as cards and its entities as a list.

Both follow the :class:`~annotator.ui.session.AnnotationSession`: they are rebuilt
when the document or its annotations change and follow the selection. Clicking a
card or an entity selects it in the session, which shows it in the document view.
Every piece of article text is shown as plain text, never interpreted as HTML.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QIcon, QMouseEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.spans import Quote, Span
from annotator.ui.fonts import arabic_font, has_arabic
from annotator.ui.session import AnnotationSession, Selection

EXCERPT_CHARS = 220
ROLE_COLORS = {"content": "#1e66f5", "cue": "#d20f39", "source": "#40a02b"}  # as the document view marks them
ORIGIN_TEXT = {"manual": "manual", "accepted": "accepted", "edited": "edited", "imported": "imported"}
QUOTE_STYLE = """
QFrame#quoteCard { background: palette(base); border: 1px solid palette(mid); border-radius: 6px; }
QFrame#quoteCard[suggested="true"] { border: 1px dashed #8c8fa1; background: palette(window); }
QFrame#quoteCard[selected="true"] { border: 2px solid #1e66f5; }
QLabel#quoteMeta { color: palette(placeholder-text); }
QLabel#quoteCaption { color: palette(placeholder-text); }
"""


def one_line(text: str) -> str:
    """Article text for a one-line display: runs of whitespace (newlines too) become one space."""
    return " ".join(text.split())


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _chip(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(color).darker(130))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


def _plain_label(parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # article text is never HTML
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    if name:
        label.setObjectName(name)
    return label


# -- quote cards ---------------------------------------------------------------------------


class QuoteCard(QFrame):
    """One quote: speaker, cue, content excerpt, type and origin. Click to select it."""

    clicked = Signal(str, int)  # selection kind ("quote" or "suggestion"), id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("quoteCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.kind = "quote"
        self.ident = -1
        self.meta = _plain_label(self, "quoteMeta")
        self.speaker = _plain_label(self, "quoteSpeaker")
        self.cue = _plain_label(self, "quoteCue")
        self.content = _plain_label(self, "quoteContent")
        self.content.setWordWrap(True)
        self.speaker.setWordWrap(True)
        bold = QFont(self.speaker.font())
        bold.setBold(True)
        self.speaker.setFont(bold)
        plain = QFont(self.content.font())
        self._fonts = {False: (plain, bold), True: (arabic_font(plain), arabic_font(bold))}  # [arabic][bold]
        self._captions: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.meta, 0, 0, 1, 2)
        rows = (("source", "speaker", self.speaker), ("cue", "cue", self.cue), ("content", "says", self.content))
        for row, (role, caption, value) in enumerate(rows, 1):
            label = _plain_label(self, "quoteCaption")
            label.setText(caption)
            label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
            label.setStyleSheet(f"color: {ROLE_COLORS[role]};")
            self._captions[role] = label
            grid.addWidget(label, row, 0)
            grid.addWidget(value, row, 1)
        grid.setColumnStretch(1, 1)

    def show_quote(self, quote: Quote, text: str, kind: str, rtl: bool, entity_text: str | None = None) -> None:
        self.kind, self.ident = kind, quote.id if quote.id is not None else -1
        suggested = kind == "suggestion"
        origin = "suggested" if suggested else ORIGIN_TEXT.get(quote.origin, quote.origin)
        parts = f" · {len(quote.contents)} parts" if len(quote.contents) > 1 else ""
        score = f" {quote.score:.2f}" if suggested and quote.score is not None else ""
        by = f" by {quote.suggester}" if suggested and quote.suggester else ""
        self.meta.setText(f"{quote.type} · {origin}{score}{by}{parts}")
        speaker = "، ".join(one_line(text[r.start : r.end]) for r in quote.sources) if quote.sources else ""
        if entity_text and entity_text != speaker:
            speaker = f"{speaker} → {entity_text}" if speaker else entity_text
        # QLabel lays plain text out by its content; the mark puts a lone dash on the article's side.
        missing = "\u200f—" if rtl else "—"
        self.speaker.setText(speaker or missing)
        self.cue.setText(one_line(text[quote.cue.start : quote.cue.end]) if quote.cue else missing)
        self.content.setText(excerpt(" … ".join(text[r.start : r.end] for r in quote.contents)))
        # Arabic at the visual size of the Latin captions beside it (Naskh set larger).
        for label in (self.speaker, self.cue, self.content):
            label.setFont(self._fonts[has_arabic(label.text())][label is self.speaker])
        # The whole card reads in the article's direction: captions sit beside the text they name.
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        for label in (self.meta, self.speaker, self.cue, self.content):
            label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        self.setToolTip(
            f"{'Suggested quote' if suggested else 'Quote'} ({quote.type}), "
            f"characters {quote.start}–{quote.end}. Click to show it in the text."
        )
        self._set_property("suggested", suggested)

    def set_role_colors(self, colors: dict[str, str]) -> None:
        for role, label in self._captions.items():
            if role in colors:
                label.setStyleSheet(f"color: {colors[role]};")

    def set_selected(self, selected: bool) -> None:
        self._set_property("selected", selected)

    def _set_property(self, name: str, value: bool) -> None:
        if self.property(name) != value:
            self.setProperty(name, value)
            self.style().unpolish(self)
            self.style().polish(self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.kind, self.ident)
            event.accept()
            return
        super().mousePressEvent(event)


class QuoteCards(QScrollArea):
    """A scrolling column of :class:`QuoteCard`, reused between documents."""

    cardClicked = Signal(str, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("quoteCards")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        body.setObjectName("quoteCardsBody")
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(2, 2, 2, 2)
        self._layout.setSpacing(6)
        self.empty = _plain_label(body, "quotesEmpty")
        self.empty.setText("No quotes yet. Select what was said and press Q.")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self._layout.addWidget(self.empty)
        self._layout.addStretch(1)
        self.setWidget(body)
        self.cards: list[QuoteCard] = []
        self.shown = 0

    def show_quotes(self, entries: list[tuple[str, Quote]], text: str, rtl: bool, entity_texts: dict,
                    role_colors: dict[str, str] | None = None) -> None:
        body = self.widget()
        body.setUpdatesEnabled(False)
        while len(self.cards) < len(entries):
            card = QuoteCard(body)
            card.set_role_colors(role_colors or {})
            card.clicked.connect(self.cardClicked)
            self._layout.insertWidget(len(self.cards), card)
            self.cards.append(card)
        for card, (kind, quote) in zip(self.cards, entries, strict=False):
            entity = entity_texts.get((quote.entity.start, quote.entity.end)) if quote.entity else None
            card.show_quote(quote, text, kind, rtl, entity)
            card.show()
        for card in self.cards[len(entries) :]:
            card.hide()
        self.shown = len(entries)
        self.empty.setVisible(not entries)
        body.setUpdatesEnabled(True)

    def visible_cards(self) -> list[QuoteCard]:
        return self.cards[: self.shown]

    def mark_selected(self, selection: Selection | None) -> QuoteCard | None:
        chosen = None
        for card in self.visible_cards():
            selected = selection is not None and (card.kind, card.ident) == (selection.kind, selection.id)
            card.set_selected(selected)
            if selected:
                chosen = card
        if chosen is not None:
            self.ensureWidgetVisible(chosen, 0, 8)
        return chosen


# -- entity list ---------------------------------------------------------------------------


class EntityModel(QAbstractTableModel):
    """The article's entity spans and pending entity suggestions, in reading order."""

    COLUMNS = ("Label", "Text", "Origin")

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.entries: list[tuple[str, Span, str]] = []  # (selection kind, span, its text)
        self.colors: dict[str, str] = {}
        self.rtl = False
        self._chips: dict[str, QIcon] = {}
        self.italic: QFont | None = None
        self.arabic: QFont | None = None

    def set_entries(self, entries: list[tuple[str, Span, str]], colors: dict[str, str], rtl: bool) -> None:
        self.beginResetModel()
        self.entries, self.colors, self.rtl = entries, colors, rtl
        self.endResetModel()

    def row_of(self, selection: Selection | None) -> int | None:
        if selection is None:
            return None
        for row, (kind, span, _) in enumerate(self.entries):
            if kind == selection.kind and span.id == selection.id:
                return row
        return None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        kind, span, text = self.entries[index.row()]
        column = index.column()
        suggested = kind == "suggestion"
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return span.label
            if column == 1:
                return text
            if suggested:
                return f"suggested {span.score:.2f}" if span.score is not None else "suggested"
            return ORIGIN_TEXT.get(span.origin, span.origin)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            color = self.colors.get(span.label, "#cccccc")
            chip = self._chips.get(color)
            if chip is None:
                chip = self._chips[color] = _chip(color)
            return chip
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f"characters {span.start}–{span.end}"
            if suggested:
                score = f", score {span.score:.2f}" if span.score is not None else ""
                return f"Suggested {span.label} by {span.suggester or 'a suggester'}{score}, {where}"
            return f"{span.label} ({ORIGIN_TEXT.get(span.origin, span.origin)}), {where}"
        if role == Qt.ItemDataRole.ForegroundRole and suggested:
            return QBrush(QColor("#6c6f85"))
        if role == Qt.ItemDataRole.FontRole and suggested and column == 2 and self.italic is not None:
            return self.italic  # only the Latin "suggested" note: Arabic has no italic and fell back to boxes
        if role == Qt.ItemDataRole.FontRole and column == 1 and self.arabic is not None and has_arabic(text):
            return self.arabic  # Naskh, scaled to the Latin x-height of the other columns
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            side = Qt.AlignmentFlag.AlignRight if self.rtl else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        return None


class _DirectionDelegate(QStyledItemDelegate):
    """Lays out the entity text in the document's direction."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        model = index.model()
        if isinstance(model, EntityModel) and model.rtl:
            option.direction = Qt.LayoutDirection.RightToLeft  # type: ignore[attr-defined]


class SidePanel(QWidget):
    """Quotes (cards) above entities (a list); both select in the session when clicked."""

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sidePanel")
        self.session = session
        self.setStyleSheet(QUOTE_STYLE)

        self.quotes_title = _plain_label(self, "quotesTitle")
        self.cards = QuoteCards(self)
        self.cards.cardClicked.connect(self._select)

        self.entities_title = _plain_label(self, "entitiesTitle")
        self.entity_model = EntityModel(self)
        self.entities = QTableView(self)
        self.entities.setObjectName("entityList")
        self.entities.setModel(self.entity_model)
        italic = QFont(self.entities.font())
        italic.setItalic(True)
        self.entity_model.italic = italic
        self.entity_model.arabic = arabic_font(self.entities.font())
        self.entities.setItemDelegateForColumn(1, _DirectionDelegate(self.entities))
        self.entities.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.entities.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.entities.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.entities.setShowGrid(False)
        self.entities.setWordWrap(False)
        self.entities.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.entities.verticalHeader().hide()
        self.entities.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.entities.verticalHeader().setDefaultSectionSize(
            max(self.fontMetrics().height(), QFontMetrics(self.entity_model.arabic).height() * 0.8) + 6)
        header = self.entities.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, self.fontMetrics().horizontalAdvance("MISCX") + 36)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, self.fontMetrics().horizontalAdvance("suggested 0.00") + 16)
        self.entities.clicked.connect(self._entity_clicked)

        quotes_box = QWidget(self)
        quotes_layout = QVBoxLayout(quotes_box)
        quotes_layout.setContentsMargins(0, 0, 0, 0)
        quotes_layout.addWidget(self.quotes_title)
        quotes_layout.addWidget(self.cards, 1)
        entities_box = QWidget(self)
        entities_layout = QVBoxLayout(entities_box)
        entities_layout.setContentsMargins(0, 0, 0, 0)
        entities_layout.addWidget(self.entities_title)
        entities_layout.addWidget(self.entities, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(quotes_box)
        self.splitter.addWidget(entities_box)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([1, 1])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        for title in (self.quotes_title, self.entities_title):
            font = QFont(title.font())
            font.setBold(True)
            title.setFont(font)

        self._unsubscribe = session.subscribe(self._on_session)
        self.destroyed.connect(lambda *_: self._unsubscribe())
        self.rebuild()

    # -- following the session ----------------------------------------------------------------

    def _on_session(self, kind: str, payload: object) -> None:
        if kind in ("document", "annotations"):
            self.rebuild()
        elif kind == "selection":
            self.show_selection(self.session.selection)

    def rebuild(self) -> None:
        """Show the open document's quotes and entities (and their pending suggestions)."""
        session = self.session
        text = session.text
        rtl = bool(session.document and session.document.direction == "rtl")
        spans = [("span", s) for s in session.spans]
        entity_texts = {(s.start, s.end): one_line(text[s.start : s.end]) for _, s in spans}
        quotes = sorted(
            [("quote", q) for q in session.quotes] + [("suggestion", q) for q in session.suggested_quotes],
            key=lambda e: (e[1].start, e[1].end),
        )
        roles = {role.name: role.color for role in session.corpus.labels.quote_roles}
        self.cards.show_quotes(quotes, text, rtl, entity_texts, roles)
        entries = sorted(spans + [("suggestion", s) for s in session.suggested_spans], key=lambda e: (e[1].start, e[1].end))
        colors = {label.name: label.color for label in session.corpus.labels.entities}
        scroll = self.entities.verticalScrollBar().value()
        self.entity_model.set_entries(
            [(k, s, entity_texts.get((s.start, s.end)) or one_line(text[s.start : s.end])) for k, s in entries],
            colors,
            rtl,
        )
        self.entities.verticalScrollBar().setValue(scroll)
        self._update_titles()
        self.show_selection(session.selection, scroll=False)

    def _update_titles(self) -> None:
        accepted_quotes = len(self.session.quotes)
        suggested_quotes = len(self.session.suggested_quotes)
        accepted = len(self.session.spans)
        suggested = len(self.session.suggested_spans)
        self.quotes_title.setText(f"Quotes ({accepted_quotes}" + (f" + {suggested_quotes} suggested)" if suggested_quotes else ")"))
        self.entities_title.setText(f"Entities ({accepted}" + (f" + {suggested} suggested)" if suggested else ")"))

    def show_selection(self, selection: Selection | None, scroll: bool = True) -> None:
        self.cards.mark_selected(selection)
        row = self.entity_model.row_of(selection)
        selection_model = self.entities.selectionModel()
        if row is None:
            selection_model.clearSelection()
            return
        index = self.entity_model.index(row, 0)
        selection_model.setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        if scroll:
            self.entities.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    # -- clicks ----------------------------------------------------------------------------------

    def _entity_clicked(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.entity_model.entries):
            kind, span, _ = self.entity_model.entries[index.row()]
            if span.id is not None:
                self._select(kind, span.id)

    def _select(self, kind: str, ident: int) -> None:
        if ident >= 0:
            self.session.select(kind, ident)

    # -- what a user reads (used by tests and screenshots) ---------------------------------------

    def card_texts(self) -> list[dict[str, str]]:
        return [
            {"meta": c.meta.text(), "speaker": c.speaker.text(), "cue": c.cue.text(), "content": c.content.text()}
            for c in self.cards.visible_cards()
        ]

    def entity_rows(self) -> list[tuple[str, str, str]]:
        m = self.entity_model
        return [tuple(m.data(m.index(r, c)) for c in range(3)) for r in range(m.rowCount())]  # type: ignore[misc]

