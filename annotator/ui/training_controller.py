"""The model in the loop, in the annotation window: the Model menu, the status bar, the schedule.

:func:`attach_training` (one line in :class:`~annotator.ui.main_window.MainWindow`) adds:

- **Model → Train Now** (the annotator's finished articles, from the current model), **Model →
  Train…** (:class:`~annotator.ui.training_dialog.TrainingDialog`: the set, the starting model,
  the steps, progress and the dev scores), **Cancel Training**, **Retrain Automatically** (after
  every N newly finished articles, N in the settings: ``training/every``, default
  :data:`annotator.train.schedule.DEFAULT_EVERY`), and **Least Confident First** (orders the article
  list by the model's lowest scores, :mod:`annotator.store.document_query`);
- a status-bar field with the job's progress, its best dev score so far, and what it decided.

The job runs in a separate process (:class:`~annotator.ui.training_runner.TrainingRunner`); this
controller only decides when to start one, tells it which article is open, reloads the open
article's suggestions when the new model has replaced them, and stops the job when the window
closes. Nothing here trains, scores or writes the corpus.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from annotator.store import CorpusError
from annotator.train.job import TrainingOutcome, TrainingRequest
from annotator.train.schedule import DEFAULT_EVERY, due
from annotator.ui.session import Message
from annotator.ui.training_runner import TrainingRunner

EVERY_KEY = "training/every"
AUTO_KEY = "training/auto"
LEAST_CONFIDENT = "confidence"


def training_settings() -> QSettings:
    return QSettings("annotator", "annotator")


class TrainingController(QObject):
    """Wires the training job into one annotation window (see the module docstring)."""

    def __init__(self, window: QMainWindow, store: QSettings | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.store = store or training_settings()
        # A window opened without background work (tests, scripts) never starts a job by itself.
        self.allow_automatic = bool(getattr(window, "run_suggesters", True))
        self.runner = TrainingRunner(self)
        self.dialog = None
        self.last_outcome: TrainingOutcome | None = None
        self.request_overrides: dict = {}  # tests and the dialog: e.g. tiny spaCy settings
        self.label = QLabel(window)
        self.label.setObjectName("statusTraining")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setToolTip("The model in the loop: retrained from your finished articles in the background")
        window.statusBar().addPermanentWidget(self.label)
        self._build_menu()
        self.runner.progressed.connect(self._on_progress)
        self.runner.suggested.connect(self._on_suggested)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self._unsubscribe = self.session.subscribe(self._on_session)
        window.installEventFilter(self)
        self._show_model()

    # -- settings -------------------------------------------------------------------------------

    @property
    def every(self) -> int:
        return max(1, int(self.store.value(EVERY_KEY, DEFAULT_EVERY)))

    @every.setter
    def every(self, value: int) -> None:
        self.store.setValue(EVERY_KEY, max(1, int(value)))

    @property
    def automatic(self) -> bool:
        value = self.store.value(AUTO_KEY, True)
        return value if isinstance(value, bool) else str(value).lower() == "true"

    @automatic.setter
    def automatic(self, on: bool) -> None:
        self.store.setValue(AUTO_KEY, bool(on))
        self.auto_action.setChecked(bool(on))

    # -- the menu -------------------------------------------------------------------------------

    def _build_menu(self) -> None:
        bar = self.window.menuBar()
        menu = QMenu("&Model", self.window)
        menu.setObjectName("modelMenu")
        before = next((a for a in bar.actions() if a.text().replace("&", "") == "Review"), None)
        if before is not None:
            bar.insertMenu(before, menu)
        else:
            bar.addMenu(menu)
        self.menu = menu
        self.train_action = self._action("action_train_now", "Train &Now", self.train_now,
                                         "Retrain the model on your finished articles, in the background")
        self.train_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.dialog_action = self._action("action_train_dialog", "&Train…", self.open_dialog,
                                          "Choose what to train on, follow the progress and the dev scores")
        self.cancel_action = self._action("action_train_cancel", "&Cancel Training", self.cancel,
                                          "Stop the training job (nothing changes)")
        menu.addSeparator()
        self.auto_action = self._action("action_train_auto", "Retrain &Automatically", None,
                                        "Retrain after every N newly finished articles (N in Model → Train…)")
        self.auto_action.setCheckable(True)
        self.auto_action.setChecked(self.automatic)
        self.auto_action.toggled.connect(lambda on: self.store.setValue(AUTO_KEY, bool(on)))
        menu.addSeparator()
        self.order_action = self._action("action_least_confident", "&Least Confident First", None,
                                         "Order the article list by how unsure the model is (its lowest scores)")
        self.order_action.setCheckable(True)
        self.order_action.toggled.connect(self.order_least_confident)
        self._update_actions()

    def _action(self, name: str, text: str, slot, tip: str) -> QAction:
        action = self.menu.addAction(text)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        return action

    def _update_actions(self) -> None:
        running = self.runner.running
        self.train_action.setEnabled(not running)
        self.cancel_action.setEnabled(running)

    # -- starting ------------------------------------------------------------------------------

    def request(self, **changes) -> TrainingRequest:
        """The job for this window: the annotator's finished articles, from the current model."""
        values = {"corpus": str(self.window.corpus_path), "annotator": self.session.annotator,
                  **self.request_overrides, **changes}
        return TrainingRequest(**values)

    def train_now(self, request: TrainingRequest | None = None) -> bool:
        """Start a job (unless one is running). True if one started."""
        if self.runner.running:
            self.window.show_message(Message("A training job is already running (Model → Cancel Training).", "info"))
            return False
        job = request or self.request()
        self.runner.start(job, self.session.doc_id)
        who = job.annotator or "the reviewed set"
        self.label.setText("training: starting…")
        self.label.setStyleSheet("")
        self.window.show_message(Message(f"Training on the finished articles of {who} in the background.", "info"))
        self._update_actions()
        return True

    def maybe_train(self) -> bool:
        """Start a job if retraining is automatic and enough articles were newly finished."""
        if not (self.allow_automatic and self.automatic) or self.runner.running:
            return False
        try:
            ready = due(self.window.corpus, self.session.annotator, self.every)
        except CorpusError:
            return False
        return self.train_now() if ready else False

    def cancel(self) -> None:
        if self.runner.running:
            self.label.setText("training: cancelling…")
            self.runner.cancel()

    def open_dialog(self) -> None:
        from annotator.ui.training_dialog import TrainingDialog

        if self.dialog is None:
            self.dialog = TrainingDialog(self)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    # -- what the window tells us ------------------------------------------------------------

    def _on_session(self, kind: str, payload: object) -> None:
        if kind == "document":
            self.runner.set_current(self.session.doc_id)
        elif kind == "status" and self.session.status[0] == "done":
            self.maybe_train()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False

    def shutdown(self) -> None:
        """The window is closing: stop the job and wait for its process to end."""
        self._unsubscribe()
        if self.dialog is not None:
            self.dialog.close()
        if self.runner.running:
            self.runner.shutdown()

    # -- what the job tells us ----------------------------------------------------------------

    def _on_progress(self, event: dict) -> None:
        kind = event.get("event")
        if kind == "phase":
            self.label.setText(f"training: {event.get('phase')}…")
            self.label.setToolTip(str(event.get("text") or ""))
        elif kind == "step":
            best = event.get("best")
            score = f" · best dev F {100 * best:.1f}" if best is not None else ""
            self.label.setText(f"training {event['step']}/{event['max_steps']}{score}")
        elif kind == "decision":
            self.label.setText("model: " + ("replaced" if event.get("registered") else "kept"))
            self.window.show_message(Message(str(event.get("message")), "info"))
        elif kind == "suggested":
            self.label.setText(f"new suggestions {event['done']}/{event['total']}")

    def _on_suggested(self, doc_ids: list[int]) -> None:
        if self.session.doc_id in doc_ids:
            self.session.reload_suggestions()

    def _on_finished(self, outcome: dict) -> None:
        self.last_outcome = TrainingOutcome.from_dict(outcome)
        self._update_actions()
        self._show_model(self.last_outcome)
        self.window.show_message(Message(self.last_outcome.message[:1].upper() + self.last_outcome.message[1:] + ".",
                                         "info"))
        if self.session.document is not None:
            self.session.reload_suggestions()
        if self.order_action.isChecked():
            self.window.document_list.refresh()
        self.maybe_train()  # more articles may have been finished while it ran

    def _on_failed(self, message: str) -> None:
        self._update_actions()
        self.label.setText("training failed")
        self.label.setToolTip(message)
        self.label.setStyleSheet("color: #c0392b;")
        self.window.show_message(Message(f"Training failed: {message}", "error"))

    def _on_cancelled(self) -> None:
        self._update_actions()
        self.label.setText("training cancelled")
        self.label.setToolTip("Nothing was changed: the current model is still the one suggesting")
        self.window.show_message(Message("Training cancelled: the current model is unchanged.", "info"))

    def _show_model(self, outcome: TrainingOutcome | None = None) -> None:
        if outcome is not None:
            new = (outcome.score or {}).get("f")
            old = (outcome.previous_score or {}).get("f")
            if outcome.registered:
                self.label.setText(f"model {outcome.name}: dev F {100 * new:.1f}"
                                   + (f" (was {100 * old:.1f})" if old is not None else ""))
            else:
                self.label.setText(f"model kept: new dev F {100 * new:.1f} < {100 * old:.1f}")
            self.label.setToolTip(outcome.message)
            self.label.setStyleSheet("")
            return
        models = [m for m in self.window.corpus.registered_models() if m.get("loop")]
        if models:
            latest = models[-1]
            f = (latest.get("dev") or {}).get("f")
            self.label.setText(f"model {latest['name']} {latest.get('version', '')}: dev F {100 * f:.1f}"
                               if f is not None else f"model {latest['name']}")
        else:
            self.label.setText("model: not trained yet")

    # -- least confident first ----------------------------------------------------------------

    def order_least_confident(self, on: bool) -> None:
        """Order the article list by the model's confidence, least sure first (off: import order)."""
        listing = self.window.document_list
        model = listing.model
        filters = model.filters.with_(sort=LEAST_CONFIDENT if on else "id", descending=False)
        header = listing.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        model.set_filters(filters, force=True, reason="sort")


def attach_training(window: QMainWindow) -> TrainingController:
    """Add the Model menu and the training status to ``window`` (see the module docstring)."""
    return TrainingController(window)
