"""Side panel of the review window: the article's disagreements and the agreement figures."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.review.adjudication import ReviewItem
from annotator.review.agreement import PairAgreement
from annotator.review.report import fmt, fmt_f1
from annotator.review.span_metrics import ALL, KIND_NAMES, KINDS
from annotator.ui.review_view import STATUS_COLORS, status_color

SNIPPET = 28


def snippet(text: str, obj) -> str:
    """A short excerpt of the text an item covers (entities whole, quotes from their content)."""
    if obj is None:
        return "–"
    start, end = (obj.contents[0].start, obj.contents[0].end) if hasattr(obj, "contents") else (obj.start, obj.end)
    words = " ".join(text[start:end].split())
    return words if len(words) <= SNIPPET else words[: SNIPPET - 1] + "…"


class DisagreementList(QListWidget):
    """The article's disagreements in text order; selecting a row asks to go to that item."""

    item_chosen = Signal(str)  # item key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disagreementList")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the window's actions
        self.setWordWrap(True)
        self._keys: list[str] = []
        self.currentRowChanged.connect(self._on_row)
        self._updating = False

    def show_items(self, items: list[ReviewItem], text: str, current: ReviewItem | None) -> None:
        self._updating = True
        self.clear()
        self._keys = []
        for n, item in enumerate(items, 1):
            # U+2068/U+2069 isolate each excerpt so Arabic and Latin do not reorder each other.
            a, b = snippet(text, item.a), snippet(text, item.b)
            # A leading LRM keeps the row left-to-right whatever script the excerpts are in.
            row = QListWidgetItem(f"\u200e{n}. {item.describe()}\n\u200e   A: \u2068{a}\u2069   B: \u2068{b}\u2069")
            row.setBackground(QBrush(QColor(STATUS_COLORS[status_color(item)])))
            row.setForeground(QBrush(QColor("#111111")))
            row.setData(Qt.ItemDataRole.UserRole, item.key)
            self.addItem(row)
            self._keys.append(item.key)
        self._updating = False
        self.set_current(current)

    def set_current(self, current: ReviewItem | None) -> None:
        self._updating = True
        row = self._keys.index(current.key) if current is not None and current.key in self._keys else -1
        self.setCurrentRow(row)
        if row >= 0:
            self.scrollToItem(self.item(row))
        self._updating = False

    def _on_row(self, row: int) -> None:
        if not self._updating and 0 <= row < len(self._keys):
            self.item_chosen.emit(self._keys[row])


class AgreementPanel(QGroupBox):
    """Agreement figures: this article, and the whole corpus once computed (in the background)."""

    ROWS = ("F1 exact", "F1 overlap", "Cohen's κ (tokens)", "Krippendorff's α", "quote content F1",
            *(KIND_NAMES[k] for k in KINDS), "quote disagreements")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Agreement (B against A)", parent)
        self.setObjectName("agreementPanel")
        self.table = QTableWidget(len(self.ROWS), 2, self)
        self.table.setObjectName("agreementTable")
        self.table.setHorizontalHeaderLabels(["article", "corpus"])
        self.table.setVerticalHeaderLabels(list(self.ROWS))
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows_height = self.table.verticalHeader().defaultSectionSize() * len(self.ROWS)
        self.table.setMinimumHeight(rows_height + self.table.horizontalHeader().sizeHint().height() + 4)
        self.note = QLabel("corpus figures: computing…", self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.note)

    @staticmethod
    def column(pair: PairAgreement | None) -> list[str]:
        if pair is None or not pair.documents:
            return ["–"] * len(AgreementPanel.ROWS)
        q = pair.quotes
        return [
            fmt(pair.exact[ALL]["f1"]),
            fmt(pair.overlap[ALL]["f1"]),
            fmt(pair.kappa.get(ALL)),
            fmt(pair.alpha.get(ALL)),
            fmt_f1(q["content"]["exact"]),
            *(str(pair.disagreements.get(k, 0)) for k in KINDS),
            str(sum(row.quote_disagreements for row in pair.articles)),
        ]

    def set_column(self, col: int, pair: PairAgreement | None) -> None:
        for row, value in enumerate(self.column(pair)):
            cell = QTableWidgetItem(value)
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, cell)

    def value(self, row_name: str, col: int = 0) -> str:
        cell = self.table.item(self.ROWS.index(row_name), col)
        return cell.text() if cell else ""

    def set_corpus(self, pair: PairAgreement | None, documents: int) -> None:
        self.set_column(1, pair)
        self.note.setText(f"corpus: {documents} article(s) both annotated" if pair else "corpus figures unavailable")

    def set_corpus_error(self, message: str) -> None:
        self.note.setText(f"corpus figures unavailable: {message}")
