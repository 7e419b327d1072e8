"""Undo and redo built on the corpus event log, so the history survives a restart.

Every edit the session makes runs inside :meth:`History.step`: one transaction whose
events all carry the same ``group`` id (see :meth:`Corpus.event_group`). A step is
undone by applying the inverse of its events, newest first, through the ``Corpus``
API, and logging an ``undo`` event naming the step; redo re-applies the step's
original events and logs ``redo``. The inverse edits are tagged with the marker's
own group, so replaying the log tells user edits from undo machinery:

- an edit group that is not a marker's group pushes a step and clears the redo stack;
- ``undo {target}`` moves that step to the redo stack, ``redo {target}`` back.

Ids are kept across undo/redo (spans and quotes are re-inserted with their ids), so a
step's recorded events stay valid however often it is undone and redone. Ids are never
reused (schema v4), and an id alone never decides what is changed: every replayed edit
names the article and the annotator's set, and the row must still be the one the event
describes (same range and label, same quote parts, same status). Otherwise nothing is
changed, the step is refused with a message saying why ("span 12 is no longer the one you
labelled (…); nothing undone"), and, when another window changed or removed what the step
made, the step leaves the list (a ``history.drop`` event, so a restart agrees) instead of
blocking every older step behind it.

Qt-free: the window may wrap it in a ``QUndoStack`` façade, but needs not.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from annotator.core.spans import quote_from_dict, span_from_dict
from annotator.store import AnnotationError, Corpus, StaleEditError
from annotator.store.errors import NotInSetError

EDIT_ACTIONS = frozenset(
    {
        "span.add",
        "span.update",
        "span.delete",
        "quote.add",
        "quote.update",
        "quote.delete",
        "status.set",
        "suggestion.accept",
        "suggestion.reject",
    }
)
MARKER_ACTIONS = frozenset({"undo", "redo"})
DROP_ACTION = "history.drop"  # a step that can no longer be undone or redone leaves both lists
_DONE = {"undo": "undone", "redo": "redone"}


class HistoryError(AnnotationError):
    """An undo or redo that cannot be applied (nothing was changed)."""


class HistoryConflictError(HistoryError):
    """The rows a step would change were changed or removed since (in another window): nothing was
    changed, and the step was dropped from the undo/redo lists."""


@dataclass
class Step:
    """One undoable user edit: the events one group wrote."""

    group: str
    doc_id: int | None
    events: list[dict] = field(default_factory=list)

    @property
    def description(self) -> str:
        return describe(self.events)


def describe(events: list[dict]) -> str:
    """A short phrase for a step ("label PER", "accept 12 suggestions", ...)."""
    actions = [e["action"] for e in events]
    accepted = actions.count("suggestion.accept")
    if accepted > 1:
        return f"accept {accepted} suggestions"
    if accepted == 1:
        return "accept suggestion"
    if "suggestion.reject" in actions:
        return "reject suggestion"
    if not events:
        return "edit"
    first = events[0]
    data = first["data"]
    action = first["action"]
    if action == "span.add":
        return f"label {data['span']['label']}"
    if action == "span.delete":
        return f"delete {data['span']['label']}"
    if action == "span.update":
        before, after = data["before"], data["after"]
        if before["label"] != after["label"]:
            return f"relabel {before['label']} → {after['label']}"
        return f"resize {after['label']}"
    if action == "quote.add":
        return "add quote"
    if action == "quote.delete":
        return "delete quote"
    if action == "quote.update":
        before, after = data["before"], data["after"]
        if before["type"] != after["type"]:
            return f"quote type {after['type']}"
        if before["cue"] != after["cue"]:
            return "set cue"
        if before["sources"] != after["sources"]:
            return "set source"
        if before["entity"] != after["entity"]:
            return "link speaker"
        return "edit quote"
    if action == "status.set":
        return f"mark {data['after']['status']}"
    return action


def new_group() -> str:
    return uuid.uuid4().hex


# How far back undo reaches after a restart: a long day of annotation (8 h at ~10 edits a
# minute) writes under 5,000 events; replaying them takes ~30 ms, where 50,000 took ~0.3 s.
MAX_EVENTS = 5_000


class History:
    """The undo and redo stacks of one annotator over one corpus (all documents)."""

    def __init__(self, corpus: Corpus, annotator: str, *, max_events: int = MAX_EVENTS) -> None:
        self.corpus = corpus
        self.annotator = annotator
        self.max_events = max_events
        self.undo_stack: list[Step] = []
        self.redo_stack: list[Step] = []
        self.last_events: list[dict] = []  # what the last step() wrote
        self.rebuild()

    # -- building -----------------------------------------------------------------------

    def rebuild(self) -> None:
        """Replay the event log (the last ``max_events`` events) into the two stacks."""
        events = self.corpus.events(annotator=self.annotator, limit=self.max_events)
        markers = {e["data"].get("group") for e in events if e["action"] in MARKER_ACTIONS}
        undo: list[Step] = []
        redo: list[Step] = []
        by_group: dict[str, Step] = {}
        current: Step | None = None
        for event in events:
            action = event["action"]
            data = event["data"]
            if action == DROP_ACTION:
                dropped = by_group.get(data.get("target", ""))
                for stack in (undo, redo):
                    if dropped in stack:
                        stack.remove(dropped)
                continue
            if action in MARKER_ACTIONS:
                current = None
                target = by_group.get(data.get("target", ""))
                if target is None:
                    continue  # before the replayed window
                source, dest = (undo, redo) if action == "undo" else (redo, undo)
                if target in source:
                    source.remove(target)
                    dest.append(target)
                continue
            if action not in EDIT_ACTIONS:
                continue
            group = data.get("group") or f"event:{event['id']}"
            if group in markers:
                continue
            if current is not None and current.group == group:
                current.events.append(event)
                continue
            current = Step(group, event["document_id"], [event])
            by_group[group] = current
            undo.append(current)
            redo.clear()
        self.undo_stack, self.redo_stack = undo, redo

    @contextmanager
    def step(self, doc_id: int | None) -> Iterator[str]:
        """Run the edits of one user action as one transaction and one undo step.

        Nothing is recorded when the block raises (the transaction rolls back) or writes
        no event.
        """
        group = new_group()
        self.last_events = []
        with self.corpus.event_group(group) as used:
            yield used
        if used != group:
            return  # nested inside an outer step, which records everything
        events = self._events_of(group, doc_id)
        self.last_events = events
        if events:
            self.undo_stack.append(Step(group, events[0]["document_id"], events))
            self.redo_stack.clear()

    def _events_of(self, group: str, doc_id: int | None) -> list[dict]:
        limit = 8  # most steps write one to three events
        while True:
            recent = self.corpus.events(doc_id=doc_id, annotator=self.annotator, limit=limit)
            mine = [e for e in recent if e["data"].get("group") == group]
            if len(recent) < limit or (recent and recent[0]["data"].get("group") != group):
                return mine
            limit *= 4

    # -- undo / redo --------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    @property
    def can_redo(self) -> bool:
        return bool(self.redo_stack)

    def undo(self) -> Step | None:
        """Undo the newest step; returns it, or None when there is nothing to undo.

        Raises :class:`HistoryConflictError` (nothing changed, the step dropped) when what the
        step made was changed or removed since, :class:`HistoryError` for other refusals.
        """
        if not self.undo_stack:
            return None
        step = self.undo_stack[-1]
        self._apply(step, "undo", [self._inverse(e) for e in reversed(step.events)], self.undo_stack)
        self.undo_stack.pop()
        self.redo_stack.append(step)
        return step

    def redo(self) -> Step | None:
        if not self.redo_stack:
            return None
        step = self.redo_stack[-1]
        self._apply(step, "redo", [self._forward(e) for e in step.events], self.redo_stack)
        self.redo_stack.pop()
        self.undo_stack.append(step)
        return step

    def _apply(self, step: Step, marker: str, operations: list[Callable[[], object]], stack: list[Step]) -> None:
        try:
            with self.corpus.event_group(new_group()):
                for operation in operations:
                    operation()
                self.corpus.log_event(self.annotator, step.doc_id, marker,
                                      {"target": step.group, "description": step.description})
        except (StaleEditError, NotInSetError) as exc:
            # What the step made was changed or removed since (another window, another process):
            # it can never apply again. Drop it, so older steps stay reachable.
            stack.remove(step)
            self.corpus.log_event(self.annotator, step.doc_id, DROP_ACTION,
                                  {"target": step.group, "description": step.description, "reason": str(exc)})
            raise HistoryConflictError(
                f"cannot {marker} “{step.description}”: {exc}; nothing {_DONE[marker]}, and this step leaves "
                f"the {marker} list"
            ) from None
        except (AnnotationError, KeyError, sqlite3.IntegrityError) as exc:
            raise HistoryError(f"cannot {marker} “{step.description}”: {exc}; nothing {_DONE[marker]}") from None

    # -- the edits ----------------------------------------------------------------------

    # Each replayed edit names the article and the annotator's set and the state the row must
    # still be in (``expected``): the store refuses, changing nothing, when it is not.

    def _forward(self, event: dict) -> Callable[[], object]:
        c, who, doc, data = self.corpus, self.annotator, event["document_id"], event["data"]
        action = event["action"]
        if action == "span.add":
            return lambda: c.add_span(doc, who, span_from_dict(data["span"]))
        if action == "span.delete":
            span = span_from_dict(data["span"])
            return lambda: c.delete_span(span.id, who, doc_id=doc, expected=span)
        if action == "span.update":
            return lambda: self._set_span(doc, data["after"], expected=data["before"])
        if action == "quote.add":
            return lambda: c.add_quote(doc, who, quote_from_dict(data["quote"]))
        if action == "quote.delete":
            quote = quote_from_dict(data["quote"])
            return lambda: c.delete_quote(quote.id, who, doc_id=doc, expected=quote)
        if action == "quote.update":
            after, before = quote_from_dict(data["after"]), quote_from_dict(data["before"])
            return lambda: c.update_quote(after.id, who, after, doc_id=doc, expected=before)
        if action == "status.set":
            before, after = data["before"], data["after"]
            return lambda: c.set_status(doc, who, after["status"], after["note"],
                                        expected=(before["status"], before["note"]))
        if action in ("suggestion.accept", "suggestion.reject"):
            decision = "accepted" if action == "suggestion.accept" else "rejected"
            return lambda: c.decide_suggestion(doc, who, data["kind"], data["start"], data["end"],
                                               data["label"] or "", decision)
        raise HistoryError(f"cannot replay {action}")

    def _inverse(self, event: dict) -> Callable[[], object]:
        c, who, doc, data = self.corpus, self.annotator, event["document_id"], event["data"]
        action = event["action"]
        if action == "span.add":
            span = span_from_dict(data["span"])
            return lambda: c.delete_span(span.id, who, doc_id=doc, expected=span)
        if action == "span.delete":
            return lambda: c.add_span(doc, who, span_from_dict(data["span"]))
        if action == "span.update":
            return lambda: self._set_span(doc, data["before"], expected=data["after"])
        if action == "quote.add":
            quote = quote_from_dict(data["quote"])
            return lambda: c.delete_quote(quote.id, who, doc_id=doc, expected=quote)
        if action == "quote.delete":
            return lambda: c.add_quote(doc, who, quote_from_dict(data["quote"]))
        if action == "quote.update":
            after, before = quote_from_dict(data["after"]), quote_from_dict(data["before"])
            return lambda: c.update_quote(before.id, who, before, doc_id=doc, expected=after)
        if action == "status.set":
            before, after = data["before"], data["after"]
            return lambda: c.set_status(doc, who, before["status"], before["note"],
                                        expected=(after["status"], after["note"]))
        if action in ("suggestion.accept", "suggestion.reject"):
            decision = "accepted" if action == "suggestion.accept" else "rejected"
            return lambda: c.undecide_suggestion(doc, who, data["kind"], data["start"], data["end"],
                                                 data["label"] or "", expected=decision)
        raise HistoryError(f"cannot undo {action}")

    def _set_span(self, doc_id: int | None, state: dict, *, expected: dict) -> None:
        self.corpus.update_span(state["id"], self.annotator, doc_id=doc_id, expected=span_from_dict(expected),
                                start=state["start"], end=state["end"], label=state["label"], origin=state["origin"])
