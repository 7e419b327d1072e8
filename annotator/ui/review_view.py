"""Read-only article views for the review window: merged, or one annotator's set (side by side).

The text is set once with ``setPlainText`` (never HTML) and never read back; highlights are
``ExtraSelection`` s, so the document and its undo stack are untouched. Entities get a
background in the colour of their agreement status, quotes an underline (content solid,
cue wavy, source dashed) in that colour. The current item is framed in :meth:`paintEvent`.
Every offset goes through :class:`annotator.core.offsets.OffsetMap`.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from annotator.core.offsets import OffsetMap
from annotator.core.spans import Quote, Span
from annotator.review.adjudication import ReviewItem
from annotator.ui.document_view import BASE_POINT_SIZE, text_font
from annotator.ui.text_direction import apply_text_direction

# Status -> background colour. Distinct hues, readable behind black Arabic text.
STATUS_COLORS = {
    "agree": "#b7e4c7",  # green: both said the same
    "only_a": "#a5c8ff",  # blue: only A
    "only_b": "#ffd08a",  # orange: only B
    "conflict": "#ff9fa8",  # red: both, differently (label, boundary, quote parts)
    "decided": "#dcdcdc",  # grey: settled by the reviewer
}
CONFLICTS = ("other_label", "boundary", "other_label_boundary", "differs")
FRAME = "#202020"


def status_color(item: ReviewItem) -> str:
    """The colour key of an item: its status, or 'decided' once settled."""
    if item.decided:
        return "decided"
    if item.status in CONFLICTS:
        return "conflict"
    return item.status


class ReviewTextView(QPlainTextEdit):
    """Shows one article; ``side`` is None for the merged view, or "a"/"b" for one annotator's set."""

    def __init__(self, side: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.offsets = OffsetMap("")
        self.direction = "ltr"
        self.items: list[ReviewItem] = []
        self.current: ReviewItem | None = None
        self.setObjectName(f"reviewView_{side or 'merged'}")
        self.setReadOnly(True)
        # setReadOnly drops keyboard selection: set the interaction flags afterwards.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDocumentMargin(14)
        self.setFont(text_font("ltr"))

    # -- content ---------------------------------------------------------------------------------

    def show_text(self, text: str, direction: str) -> None:
        self.offsets = OffsetMap(text)
        self.setExtraSelections([])
        self.setPlainText(text)
        self.set_direction(direction)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def set_direction(self, direction: str) -> None:
        """Right-to-left: text direction AND right alignment AND widget layout direction."""
        self.direction = direction
        apply_text_direction(self, direction)
        self.setFont(text_font(direction, BASE_POINT_SIZE - 1))

    def show_items(self, items: list[ReviewItem], current: ReviewItem | None) -> None:
        self.items = items
        self.current = current
        self._rebuild()

    def set_current(self, current: ReviewItem | None, reveal: bool = True) -> None:
        self.current = current
        if current is not None and reveal:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.offsets.to_utf16(current.start))
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        self.viewport().update()

    # -- selection (edit by hand) ---------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        """The selected text as code-point ``[start, end)``, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        lo = self.offsets.to_codepoint(cursor.selectionStart())
        hi = self.offsets.to_codepoint(cursor.selectionEnd())
        return (lo, hi) if hi > lo else None

    def select_range(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    # -- highlights --------------------------------------------------------------------------------

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = fmt
        return selection

    def _visible_parts(self, item: ReviewItem) -> list[Span | Quote]:
        if self.side == "a":
            return [item.a] if item.a is not None else []
        if self.side == "b":
            return [item.b] if item.b is not None else []
        return [x for x in (item.a, item.b) if x is not None]

    def _rebuild(self) -> None:
        backgrounds: list[QTextEdit.ExtraSelection] = []
        underlines: list[QTextEdit.ExtraSelection] = []
        for item in self.items:
            color = QColor(STATUS_COLORS[status_color(item)])
            parts = self._visible_parts(item)
            if item.kind == "entity":
                fmt = QTextCharFormat()
                fmt.setBackground(color)
                fmt.setForeground(QColor("#111111"))
                if self.side is None and len(parts) == 2 and parts[0].key != parts[1].key:
                    # Merged conflict: the union in the conflict colour, the shared part darker.
                    lo, hi = item.start, item.end
                    backgrounds.append(self._selection(lo, hi, fmt))
                    core_lo, core_hi = max(p.start for p in parts), min(p.end for p in parts)
                    if core_hi > core_lo:
                        dark = QTextCharFormat(fmt)
                        dark.setBackground(color.darker(118))
                        backgrounds.append(self._selection(core_lo, core_hi, dark))
                else:
                    for part in parts:
                        backgrounds.append(self._selection(part.start, part.end, fmt))
            else:
                underline = color.darker(170)
                for quote in parts:
                    for role, r in quote.parts():  # type: ignore[union-attr]
                        fmt = QTextCharFormat()
                        fmt.setUnderlineColor(underline)
                        fmt.setUnderlineStyle({
                            "content": QTextCharFormat.UnderlineStyle.SingleUnderline,
                            "cue": QTextCharFormat.UnderlineStyle.WaveUnderline,
                            "source": QTextCharFormat.UnderlineStyle.DashUnderline,
                        }[role])
                        underlines.append(self._selection(r.start, r.end, fmt))
        self.setExtraSelections(backgrounds + underlines)
        self.viewport().update()

    # -- current item frame --------------------------------------------------------------------------

    def range_rects(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles covering code points ``[start, end)``, one per visual line."""
        lo, hi = self.offsets.to_utf16(start), self.offsets.to_utf16(end)
        rects: list[QRectF] = []
        block = self.document().findBlock(lo)
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid() and block.position() <= hi:
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            layout = block.layout()
            base = block.position()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                a = max(lo, base + line.textStart())
                b = min(hi, base + line.textStart() + line.textLength())
                if a >= b:
                    continue
                x1, _ = line.cursorToX(a - base)
                x2, _ = line.cursorToX(b - base)
                top = geometry.top() + line.y()
                rects.append(QRectF(min(x1, x2) + geometry.left(), top, abs(x2 - x1), line.height()))
            block = block.next()
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        item = self.current
        if item is None or not self._visible_parts(item):
            return
        parts = self._visible_parts(item)
        lo, hi = min(p.start for p in parts), max(p.end for p in parts)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(FRAME))
        pen.setWidthF(2.0)
        painter.setPen(pen)
        for rect in self.range_rects(lo, hi):
            painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 1), 3, 3)
        painter.end()
