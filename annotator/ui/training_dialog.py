"""Model → Train…: what to train on, from which model, the progress and the dev scores.

A thin, non-modal view over the window's :class:`~annotator.ui.training_controller.TrainingController`
(one job at a time, the same one the status bar shows): its options become a
:class:`~annotator.train.job.TrainingRequest`, the controller starts it in a separate process, and
the dialog shows the job's steps, its best dev score so far, then the new and the current model's
scores on the same dev articles and whether the new one was registered. Closing the dialog does not
stop the job (Cancel does); closing the window does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.tokenizer import make_nlp
from annotator.train.base_model import current_model
from annotator.train.job import EPOCHS, TrainingOutcome
from annotator.train.scoring import DevScores


class TrainingDialog(QDialog):
    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent or controller.window)
        self.controller = controller
        self.setWindowTitle("Train the model")
        self.setModal(False)
        self.setObjectName("trainingDialog")
        window = controller.window
        corpus = window.corpus

        intro = QLabel(
            "Fine-tunes the current model on finished articles in a separate process (typing never waits "
            "for it). The new model replaces the current one only if it scores at least as well on the "
            "same dev articles; its suggestions then replace the old ones in the articles not done yet.",
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)

        self.training_set = QComboBox(self)
        self.training_set.setObjectName("trainingSet")
        self.training_set.addItem(f"My finished articles ({controller.session.annotator})", controller.session.annotator)
        reviewed = corpus.reviewed_set()
        if reviewed:
            self.training_set.addItem(f"The reviewed set ({reviewed})", reviewed)
        self.base = QComboBox(self)
        self.base.setObjectName("trainingBase")
        self.base.addItem("", "current")
        self.base.addItem("Nothing: a new model from scratch", "none")
        self._refresh_base()
        self.steps = QSpinBox(self)
        self.steps.setObjectName("trainingSteps")
        self.steps.setRange(0, 100_000)
        self.steps.setSpecialValueText(f"automatic ({EPOCHS} epochs, stopping early)")
        self.steps.setValue(int(controller.request_overrides.get("max_steps") or 0))
        self.dev = QDoubleSpinBox(self)
        self.dev.setObjectName("trainingDev")
        self.dev.setRange(0.05, 0.5)
        self.dev.setSingleStep(0.05)
        self.dev.setValue(0.2)
        self.auto = QCheckBox("Retrain automatically after every", self)
        self.auto.setObjectName("trainingAuto")
        self.auto.setChecked(controller.automatic)
        self.every = QSpinBox(self)
        self.every.setObjectName("trainingEvery")
        self.every.setRange(1, 10_000)
        self.every.setValue(controller.every)
        self.every.setSuffix(" finished articles")
        self.auto.toggled.connect(lambda on: setattr(controller, "automatic", on))
        self.every.valueChanged.connect(lambda n: setattr(controller, "every", n))
        automatic = QHBoxLayout()
        automatic.addWidget(self.auto)
        automatic.addWidget(self.every, 1)
        form = QFormLayout()
        form.addRow("Train on", self.training_set)
        form.addRow("Start from", self.base)
        form.addRow("Steps (at most)", self.steps)
        form.addRow("Held out to score", self.dev)
        form.addRow(automatic)

        self.bar = QProgressBar(self)
        self.bar.setObjectName("trainingProgress")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.what = QLabel("", self)
        self.what.setObjectName("trainingWhat")
        self.what.setTextFormat(Qt.TextFormat.PlainText)
        self.what.setWordWrap(True)
        self.scores = QTableWidget(0, 4, self)
        self.scores.setObjectName("trainingScores")
        self.scores.setHorizontalHeaderLabels(["model", "P", "R", "F"])
        self.scores.verticalHeader().hide()
        self.scores.horizontalHeader().setStretchLastSection(True)
        self.scores.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.decision = QLabel("", self)
        self.decision.setObjectName("trainingDecision")
        self.decision.setTextFormat(Qt.TextFormat.PlainText)
        self.decision.setWordWrap(True)

        buttons = QDialogButtonBox(self)
        self.start_button: QPushButton = buttons.addButton("Train", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("trainingStart")
        self.cancel_button = buttons.addButton("Cancel Training", QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.setObjectName("trainingCancel")
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(controller.cancel)
        close.clicked.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.what)
        layout.addWidget(self.scores, 1)
        layout.addWidget(self.decision)
        layout.addWidget(buttons)
        runner = controller.runner
        runner.progressed.connect(self._on_progress)
        runner.finished.connect(self._on_finished)
        runner.failed.connect(lambda message: self._stopped(f"Failed: {message}"))
        runner.cancelled.connect(lambda: self._stopped("Cancelled: nothing was changed."))
        self._show_registered()
        self._update_buttons()
        self.resize(560, 520)

    def _refresh_base(self) -> None:
        """Name the current model (it changes when a job registers a new one)."""
        session = self.controller.session
        lang = make_nlp(session.document.language).lang if session.document else "ar"
        current = current_model(self.controller.window.corpus, lang)
        self.base.setItemText(0, f"The current model ({current.name})" if current else
                              "The current model (none yet: a new one)")

    def start(self) -> None:
        request = self.controller.request(annotator=self.training_set.currentData(), base=self.base.currentData(),
                                          max_steps=self.steps.value() or None, dev=round(self.dev.value(), 2))
        if self.controller.train_now(request):
            self.bar.setRange(0, 0)
            self.what.setText("Starting the training process…")
            self.decision.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.controller.runner.running
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def _on_progress(self, event: dict) -> None:
        kind = event.get("event")
        if kind == "phase":
            self.what.setText(str(event.get("text") or event.get("phase")))
            self.bar.setRange(0, 0)
        elif kind == "step":
            self.bar.setRange(0, int(event["max_steps"]))
            self.bar.setValue(int(event["step"]))
            best = event.get("best")
            self.bar.setFormat("step %v / %m" + (f" · best dev F {100 * best:.1f}" if best is not None else ""))
        elif kind == "decision":
            self.decision.setText(str(event.get("message")))
        elif kind == "suggested":
            self.bar.setRange(0, max(1, int(event["total"])))
            self.bar.setValue(int(event["done"]))
            self.bar.setFormat("new suggestions %v / %m articles")
        self._update_buttons()

    def _on_finished(self, outcome: dict) -> None:
        result = TrainingOutcome.from_dict(outcome)
        rows = [("new", result.score)]
        if result.previous_score:
            rows.append((f"current ({result.current})", result.previous_score))
        self._fill(rows)
        self._refresh_base()
        self.what.setText(f"Trained {result.steps} steps on {result.documents.get('train', 0)} articles "
                          f"({result.documents.get('dev', 0)} held out) in {result.train_seconds:.0f} s; "
                          f"{result.resuggested} unfinished articles suggested again.")
        self._stopped(result.message[:1].upper() + result.message[1:] + ".")

    def _stopped(self, text: str) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.bar.setFormat("finished")
        self.decision.setText(text)
        self._update_buttons()

    def _show_registered(self) -> None:
        models = [m for m in self.controller.window.corpus.registered_models() if m.get("loop")]
        if models and models[-1].get("dev"):
            self._fill([(f"current ({models[-1]['name']} {models[-1].get('version', '')})", models[-1]["dev"])])

    def _fill(self, rows: list[tuple[str, dict | None]]) -> None:
        rows = [(name, data) for name, data in rows if data]
        self.scores.setRowCount(len(rows))
        for i, (name, data) in enumerate(rows):
            s = DevScores.from_dict(data)
            cells = [name, f"{100 * s.precision:.1f}", f"{100 * s.recall:.1f}", f"{100 * s.f1:.1f}"]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.scores.setItem(i, j, item)
        self.scores.resizeColumnsToContents()
