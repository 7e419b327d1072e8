"""Show a text right-to-left or left-to-right in a QPlainTextEdit.

``QPlainTextEdit`` does not right-align right-to-left text by itself: the
document's default text option needs the direction AND the alignment, and the
widget its layout direction. Every text view (annotation, review) calls this.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit


def apply_text_direction(view: QPlainTextEdit, direction: str) -> None:
    rtl = direction == "rtl"
    layout = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    option = view.document().defaultTextOption()
    option.setTextDirection(layout)
    option.setAlignment((Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignAbsolute)
    view.document().setDefaultTextOption(option)
    view.setLayoutDirection(layout)
