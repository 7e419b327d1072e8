"""Asking for a name: on the first run, for File → Annotate as…, and for File → Saved Name….

What the name means (see :mod:`annotator.ui.identity`) is said in the dialog itself, so
the annotator knows whether they change this corpus or every corpus new to this machine.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from annotator.ui.identity import clean_name

FIRST_RUN = (
    "Your name is stored with every label you make, so your work can be told apart from your "
    "colleagues' and compared with it. It is saved; File → Saved Name… changes it later."
)


class AnnotatorNameDialog(QDialog):
    """One name field (with the corpus's annotators offered as you type) and an explanation."""

    def __init__(self, parent: QWidget | None = None, name: str = "", *, title: str = "Who is annotating?",
                 intro: str = FIRST_RUN, known: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.setObjectName("annotatorNameDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.intro = QLabel(intro, self)
        self.intro.setObjectName("annotatorNameIntro")
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setObjectName("annotatorName")
        self.name_edit.setPlaceholderText("Your name, e.g. amira")
        self.name_edit.setMaxLength(80)
        if known:
            completer = QCompleter(list(known), self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
            self.name_edit.setCompleter(completer)
            self.name_edit.setToolTip("Annotators of this corpus: " + ", ".join(known))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.buttons)
        self._update()
        self.name_edit.selectAll()
        self.resize(460, self.sizeHint().height())

    def name(self) -> str:
        return clean_name(self.name_edit.text())

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.name()))


def ask_name(parent: QWidget | None = None, name: str = "", **kwargs) -> str | None:
    """Show the dialog; the cleaned name, or None when cancelled. (Tests replace ``AnnotatorNameDialog.exec``.)"""
    dialog = AnnotatorNameDialog(parent, name, **kwargs)
    return dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted and dialog.name() else None
