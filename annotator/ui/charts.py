"""A small stacked bar chart drawn with QPainter (QtCharts is not in PySide6-Essentials).

:class:`StackedBars` shows one bar per category (an annotator, a day), split into series (done,
in progress…; one colour each), horizontally or vertically, with a legend, the total at the
end of each bar, and a tooltip per segment. Category names are laid out as plain text in
their own direction (an Arabic name reads right to left).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from annotator.ui.contrast import text_on


@dataclass(frozen=True)
class Series:
    name: str
    color: str


class StackedBars(QWidget):
    """One stacked bar per category; ``values[category][series]`` are counts."""

    def __init__(self, parent: QWidget | None = None, *, horizontal: bool = True, title: str = "") -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.title = title
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.values: list[list[float]] = []
        self._segments: list[tuple[QRectF, str]] = []  # drawn rectangles and their tooltips
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(160)

    def set_data(self, categories: list[str], series: list[Series], values: list[list[float]]) -> None:
        if len(values) != len(categories) or any(len(row) != len(series) for row in values):
            raise ValueError("values must have one row per category and one value per series")
        self.categories, self.series, self.values = list(categories), list(series), [list(r) for r in values]
        self.updateGeometry()
        self.update()

    def totals(self) -> list[float]:
        return [sum(row) for row in self.values]

    def sizeHint(self) -> QSize:  # noqa: N802
        metrics = QFontMetricsF(self.font())
        bars = max(1, len(self.categories))
        if self.horizontal:
            return QSize(520, int(metrics.height() * (3 + 1.8 * bars)))
        return QSize(max(520, int(26 * bars)), 260)

    # -- drawing --------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        area = QRectF(self.rect()).adjusted(8, 6, -8, -6)
        self._segments = []
        if self.title:
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(area.left(), area.top(), area.width(), line), Qt.AlignmentFlag.AlignLeft,
                             self.title)
            area.setTop(area.top() + line + 4)
        legend_height = self._draw_legend(painter, area, metrics)
        area.setTop(area.top() + legend_height + 6)
        if not self.categories or max(self.totals() or [0]) <= 0:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "Nothing to show yet.")
            painter.end()
            return
        if self.horizontal:
            self._draw_horizontal(painter, area, metrics)
        else:
            self._draw_vertical(painter, area, metrics)
        painter.end()

    def _draw_legend(self, painter: QPainter, area: QRectF, metrics: QFontMetricsF) -> float:
        x, y, line = area.left(), area.top(), metrics.height()
        for series in self.series:
            width = 14 + 6 + metrics.horizontalAdvance(series.name) + 16
            if x + width > area.right() and x > area.left():
                x, y = area.left(), y + line + 4
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(series.color))
            painter.drawRoundedRect(QRectF(x, y + (line - 12) / 2, 14, 12), 2, 2)
            painter.setPen(self.palette().text().color())
            painter.drawText(QPointF(x + 20, y + metrics.ascent()), series.name)
            x += width
        return y + line - area.top() if self.series else 0.0

    def _segment(self, painter: QPainter, rect: QRectF, category: str, series: Series, value: float,
                 total: float) -> None:
        color = QColor(series.color)
        painter.setPen(QPen(color.darker(125), 1))
        painter.setBrush(color)
        painter.drawRect(rect)
        share = f" ({value / total:.0%})" if total else ""
        self._segments.append((rect, f"{category}: {series.name} {value:g}{share}"))
        label = f"{value:g}"
        metrics = QFontMetricsF(self.font())
        if rect.width() > metrics.horizontalAdvance(label) + 6 and rect.height() > metrics.height():
            painter.setPen(QColor(text_on(color.name())))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)

    def _draw_horizontal(self, painter: QPainter, area: QRectF, metrics: QFontMetricsF) -> None:
        names = max(metrics.horizontalAdvance(c) for c in self.categories) + 10
        names = min(names, area.width() * 0.35)
        totals = self.totals()
        biggest = max(totals)
        number = metrics.horizontalAdvance(f"{biggest:g}") + 8
        left, width = area.left() + names, max(10.0, area.width() - names - number)
        step = min(area.height() / len(self.categories), metrics.height() * 2.2)
        for i, (category, row) in enumerate(zip(self.categories, self.values, strict=True)):
            top = area.top() + i * step
            bar = QRectF(left, top + step * 0.15, 0, step * 0.7)
            painter.setPen(self.palette().text().color())
            name = metrics.elidedText(category, Qt.TextElideMode.ElideRight, names - 10)
            painter.drawText(QRectF(area.left(), top, names - 10, step),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            x = left
            for series, value in zip(self.series, row, strict=True):
                if value <= 0:
                    continue
                w = width * value / biggest
                self._segment(painter, QRectF(x, bar.top(), w, bar.height()), category, series, value, totals[i])
                x += w
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(x + 4, top, number, step), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{totals[i]:g}")

    def _draw_vertical(self, painter: QPainter, area: QRectF, metrics: QFontMetricsF) -> None:
        totals = self.totals()
        biggest = max(totals)
        labels = metrics.height() + 4
        bottom = area.bottom() - labels
        height = max(10.0, bottom - area.top() - metrics.height())
        step = area.width() / len(self.categories)
        every = max(1, int(metrics.horizontalAdvance("00-00") + 8) // max(1, int(step)) + 1)
        for i, (category, row) in enumerate(zip(self.categories, self.values, strict=True)):
            x = area.left() + i * step + step * 0.15
            w = step * 0.7
            y = bottom
            for series, value in zip(self.series, row, strict=True):
                if value <= 0:
                    continue
                h = height * value / biggest
                self._segment(painter, QRectF(x, y - h, w, h), category, series, value, totals[i])
                y -= h
            painter.setPen(self.palette().text().color())
            if totals[i]:
                painter.drawText(QRectF(x - 10, y - metrics.height() - 1, w + 20, metrics.height()),
                                 Qt.AlignmentFlag.AlignCenter, f"{totals[i]:g}")
            if i % every == 0:
                painter.drawText(QRectF(x - 20, bottom + 2, w + 40, labels), Qt.AlignmentFlag.AlignCenter, category)
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.drawLine(QPointF(area.left(), bottom), QPointF(area.right(), bottom))

    # -- tooltips ---------------------------------------------------------------------------------

    def segment_at(self, point: QPointF) -> str:
        for rect, tip in self._segments:
            if rect.contains(point):
                return tip
        return ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.segment_at(QPointF(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
