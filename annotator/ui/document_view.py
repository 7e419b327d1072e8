"""The document view: the stored article text with its annotations drawn over it.

A read-only :class:`QPlainTextEdit` holding the text exactly as stored (set with
``setPlainText``, never read back: ``toPlainText()`` turns NO-BREAK SPACE into a
space). Nothing drawn touches the text or its undo stack:

- entities: rectangles in the label's colour painted under the text, only for what is
  on screen (text shaping untouched; 1,000 spans cost what the visible ones cost);
- entity suggestions: paler rectangles with a dotted line, until accepted;
- quotes: paragraph-layout formats (:mod:`annotator.ui.highlighter`): content underlined
  in blue, cue red with a wavy underline, source green; suggested ones dashed/dotted.

The selected span, quote or suggestion is framed in :meth:`paintEvent` (no rebuild
on selection change), and for a selected quote the source→speaker link is drawn as
an arrow to the linked entity, which gets a green frame. Optional label tags (View →
Label tags) sit in the space before each entity; the words of the list's search are
marked in amber.

Clicks: a click places the cursor and selects the annotator's own span or quote under
it (clicking again cycles through overlapping ones); a click on plain text, or inside a
suggestion, selects nothing, so double-clicking a word inside a suggested quote selects
the word and leaves the selected quote selected (the first click of a double-click is
taken back). ``Ctrl``+click selects whatever is under the mouse, suggestions included.

Every offset goes through :class:`annotator.core.offsets.OffsetMap`: Qt counts
UTF-16 units, the store counts code points.
"""

from __future__ import annotations

import html
import unicodedata
from bisect import bisect_left
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from annotator.core.offsets import OffsetMap
from annotator.core.spans import Quote, Range, Span
from annotator.ui.contrast import blend, text_on
from annotator.ui.highlighter import Mark, SpanHighlighter, display_text, highlight_segments
from annotator.ui.search_hits import search_hits
from annotator.ui.session import AnnotationSession, Selection
from annotator.ui.text_direction import apply_text_direction

FONTS_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"
ARABIC_FAMILIES = ["Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans"]
LATIN_FAMILIES = ["Noto Sans", "DejaVu Sans"]
ROLE_COLORS = {"content": "#1e66f5", "cue": "#d20f39", "source": "#40a02b"}
SELECTION_FRAME = "#303446"
FALLBACK_COLOR = "#cccccc"
SUGGESTION_ALPHA = 80
SEARCH_FILL = QColor(255, 193, 7, 60)  # a light wash, and a solid bar: distinct over any label's colour
SEARCH_BAR = QColor("#e65100")
TAG_SCALE = 0.56  # label tags: this share of the text size
PARAGRAPH_BREAKS = "\n\r\u2029"
MARGIN = 18
BASE_POINT_SIZE = 15
_UNCHANGED = object()
_fonts_loaded = False


def ensure_fonts() -> None:
    """Load the fonts shipped in ``resources/fonts`` once, so rendering never depends on the machine."""
    global _fonts_loaded
    if _fonts_loaded:
        return
    _fonts_loaded = True
    families = set(QFontDatabase.families())
    for path in sorted(FONTS_DIR.glob("*.ttf")):
        stem = path.stem.split("-")[0]  # "NotoNaskhArabic"
        if not any(f.replace(" ", "") == stem for f in families):
            QFontDatabase.addApplicationFont(str(path))


def text_font(direction: str, point_size: float = BASE_POINT_SIZE) -> QFont:
    """The reading font for a document: Noto Naskh Arabic for right-to-left text, Noto Sans otherwise."""
    ensure_fonts()
    font = QFont()
    font.setFamilies(ARABIC_FAMILIES + LATIN_FAMILIES if direction == "rtl" else LATIN_FAMILIES + ARABIC_FAMILIES)
    font.setPointSizeF(point_size)
    return font


class DocumentView(QPlainTextEdit):
    """Shows the session's document; reports selections and clicks back to the session."""

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.offsets = OffsetMap("")
        self.direction = "ltr"
        self.zoom = 0  # steps of one point
        self._pressed_at: QPointF | None = None
        self._tokens_after_paint = False
        self._rest_after_paint = False
        self._painted: list[tuple[int, int, str]] = []
        self._entity_colors: dict[str, QColor] = {}
        self.label_tags = False  # View → Label tags
        self._tag_widths: dict[str, int] = {}
        self._tagged: dict[int, str] = {}  # code point of a widened space -> the label whose tag sits there
        self.search = ""
        self.search_hits: list[tuple[int, int]] = []
        self._search_after_paint = False
        self._before_click: object = _UNCHANGED  # the selection before the last click changed it
        self._quiet = False  # a click changed the selection: do not move the caret to it
        self.setObjectName("documentView")
        self.setReadOnly(True)
        # setReadOnly drops keyboard selection: set the interaction flags afterwards.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setTabChangesFocus(False)
        self.document().setDocumentMargin(MARGIN)
        self.setFont(text_font("ltr"))
        self.highlighter = SpanHighlighter(self.document())
        self.highlighter.page = self.palette().base().color().name()
        self._unsubscribe = session.subscribe(self._on_session)
        self.destroyed.connect(lambda *_: self._unsubscribe())
        if session.document is not None:
            self.show_document()

    # -- session -> view ------------------------------------------------------------------

    def _on_session(self, kind: str, payload: object) -> None:
        if kind == "document":
            self.show_document()
        elif kind == "annotations":
            self.rebuild_highlights()
        elif kind == "selection":
            self._reveal_selection()
            self.viewport().update()

    def show_document(self) -> None:
        """Show the session's document (text, direction, font, highlights)."""
        document = self.session.document
        text = document.text if document else ""
        self.offsets = OffsetMap(text)
        self._entity_colors = {label.name: QColor(label.color) for label in self.session.corpus.labels.entities}
        # The marks are given before the text is set: the highlighter formats each paragraph
        # once, as setPlainText lays it out. Only the marks of the first screenful go in now;
        # the rest follow right after the first frame (only their paragraphs are formatted then).
        self._tag_widths = self._measure_tags()
        marks = self._marks()
        limit = self._first_screen_chars()
        # Search hits of the first screenful now, of the whole article right after the first frame.
        self.search_hits = search_hits(text[:limit] if len(text) > limit else text, self.search) if self.search else []
        self._search_after_paint = bool(self.search) and len(text) > limit
        first = [m for m in marks if m[0] < limit] if len(text) > limit else marks
        self.highlighter.set_marks(first, self.offsets, display_text(text), reformat=False)
        self._rest_after_paint = len(first) < len(marks)
        self.setPlainText(display_text(text))
        self.set_direction(document.direction if document else "ltr")  # (setPlainText left the caret at the start)
        self._tokens_after_paint = document is not None

    def _first_screen_chars(self) -> int:
        """Generously more characters than the viewport can show at once."""
        metrics = self.fontMetrics()
        lines = max(1, self.viewport().height() // max(1, metrics.lineSpacing()) + 1)
        per_line = max(1, self.viewport().width() // max(1, metrics.averageCharWidth()))
        return 3 * lines * per_line + 2_000

    def set_direction(self, direction: str) -> None:
        """Right-to-left: text direction AND right alignment AND widget layout direction."""
        self.direction = direction
        apply_text_direction(self, direction)
        self.setFont(text_font(direction, BASE_POINT_SIZE + self.zoom))

    # -- zoom -----------------------------------------------------------------------------------

    def zoom_by(self, steps: int) -> None:
        self.zoom = max(-8, min(24, self.zoom + steps))
        self.setFont(text_font(self.direction, BASE_POINT_SIZE + self.zoom))
        if self.label_tags:
            self._tag_widths = self._measure_tags()
            self.rebuild_highlights()
        self.viewport().update()

    # -- label tags and search ------------------------------------------------------------------

    def set_label_tags(self, shown: bool) -> None:
        """Show (or hide) a small tag with the label's name at the start of each entity.

        The tag sits in the space (or punctuation) before the entity, widened for it; an
        entity that opens a paragraph has its tag in the margin, widened as much.
        """
        if shown == self.label_tags:
            return
        self.label_tags = shown
        self._tag_widths = self._measure_tags()
        widest = max(self._tag_widths.values(), default=0)
        self.document().setDocumentMargin(max(MARGIN, widest + 10) if shown else MARGIN)
        self.rebuild_highlights()

    @staticmethod
    def tag_room(char: str) -> bool:
        """May the character before an entity be widened for its tag? Spaces and punctuation may:
        they join no letters. A letter (an entity starting inside a word) may not."""
        if char in PARAGRAPH_BREAKS:
            return False
        return char.isspace() or unicodedata.category(char)[0] in "PSZ"

    def tag_font(self) -> QFont:
        font = QFont(text_font("ltr", BASE_POINT_SIZE + self.zoom))
        font.setPointSizeF(max(6.0, font.pointSizeF() * TAG_SCALE))
        font.setBold(True)
        return font

    def _measure_tags(self) -> dict[str, int]:
        metrics = QFontMetrics(self.tag_font())
        return {label.name: metrics.horizontalAdvance(label.name) + 8 for label in self.session.corpus.labels.entities}

    def _find_all_search_hits(self) -> None:
        self.search_hits = search_hits(self.session.text, self.search) if self.search else []
        self.viewport().update()

    def set_search(self, query: str) -> None:
        """Mark where the words of ``query`` (the list's search) occur in the article."""
        query = query.strip()
        if query == self.search:
            return
        self.search = query
        self.search_hits = search_hits(self.session.text, query) if query else []
        self.viewport().update()

    def zoom_reset(self) -> None:
        self.zoom_by(-self.zoom)

    # -- highlights -----------------------------------------------------------------------------

    def rebuild_highlights(self) -> None:
        """Re-read the session's annotations; only paragraphs whose quote marks changed are re-formatted."""
        self._rest_after_paint = False
        self.highlighter.set_marks(self._marks(), self.offsets)
        self._entity_colors = {label.name: QColor(label.color) for label in self.session.corpus.labels.entities}
        self.viewport().update()  # entities are painted

    def _marks(self) -> list[Mark]:
        """The quote highlights as (start, end, format key) in code points, in drawing order."""
        session = self.session
        if session.document is None:
            return []
        labels = session.corpus.labels
        roles = {role.name: role.color for role in labels.quote_roles}
        role_color = {name: roles.get(name, default) for name, default in ROLE_COLORS.items()}
        marks: list[Mark] = []
        colored: list[Range] = []  # cue and source parts: their text is coloured
        for suggested, quotes in ((True, session.suggested_quotes), (False, session.quotes)):
            for quote in quotes:
                for role, r in quote.parts():
                    marks.append((r.start, r.end, (role, role_color[role], suggested)))
                    if role != "content":
                        colored.append(r)
        marks = self._backdrops(colored) + marks
        if self.label_tags:
            text, widths, self._tagged = session.text, self._tag_widths, {}
            for span in session.spans:
                before = span.start - 1
                if before >= 0 and self.tag_room(text[before]) and before not in self._tagged:
                    self._tagged[before] = span.label
                    marks.append((before, span.start, ("tag", widths.get(span.label, 30), False)))
        return marks

    def _backdrops(self, colored: list[Range]) -> list[Mark]:
        """Which entity colour lies under each coloured cue or source (so its text stays readable)."""
        if not colored:
            return []
        page = self.palette().base().color().name()
        out: list[Mark] = []
        for suggested, spans in ((True, self.session.suggested_spans), (False, self.session.spans)):
            starts = [s.start for s in spans]
            for r in colored:
                for span in spans[max(bisect_left(starts, r.start) - 1, 0):bisect_left(starts, r.end)]:
                    lo, hi = max(span.start, r.start), min(span.end, r.end)
                    if lo < hi:
                        color = self._entity_colors.get(span.label, QColor(FALLBACK_COLOR)).name()
                        if suggested:
                            color = blend(color, page, SUGGESTION_ALPHA / 255)
                        out.append((lo, hi, ("backdrop", color, False)))
        return out

    def highlights(self) -> list[tuple[int, int, str]]:
        """What is drawn on screen now: (start, end, kinds) in code points, e.g. (7, 13, "entity").

        Entities painted in the viewport, and the quote formats of the whole text.
        """
        self.viewport().repaint()
        return sorted(self._painted + highlight_segments(self.document(), self.offsets))

    # -- geometry ---------------------------------------------------------------------------------

    def range_rects(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles covering code points ``[start, end)``, one per visual line."""
        lo, hi = self.offsets.to_utf16(start), self.offsets.to_utf16(end)
        rects: list[QRectF] = []
        block = self.document().findBlock(lo)
        offset = self.contentOffset()
        viewport_height = self.viewport().height()
        while block.isValid() and block.position() < hi:
            if block.isVisible():
                geometry = self.blockBoundingGeometry(block).translated(offset)
                if geometry.top() > viewport_height:
                    break
                layout = block.layout()
                base = block.position()
                a_rel = max(lo, base) - base
                b_rel = min(hi, base + block.length() - 1) - base
                if a_rel < b_rel and layout.lineCount():
                    # only the lines the range is on (lineForTextPosition is a binary search)
                    first = layout.lineForTextPosition(a_rel).lineNumber()
                    last = layout.lineForTextPosition(b_rel - 1).lineNumber()
                    for i in range(max(first, 0), (last if last >= 0 else layout.lineCount() - 1) + 1):
                        line = layout.lineAt(i)
                        a = max(a_rel, line.textStart())
                        b = min(b_rel, line.textStart() + line.textLength())
                        if a >= b:
                            continue
                        x1, _ = line.cursorToX(a)
                        x2, _ = line.cursorToX(b)
                        top = geometry.top() + line.y()
                        rects.append(QRectF(min(x1, x2) + geometry.left(), top, abs(x2 - x1), line.height()))
            block = block.next()
        return rects

    def _paint_entities(self) -> None:
        """Entity backgrounds as rectangles under the text (only those on screen).

        Painting them, rather than formatting the text, leaves text shaping untouched (Arabic
        stays joined, even when a span starts inside a word) and costs nothing for the spans
        that are off screen. Visible paragraphs are walked once; entities never overlap, so the
        ones in a paragraph are a slice of the sorted list.
        """
        session = self.session
        painted: list[tuple[int, int, str]] = []
        self._painted = painted
        if not (session.spans or session.suggested_spans):
            return
        colors = self._entity_colors
        painter = QPainter(self.viewport())
        painter.setPen(Qt.PenStyle.NoPen)
        for span in session.suggested_spans:  # few, and they may overlap each other
            rects = self.range_rects(span.start, span.end)
            if rects:
                color = QColor(colors.get(span.label, FALLBACK_COLOR))
                pale = QColor(color)
                pale.setAlpha(SUGGESTION_ALPHA)
                for rect in rects:
                    painter.fillRect(rect, pale)
                    painter.setPen(QPen(color.darker(160), 1.5, Qt.PenStyle.DotLine))
                    painter.drawLine(QPointF(rect.left(), rect.bottom() - 1), QPointF(rect.right(), rect.bottom() - 1))
                    painter.setPen(Qt.PenStyle.NoPen)
                painted.append((span.start, span.end, "entity-suggestion"))
        spans = session.spans
        starts = [s.start for s in spans]
        to_u16 = self.offsets.to_utf16
        offset = self.contentOffset()
        viewport_height = self.viewport().height()
        block = self.firstVisibleBlock()
        while block.isValid() and spans:
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > viewport_height:
                break
            base = block.position()
            limit = base + block.length() - 1
            lo_cp, hi_cp = self.offsets.to_codepoint(base), self.offsets.to_codepoint(limit)
            first = max(bisect_left(starts, lo_cp) - 1, 0)
            last = bisect_left(starts, hi_cp)
            layout = block.layout()
            for span in spans[first:last]:
                if span.end <= lo_cp or not layout.lineCount():
                    continue
                a_rel = max(to_u16(span.start), base) - base
                b_rel = min(to_u16(span.end), limit) - base
                if a_rel >= b_rel:
                    continue
                color = colors.get(span.label)
                if color is None:
                    color = QColor(FALLBACK_COLOR)
                line_from = layout.lineForTextPosition(a_rel).lineNumber()
                line_to = layout.lineForTextPosition(b_rel - 1).lineNumber()
                for i in range(max(line_from, 0), max(line_to, line_from) + 1):
                    line = layout.lineAt(i)
                    a = max(a_rel, line.textStart())
                    b = min(b_rel, line.textStart() + line.textLength())
                    if a < b:
                        x1, _ = line.cursorToX(a)
                        x2, _ = line.cursorToX(b)
                        painter.fillRect(QRectF(min(x1, x2) + geometry.left(), geometry.top() + line.y(),
                                                abs(x2 - x1), line.height()), color)
                if not painted or painted[-1][:2] != (span.start, span.end):
                    painted.append((span.start, span.end, "entity"))
            block = block.next()
        painter.end()

    def visible_range(self) -> tuple[int, int]:
        """The code points on screen, ``[first, last)`` (whole paragraphs)."""
        block = self.firstVisibleBlock()
        if not block.isValid():
            return 0, 0
        first = self.offsets.to_codepoint(block.position())
        offset = self.contentOffset()
        height = self.viewport().height()
        last = block
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() <= height:
            last = block
            block = block.next()
        end = min(last.position() + last.length() - 1, self.offsets.length_utf16)
        return first, self.offsets.to_codepoint(end)

    def _paint_search_hits(self) -> None:
        """The search's words in amber, under the text (only those on screen)."""
        if not self.search_hits:
            return
        lo, hi = self.visible_range()
        starts = [h[0] for h in self.search_hits]
        painter = QPainter(self.viewport())
        painter.setPen(Qt.PenStyle.NoPen)
        for start, end in self.search_hits[max(bisect_left(starts, lo) - 1, 0):bisect_left(starts, hi)]:
            for rect in self.range_rects(start, end):
                painter.fillRect(rect, SEARCH_FILL)
                painter.fillRect(QRectF(rect.left(), rect.bottom() - 3, rect.width(), 3), SEARCH_BAR)
            self._painted.append((start, end, "search"))
        painter.end()

    def _paint_label_tags(self) -> None:
        """A small tag with the label's name in the widened space before each entity on screen.

        Visible paragraphs are walked once (as for the entity backgrounds): each entity's start
        and the space before it are placed with their line's ``cursorToX``, no per-span lookup.
        """
        spans = self.session.spans
        if not self.label_tags or not spans:
            return
        font = self.tag_font()
        height = QFontMetrics(font).height() + 1
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        starts = [s.start for s in spans]
        rtl = self.direction == "rtl"
        text, tagged, to_u16 = self.session.text, self._tagged, self.offsets.to_utf16
        offset, bottom = self.contentOffset(), self.viewport().height()
        block = self.firstVisibleBlock()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > bottom:
                break
            layout, base = block.layout(), block.position()
            lo = self.offsets.to_codepoint(base)
            hi = self.offsets.to_codepoint(base + block.length() - 1)
            for span in spans[bisect_left(starts, lo):bisect_left(starts, hi)] if layout.lineCount() else ():
                rel = to_u16(span.start) - base
                line = layout.lineForTextPosition(rel)
                x, _ = line.cursorToX(rel)  # the edge the entity starts from (its right edge in Arabic)
                x += geometry.left()
                top = geometry.top() + line.y()
                width = self._tag_widths.get(span.label, 30) - 3
                before = span.start - 1
                gap_line = layout.lineForTextPosition(to_u16(before) - base) if before >= lo else None
                if tagged.get(before) == span.label and gap_line is not None and \
                        gap_line.lineNumber() == line.lineNumber():  # the widened space, on the entity's line
                    left = x + 1 if rtl else x - width - 1
                elif tagged.get(before) == span.label or before < 0 or text[before] in PARAGRAPH_BREAKS:
                    # the entity opens a line (its space stayed at the end of the line before): the margin
                    left = x + 4 if rtl else x - width - 4
                else:  # starts inside a word: over its first letters
                    left = x - width if rtl else x
                rect = QRectF(left, top + (line.height() - height) / 2, width, height)
                color = self._entity_colors.get(span.label, QColor(FALLBACK_COLOR))
                painter.setPen(QPen(color.darker(150), 1))
                painter.setBrush(color)
                painter.drawRoundedRect(rect, 3, 3)
                painter.setPen(QColor(text_on(color.name())))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, span.label)
                self._painted.append((span.start, span.start, f"tag:{span.label}"))
            block = block.next()
        painter.end()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        self._paint_entities()  # under the text: QPlainTextEdit paints no background of its own
        self._paint_search_hits()
        super().paintEvent(event)
        self._paint_label_tags()
        if self._rest_after_paint:
            self._rest_after_paint = False
            QTimer.singleShot(0, self.rebuild_highlights)
        if self._search_after_paint:
            self._search_after_paint = False
            QTimer.singleShot(0, self._find_all_search_hits)
        if self._tokens_after_paint:
            # The article is on screen: now tokenise it (snapping needs it) before the first key.
            self._tokens_after_paint = False
            QTimer.singleShot(0, self.session.prepare_tokens)
        item = self.session.selected_item()
        if item is None:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if isinstance(item, Span):
            self._frame(painter, [Range(item.start, item.end)], SELECTION_FRAME,
                        dashed=self.session.selection.kind == "suggestion")
        else:
            dashed = self.session.selection.kind == "suggestion"
            self._frame(painter, list(item.contents), ROLE_COLORS["content"], dashed)
            if item.cue:
                self._frame(painter, [item.cue], ROLE_COLORS["cue"], dashed)
            self._frame(painter, list(item.sources), ROLE_COLORS["source"], dashed)
            if item.entity is not None:
                self._draw_link(painter, item)
        painter.end()

    def _frame(self, painter: QPainter, ranges: list[Range], color: str, dashed: bool = False) -> None:
        pen = QPen(QColor(color), 2)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        for r in ranges:
            for rect in self.range_rects(r.start, r.end):
                painter.drawRoundedRect(rect.adjusted(-2, 0, 2, 0), 3, 3)

    def _draw_link(self, painter: QPainter, quote: Quote) -> None:
        """The source→speaker link: a green frame on the entity and an arrow from the source to it."""
        entity_rects = self.range_rects(quote.entity.start, quote.entity.end)
        if not entity_rects:
            return
        pen = QPen(QColor(ROLE_COLORS["source"]), 2.5)
        painter.setPen(pen)
        for rect in entity_rects:
            painter.drawRoundedRect(rect.adjusted(-4, -2, 4, 2), 4, 4)
        sources = [r for r in quote.sources if not r.overlaps(quote.entity)]
        if not sources:
            return
        source_rects = self.range_rects(sources[0].start, sources[0].end)
        if not source_rects:
            return
        a = source_rects[0].center()
        b = entity_rects[0].center()
        a.setY(source_rects[0].top())
        b.setY(entity_rects[0].top() - 2)
        lift = max(24.0, abs(a.x() - b.x()) / 4)
        control = QPointF((a.x() + b.x()) / 2, min(a.y(), b.y()) - lift)
        path = QPainterPath(a)
        path.quadTo(control, b)
        painter.drawPath(path)
        # arrow head at b, along the curve's final direction
        direction = b - control
        length = max(1.0, (direction.x() ** 2 + direction.y() ** 2) ** 0.5)
        ux, uy = direction.x() / length, direction.y() / length
        head = QPainterPath(b)
        head.lineTo(b.x() - 9 * ux + 5 * uy, b.y() - 9 * uy - 5 * ux)
        head.lineTo(b.x() - 9 * ux - 5 * uy, b.y() - 9 * uy + 5 * ux)
        head.closeSubpath()
        painter.fillPath(head, QColor(ROLE_COLORS["source"]))

    def _reveal_selection(self) -> None:
        """Scroll the selected item into view (the caret moves to it; a text selection is dropped)."""
        item = self.session.selected_item()
        if item is None or self._quiet:
            return
        cursor = self.textCursor()
        if cursor.hasSelection() and item.start <= self.offsets.to_codepoint(cursor.selectionEnd()) and \
                self.offsets.to_codepoint(cursor.selectionStart()) <= item.end:
            cursor.clearSelection()  # the selection was just used (labelled): keep the caret there
            self.setTextCursor(cursor)
        elif cursor.hasSelection() or not (item.start <= self.offsets.to_codepoint(cursor.position()) <= item.end):
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.offsets.to_utf16(item.start))
            self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # -- view -> session ------------------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        """The text selection as code points ``(start, end)`` of the stored text, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.offsets.to_codepoint(cursor.selectionStart()), self.offsets.to_codepoint(cursor.selectionEnd())

    def cursor_offset(self) -> int:
        return self.offsets.to_codepoint(self.textCursor().position())

    def select_text(self, start: int, end: int) -> None:
        """Select code points ``[start, end)`` as if the annotator had dragged over them."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def offset_at(self, point: QPointF) -> int | None:
        """The code point whose character is under a viewport point; None over empty space
        (beyond the end of a line, in the margins, below the text)."""
        position = self.cursorForPosition(point.toPoint()).position()
        candidate = self.offsets.to_codepoint(position)
        for offset in (candidate, candidate - 1):
            if 0 <= offset < self.offsets.length and self.session.text[offset] not in "\n\r\u2029":
                for rect in self.range_rects(offset, offset + 1):
                    if rect.adjusted(-0.5, 0, 0.5, 0).contains(point):
                        return offset
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._pressed_at = event.position()
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        # The double-click selects a word (Qt does that); the click that began it must not
        # have changed what is selected: "select the quote, double-click the verb, press C".
        before, self._before_click = self._before_click, _UNCHANGED
        if before is not _UNCHANGED:
            self._select_quietly(before)  # type: ignore[arg-type]
        super().mouseDoubleClickEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        pressed, self._pressed_at = self._pressed_at, None
        self._before_click = _UNCHANGED
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        if pressed is not None and (event.position() - pressed).manhattanLength() > 4:
            return  # a drag that selected nothing
        before = self.session.selection
        offset = self.offset_at(event.position())
        explicit = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        self._quiet = True
        try:
            if offset is None:
                self.session.select(None)
            else:
                self.session.select_at(offset, suggestions=explicit)
        finally:
            self._quiet = False
        if self.session.selection != before:
            self._before_click = before

    def _select_quietly(self, selection: Selection | None) -> None:
        self._quiet = True
        try:
            if selection is None:
                self.session.select(None)
            elif self.session.find(selection.kind, selection.id) is not None:
                self.session.select(selection.kind, selection.id)
        finally:
            self._quiet = False

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            offset = self.offset_at(QPointF(self.viewport().mapFrom(self, event.pos())))
            tip = self.tooltip_at(offset) if offset is not None else ""
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tooltip_at(self, offset: int) -> str:
        """Tooltip (escaped rich text) describing what covers ``offset``: label, origin, suggester, score."""
        lines = []
        text = self.session.text
        for kind, item in self.session.items_at(offset):
            if isinstance(item, Span):
                what = f"<b>{html.escape(item.label)}</b> “{html.escape(text[item.start:item.end])}”"
                if kind == "suggestion":
                    what += " · suggestion"
                else:
                    what += f" · {item.origin}"
            else:
                what = f"<b>Quote</b> ({item.type})"
                if kind == "suggestion":
                    what += " · suggestion"
                else:
                    what += f" · {item.origin}"
                if item.cue:
                    what += f" · cue “{html.escape(text[item.cue.start:item.cue.end])}”"
                if item.sources:
                    what += " · source “" + html.escape(" / ".join(text[r.start:r.end] for r in item.sources)) + "”"
                if item.entity:
                    what += f" → “{html.escape(text[item.entity.start:item.entity.end])}”"
            if item.suggester:
                what += f" · by {html.escape(item.suggester)}"
            if item.score is not None:
                what += f" · score {item.score:.2f}"
            lines.append(what)
        if not lines:
            return ""
        return "<div dir='auto'>" + "<br>".join(lines) + "</div>"
