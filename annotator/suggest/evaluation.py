"""How good are the suggestions? Score them (or another annotator) against a gold annotator.

**Which articles.** ``doc_ids``, or the articles where the gold annotator's status is one of
``statuses``, or by default every article the gold annotator has a set for: an entity or a quote,
or a status other than new, skipped articles left out. Every gold item of every selected article
counts, for every system, also where a system proposed nothing (its recall falls), and also
where a suggester never ran (counted as proposing nothing; ``coverage`` says how many articles
each one ran on, so a user sees that ``annotator suggest`` is missing there).

**Which systems.** With ``pred``, that annotator. Otherwise each suggester that ran on the
selected articles (or the ``suggesters`` named), and ``combined``: what the window shows, the
entity suggestions of all of them after :func:`annotator.suggest.combine.combine` (one proposal
per place).

**How spans match** — the rule of :mod:`annotator.review.span_metrics`, the same as ``annotator
agreement``: *exact* means the same start, end and label; *overlap* means sharing at least one
character with a gold span of the same label, pairs matched one to one (exact pairs first, then
the largest overlaps), so a long proposal covering two gold names is one hit and one miss.
Entities are scored per label and micro-averaged over all labels (``__all__``).

**Quotes** (content parts, cues and sources as unlabelled ranges, exact and overlap) are
scored in :func:`quote_counts`, the one place to extend with quote-level figures.

**Changes**: how the gold annotator's labels relate to suggestions (accepted as is, edited, added
by hand, imported) and how many suggestions they rejected.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from annotator.core.spans import ORIGINS, Quote, Span
from annotator.jobs.documents import map_documents
from annotator.review.quote_metrics import AttributionScores
from annotator.review.span_metrics import match_counts, prf_from_counts
from annotator.store.annotation_sets import documents_with_a_set
from annotator.store.corpus import Corpus
from annotator.suggest.combine import combine

COMBINED = "combined"
QUOTE_SUGGESTERS = ("quotes",)  # suggesters that propose quotes only
QUOTE_PARTS = ("content", "cue", "source")
MODES = ("exact", "overlap")
OVERLAP_RULE = ("exact: same start, end and label; overlap: at least one shared character with a gold span of "
                "the same label, matched one to one (exact pairs first, then the largest overlaps)")


def quote_part_tuples(quotes: Iterable[Quote]) -> dict[str, list[tuple[int, int, str]]]:
    """Content, cue and source ranges of ``quotes`` as ``(start, end, role)`` tuples by role."""
    out: dict[str, list[tuple[int, int, str]]] = {role: [] for role in QUOTE_PARTS}
    for q in quotes:
        for role, r in q.parts():
            out[role].append((r.start, r.end, role))
    for role in out:
        out[role] = sorted(set(out[role]))  # a speaker shared by several quotes counts once
    return out


def quote_counts(gold: list[Quote], pred: list[Quote]) -> dict[str, Counter]:
    """tp/fp/fn of one article's quote parts: ``{"content_exact": Counter, "content_overlap": ...}``."""
    gold_parts, pred_parts = quote_part_tuples(gold), quote_part_tuples(pred)
    out: dict[str, Counter] = {}
    for role in QUOTE_PARTS:
        for mode in MODES:
            total: Counter = Counter()
            for c in match_counts(gold_parts[role], pred_parts[role], mode).values():
                total.update(c)
            out[f"{role}_{mode}"] = total
    return out


def select_documents(corpus: Corpus, gold: str, doc_ids: Iterable[int] | None = None,
                     statuses: Sequence[str] | None = None) -> list[int]:
    """The articles to score (see the module docstring)."""
    if doc_ids is not None:
        known = set(corpus.document_ids())
        wanted = list(dict.fromkeys(doc_ids))
        missing = [d for d in wanted if d not in known]
        if missing:
            raise ValueError(f"no document(s) {', '.join(map(str, missing))} in this corpus")
        return wanted
    if statuses:
        return [doc_id for doc_id, _ in corpus.documents_with_status(gold, statuses)]
    return documents_with_a_set(corpus, gold)


def _dedupe(spans: Iterable[Span]) -> list[tuple[int, int, str]]:
    return sorted({(s.start, s.end, s.label) for s in spans})


def _suggesters_that_ran(corpus: Corpus, ids: list[int]) -> dict[str, int]:
    """``{suggester: number of the articles it ran on}`` (suggestion runs and stored rows)."""
    ran: Counter = Counter()
    wanted = set(ids)
    for doc_id, suggester in corpus.conn.execute("SELECT document_id, suggester FROM suggestion_runs"):
        if doc_id in wanted:
            ran[suggester] += 1
    return dict(ran)


@dataclass(frozen=True)
class _Systems:
    """What one evaluation scores: ``pred`` (an annotator) or the named suggesters."""

    gold: str
    pred: str | None
    entity: tuple[str, ...]
    quote: tuple[str, ...]
    combined: bool

    @property
    def entity_names(self) -> list[str]:
        return [*self.entity, *([COMBINED] if self.combined else [])]


@dataclass
class _Counts:
    """tp/fp/fn and the other tallies of some articles; :meth:`merge` adds another article's."""

    entities: dict = field(default_factory=lambda: defaultdict(lambda: {mode: defaultdict(Counter) for mode in MODES}))
    quotes: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    attribution: dict = field(default_factory=lambda: defaultdict(AttributionScores))  # whole quotes
    proposed_quotes: Counter = field(default_factory=Counter)
    changes: dict = field(default_factory=lambda: {"entities": Counter(), "quotes": Counter()})
    labels: set = field(default_factory=set)

    def __getstate__(self) -> dict:  # plain dicts cross a process boundary (no lambdas)
        return {"entities": {n: {m: dict(by) for m, by in modes.items()} for n, modes in self.entities.items()},
                "quotes": {n: dict(by) for n, by in self.quotes.items()},
                "attribution": dict(self.attribution), "proposed_quotes": self.proposed_quotes,
                "changes": self.changes, "labels": self.labels}

    def __setstate__(self, state: dict) -> None:
        self.__init__()
        self.merge_state(state)

    def merge_state(self, state: dict) -> None:
        for name, modes in state["entities"].items():
            for mode, by_label in modes.items():
                for label, c in by_label.items():
                    self.entities[name][mode][label].update(c)
        for name, by_key in state["quotes"].items():
            for key, c in by_key.items():
                self.quotes[name][key].update(c)
        for name, scores in state["attribution"].items():
            self.attribution[name].merge(scores)
        self.proposed_quotes.update(state["proposed_quotes"])
        for kind, c in state["changes"].items():
            self.changes[kind].update(c)
        self.labels |= state["labels"]

    def merge(self, other: _Counts) -> None:
        self.merge_state(other.__getstate__())


def _document_counts(systems: _Systems, corpus: Corpus, doc_id: int) -> _Counts:
    """Everything one article adds to the scores (a pure function: it runs in worker processes)."""
    counts = _Counts()
    gold, pred = systems.gold, systems.pred
    gold_spans = corpus.spans(doc_id, gold)
    gold_quotes = corpus.quotes(doc_id, gold)
    counts.labels.update(s.label for s in gold_spans)
    if pred is not None:
        found = {pred: (corpus.spans(doc_id, pred), corpus.quotes(doc_id, pred))}
    else:
        spans, quotes = corpus.suggestions(doc_id)
        found = {name: ([s for s in spans if s.suggester == name], [q for q in quotes if q.suggester == name])
                 for name in systems.quote}
        if systems.combined:
            found[COMBINED] = (combine(s for name in systems.entity for s in found[name][0]), [])
    gold_tuples = _dedupe(gold_spans)
    for name in systems.entity_names:
        for mode in MODES:
            for label, c in match_counts(gold_tuples, _dedupe(found[name][0]), mode).items():
                counts.entities[name][mode][label].update(c)
    text = None
    for name in systems.quote:
        counts.proposed_quotes[name] += len(found[name][1])
        for key, c in quote_counts(gold_quotes, found[name][1]).items():
            counts.quotes[name][key].update(c)
        if gold_quotes or found[name][1]:
            text = corpus.document(doc_id).text if text is None else text
            counts.attribution[name].add(gold_quotes, found[name][1], text)
    for s in gold_spans:
        counts.changes["entities"][s.origin] += 1
    for q in gold_quotes:
        counts.changes["quotes"][q.origin] += 1
    for (kind, *_), decision in corpus.decisions(doc_id, gold).items():
        if decision == "rejected":
            counts.changes["entities" if kind == "entity" else "quotes"]["rejected"] += 1
    return counts


def evaluate(
    corpus: Corpus,
    gold: str,
    pred: str | None = None,
    *,
    suggesters: Sequence[str] | None = None,
    doc_ids: Iterable[int] | None = None,
    statuses: Sequence[str] | None = None,
    jobs: int = 1,
) -> dict:
    """Scores of ``pred`` (an annotator) or, when ``pred`` is None, of the cached suggestions.

    Returns ``{"gold", "pred", "documents", "selection", "matching", "coverage", "entities":
    {system: {"exact": prf, "overlap": prf}}, "quotes": {system: {"content_exact", …}},
    "quote_attribution": {system: whole-quote figures (:class:`~annotator.review.quote_metrics.AttributionScores`)},
    "changes": {...}}`` where each prf is ``{label: {tp, fp, fn, precision, recall, f1}, "__all__":
    {...}}``. ``jobs`` worker processes read the articles (the figures are the same for any
    number). Raises ValueError for an unknown annotator or document.
    """
    if corpus.annotator_id(gold, create=False) is None:
        raise ValueError(f"no annotator {gold!r} in this corpus")
    if pred is not None and corpus.annotator_id(pred, create=False) is None:
        raise ValueError(f"no annotator {pred!r} in this corpus")
    ids = select_documents(corpus, gold, doc_ids, statuses)
    if pred is not None:
        systems = _Systems(gold, pred, (pred,), (pred,), False)
        coverage = {pred: len(ids)}
    else:
        ran = _suggesters_that_ran(corpus, ids)
        names = list(dict.fromkeys(suggesters)) if suggesters else sorted(ran)
        coverage = {name: ran.get(name, 0) for name in names}
        entity = tuple(n for n in names if n not in QUOTE_SUGGESTERS)
        systems = _Systems(gold, None, entity, tuple(names), len(entity) > 1)
        if systems.combined:
            coverage[COMBINED] = max((ran.get(n, 0) for n in entity), default=0)
    total = _Counts()
    for counts in map_documents(corpus, partial(_document_counts, systems), ids, jobs):
        total.merge(counts)

    def labels_of(name: str) -> list[str]:  # the gold's labels and those this system proposed
        return sorted(total.labels | {label for label, c in total.entities[name]["exact"].items()
                                      if c["fp"] or c["tp"]})

    # A quote table for every system that can propose quotes: the quote suggester, or any that did.
    quote_names = [n for n in systems.quote if pred is not None or n in QUOTE_SUGGESTERS or total.proposed_quotes[n]]
    return {
        "gold": gold,
        "pred": pred if pred is not None else "suggestions",
        "documents": len(ids),
        "selection": ("documents given" if doc_ids is not None else
                      f"{gold}'s status: {', '.join(statuses)}" if statuses else
                      f"every article {gold} has a set for (skipped ones left out)"),
        "matching": OVERLAP_RULE,
        "coverage": coverage,
        "entities": {
            name: {mode: prf_from_counts(total.entities[name][mode], labels_of(name)) for mode in MODES}
            for name in systems.entity_names
        },
        "quotes": {
            name: {key: prf_from_counts({key: c}, [key])[key] for key, c in sorted(total.quotes[name].items())}
            for name in quote_names
        },
        "quote_attribution": {name: total.attribution[name].as_dict() for name in quote_names},
        "changes": {kind: {origin: c.get(origin, 0) for origin in (*ORIGINS, "rejected")}
                    for kind, c in total.changes.items()},
    }
