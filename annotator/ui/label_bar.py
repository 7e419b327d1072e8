"""The label bar: one button per entity label (colour and key) and per quote role.

A button does exactly what its key does: it triggers the window's ``QAction`` of the
same keymap name (``label:PER``, ``quote.content``, ``quote.cue``, ``quote.source``),
so clicking and typing can never behave differently. Those actions are given with
:meth:`LabelBar.bind_actions` or found in the window by object name; without any,
the bar emits :attr:`LabelBar.actionRequested` with the action name.

The button of the selected span's label is shown pressed, so the annotator sees
the label of what they clicked at a glance.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from annotator.core.labels import LabelSchema
from annotator.core.spans import Span
from annotator.ui.keymap import keymap, label_keys
from annotator.ui.session import AnnotationSession

ROLE_ACTIONS = (("content", "quote.content", "Quote"), ("cue", "quote.cue", "Cue"), ("source", "quote.source", "Speaker"))


def _text_color(background: str) -> str:
    color = QColor(background)
    luminance = 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()
    return "#1f1f1f" if luminance > 140 else "#ffffff"


class LabelBar(QWidget):
    """Entity label buttons with their keys, then quote role buttons."""

    actionRequested = Signal(str)  # keymap action name, when no QAction is bound for it

    def __init__(self, source: AnnotationSession | LabelSchema, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("labelBar")
        if isinstance(source, AnnotationSession):
            self.session: AnnotationSession | None = source
            schema = source.corpus.labels
        else:
            self.session, schema = None, source
        self.schema = schema
        self._actions: dict[str, QAction] = {}
        bindings = {b.action: b for b in keymap(schema)}
        self.buttons: dict[str, QToolButton] = {}  # action name -> button

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(4)
        for label, key in label_keys(schema):
            name = f"label:{label.name}"
            button = self._button(name, f"{key}  {label.name}")
            fg = _text_color(label.color)
            border = QColor(label.color).darker(140).name()
            button.setStyleSheet(
                f"QToolButton {{ background: {label.color}; color: {fg}; border: 1px solid {border}; "
                "border-radius: 4px; padding: 3px 8px; font-weight: 600; }"
                f"QToolButton:hover {{ border: 1px solid palette(text); }}"
                f"QToolButton:checked {{ border: 2px solid palette(text); padding: 2px 7px; }}"
            )
            what = f" — {label.description}" if label.description else ""
            button.setToolTip(
                f"{label.name}{what}\nKey {key}: label the selected text (snapped to words)\n"
                f"Alt+{key}: exactly the selected characters\nWith a span selected: change its label"
            )
            layout.addWidget(button)
        # Labels beyond the nine keys still get a button (no key).
        keyed = {label.name for label, _ in label_keys(schema)}
        for label in schema.entities:
            if label.name not in keyed:
                button = self._button(f"label:{label.name}", label.name)
                button.setStyleSheet(f"QToolButton {{ background: {label.color}; border-radius: 4px; padding: 3px 8px; }}")
                button.setToolTip(f"{label.name}: label the selected text (no key)")
                layout.addWidget(button)

        separator = QFrame(self)
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addSpacing(6)
        layout.addWidget(separator)
        layout.addSpacing(6)
        roles = {role.name: role for role in schema.quote_roles}
        for role_name, action, text in ROLE_ACTIONS:
            binding = bindings.get(action)
            key = binding.key if binding else ""
            button = self._button(action, f"{key}  {text}" if key else text)
            color = roles[role_name].color if role_name in roles else "#888888"
            button.setStyleSheet(
                "QToolButton { border: 1px solid palette(mid); border-radius: 4px; padding: 3px 8px; "
                f"border-bottom: 3px solid {color}; }}"
                "QToolButton:hover { border-color: palette(text); }"
            )
            button.setToolTip(f"{binding.description} ({key})" if binding else text)
            layout.addWidget(button)
        layout.addStretch(1)
        self.hint = QLabel(self)
        self.hint.setObjectName("labelBarHint")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setText("F1: all keys")
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.hint)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        if self.session is not None:
            self._unsubscribe = self.session.subscribe(self._on_session)
            self.destroyed.connect(lambda *_: self._unsubscribe())
            self._show_selected_label()

    def _button(self, action: str, text: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(action)
        button.setText(text)
        button.setCheckable(action.startswith("label:"))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the document view keeps the keyboard and its selection
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(lambda _checked=False, name=action: self.trigger(name))
        self.buttons[action] = button
        return button

    # -- acting ---------------------------------------------------------------------------------

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """Use these QActions (keymap name -> action) for the buttons."""
        self._actions = dict(actions)

    def action_for(self, name: str) -> QAction | None:
        action = self._actions.get(name)
        if action is None:
            window = self.window()
            found = window.findChild(QAction, name) if window is not None and window is not self else None
            action = found if isinstance(found, QAction) else None
        return action

    def trigger(self, name: str) -> None:
        """Do what the button (and its key) does."""
        action = self.action_for(name)
        if action is not None:
            if action.isEnabled():
                action.trigger()
        else:
            self.actionRequested.emit(name)
        self._show_selected_label()

    # -- following the selection ----------------------------------------------------------------

    def _on_session(self, kind: str, _payload: object) -> None:
        if kind in ("selection", "annotations", "document"):
            self._show_selected_label()

    def _show_selected_label(self) -> None:
        item = self.session.selected_item() if self.session is not None else None
        current = f"label:{item.label}" if isinstance(item, Span) else None
        for name, button in self.buttons.items():
            if button.isCheckable():
                button.setChecked(name == current)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self.fontMetrics().height() + 16))
