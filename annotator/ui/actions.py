"""QActions for the keyboard map: what each key does, between the view and the session.

:class:`AnnotationActions` creates one ``QAction`` per :mod:`~annotator.ui.keymap`
binding (shortcuts from the keymap, so the help overlay and the README list exactly
these keys) and turns each into a session call with the view's current text
selection. Window-level actions (help, skip note, next document, import, export, label
tags) are delegated to callbacks the main window passes in; a callback named ``"before"``
is called before every action (the window clears a stale status message there).

An editing key pressed while the keyboard is elsewhere (in the article list) brings the
keyboard back to the text, where the annotator sees what the key did.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from annotator.ui.document_view import DocumentView
from annotator.ui.errors import doing
from annotator.ui.keymap import KeyBinding, boundary_edge, keymap
from annotator.ui.session import AnnotationSession

# Actions that work on the text: pressed elsewhere, they bring the keyboard to the text.
TEXT_ACTIONS = frozenset({"label", "label-exact", "suggestion", "boundary", "quote", "delete", "deselect"})
# Actions only a whole window can do (given as callbacks); without one they say so.
WINDOW_ACTIONS = frozenset({"corpus", "help"})


class AnnotationActions(QObject):
    """The window's actions, keyed by keymap action name (``actions["undo"]``)."""

    def __init__(
        self,
        window: QWidget,
        session: AnnotationSession,
        view: DocumentView,
        callbacks: dict[str, Callable[[], None]] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.view = view
        self.callbacks = dict(callbacks or {})
        self.bindings: list[KeyBinding] = keymap(session.corpus.labels)
        self.actions: dict[str, QAction] = {}
        for binding in self.bindings:
            if not binding.shortcut:
                continue
            action = QAction(binding.description, window)
            action.setObjectName(binding.action)
            action.setShortcuts([QKeySequence(k) for k in binding.keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setToolTip(f"{binding.description} ({binding.key})")
            action.triggered.connect(lambda _checked=False, name=binding.action: self.trigger(name))
            window.addAction(action)
            self.actions[binding.action] = action
        session.subscribe(self._on_session)
        self._update_enabled()

    def __getitem__(self, name: str) -> QAction:
        return self.actions[name]

    # -- state --------------------------------------------------------------------------------

    def _on_session(self, kind: str, _payload: object) -> None:
        if kind in ("document", "annotations", "status"):
            self._update_enabled()

    def _update_enabled(self) -> None:
        history = self.session.history
        undo, redo = self.actions.get("undo"), self.actions.get("redo")
        if undo is not None:
            undo.setEnabled(history.can_undo)
            undo.setText(f"Undo {history.undo_stack[-1].description}" if history.can_undo else "Undo")
        if redo is not None:
            redo.setEnabled(history.can_redo)
            redo.setText(f"Redo {history.redo_stack[-1].description}" if history.can_redo else "Redo")

    # -- dispatch -----------------------------------------------------------------------------

    def trigger(self, name: str) -> None:
        """Do what action ``name`` does (the keys call this; so can menus and tests).

        An exception inside is named after the action for the window's error message
        (:mod:`annotator.ui.errors`).
        """
        with doing(self.activity(name)):
            self._trigger(name)

    def activity(self, name: str) -> str:
        """The action as the error message names it: “Accept the selected suggestion” (Enter)."""
        binding = next((b for b in self.bindings if b.action == name), None)
        if binding is None:
            return f"“{name}”"
        short = binding.description.split(" (")[0].split(", ")[0].rstrip("…")
        return f"“{short}” ({binding.key})"

    def _trigger(self, name: str) -> None:
        before = self.callbacks.get("before")
        if before is not None:
            before()
        if name in self.callbacks:
            self.callbacks[name]()
            return
        if name.split(".")[0] in WINDOW_ACTIONS:
            self.session.message("This is done from the annotation window's menus.", "info")
            return
        s, view = self.session, self.view
        if name.split(":")[0].split(".")[0] in TEXT_ACTIONS and not view.hasFocus():
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        selected = view.selected_range()
        if name.startswith("label:") or name.startswith("label-exact:"):
            label = name.split(":", 1)[1]
            if selected is not None:
                s.label_range(*selected, label, precise=name.startswith("label-exact:"))
                self._clear_text_selection()
            elif s.selection is not None:
                s.relabel(label)
            else:
                s.message(f"Select some words to label them {label}, or click a span to relabel it.", "warning")
            return
        if name.startswith("boundary."):
            edge, how = boundary_edge(name, s.document.direction if s.document else "ltr")
            s.nudge(edge, how)
            return
        if name in ("quote.content", "quote.add-part", "quote.cue", "quote.source"):
            if selected is None:
                what = {"quote.content": "the quote's content", "quote.add-part": "another content part",
                        "quote.cue": "the cue", "quote.source": "the source"}[name]
                s.message(f"Select the words of {what} first.", "warning")
                return
            method = {"quote.content": s.make_quote, "quote.add-part": s.add_content_part,
                      "quote.cue": s.set_cue, "quote.source": s.add_source}[name]
            if method(*selected) is not None:
                self._clear_text_selection()
            return
        simple: dict[str, Callable[[], object]] = {
            "delete": s.delete_selected,
            "deselect": self._deselect,
            "suggestion.next": lambda: s.next_suggestion(view.cursor_offset()),
            "suggestion.previous": lambda: s.previous_suggestion(view.cursor_offset()),
            "suggestion.accept": s.accept_suggestion,
            "suggestion.reject": s.reject_suggestion,
            "suggestion.accept-all": s.accept_all,
            "quote.link": lambda: s.link_source(*(selected or (None, None))),
            "quote.type": s.cycle_quote_type,
            "document.done": s.mark_done_and_next,
            "document.skip": lambda: s.skip(None),
            "document.next": lambda: s.open_adjacent(1),
            "document.previous": lambda: s.open_adjacent(-1),
            "undo": s.undo,
            "redo": s.redo,
            "view.zoom-in": lambda: view.zoom_by(1),
            "view.zoom-out": lambda: view.zoom_by(-1),
            "view.zoom-reset": view.zoom_reset,
            "view.label-tags": lambda: view.set_label_tags(not view.label_tags),
        }
        handler = simple.get(name)
        if handler is None:
            raise KeyError(f"no action {name!r}")
        handler()

    def _deselect(self) -> None:
        self._clear_text_selection()
        self.session.select(None)

    def _clear_text_selection(self) -> None:
        cursor = self.view.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.view.setTextCursor(cursor)
