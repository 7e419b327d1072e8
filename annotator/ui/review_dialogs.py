"""Edit a quote by hand during review: pick each part from A or B and choose the type."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from annotator.core.spans import QUOTE_TYPES, Quote
from annotator.review.adjudication import ReviewItem


class QuoteEditDialog(QDialog):
    """Content, cue and source each taken from A's or B's quote (or left out), and the type.

    Opened with :meth:`open` (window-modal, non-blocking); :meth:`quote` is the result.
    """

    def __init__(self, item: ReviewItem, name_a: str, name_b: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quoteEditDialog")
        self.setWindowTitle("Edit the quote by hand")
        self.item = item
        self.sources: dict[str, Quote] = {}
        if item.a is not None:
            self.sources[f"A ({name_a})"] = item.a  # type: ignore[assignment]
        if item.b is not None:
            self.sources[f"B ({name_b})"] = item.b  # type: ignore[assignment]
        names = list(self.sources)
        self.content = QComboBox(self)
        self.content.addItems(names)
        self.cue = QComboBox(self)
        self.cue.addItems([n for n in names if self.sources[n].cue is not None] + ["none"])
        self.source = QComboBox(self)
        self.source.addItems([n for n in names if self.sources[n].sources] + ["none"])
        self.type = QComboBox(self)
        self.type.addItems(list(QUOTE_TYPES))
        first = self.sources[names[0]]
        self.type.setCurrentText(first.type)
        for combo, name in ((self.content, "content"), (self.cue, "cue"), (self.source, "source"),
                            (self.type, "type")):
            combo.setObjectName(f"quoteEdit_{name}")
        form = QFormLayout(self)
        form.addRow(QLabel("Each part comes from one annotator's quote.", self))
        form.addRow("Content", self.content)
        form.addRow("Cue", self.cue)
        form.addRow("Source (speaker)", self.source)
        form.addRow("Type", self.type)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def quote(self) -> Quote:
        content = self.sources[self.content.currentText()]
        cue_from = self.sources.get(self.cue.currentText())
        source_from = self.sources.get(self.source.currentText())
        return Quote(
            contents=content.contents,
            cue=cue_from.cue if cue_from else None,
            sources=source_from.sources if source_from else (),
            entity=(source_from or content).entity,
            type=self.type.currentText(),
            origin="manual",
        )
