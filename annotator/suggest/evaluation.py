"""How good are the suggestions? Score them (or another annotator) against a gold annotator.

- Entities: per-label precision/recall/F1, exact and overlap (one-to-one matching from
  :mod:`annotator.review.span_metrics`), per suggester and for all suggesters together.
- Quotes: content parts (exact and overlap), cues and sources, each as unlabelled ranges.
- Changes: how the gold annotator's labels relate to suggestions — accepted as is, edited,
  added by hand, imported — and how many suggestions they rejected.

Only documents where the gold annotator has labels, or has marked the document done, are scored.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from annotator.core.spans import ORIGINS, Quote, Span
from annotator.review.quote_metrics import AttributionScores
from annotator.review.span_metrics import match_counts, prf_from_counts
from annotator.store.corpus import Corpus

ALL_SUGGESTERS = "all suggesters"
QUOTE_PARTS = ("content", "cue", "source")


def quote_part_tuples(quotes: Iterable[Quote]) -> dict[str, list[tuple[int, int, str]]]:
    """Content, cue and source ranges of ``quotes`` as ``(start, end, role)`` tuples by role."""
    out: dict[str, list[tuple[int, int, str]]] = {role: [] for role in QUOTE_PARTS}
    for q in quotes:
        for role, r in q.parts():
            out[role].append((r.start, r.end, role))
    for role in out:
        out[role] = sorted(set(out[role]))  # a speaker shared by several quotes counts once
    return out


def gold_documents(corpus: Corpus, gold: str) -> list[int]:
    """Documents the gold annotator has labelled or marked done."""
    done = {doc_id for doc_id, _ in corpus.documents_with_status(gold, ["done"])}
    labelled = {doc_id for doc_id in corpus.document_ids()
                if corpus.spans(doc_id, gold) or corpus.quotes(doc_id, gold)}
    return sorted(done | labelled)


def _dedupe(spans: Iterable[Span]) -> list[tuple[int, int, str]]:
    return sorted({(s.start, s.end, s.label) for s in spans})


def evaluate(
    corpus: Corpus,
    gold: str,
    pred: str | None = None,
    *,
    suggesters: Sequence[str] | None = None,
    doc_ids: Iterable[int] | None = None,
) -> dict:
    """Scores of ``pred`` (an annotator) or, when ``pred`` is None, of the cached suggestions.

    Returns ``{"gold", "pred", "documents", "entities": {system: {"exact": prf, "overlap": prf}},
    "quotes": {system: {"content_exact", "content_overlap", "cue_exact", "cue_overlap",
    "source_exact", "source_overlap"}}, "quote_attribution": {system: whole-quote scores (see
    :class:`~annotator.review.quote_metrics.AttributionScores`)}, "changes": {...}}`` where each prf is
    ``{label: {tp, fp, fn, precision, recall, f1}, "__all__": {...}}``.
    """
    if corpus.annotator_id(gold, create=False) is None:
        raise ValueError(f"no annotator {gold!r} in this corpus")
    if pred is not None and corpus.annotator_id(pred, create=False) is None:
        raise ValueError(f"no annotator {pred!r} in this corpus")
    ids = list(doc_ids) if doc_ids is not None else gold_documents(corpus, gold)
    entity_counts: dict[str, dict[str, dict[str, Counter]]] = defaultdict(
        lambda: {"exact": defaultdict(Counter), "overlap": defaultdict(Counter)})
    quote_counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    attribution: dict[str, AttributionScores] = defaultdict(AttributionScores)  # whole quotes
    changes = {"entities": Counter(), "quotes": Counter()}
    labels: set[str] = set()
    for doc_id in ids:
        gold_spans = corpus.spans(doc_id, gold)
        gold_quotes = corpus.quotes(doc_id, gold)
        labels.update(s.label for s in gold_spans)
        systems: dict[str, tuple[list[Span], list[Quote]]] = {}
        if pred is not None:
            systems[pred] = (corpus.spans(doc_id, pred), corpus.quotes(doc_id, pred))
        else:
            spans, quotes = corpus.suggestions(doc_id)
            names = sorted({s.suggester for s in spans} | {q.suggester for q in quotes})
            for name in names:
                if suggesters and name not in suggesters:
                    continue
                systems[name] = ([s for s in spans if s.suggester == name], [q for q in quotes if q.suggester == name])
            if len(systems) > 1:
                systems[ALL_SUGGESTERS] = ([s for v in systems.values() for s in v[0]],
                                           [q for v in systems.values() for q in v[1]])
        gold_tuples = _dedupe(gold_spans)
        gold_parts = quote_part_tuples(gold_quotes)
        for name, (spans, quotes) in systems.items():
            pred_tuples = _dedupe(spans)
            for mode in ("exact", "overlap"):
                for label, c in match_counts(gold_tuples, pred_tuples, mode).items():
                    entity_counts[name][mode][label].update(c)
            pred_parts = quote_part_tuples(quotes)
            if gold_quotes or quotes:
                attribution[name].add(gold_quotes, quotes, corpus.document(doc_id).text)
            for role in QUOTE_PARTS:
                for mode in ("exact", "overlap"):
                    for _, c in match_counts(gold_parts[role], pred_parts[role], mode).items():
                        quote_counts[name][f"{role}_{mode}"].update(c)
        for s in gold_spans:
            changes["entities"][s.origin] += 1
        for q in gold_quotes:
            changes["quotes"][q.origin] += 1
        for (kind, *_), decision in corpus.decisions(doc_id, gold).items():
            if decision == "rejected":
                changes["entities" if kind == "entity" else "quotes"]["rejected"] += 1
    wanted_labels = sorted(labels | {lab for sys in entity_counts.values() for lab in sys["exact"]})
    if pred is None:
        # A suggester that proposes no entities (or no quotes) at all is left out of that table.
        entity_counts = {k: v for k, v in entity_counts.items()
                         if any(c["tp"] + c["fp"] for c in v["exact"].values())}
        quote_counts = {k: v for k, v in quote_counts.items()
                        if any(c["tp"] + c["fp"] for c in v.values())}
    return {
        "gold": gold,
        "pred": pred if pred is not None else "suggestions",
        "documents": len(ids),
        "entities": {
            name: {mode: prf_from_counts(counts[mode], wanted_labels) for mode in ("exact", "overlap")}
            for name, counts in entity_counts.items()
        },
        "quotes": {
            name: {key: prf_from_counts({key: c}, [key])[key] for key, c in sorted(parts.items())}
            for name, parts in quote_counts.items()
        },
        "quote_attribution": {name: attribution[name].as_dict() for name in quote_counts if name in attribution},
        "changes": {kind: {origin: c.get(origin, 0) for origin in (*ORIGINS, "rejected")}
                    for kind, c in changes.items()},
    }
