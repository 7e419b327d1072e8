"""Adjudication: settle two annotators' disagreements into a reviewer's set (Qt-free).

A reviewer compares annotator A's and annotator B's sets on the articles both worked on.
Every article becomes a merged list of :class:`ReviewItem` s, entity spans and quotes, each
with its agreement status:

- entities: ``agree``, ``only_a``, ``only_b``, ``other_label``, ``boundary``,
  ``other_label_boundary`` (see :func:`annotator.review.span_metrics.classify_disagreements`);
- quotes (matched by content, :func:`annotator.review.quote_metrics.match_quotes`): ``agree``,
  ``only_a``, ``only_b``, ``differs`` (with the aspects that differ).

A decision on an item (take A, take B, take both, take neither, edit by hand) writes the
chosen spans/quotes into the reviewer's set through the Corpus API and records a
``review.decide`` event; deciding again replaces the earlier choice. The reviewer is an
annotator of kind ``reviewer``, so :meth:`Corpus.reviewed_set` finds the set and
``annotator export spacy`` exports it by default.

Origins in the reviewed set: a span or quote copied from A or B is stored with origin
``imported`` (the reviewer chose it, but did not draw it; the event log says from whom);
one made by hand is ``manual``.

>>> adj = Adjudication(corpus, "amira", "bilal", reviewer="lead")      # doctest: +SKIP
>>> item = adj.next_disagreement(doc_id)                                # doctest: +SKIP
>>> adj.decide(doc_id, item, TAKE_B)                                    # doctest: +SKIP
"""

from __future__ import annotations

import json
import uuid
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from annotator.core.spans import Quote, Span
from annotator.review.agreement import AnnotationSet, annotated
from annotator.review.quote_metrics import match_quotes
from annotator.review.span_metrics import KIND_NAMES, classify_disagreements
from annotator.store.errors import AnnotationError, NotInSetError, StaleEditError

if TYPE_CHECKING:  # the store imports nothing from here; a runtime import is not needed
    from annotator.store.corpus import Corpus

TAKE_A, TAKE_B, TAKE_BOTH, TAKE_NEITHER, EDIT = "a", "b", "both", "neither", "edit"
DECISIONS = (TAKE_A, TAKE_B, TAKE_BOTH, TAKE_NEITHER, EDIT)
DECISION_NAMES = {TAKE_A: "take A", TAKE_B: "take B", TAKE_BOTH: "take both", TAKE_NEITHER: "take neither",
                  EDIT: "edited by hand"}
EVENT = "review.decide"  # data: item, a_set, b_set, kind, status, decision (None = taken back), spans, quotes
STATUS_NAMES = KIND_NAMES | {"differs": "quote differs"}


class ReviewError(AnnotationError):
    """A review decision that cannot be applied (nothing was written)."""


def _span_sig(span: Span | None) -> str:
    return f"{span.start}-{span.end}:{span.label}" if span else "-"


def _quote_sig(quote: Quote | None) -> str:
    if quote is None:
        return "-"
    entity = (quote.entity.start, quote.entity.end) if quote.entity else None
    return json.dumps([quote.key, quote.type, entity], separators=(",", ":"))


@dataclass(frozen=True)
class ReviewItem:
    """One thing to settle in an article: an entity span or a quote, from A, B or both."""

    kind: str  # "entity" | "quote"
    status: str  # see the module docstring
    a: Span | Quote | None
    b: Span | Quote | None
    differences: tuple[str, ...] = ()  # quotes: aspects that differ
    decision: str | None = None  # the reviewer's latest decision, if any

    @cached_property
    def key(self) -> str:
        """Stable identity of the item (what A and B said), used in the event log."""
        sig = _span_sig if self.kind == "entity" else _quote_sig
        return f"{self.kind}|{sig(self.a)}|{sig(self.b)}"  # type: ignore[arg-type]

    @property
    def start(self) -> int:
        return min(x.start for x in (self.a, self.b) if x is not None)

    @property
    def end(self) -> int:
        return max(x.end for x in (self.a, self.b) if x is not None)

    @cached_property
    def position(self) -> tuple[int, int, str, str]:
        """Sort key: text order, entities before quotes at the same place."""
        return (self.start, self.end, self.kind, self.key)

    @property
    def is_agreement(self) -> bool:
        return self.status == "agree"

    @property
    def decided(self) -> bool:
        return self.decision is not None

    def describe(self) -> str:
        """A short line for lists: ``entity · boundary differs · PER → PER``."""
        what = STATUS_NAMES.get(self.status, self.status)
        if self.kind == "quote" and self.differences:
            what += f" ({', '.join(self.differences)})"
        if self.kind == "entity":
            la = self.a.label if self.a is not None else "–"  # type: ignore[union-attr]
            lb = self.b.label if self.b is not None else "–"  # type: ignore[union-attr]
            labels = f"{la} | {lb}"
        else:
            ta = self.a.type if self.a is not None else "–"  # type: ignore[union-attr]
            tb = self.b.type if self.b is not None else "–"  # type: ignore[union-attr]
            labels = f"quote {ta} | {tb}"
        done = f" ✓ {DECISION_NAMES[self.decision]}" if self.decision else ""
        return f"{labels} · {what}{done}"


@dataclass
class ArticleState:
    """Items of one article plus the counts the status bar shows."""

    doc_id: int
    items: list[ReviewItem] = field(default_factory=list)

    @property
    def disagreements(self) -> list[ReviewItem]:
        return [i for i in self.items if not i.is_agreement]

    @property
    def disagreements_left(self) -> int:
        return sum(1 for i in self.items if not i.is_agreement and not i.decided)

    @property
    def agreements_pending(self) -> int:
        return sum(1 for i in self.items if i.is_agreement and not i.decided)

    @property
    def settled(self) -> bool:
        return all(i.decided for i in self.items)


def merge_items(
    spans_a: Iterable[Span], spans_b: Iterable[Span], quotes_a: Iterable[Quote], quotes_b: Iterable[Quote]
) -> list[ReviewItem]:
    """The merged, position-ordered list of entity and quote items of one article (undecided)."""
    by_key_a: dict[tuple, list[Span]] = {}
    by_key_b: dict[tuple, list[Span]] = {}
    for s in spans_a:
        by_key_a.setdefault(s.key, []).append(s)
    for s in spans_b:
        by_key_b.setdefault(s.key, []).append(s)

    def pick(pool: dict[tuple, list[Span]], key: tuple | None) -> Span | None:
        if key is None:
            return None
        return pool[key].pop(0)

    d = classify_disagreements([s for v in by_key_a.values() for s in v], [s for v in by_key_b.values() for s in v])
    items: list[ReviewItem] = []
    for kind, ka, kb in d.items():
        items.append(ReviewItem("entity", kind, pick(by_key_a, ka), pick(by_key_b, kb)))
    match = match_quotes(list(quotes_a), list(quotes_b))
    for pair in match.pairs:
        items.append(ReviewItem("quote", "agree" if pair.agree else "differs", pair.a, pair.b, pair.differences))
    items += [ReviewItem("quote", "only_a", q, None) for q in match.only_a]
    items += [ReviewItem("quote", "only_b", None, q) for q in match.only_b]
    items.sort(key=lambda i: i.position)
    return items


def allowed_decisions(item: ReviewItem) -> tuple[str, ...]:
    """Decisions that make sense for ``item`` ("take both" only where the result is allowed:
    entities must not overlap each other, quotes may)."""
    if item.status == "only_a":
        return (TAKE_A, TAKE_NEITHER, EDIT)
    if item.status == "only_b":
        return (TAKE_B, TAKE_NEITHER, EDIT)
    if item.status == "agree":
        return (TAKE_A, TAKE_B, TAKE_NEITHER, EDIT)
    both_ok = item.kind == "quote" or not item.a.overlaps(item.b)  # type: ignore[union-attr, arg-type]
    return (TAKE_A, TAKE_B, *((TAKE_BOTH,) if both_ok else ()), TAKE_NEITHER, EDIT)


def why_not(item: ReviewItem, decision: str) -> str:
    """Why ``decision`` is not allowed for ``item`` (for the status bar and errors)."""
    if decision == TAKE_BOTH and item.status == "agree":
        return "A and B agree here: take A (the same as B), take neither or edit by hand"
    if decision == TAKE_BOTH and item.kind == "entity" and item.a is not None and item.b is not None:
        return "take both is not possible here: entities may not overlap (take A, take B or edit by hand)"
    if decision == TAKE_A and item.a is None:
        return "A has nothing here (take B, take neither or edit by hand)"
    if decision == TAKE_B and item.b is None:
        return "B has nothing here (take A, take neither or edit by hand)"
    if decision == TAKE_BOTH:
        return "only one annotator has this item; take it or take neither"
    return f"{DECISION_NAMES.get(decision, decision)} is not possible here"


class Adjudication:
    """Review of annotator ``a`` against ``b`` into ``reviewer``'s set, on one open corpus."""

    def __init__(self, corpus: Corpus, a: str, b: str, reviewer: str = "reviewer") -> None:
        if a == b:
            raise ReviewError("choose two different annotators to compare")
        if reviewer in (a, b):
            raise ReviewError(f"the reviewer must not be one of the annotators compared ({a}, {b})")
        kinds = {row["name"]: row["kind"] for row in corpus.annotators()}
        for name in (a, b):
            if name not in kinds:
                known = ", ".join(n for n, k in kinds.items() if k != "reviewer") or "none"
                raise ReviewError(f"no annotator named {name!r} in this corpus; known: {known}")
        if reviewer in kinds and kinds[reviewer] != "reviewer":
            raise ReviewError(
                f"{reviewer!r} is an annotator ({kinds[reviewer]}), not a reviewer; choose another reviewer name"
            )
        self.corpus = corpus
        self.a = a
        self.b = b
        self.reviewer = reviewer
        corpus.annotator_id(reviewer, kind="reviewer")
        self._articles: list[int] | None = None
        self._loaded: dict[int, tuple | None] = {}
        self._states: dict[int, ArticleState] = {}

    # -- reading -------------------------------------------------------------------------------

    def articles(self) -> list[int]:
        """Ids of the articles both A and B worked on (and neither skipped), in corpus order."""
        if self._articles is None:
            self._articles = [doc_id for doc_id in self.corpus.document_ids() if self._sets(doc_id) is not None]
        return self._articles

    def _sets(self, doc_id: int) -> tuple[AnnotationSet, AnnotationSet, list[Span], list[Span]] | None:
        """A's and B's sets on an article (read once), or None if one of them did not work on it."""
        if doc_id not in self._loaded:
            set_a = annotated(self.corpus, doc_id, self.a, keep_spans=True)
            set_b = annotated(self.corpus, doc_id, self.b, keep_spans=True) if set_a is not None else None
            self._loaded[doc_id] = (set_a, set_b) if set_a is not None and set_b is not None else None
        return self._loaded[doc_id]

    def state(self, doc_id: int) -> ArticleState:
        """The article's items with the reviewer's latest decision on each."""
        cached = self._states.get(doc_id)
        if cached is not None:
            return cached
        sets = self._sets(doc_id)
        if sets is None:
            items: list[ReviewItem] = []
        else:
            set_a, set_b = sets
            items = merge_items(set_a.objects, set_b.objects, set_a.quotes, set_b.quotes)
        decisions = self._decisions(doc_id)
        result = []
        for item in items:
            found = decisions.get(item.key)
            if found is not None:
                item = ReviewItem(item.kind, item.status, item.a, item.b, item.differences, decision=found["decision"])
            result.append(item)
        state = ArticleState(doc_id, result)
        self._states[doc_id] = state
        return state

    def reload(self) -> None:
        """Forget what was read (A's and B's sets, decisions): call after they change elsewhere."""
        self._articles = None
        self._loaded.clear()
        self._states.clear()

    def items(self, doc_id: int) -> list[ReviewItem]:
        return self.state(doc_id).items

    def _decisions(self, doc_id: int) -> dict[str, dict]:
        latest: dict[str, dict] = {}
        for event in self.corpus.events(doc_id=doc_id, annotator=self.reviewer):
            if event["action"] != EVENT:
                continue
            data = event["data"]
            if data.get("a_set") != self.a or data.get("b_set") != self.b:
                continue
            if data.get("decision") is None:  # taken back: the item is open again
                latest.pop(data["item"], None)
            else:
                latest[data["item"]] = data
        return latest

    def disagreements_left(self, doc_id: int) -> int:
        return self.state(doc_id).disagreements_left

    def corpus_disagreements_left(self) -> int:
        return sum(self.disagreements_left(doc_id) for doc_id in self.articles())

    def articles_left(self) -> int:
        """Articles the reviewer has not finished (something to settle, or not yet marked done)."""
        return sum(
            1
            for doc_id in self.articles()
            if not self.state(doc_id).settled or self.corpus.status(doc_id, self.reviewer)[0] != "done"
        )

    def next_disagreement(
        self, doc_id: int, after: ReviewItem | None = None, backwards: bool = False
    ) -> tuple[int, ReviewItem] | None:
        """The next (or, ``backwards``, previous) undecided disagreement after ``after`` in this
        article, then in the following (previous) articles, wrapping round to the beginning of
        this one. None when nothing is left anywhere."""
        docs = self.articles()
        here = [i for i in self.items(doc_id) if not i.is_agreement and not i.decided] if doc_id in docs else []
        if backwards:
            here.reverse()
        if after is not None:
            mark = after.position

            def beyond(item: ReviewItem) -> bool:
                return item.position < mark if backwards else item.position > mark

            ahead = [i for i in here if beyond(i)]
            behind = [i for i in here if not beyond(i)]
        else:
            ahead, behind = here, []
        if ahead:
            return doc_id, ahead[0]
        if docs:
            if doc_id in docs:
                start = docs.index(doc_id)
            else:  # not a reviewable article: continue from where it would sit
                start = bisect_left(docs, doc_id) - (0 if backwards else 1)
            step = -1 if backwards else 1
            for k in range(1, len(docs) + 1):
                other = docs[(start + k * step) % len(docs)]
                if other == doc_id:
                    break
                pending = [i for i in self.items(other) if not i.is_agreement and not i.decided]
                if pending:
                    return other, (pending[-1] if backwards else pending[0])
        if behind:
            return doc_id, behind[0]
        return None

    # -- deciding ------------------------------------------------------------------------------

    def find(self, doc_id: int, key: str) -> ReviewItem:
        for item in self.items(doc_id):
            if item.key == key:
                return item
        raise ReviewError("this item changed since it was shown (reload the article)")

    def decide(
        self,
        doc_id: int,
        item: ReviewItem | str,
        decision: str,
        *,
        span: Span | None = None,
        quote: Quote | None = None,
    ) -> ReviewItem:
        """Settle ``item``: write the chosen spans/quotes into the reviewer's set and log the decision.

        ``span`` (entities) or ``quote`` (quotes) is the hand-made result for ``EDIT``. A second
        decision on the same item replaces the first. Raises :class:`ReviewError` (nothing
        written) when the decision is not allowed or its result would overlap an entity
        already in the reviewed set.
        """
        current = self.find(doc_id, item if isinstance(item, str) else item.key)
        if decision not in DECISIONS:
            raise ReviewError(f"decision must be one of {', '.join(DECISIONS)}")
        if decision not in allowed_decisions(current):
            raise ReviewError(why_not(current, decision))
        chosen = self._chosen(current, decision, span, quote)
        with self.corpus.event_group(f"review:{uuid.uuid4().hex}"):
            self._write(doc_id, current, decision, chosen)
        self._states.pop(doc_id, None)
        self._mark_done_if_settled(doc_id)
        return self.find(doc_id, current.key)

    def _chosen(self, item: ReviewItem, decision: str, span: Span | None, quote: Quote | None) -> list:
        if decision == EDIT:
            if item.kind == "entity":
                if span is None:
                    raise ReviewError("edit by hand needs the span to store (select text and pick a label)")
                return [Span(span.start, span.end, span.label, origin="manual")]
            if quote is None:
                raise ReviewError("edit by hand needs the quote to store")
            return [quote.with_(id=None, origin="manual", suggester=None, score=None)]
        sources = {TAKE_A: [item.a], TAKE_B: [item.b], TAKE_BOTH: [item.a, item.b], TAKE_NEITHER: []}[decision]
        out = []
        for obj in sources:
            if isinstance(obj, Span):
                out.append(Span(obj.start, obj.end, obj.label, origin="imported"))
            elif isinstance(obj, Quote):
                out.append(obj.with_(id=None, origin="imported", suggester=None, score=None))
        return out

    def _write(self, doc_id: int, item: ReviewItem, decision: str, chosen: list, bulk: bool = False) -> None:
        """Inside a transaction: remove the item's earlier result, add the new one, log the decision."""
        self._remove_previous(doc_id, item)
        spans, quotes = [], []
        for obj in chosen:
            if isinstance(obj, Span):
                try:
                    spans.append(self.corpus.add_span(doc_id, self.reviewer, obj))
                except AnnotationError as exc:
                    raise ReviewError(f"cannot store {obj.label} [{obj.start}, {obj.end}): {exc}") from None
            else:
                quotes.append(self.corpus.add_quote(doc_id, self.reviewer, obj))
        data = {
            "item": item.key,
            "a_set": self.a,
            "b_set": self.b,
            "kind": item.kind,
            "status": item.status,
            "decision": decision,
            "spans": [s.id for s in spans],
            "quotes": [q.id for q in quotes],
        }
        if item.differences:
            data["differences"] = list(item.differences)
        if bulk:
            data["bulk"] = True
        self.corpus.log_event(self.reviewer, doc_id, EVENT, data)

    def _remove_previous(self, doc_id: int, item: ReviewItem) -> None:
        previous = self._decisions(doc_id).get(item.key)
        if not previous:
            return
        # Only the reviewer's own rows in this article are ever removed (the store checks both);
        # one deleted since (e.g. in the annotation window) has nothing left to remove.
        for span_id in previous.get("spans", []):
            try:
                self.corpus.delete_span(span_id, self.reviewer, doc_id=doc_id)
            except (StaleEditError, NotInSetError):
                continue
        for quote_id in previous.get("quotes", []):
            try:
                self.corpus.delete_quote(quote_id, self.reviewer, doc_id=doc_id)
            except (StaleEditError, NotInSetError):
                continue

    def undecide(self, doc_id: int, item: ReviewItem | str) -> ReviewItem:
        """Take a decision back: its spans/quotes leave the reviewed set and the item is open again
        (logged as a ``review.decide`` event with decision None)."""
        current = self.find(doc_id, item if isinstance(item, str) else item.key)
        if current.decision is None:
            return current
        with self.corpus.event_group(f"review-undo:{uuid.uuid4().hex}"):
            self._remove_previous(doc_id, current)
            self.corpus.log_event(self.reviewer, doc_id, EVENT, {
                "item": current.key, "a_set": self.a, "b_set": self.b, "kind": current.kind,
                "status": current.status, "decision": None, "spans": [], "quotes": [],
            })
            if self.corpus.status(doc_id, self.reviewer)[0] == "done":
                self.corpus.set_status(doc_id, self.reviewer, "in_progress")
        self._states.pop(doc_id, None)
        return self.find(doc_id, current.key)

    def accept_agreements(self, doc_id: int) -> int:
        """Take every undecided agreement of the article in one step; returns how many were taken.

        An agreement whose span would overlap something already in the reviewed set (a hand
        edit nearby) is left undecided, for the reviewer to look at.
        """
        pending = [i for i in self.items(doc_id) if i.is_agreement and not i.decided]
        taken = 0
        if pending:
            with self.corpus.event_group(f"review-accept:{uuid.uuid4().hex}"):
                for item in pending:
                    try:
                        self._write(doc_id, item, TAKE_A, self._chosen(item, TAKE_A, None, None), bulk=True)
                    except ReviewError:
                        continue
                    taken += 1
            self._states.pop(doc_id, None)
        self._mark_done_if_settled(doc_id)
        return taken

    def accept_agreeing_articles(self) -> list[int]:
        """Accept, in one step, every article where A and B agree fully (no disagreement at all).

        Returns the ids of the articles whose agreements were taken (already settled ones are
        left alone).
        """
        accepted = []
        for doc_id in self.articles():
            state = self.state(doc_id)
            if state.disagreements:
                continue
            if state.settled and self.corpus.status(doc_id, self.reviewer)[0] == "done":
                continue
            self.accept_agreements(doc_id)
            accepted.append(doc_id)
        return accepted

    def _mark_done_if_settled(self, doc_id: int) -> None:
        if self.state(doc_id).settled and self.corpus.status(doc_id, self.reviewer)[0] != "done":
            self.corpus.set_status(doc_id, self.reviewer, "done")
