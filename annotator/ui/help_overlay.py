"""The keyboard map as a semi-transparent overlay over the window (F1 or ``?``; Esc closes).

It lists exactly the bindings of :mod:`annotator.ui.keymap` it is given, grouped by
section, so the help can never disagree with the keys. While it is shown it takes
the keyboard: no annotation key fires behind it by accident. In a window too small
for the whole map it scrolls: the wheel (anywhere over it), ``PgUp``/``PgDown``,
``Up``/``Down``, ``Space``, ``Home``/``End``.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSlider,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.keymap import DISPLAY, SECTIONS, KeyBinding, listed

CLOSE_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_F1, Qt.Key.Key_Question)
_Slide = QAbstractSlider.SliderAction
SCROLL_KEYS = {
    Qt.Key.Key_PageDown: _Slide.SliderPageStepAdd,
    Qt.Key.Key_Space: _Slide.SliderPageStepAdd,
    Qt.Key.Key_PageUp: _Slide.SliderPageStepSub,
    Qt.Key.Key_Down: _Slide.SliderSingleStepAdd,
    Qt.Key.Key_Up: _Slide.SliderSingleStepSub,
    Qt.Key.Key_Home: _Slide.SliderToMinimum,
    Qt.Key.Key_End: _Slide.SliderToMaximum,
}
PANEL_STYLE = """
QFrame#helpPanel { background: palette(base); border-radius: 10px; border: 1px solid palette(mid); }
QLabel#helpKey { background: palette(window); border: 1px solid palette(mid); border-bottom-width: 2px;
                 border-radius: 4px; padding: 1px 6px; font-family: monospace; }
QLabel#helpSection { font-weight: 600; font-size: 11pt; padding-top: 6px; }
QLabel#helpFooter { color: palette(placeholder-text); }
"""


def _label(text: str, parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if name:
        label.setObjectName(name)
    return label


class HelpOverlay(QWidget):
    """Covers its parent with a dimmed layer and a panel listing every key."""

    COLUMNS = 3

    def __init__(self, parent: QWidget, keymap: Iterable[KeyBinding]):
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.bindings = listed(list(keymap))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._previous_focus: QWidget | None = None

        self.panel = QFrame(self)
        self.panel.setObjectName("helpPanel")
        self.panel.setStyleSheet(PANEL_STYLE)
        title = _label("Keyboard", self.panel, "helpTitle")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        footer = _label("Esc, F1 or ? closes this; the wheel, Page Up/Down and the arrows scroll it. "
                        "Every edit is saved the moment you make it.", self.panel, "helpFooter")
        footer.setWordWrap(True)

        self.key_labels: list[QLabel] = []
        self.description_labels: list[QLabel] = []
        self.columns = 0
        self.scroll = scroll = QScrollArea(self.panel)
        scroll.setObjectName("helpScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._build_body(self.COLUMNS))
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.viewport().setAutoFillBackground(False)
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(24, 18, 24, 14)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        layout.addWidget(footer)

        parent.installEventFilter(self)
        self.hide()

    def _build_body(self, count: int) -> QWidget:
        """The map in ``count`` columns (fewer in a narrow window, so descriptions stay readable)."""
        self.columns = count
        self.key_labels, self.description_labels = [], []
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(28)
        for group in self._balanced_columns(count):
            column = QWidget(body)
            grid = QGridLayout(column)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(4)
            row = 0
            for section, bindings in group:
                grid.addWidget(_label(section, column, "helpSection"), row, 0, 1, 2)
                row += 1
                for binding in bindings:
                    keys = QWidget(column)
                    shown = list(dict.fromkeys(DISPLAY.get(k, k) for k in binding.keys))  # Return/Enter read alike
                    # Several long keys stack, so the key column stays narrow and descriptions get the room.
                    stacked = len(shown) > 1 and sum(len(k) for k in shown) > 12
                    keys_layout = QVBoxLayout(keys) if stacked else QHBoxLayout(keys)
                    keys_layout.setContentsMargins(0, 0, 0, 0)
                    keys_layout.setSpacing(3)
                    for key in shown:
                        chip = _label(key, keys, "helpKey")
                        keys_layout.addWidget(chip, 0, Qt.AlignmentFlag.AlignLeft)
                        self.key_labels.append(chip)
                    if not stacked:
                        keys_layout.addStretch(1)
                    description = _label(binding.description, column, "helpDescription")
                    description.setWordWrap(True)
                    self.description_labels.append(description)
                    grid.addWidget(keys, row, 0, Qt.AlignmentFlag.AlignTop)
                    grid.addWidget(description, row, 1, Qt.AlignmentFlag.AlignTop)
                    row += 1
            grid.setColumnStretch(1, 1)
            grid.setRowStretch(row, 1)
            columns.addWidget(column, 1, Qt.AlignmentFlag.AlignTop)
        body.setAutoFillBackground(False)
        return body

    def _columns_for(self, width: int) -> int:
        return max(1, min(self.COLUMNS, width // 380))

    def _balanced_columns(self, count: int) -> list[list[tuple[str, list[KeyBinding]]]]:
        """Sections (in keymap order) split into columns of about the same height.

        A binding's height is estimated from its description (long ones wrap), so a
        section of long descriptions is not packed into one over-tall column.
        """
        order = [s for s in SECTIONS if any(b.section == s for b in self.bindings)]
        order += [s for s in dict.fromkeys(b.section for b in self.bindings) if s not in order]
        sections = [(s, [b for b in self.bindings if b.section == s]) for s in order]

        def height(bindings: list[KeyBinding]) -> float:
            return 1.5 + sum(1 + len(b.description) // 48 for b in bindings)

        # Split the sections, in order, into columns whose tallest is as short as it can be.
        heights = [height(b) for _, b in sections]
        n = len(sections)
        columns_wanted = max(1, min(count, n))
        best: tuple[float, tuple[int, ...]] | None = None
        for cuts in combinations(range(1, n), columns_wanted - 1):
            bounds = (0, *cuts, n)
            tallest = max(sum(heights[a:b]) for a, b in zip(bounds, bounds[1:], strict=False))
            if best is None or tallest < best[0]:
                best = (tallest, bounds)
        bounds = best[1] if best else (0, n)
        return [sections[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]

    # -- what it lists (for tests) ----------------------------------------------------------------

    def listed_keys(self) -> list[str]:
        return [label.text() for label in self.key_labels]

    def listed_descriptions(self) -> list[str]:
        return [label.text() for label in self.description_labels]

    # -- showing and closing ------------------------------------------------------------------------

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        self.setGeometry(parent.rect())
        margin_x = max(16, self.width() // 24)
        margin_y = max(16, self.height() // 24)
        self.panel.setGeometry(QRect(margin_x, margin_y, self.width() - 2 * margin_x, self.height() - 2 * margin_y))
        wanted = self._columns_for(self.panel.width())
        if wanted != self.columns:
            old = self.scroll.takeWidget()
            self.scroll.setWidget(self._build_body(wanted))
            if old is not None:
                old.deleteLater()

    def showEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        self._fit()
        self.raise_()
        focus = self.window().focusWidget() if self.window() else None
        self._previous_focus = focus if focus is not self else None
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        super().showEvent(event)  # type: ignore[arg-type]

    def hideEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)  # type: ignore[arg-type]
        if self._previous_focus is not None:
            self._previous_focus.setFocus(Qt.FocusReason.PopupFocusReason)
            self._previous_focus = None

    def toggle(self) -> None:
        self.setVisible(not self.isVisible())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._fit()
        return super().eventFilter(watched, event)

    def event(self, event: QEvent) -> bool:
        # Take every key while shown: no window shortcut (label keys, Delete...) fires behind the help.
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in CLOSE_KEYS or event.text() == "?":
            self.hide()
        elif event.key() in SCROLL_KEYS:
            self.scroll.verticalScrollBar().triggerAction(SCROLL_KEYS[Qt.Key(event.key())])
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        # Over the dimmed margin too: the wheel scrolls the map, never the article behind it.
        self.scroll.verticalScrollBar().event(event)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if not self.panel.geometry().contains(event.position().toPoint()):
            self.hide()
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(20, 22, 30, 150))
        painter.end()
