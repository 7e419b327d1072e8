"""The annotation session: everything the window does, without Qt.

An :class:`AnnotationSession` holds the open document, its token index, the
annotator's spans and quotes, the pending suggestions and the selection. Every
operation is stored at once through :class:`~annotator.store.Corpus` inside one
undo step (see :mod:`annotator.ui.history`), then subscribers are told what changed:

- ``"document"``: another document is open (everything else changed too);
- ``"annotations"``: spans, quotes or pending suggestions changed (an edit was saved);
- ``"selection"``: the selected span, quote or suggestion changed;
- ``"status"``: the document's status or the annotator's progress changed;
- ``"message"``: something to tell the annotator (payload: :class:`Message`).

A rule that refuses an edit (entities overlapping, nothing selected) produces a
``"message"`` with level ``"warning"`` and stores nothing.

>>> session = AnnotationSession(corpus, "amira")          # doctest: +SKIP
>>> session.open_document(1)                              # doctest: +SKIP
>>> session.label_range(4, 9, "PER")                      # doctest: +SKIP
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from annotator.core.snapping import TokenIndex
from annotator.core.spans import QUOTE_TYPES, Quote, Range, Span, find_entity_overlap, quote_from_dict, span_from_dict
from annotator.core.tokenizer import token_bounds
from annotator.store import AnnotationError, Corpus, CorpusError, Document
from annotator.suggest.combine import pending_entities
from annotator.ui.history import History, HistoryError, Step

NOTIFICATIONS = ("document", "annotations", "selection", "status", "message")
SELECTION_KINDS = ("span", "quote", "suggestion")
QUOTE_MARKS = "\"'«»“”‘’„‹›"

Callback = Callable[[str, object], None]
NextChooser = Callable[[], "tuple[int | None, str]"]  # the next article to do, or (None, why)


@dataclass(frozen=True)
class Selection:
    """What is selected: a stored span or quote, or a pending suggestion (by suggestion id)."""

    kind: str  # "span" | "quote" | "suggestion"
    id: int


@dataclass(frozen=True)
class Message:
    text: str
    level: str = "info"  # "info" | "warning" | "error"


Item = Span | Quote


def quoted(text: str) -> str:
    """Document text inside a message, bidi-isolated so Arabic never reorders the English around it."""
    return f"“\u2068{text}\u2069”"


class AnnotationSession:
    """The controller of the annotation window (Qt-free, tested without widgets)."""

    def __init__(self, corpus: Corpus, annotator: str, *, token_cache_size: int = 8) -> None:
        if not annotator or not annotator.strip():
            raise AnnotationError("an annotator needs a name")
        self.corpus = corpus
        self.annotator = annotator
        corpus.annotator_id(annotator)
        self.history = History(corpus, annotator)
        self.document: Document | None = None
        self._tokens: TokenIndex | None = None
        self.spans: list[Span] = []
        self.quotes: list[Quote] = []
        self.suggested_spans: list[Span] = []
        self.suggested_quotes: list[Quote] = []
        self.selection: Selection | None = None
        self.status: tuple[str, str | None] = ("new", None)
        self._raw_suggestions: tuple[list[Span], list[Quote]] = ([], [])
        self._decided: dict[tuple[str, int, int, str], str] = {}
        self.saved_at: datetime | None = None
        self.save_error: str | None = None  # why the last edit could not be stored, if it could not
        self.last_message: Message | None = None
        self._subscribers: list[Callback] = []
        self._token_cache: OrderedDict[int, TokenIndex] = OrderedDict()
        self._token_cache_size = token_cache_size

    # -- notifications -------------------------------------------------------------------

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """Call ``callback(kind, payload)`` on every change; returns an unsubscribe function."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def close(self) -> None:
        """Stop notifying (the window is closing; the corpus is about to be closed)."""
        self._subscribers.clear()

    def _emit(self, kind: str, payload: object = None) -> None:
        for callback in list(self._subscribers):
            callback(kind, payload)

    def message(self, text: str, level: str = "info") -> None:
        self.last_message = Message(text, level)
        self._emit("message", self.last_message)

    # -- documents -------------------------------------------------------------------------

    @property
    def doc_id(self) -> int | None:
        return self.document.id if self.document else None

    @property
    def text(self) -> str:
        return self.document.text if self.document else ""

    def open_document(self, doc_id: int) -> None:
        """Show document ``doc_id`` with this annotator's annotations and pending suggestions."""
        self.document = self.corpus.document(doc_id)
        self._tokens = self._token_cache.get(doc_id)  # built on first use (see tokens)
        self.selection = None
        self._load()
        self._emit("document", doc_id)
        self._emit("status", self.status)

    def open_next_undone(self) -> int | None:
        """Open the first document that is neither done nor skipped (or the first one)."""
        doc_id = self.corpus.next_document(self.annotator)
        if doc_id is None:
            ids = self.corpus.document_ids()
            doc_id = ids[0] if ids else None
        if doc_id is not None:
            self.open_document(doc_id)
        return doc_id

    def open_adjacent(self, step: int) -> int | None:
        """Open the next (``step=1``) or previous (``-1``) document by id."""
        ids = self.corpus.document_ids()
        if not ids:
            return None
        if self.doc_id in ids:
            index = ids.index(self.doc_id) + step
            if not 0 <= index < len(ids):
                self.message("This is the " + ("last" if step > 0 else "first") + " article.")
                return None
        else:
            index = 0
        self.open_document(ids[index])
        return ids[index]

    @property
    def tokens(self) -> TokenIndex | None:
        """The open document's token index, built on first use (the window builds it after the first frame)."""
        if self._tokens is None and self.document is not None:
            self._tokens = self._token_index(self.document)
        return self._tokens

    def prepare_tokens(self) -> None:
        """Build the token index now (e.g. from a timer once the article is on screen)."""
        _ = self.tokens

    def _token_index(self, document: Document) -> TokenIndex:
        cached = self._token_cache.get(document.id)
        if cached is not None:
            self._token_cache.move_to_end(document.id)
            return cached
        text = document.text
        # spaCy keeps runs of whitespace such as "\n" as tokens; a selection never snaps to them.
        index = TokenIndex([(s, e) for s, e in token_bounds(text, document.language) if not text[s:e].isspace()])
        self._token_cache[document.id] = index
        if len(self._token_cache) > self._token_cache_size:
            self._token_cache.popitem(last=False)
        return index

    def _load(self) -> None:
        """Read the open document's annotations, suggestions and status from the corpus."""
        doc_id = self.doc_id
        if doc_id is None:
            return
        self.spans = self.corpus.spans(doc_id, self.annotator)
        self.quotes = self.corpus.quotes(doc_id, self.annotator)
        self.status = self.corpus.status(doc_id, self.annotator)
        self._load_suggestions()
        if self.selection is not None and self.selected_item() is None:
            self.selection = None

    def _load_suggestions(self) -> None:
        doc_id = self.doc_id
        if doc_id is None:
            return
        self._raw_suggestions = self.corpus.suggestions(doc_id)
        self._decided = self.corpus.decisions(doc_id, self.annotator)
        self._filter_suggestions()

    def _filter_suggestions(self) -> None:
        """Pending = cached suggestions minus decided ones minus those an annotation supersedes.

        An entity suggestion overlapping one of the annotator's entities can never be
        accepted (entities do not overlap) and would leave a pale sliver beside a span
        made smaller on purpose (``بوتين`` inside ``وبوتين``): it is not shown. A quote
        suggestion whose content overlaps one of the annotator's quotes is superseded the
        same way. Deleting the annotation brings the suggestion back.
        """
        spans, quotes = self._raw_suggestions
        decided = self._decided
        # One proposal per place, none over the annotator's own entities (suggest.combine).
        self.suggested_spans = pending_entities(spans, self.spans, decided)
        existing_quotes = {q.key for q in self.quotes}
        contents = _Coverage([r for q in self.quotes for r in q.contents])
        best_quotes: dict[tuple, Quote] = {}
        for q in quotes:
            if q.key in existing_quotes or ("quote", q.start, q.end, "") in decided or any(
                contents.overlaps(r) for r in q.contents
            ):
                continue
            kept_quote = best_quotes.get(q.key)
            if kept_quote is None or (q.score or 0) > (kept_quote.score or 0):
                best_quotes[q.key] = q
        self.suggested_quotes = sorted(best_quotes.values(), key=lambda q: (q.start, q.end))

    def _apply(self, events: list[dict]) -> None:
        """Bring the in-memory annotations up to date from the events an edit just logged.

        The event log says exactly what changed (with the stored ids and any origin change),
        so an edit on an article with 1,000 spans does not re-read them all.
        """
        spans = {s.id: s for s in self.spans}
        quotes = {q.id: q for q in self.quotes}
        edited = False
        for event in events:
            if event["document_id"] != self.doc_id:
                self._load()
                return
            action, data = event["action"], event["data"]
            if action == "span.add":
                span = span_from_dict(data["span"])
                spans[span.id] = span
            elif action == "span.update":
                span = span_from_dict(data["after"])
                spans[span.id] = span
            elif action == "span.delete":
                spans.pop(data["span"]["id"], None)
            elif action in ("quote.add", "quote.update"):
                quote = quote_from_dict(data["quote" if action == "quote.add" else "after"])
                quotes[quote.id] = quote
            elif action == "quote.delete":
                quotes.pop(data["quote"]["id"], None)
            elif action == "status.set":
                self.status = (data["after"]["status"], data["after"]["note"])
            elif action in ("suggestion.accept", "suggestion.reject"):
                key = (data["kind"], data["start"], data["end"], data["label"] or "")
                self._decided[key] = "accepted" if action == "suggestion.accept" else "rejected"
            edited = edited or action.startswith(("span.", "quote."))
        if edited and self.status[0] == "new":
            self.status = ("in_progress", self.status[1])  # what the store does on a first edit
        self.spans = sorted(spans.values(), key=lambda s: (s.start, s.end))
        self.quotes = sorted(quotes.values(), key=lambda q: (q.start, q.end))
        self._filter_suggestions()

    def reload_suggestions(self) -> None:
        """Re-read suggestions (after a background suggester run) keeping the selection."""
        if self.document is None:
            return
        self._load_suggestions()
        if self.selection is not None and self.selected_item() is None:
            self.selection = None
            self._emit("selection", None)
        self._emit("annotations", None)

    # -- selection ---------------------------------------------------------------------------

    @property
    def pending_suggestions(self) -> list[Item]:
        """Entity and quote suggestions not yet decided, in reading order."""
        items: list[Item] = [*self.suggested_spans, *self.suggested_quotes]
        return sorted(items, key=lambda it: (it.start, it.end, 0 if isinstance(it, Span) else 1))

    def find(self, kind: str, ident: int) -> Item | None:
        if kind == "span":
            return next((s for s in self.spans if s.id == ident), None)
        if kind == "quote":
            return next((q for q in self.quotes if q.id == ident), None)
        if kind == "suggestion":
            return next((s for s in self.pending_suggestions if s.id == ident), None)
        return None

    def selected_item(self) -> Item | None:
        return self.find(self.selection.kind, self.selection.id) if self.selection else None

    def select(self, kind: str | None, ident: int | None = None) -> None:
        """Select a span, quote or suggestion (``kind=None`` clears the selection)."""
        if kind is None or ident is None:
            selection = None
        else:
            if kind not in SELECTION_KINDS:
                raise ValueError(f"selection kind must be one of {SELECTION_KINDS}")
            if self.find(kind, ident) is None:
                self.message(f"There is no {kind} {ident} in this article.", "warning")
                return
            selection = Selection(kind, ident)
        if selection != self.selection:
            self.selection = selection
            self._emit("selection", selection)

    def items_at(self, offset: int, suggestions: bool = True) -> list[tuple[str, Item]]:
        """Everything covering code point ``offset``, smallest first (entities before quotes).

        ``suggestions=False``: only the annotator's own spans and quotes.
        """
        found: list[tuple[int, int, str, Item]] = []
        for span in self.spans:
            if span.start <= offset < span.end:
                found.append((span.end - span.start, 0, "span", span))
        for span in self.suggested_spans if suggestions else ():
            if span.start <= offset < span.end:
                found.append((span.end - span.start, 1, "suggestion", span))
        for quote in self.quotes:
            hit = [r for r in quote.ranges() if r.start <= offset < r.end]
            if hit:
                found.append((min(r.end - r.start for r in hit), 2, "quote", quote))
        for quote in self.suggested_quotes if suggestions else ():
            hit = [r for r in quote.ranges() if r.start <= offset < r.end]
            if hit:
                found.append((min(r.end - r.start for r in hit), 3, "suggestion", quote))
        found.sort(key=lambda f: (f[0], f[1]))
        return [(kind, item) for _, _, kind, item in found]

    def select_at(self, offset: int, suggestions: bool = True) -> Item | None:
        """Select what is under ``offset``; clicking again on the same spot cycles overlapping items.

        ``suggestions=False`` (a plain click) considers only the annotator's own spans and quotes.
        """
        items = self.items_at(offset, suggestions)
        if not items:
            self.select(None)
            return None
        keys = [Selection(kind, item.id) for kind, item in items]
        index = (keys.index(self.selection) + 1) % len(keys) if self.selection in keys else 0
        self.select(keys[index].kind, keys[index].id)
        return items[index][1]

    # -- editing helpers -----------------------------------------------------------------------

    @contextmanager
    def _edit(self) -> Iterator[None]:
        """Run one user edit as one undo step; a refused edit becomes a warning message."""
        if self.document is None:
            self.message("Open an article first.", "warning")
            raise _Refused
        try:
            with self.history.step(self.doc_id):
                yield
        except AnnotationError as exc:
            self.message(str(exc), "warning")
            raise _Refused from None
        except (CorpusError, sqlite3.Error) as exc:  # disk full, read-only file, database locked...
            self.save_error = str(exc)
            self.message(f"Not saved: {exc}", "error")
            raise _Refused from None
        self.save_error = None
        self.saved_at = datetime.now()
        self._apply(self.history.last_events)

    def _changed(self, selection: Selection | None | bool = False) -> None:
        """Tell subscribers an edit was stored; ``selection`` (unless False) becomes the selection."""
        if selection is not False:
            self.selection = selection  # type: ignore[assignment]
        if self.selection is not None and self.selected_item() is None:
            self.selection = None
        self._emit("annotations", None)
        self._emit("selection", self.selection)
        self._emit("status", self.status)

    def _range(self, start: int, end: int, precise: bool, what: str) -> tuple[int, int] | None:
        """The range to store for a selection: snapped to tokens unless ``precise``."""
        if self.document is None or self.tokens is None:
            self.message("Open an article first.", "warning")
            return None
        start, end = max(0, min(start, end)), min(len(self.text), max(start, end))
        if precise:
            while start < end and self.text[start].isspace():
                start += 1
            while end > start and self.text[end - 1].isspace():
                end -= 1
            snapped = (start, end) if end > start else None
        else:
            snapped = self.tokens.snap(start, end)
        if snapped is None:
            self.message(f"Select some words first to make them {what}.", "warning")
        return snapped

    def _clash_message(self, span: Span, clash: Span) -> str:
        return (f"Entities may not overlap: {quoted(self.text[span.start:span.end])} would overlap "
                f"{clash.label} {quoted(self.text[clash.start:clash.end])}. Delete or shrink that span first.")

    # -- entities ---------------------------------------------------------------------------------

    def label_range(self, start: int, end: int, label: str, precise: bool = False) -> Span | None:
        """Label ``[start, end)`` (code points) as ``label``, snapped to tokens unless ``precise``.

        Labelling exactly what a pending suggestion proposes accepts that suggestion.
        """
        if label not in self.corpus.labels.entity_names:
            self.message(f"Unknown label {label}.", "warning")
            return None
        bounds = self._range(start, end, precise, label)
        if bounds is None:
            return None
        span = Span(bounds[0], bounds[1], label)
        suggestion = next((s for s in self.suggested_spans if s.key == span.key), None)
        if suggestion is not None:
            return self._accept_entity(suggestion)
        stored = self._store_entity(span)
        if stored is not None:
            self._changed(Selection("span", stored.id))
        return stored

    def _store_entity(self, span: Span, suggestion: Span | None = None) -> Span | None:
        """Store ``span`` unless it overlaps an entity (then say why); record ``suggestion`` as accepted."""
        clash = find_entity_overlap(self.spans, span)
        if clash is not None:
            self.message(self._clash_message(span, clash), "warning")
            return None
        try:
            with self._edit():
                stored = self.corpus.add_span(self.doc_id, self.annotator, span)
                if suggestion is not None:
                    self.corpus.decide_suggestion(self.doc_id, self.annotator, "entity", suggestion.start,
                                                  suggestion.end, suggestion.label, "accepted")
        except _Refused:
            return None
        return stored

    def relabel(self, label: str) -> Span | None:
        """Change the selected span's label (a selected entity suggestion is accepted as ``label``)."""
        item = self.selected_item()
        if isinstance(item, Span) and self.selection and self.selection.kind == "suggestion":
            return self._accept_entity(item, label=label)
        if not isinstance(item, Span):
            self.message("Select a span (click it) to change its label.", "warning")
            return None
        if item.label == label:
            return item
        try:
            with self._edit():
                stored = self.corpus.update_span(item.id, self.annotator, label=label)
        except _Refused:
            return None
        self._changed()
        return stored

    def delete_selected(self) -> bool:
        """Delete the selected span or quote; a selected suggestion is rejected."""
        if self.selection is None:
            self.message("Nothing is selected to delete.", "warning")
            return False
        if self.selection.kind == "suggestion":
            return self.reject_suggestion()
        item = self.selected_item()
        try:
            with self._edit():
                if isinstance(item, Span):
                    self.corpus.delete_span(item.id, self.annotator)
                elif isinstance(item, Quote):
                    self.corpus.delete_quote(item.id, self.annotator)
        except _Refused:
            return False
        self._changed(None)
        return True

    def nudge(self, edge: str, how: str) -> bool:
        """Grow or shrink the selected span's (or quote content's) ``edge`` ("start"/"end") by a token."""
        item = self.selected_item()
        if self.tokens is None or item is None or (self.selection and self.selection.kind == "suggestion"):
            self.message("Select a span or quote to move its boundary (accept a suggestion first).", "warning")
            return False
        if isinstance(item, Span):
            start, end = item.start, item.end
        else:
            start, end = item.contents[0].start, item.contents[-1].end
        move = getattr(self.tokens, f"{how}_{edge}")
        new_start, new_end = move(start, end)
        if (new_start, new_end) == (start, end):
            self.message(f"The {edge} cannot {how} any further.", "info")
            return False
        try:
            with self._edit():
                if isinstance(item, Span):
                    self.corpus.update_span(item.id, self.annotator, start=new_start, end=new_end)
                else:
                    contents = list(item.contents)
                    contents[0] = Range(new_start if edge == "start" else contents[0].start, contents[0].end)
                    contents[-1] = Range(contents[-1].start, new_end if edge == "end" else contents[-1].end)
                    self.corpus.update_quote(item.id, self.annotator, item.with_(contents=tuple(contents)))
        except _Refused:
            return False
        self._changed()
        return True

    # shorthands the keymap names
    def grow_start(self) -> bool:
        return self.nudge("start", "grow")

    def shrink_start(self) -> bool:
        return self.nudge("start", "shrink")

    def grow_end(self) -> bool:
        return self.nudge("end", "grow")

    def shrink_end(self) -> bool:
        return self.nudge("end", "shrink")

    # -- suggestions ------------------------------------------------------------------------------

    def next_suggestion(self, offset: int | None = None, step: int = 1) -> Item | None:
        """Select the next (``step=1``) or previous (``-1``) pending suggestion, wrapping round.

        Starts from the selection, else from ``offset`` (e.g. the cursor), else the top.
        """
        pending = self.pending_suggestions
        if not pending:
            self.message("No suggestions left in this article.", "info")
            return None
        current = self.selected_item()
        if current is not None:
            here = (current.start, current.end)
        elif offset is not None:
            here = (offset, offset) if step > 0 else (offset, offset)
        else:
            here = (-1, -1) if step > 0 else (len(self.text) + 1, len(self.text) + 1)
        if step > 0:
            later = [s for s in pending if (s.start, s.end) > here and s is not current]
            chosen = later[0] if later else pending[0]
        else:
            earlier = [s for s in pending if (s.start, s.end) < here and s is not current]
            chosen = earlier[-1] if earlier else pending[-1]
        self.select("suggestion", chosen.id)
        return chosen

    def previous_suggestion(self, offset: int | None = None) -> Item | None:
        return self.next_suggestion(offset, step=-1)

    def _selected_suggestion(self) -> Item | None:
        item = self.selected_item()
        if item is None or self.selection is None or self.selection.kind != "suggestion":
            self.message("Select a suggestion first (Tab goes to the next one).", "warning")
            return None
        return item

    def accept_suggestion(self) -> Item | None:
        """Accept the selected suggestion (a quote with all its parts), then select the next one."""
        item = self._selected_suggestion()
        if item is None:
            return None
        if isinstance(item, Span):
            return self._accept_entity(item)
        return self._accept_quote(item)

    def _accept_entity(self, suggestion: Span, label: str | None = None) -> Span | None:
        span = Span(suggestion.start, suggestion.end, label or suggestion.label,
                    origin="accepted" if label in (None, suggestion.label) else "edited",
                    suggester=suggestion.suggester, score=suggestion.score)
        stored = self._store_entity(span, suggestion)
        if stored is not None:
            self._after_decision(suggestion)
        return stored

    def _accept_quote(self, suggestion: Quote) -> Quote | None:
        quote = suggestion.with_(id=None, origin="accepted")
        try:
            with self._edit():
                stored = self.corpus.add_quote(self.doc_id, self.annotator, quote)
                self.corpus.decide_suggestion(self.doc_id, self.annotator, "quote", suggestion.start,
                                              suggestion.end, "", "accepted")
        except _Refused:
            return None
        self._after_decision(suggestion)
        return stored

    def reject_suggestion(self) -> bool:
        item = self._selected_suggestion()
        if item is None:
            return False
        kind, label = ("entity", item.label) if isinstance(item, Span) else ("quote", "")
        try:
            with self._edit():
                self.corpus.decide_suggestion(self.doc_id, self.annotator, kind, item.start, item.end, label,
                                              "rejected")
        except _Refused:
            return False
        self._after_decision(item)
        return True

    def _after_decision(self, decided: Item) -> None:
        """After accepting or rejecting, the next pending suggestion is selected."""
        following = [s for s in self.pending_suggestions if (s.start, s.end) >= (decided.start, decided.end)]
        chosen = following[0] if following else (self.pending_suggestions or [None])[0]
        self._changed(Selection("suggestion", chosen.id) if chosen is not None else None)

    def accept_all(self) -> tuple[int, int, list[Span]]:
        """Accept every pending suggestion in one undo step.

        Entity suggestions that would overlap an existing span (or a better-scored
        suggestion accepted in the same pass) are skipped and named in a message.
        Returns (entities accepted, quotes accepted, skipped entity suggestions).
        """
        if self.document is None:
            self.message("Open an article first.", "warning")
            return 0, 0, []
        taken = list(self.spans)
        accepted: list[Span] = []
        skipped: list[Span] = []
        ordered = sorted(self.suggested_spans, key=lambda s: (-(s.score or 0), s.start, s.end))
        for s in ordered:
            # suggestion ids and span ids are different sequences: compare without ids
            if find_entity_overlap(taken, s.with_(id=None)) is not None:
                skipped.append(s)
                continue
            taken.append(s.with_(id=None))
            accepted.append(s)
        quotes = list(self.suggested_quotes)
        if not accepted and not quotes:
            self.message("No suggestions to accept" + (" (all overlap existing spans)." if skipped else "."),
                         "warning" if skipped else "info")
            return 0, 0, skipped
        try:
            with self._edit():
                for s in sorted(accepted, key=lambda s: (s.start, s.end)):
                    self.corpus.add_span(self.doc_id, self.annotator,
                                         s.with_(id=None, origin="accepted"))
                    self.corpus.decide_suggestion(self.doc_id, self.annotator, "entity", s.start, s.end, s.label,
                                                  "accepted")
                for q in quotes:
                    self.corpus.add_quote(self.doc_id, self.annotator, q.with_(id=None, origin="accepted"))
                    self.corpus.decide_suggestion(self.doc_id, self.annotator, "quote", q.start, q.end, "",
                                                  "accepted")
        except _Refused:
            return 0, 0, skipped
        text = f"Accepted {len(accepted)} entities and {len(quotes)} quotes."
        if skipped:
            names = ", ".join(f"{s.label} {quoted(self.text[s.start:s.end])}" for s in skipped[:5])
            more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
            text += f" Skipped {len(skipped)} that overlap existing spans: {names}{more}."
        self._changed(None)
        self.message(text, "warning" if skipped else "info")
        return len(accepted), len(quotes), skipped

    # -- quotes -----------------------------------------------------------------------------------

    def _selected_quote(self) -> Quote | None:
        item = self.selected_item()
        if self.selection is not None and self.selection.kind == "quote" and isinstance(item, Quote):
            return item
        if self.selection is not None and self.selection.kind == "suggestion" and isinstance(item, Quote):
            self.message("Accept the suggested quote first (Enter), then edit it.", "warning")
        else:
            self.message("Select a quote first (Q makes the selected text a quote).", "warning")
        return None

    def _update_quote(self, quote: Quote, **changes) -> Quote | None:
        try:
            with self._edit():
                stored = self.corpus.update_quote(quote.id, self.annotator, quote.with_(**changes))
        except _Refused:
            return None
        self._changed(Selection("quote", stored.id))
        return stored

    def make_quote(self, start: int, end: int, precise: bool = False, type: str | None = None) -> Quote | None:
        """Make ``[start, end)`` a new quote's content; the type is guessed from quotation marks."""
        bounds = self._range(start, end, precise, "a quote")
        if bounds is None:
            return None
        quote = Quote(contents=(Range(*bounds),), type=type or self.guess_quote_type(*bounds))
        try:
            with self._edit():
                stored = self.corpus.add_quote(self.doc_id, self.annotator, quote)
        except _Refused:
            return None
        self._changed(Selection("quote", stored.id))
        return stored

    def guess_quote_type(self, start: int, end: int) -> str:
        """direct when the content is wrapped in quotation marks, mixed when it holds some, else indirect."""
        inner = self.text[start:end].strip()
        around = self.text[max(0, start - 1):min(len(self.text), end + 1)].strip()
        if inner[:1] in QUOTE_MARKS or inner[-1:] in QUOTE_MARKS or (
            around[:1] in QUOTE_MARKS and around[-1:] in QUOTE_MARKS
        ):
            return "direct"
        if any(mark in inner for mark in QUOTE_MARKS):
            return "mixed"
        return "indirect"

    def add_content_part(self, start: int, end: int, precise: bool = False) -> Quote | None:
        """Add ``[start, end)`` as another content part of the selected quote (again: remove it)."""
        quote = self._selected_quote()
        bounds = self._range(start, end, precise, "a content part") if quote else None
        if quote is None or bounds is None:
            return None
        part = Range(*bounds)
        if part in quote.contents:  # the same part again: take it out (a quote keeps at least one)
            if len(quote.contents) == 1:
                self.message("A quote needs a content part: delete the quote instead.", "warning")
                return quote
            return self._update_quote(quote, contents=tuple(r for r in quote.contents if r != part))
        contents = tuple(sorted((*quote.contents, part), key=lambda r: (r.start, r.end)))
        return self._update_quote(quote, contents=contents)

    def set_cue(self, start: int, end: int, precise: bool = False) -> Quote | None:
        """Make ``[start, end)`` the selected quote's cue (the same range again removes the cue)."""
        quote = self._selected_quote()
        bounds = self._range(start, end, precise, "the cue") if quote else None
        if quote is None or bounds is None:
            return None
        cue = Range(*bounds)
        return self._update_quote(quote, cue=None if cue == quote.cue else cue)  # the same cue again removes it

    def add_source(self, start: int, end: int, precise: bool = False) -> Quote | None:
        """Add a source (speaker mention); the first entity under it becomes the quote's entity if none is set.

        The same range again removes that source (and the entity link it gave).
        """
        quote = self._selected_quote()
        bounds = self._range(start, end, precise, "the source") if quote else None
        if quote is None or bounds is None:
            return None
        source = Range(*bounds)
        if source in quote.sources:  # the same source again: take it out (and its link, if it came from it)
            remaining = tuple(r for r in quote.sources if r != source)
            linked = quote.entity is not None and quote.entity.overlaps(source)
            return self._update_quote(quote, sources=remaining, entity=None if linked else quote.entity)
        changes: dict = {"sources": tuple(sorted((*quote.sources, source), key=lambda r: (r.start, r.end)))}
        entity = quote.entity
        if entity is None:
            under = next((s for s in self.spans if s.overlaps(source)), None)
            if under is not None:
                changes["entity"] = Range(under.start, under.end)
        return self._update_quote(quote, **changes)

    def link_source(self, start: int | None = None, end: int | None = None) -> Quote | None:
        """Link the selected quote's speaker to the entity span under ``[start, end)`` (or under its source)."""
        quote = self._selected_quote()
        if quote is None:
            return None
        if start is not None and end is not None and end > start:
            where: list[Range] = [Range(start, end)]
        else:
            where = list(quote.sources)
        if not where:
            self.message("Mark the quote's source first (S), or select the speaker's entity.", "warning")
            return None
        entity = next((s for r in where for s in self.spans if s.overlaps(r)), None)
        if entity is None:
            self.message("There is no entity span there: label the speaker (e.g. PER) first.", "warning")
            return None
        return self._update_quote(quote, entity=Range(entity.start, entity.end))

    def set_quote_type(self, type: str) -> Quote | None:
        if type not in QUOTE_TYPES:
            self.message(f"A quote's type is one of {', '.join(QUOTE_TYPES)}.", "warning")
            return None
        quote = self._selected_quote()
        if quote is None or quote.type == type:
            return quote
        return self._update_quote(quote, type=type)

    def cycle_quote_type(self) -> Quote | None:
        quote = self._selected_quote()
        if quote is None:
            return None
        return self._update_quote(quote, type=QUOTE_TYPES[(QUOTE_TYPES.index(quote.type) + 1) % len(QUOTE_TYPES)])

    # -- status -----------------------------------------------------------------------------------

    def progress(self) -> tuple[int, int]:
        """(articles done, articles in the corpus) for this annotator."""
        return self.corpus.progress(self.annotator)

    def _set_status_and_next(self, status: str, note: str | None, following: NextChooser | None = None) -> int | None:
        current = self.doc_id
        try:
            with self._edit():
                self.corpus.set_status(current, self.annotator, status, note)
        except _Refused:
            return None
        self._emit("status", self.status)
        if following is not None:
            target, why = following()
        else:
            target, why = self.corpus.next_document(self.annotator, after=current), "Every article is done or skipped."
        if target is None:
            done, total = self.progress()
            self.message(f"{why.rstrip('.')} ({done} of {total} done).", "info")
            self._changed()
            return None
        self.open_document(target)
        return target

    def mark_done_and_next(self, following: NextChooser | None = None) -> int | None:
        """Mark the article done and open the next one that is neither done nor skipped.

        ``following()`` chooses that one, as ``(id, "")`` or ``(None, why)`` (the window's
        list, within its search and filters); by default the next by id, wrapping round.
        """
        return self._set_status_and_next("done", None, following)

    def skip(self, note: str | None = None, following: NextChooser | None = None) -> int | None:
        """Skip the article (with a note saying why) and open the next undone one (see :meth:`mark_done_and_next`)."""
        return self._set_status_and_next("skipped", (note or "").strip() or None, following)

    # -- undo / redo ------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return self.history.can_undo

    @property
    def can_redo(self) -> bool:
        return self.history.can_redo

    def undo(self) -> Step | None:
        return self._travel(self.history.undo, "Undone", "Nothing to undo.")

    def redo(self) -> Step | None:
        return self._travel(self.history.redo, "Redone", "Nothing to redo.")

    def _travel(self, move: Callable[[], Step | None], verb: str, nothing: str) -> Step | None:
        try:
            step = move()
        except HistoryError as exc:  # refused, nothing changed: e.g. another window changed the span since
            if self.doc_id is not None:
                self._load()  # show what the article holds now
                self._changed()
            self.message(str(exc), "warning")
            return None
        except (CorpusError, sqlite3.Error) as exc:
            self.message(str(exc), "error")
            return None
        if step is None:
            self.message(nothing, "info")
            return None
        self.saved_at = datetime.now()
        if step.doc_id is not None and step.doc_id != self.doc_id:
            self.open_document(step.doc_id)
        else:
            self._load()
            self._changed()
        self.message(f"{verb}: {step.description}.", "info")
        return step


class _Coverage:
    """Does a range overlap any of these ranges? (sorted starts and a running maximum of ends: O(log n))"""

    def __init__(self, ranges: list[Span] | list[Range]) -> None:
        ordered = sorted((r.start, r.end) for r in ranges)
        self.starts = [start for start, _ in ordered]
        self.reach: list[int] = []  # the furthest end among the first i+1 ranges
        furthest = -1
        for _, end in ordered:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def overlaps(self, other: Span | Range) -> bool:
        i = bisect_left(self.starts, other.end) - 1  # the ranges starting before other ends
        return i >= 0 and self.reach[i] > other.start


class _Refused(Exception):
    """Internal: an edit was refused and the annotator was told why."""
