"""Inter-annotator agreement: span P/R/F1, Cohen's kappa and Krippendorff's alpha, quotes.

For each pair of annotators (the first of the pair is the reference, "A"):

- **spans**: precision/recall/F1 of B against A per label and overall, exact and overlap
  (:mod:`annotator.review.span_metrics`), summed over articles (micro average) and per article;
- **token labels**: every non-space token of the shared tokenizer (``make_nlp(lang)``) gets the
  label of the entity span that overlaps it, or ``O``. Cohen's kappa over all tokens, per
  article, and per label (that label vs. everything else);
- **Krippendorff's alpha** (nominal) on the same token labels, from the ``krippendorff``
  package, across all annotators at once, overall and per label (articles someone did not
  annotate count as missing values, which alpha handles); with more than two annotators each
  pair gets its overall alpha too (for the matrix);
- **disagreements** by kind (only A, only B, other label, boundary, other label and boundary);
- **quotes**: P/R/F1 of content, cue and source parts (exact and overlap), quotes matched by
  content and the share of matched quotes agreeing on cue, source and type.

Which articles count: for each annotator, the articles they worked on (status in progress or
done, or at least one span or quote) and did not skip. A pair is compared on the articles
both worked on.

Undefined figures are ``None`` (shown as "–"): kappa and alpha when the tokens carry a single
label throughout (no variation to agree on), type agreement when no quotes matched.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from annotator.core.spans import Quote, Span
from annotator.core.tokenizer import make_nlp
from annotator.review.quote_metrics import ASPECTS, match_quotes, role_spans
from annotator.review.span_metrics import (
    ALL,
    SpanTuple,
    classify_disagreements,
    match_counts,
    prf_from_counts,
)

if TYPE_CHECKING:  # the store imports nothing from here; a runtime import is not needed
    from annotator.store.corpus import Corpus

OUTSIDE = "O"
QUOTE_ROLES = ("content", "cue", "source")


# -- input -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnotationSet:
    """One annotator's labels on one article (``objects``: the stored Spans, when kept)."""

    spans: tuple[SpanTuple, ...] = ()
    quotes: tuple[Quote, ...] = ()
    objects: tuple[Span, ...] = ()


@dataclass
class Article:
    """An article and the annotation sets of the annotators who worked on it."""

    doc_id: int
    text: str
    language: str = "en"
    title: str | None = None
    sets: dict[str, AnnotationSet] = field(default_factory=dict)
    _tokens: list[tuple[int, int]] | None = field(default=None, repr=False, compare=False)
    _bounds: tuple[list[int], list[int]] | None = field(default=None, repr=False, compare=False)

    def tokens(self) -> list[tuple[int, int]]:
        """``[start, end)`` of every non-space token (computed once)."""
        if self._tokens is None:
            self._tokens = non_space_tokens(self.text, self.language)
        return self._tokens

    def bounds(self) -> tuple[list[int], list[int]]:
        """Token starts and token ends (for :func:`token_labels`)."""
        if self._bounds is None:
            tokens = self.tokens()
            self._bounds = ([s for s, _ in tokens], [e for _, e in tokens])
        return self._bounds


def non_space_tokens(text: str, language: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every non-space token of the shared tokenizer."""
    return [(t.idx, t.idx + len(t.text)) for t in make_nlp(language).make_doc(text) if not t.is_space]


def document_tokens(corpus: Corpus, doc_id: int) -> list[tuple[int, int]]:
    """:func:`non_space_tokens` of a stored document (a per-document function for ``map_documents``)."""
    doc = corpus.document(doc_id)
    return non_space_tokens(doc.text, doc.language)


def token_labels(
    tokens: Sequence[tuple[int, int]],
    spans: Iterable[SpanTuple],
    bounds: tuple[list[int], list[int]] | None = None,
) -> list[str]:
    """The entity label of each token (``O`` outside); a token touched by a span takes its label.

    ``tokens`` must be sorted and non-overlapping. A span that starts or ends inside a token
    (misaligned) still labels that token: disagreement is then measured on the tokens a
    reader sees. ``bounds`` (token starts, token ends) saves recomputing them per call.
    """
    labels = [OUTSIDE] * len(tokens)
    starts, ends = bounds if bounds is not None else ([s for s, _ in tokens], [e for _, e in tokens])
    for start, end, label in sorted(spans):
        first = bisect_right(ends, start)  # first token ending after start
        last = bisect_left(starts, end)  # tokens before this index start before end
        for i in range(first, last):
            if labels[i] == OUTSIDE:
                labels[i] = label
    return labels


# -- statistics --------------------------------------------------------------------------------


def cohen_kappa(confusion: Counter) -> float | None:
    """Cohen's kappa from a Counter of ``(label_a, label_b) -> count``.

    kappa = (p_o - p_e) / (1 - p_e), p_o the observed agreement, p_e the agreement expected
    from each annotator's own label frequencies. None when p_e = 1 (one label throughout).
    """
    n = sum(confusion.values())
    if n == 0:
        return None
    row: Counter = Counter()
    col: Counter = Counter()
    observed = 0
    for (a, b), count in confusion.items():
        row[a] += count
        col[b] += count
        if a == b:
            observed += count
    p_o = observed / n
    p_e = sum(row[k] * col[k] for k in row) / (n * n)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1 - p_e)


def binary_confusion(confusion: Counter, label: str) -> Counter:
    """Collapse a confusion Counter to ``label`` vs. not ``label`` (for per-label kappa)."""
    out: Counter = Counter()
    for (a, b), count in confusion.items():
        out[(a == label, b == label)] += count
    return out


def krippendorff_alpha(value_counts: np.ndarray) -> float | None:
    """Nominal Krippendorff's alpha from a units × values count matrix (the ``krippendorff`` package).

    None when fewer than two values occur or no unit has two or more values (nothing to compare).

    Alpha depends only on the coincidence matrix, a sum over units. A unanimous unit with ``m``
    coders on value ``c`` adds exactly ``m`` to ``o[c, c]``, as does one unit holding ``m`` values
    ``c``; so all unanimous units of a value are folded into one row before the package sees
    them. The figure is identical (see the tests) and the package's units × values × values
    work shrinks from every token to the disagreeing ones (a corpus of a million tokens would
    otherwise need gigabytes).
    """
    import krippendorff

    if value_counts.size == 0:
        return None
    used = value_counts[value_counts.sum(axis=1) >= 2]
    if used.shape[0] == 0 or np.count_nonzero(used.sum(axis=0)) < 2:
        return None
    values_per_unit = np.count_nonzero(used, axis=1)
    unanimous_totals = used[values_per_unit == 1].sum(axis=0)
    folded = np.diag(unanimous_totals)[unanimous_totals > 0]
    compact = np.vstack([used[values_per_unit > 1], folded])
    return float(krippendorff.alpha(value_counts=compact, level_of_measurement="nominal"))


# -- results -----------------------------------------------------------------------------------


@dataclass
class ArticleRow:
    """One article's figures for one pair."""

    doc_id: int
    title: str | None
    tokens: int
    spans_a: int
    spans_b: int
    exact: dict
    overlap: dict
    kappa: float | None
    disagreements: dict[str, int]
    quotes_a: int
    quotes_b: int
    quote_disagreements: int
    # Every span disagreement as (kind, span of A or None, span of B or None), in text order.
    items: list[tuple[str, SpanTuple | None, SpanTuple | None]] = field(default_factory=list)
    # Every quote disagreement as (what differs, A's content extent or None, B's or None).
    quote_items: list[tuple[str, tuple[int, int] | None, tuple[int, int] | None]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "tokens": self.tokens,
            "spans_a": self.spans_a,
            "spans_b": self.spans_b,
            "f1_exact": self.exact[ALL]["f1"],
            "f1_overlap": self.overlap[ALL]["f1"],
            "kappa": self.kappa,
            "disagreements": self.disagreements,
            "quotes_a": self.quotes_a,
            "quotes_b": self.quotes_b,
            "quote_disagreements": self.quote_disagreements,
            "items": [
                {"kind": kind, "a": list(sa) if sa else None, "b": list(sb) if sb else None}
                for kind, sa, sb in self.items
            ],
            "quote_items": [
                {"differs": what, "a": list(qa) if qa else None, "b": list(qb) if qb else None}
                for what, qa, qb in self.quote_items
            ],
        }


@dataclass
class PairAgreement:
    """Everything measured between reference ``a`` and ``b`` on the articles both annotated."""

    a: str
    b: str
    labels: list[str]
    documents: int = 0
    tokens: int = 0
    exact: dict = field(default_factory=dict)
    overlap: dict = field(default_factory=dict)
    kappa: dict[str, float | None] = field(default_factory=dict)
    alpha: dict[str, float | None] = field(default_factory=dict)
    disagreements: dict[str, int] = field(default_factory=dict)
    quotes: dict = field(default_factory=dict)
    articles: list[ArticleRow] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "a": self.a,
            "b": self.b,
            "documents": self.documents,
            "tokens": self.tokens,
            "spans": {"exact": self.exact, "overlap": self.overlap},
            "kappa": self.kappa,
            "alpha": self.alpha,
            "disagreements": self.disagreements,
            "quotes": self.quotes,
            "articles": [row.to_dict() for row in self.articles],
        }


@dataclass
class AgreementReport:
    annotators: list[str]
    labels: list[str]
    documents: int
    pairs: list[PairAgreement]
    alpha: dict[str, float | None]

    def pair(self, a: str, b: str) -> PairAgreement:
        for p in self.pairs:
            if (p.a, p.b) == (a, b):
                return p
        raise KeyError(f"no pair {a!r}, {b!r}")

    def matrix(self, figure: str) -> list[list[float | None]]:
        """Pairwise matrix (rows and columns in ``annotators`` order) of ``f1_exact``,
        ``f1_overlap``, ``kappa`` or ``alpha``; the diagonal is 1.0 and the matrix is symmetric
        (F1 with A as reference equals F1 with B as reference)."""
        index = {name: i for i, name in enumerate(self.annotators)}
        n = len(self.annotators)
        out: list[list[float | None]] = [[1.0 if i == j else None for j in range(n)] for i in range(n)]
        for p in self.pairs:
            value = {
                "f1_exact": p.exact[ALL]["f1"] if p.documents else None,
                "f1_overlap": p.overlap[ALL]["f1"] if p.documents else None,
                "kappa": p.kappa.get(ALL),
                "alpha": p.alpha.get(ALL),
            }[figure]
            out[index[p.a]][index[p.b]] = value
            out[index[p.b]][index[p.a]] = value
        return out

    def to_dict(self) -> dict:
        return {
            "annotators": self.annotators,
            "labels": self.labels,
            "documents": self.documents,
            "alpha": self.alpha,
            "pairs": [p.to_dict() for p in self.pairs],
            "matrix": {f: self.matrix(f) for f in ("f1_exact", "f1_overlap", "kappa", "alpha")},
        }


# -- computation -------------------------------------------------------------------------------


def _restrict(spans: Iterable[SpanTuple], labels: set[str] | None) -> list[SpanTuple]:
    return [s for s in spans if labels is None or s[2] in labels]


def _labels_in(articles: Sequence[Article]) -> list[str]:
    found = {s[2] for art in articles for aset in art.sets.values() for s in aset.spans}
    return sorted(found)


def compare_pair(
    articles: Sequence[Article],
    a: str,
    b: str,
    labels: Sequence[str],
    keep: set[str] | None = None,
    with_alpha: str | None = "labels",
) -> PairAgreement:
    """All figures between ``a`` (reference) and ``b`` over the articles both annotated.

    ``with_alpha``: "labels" computes Krippendorff's alpha overall and per label, "overall" only
    overall, None not at all (the caller fills it in: with two annotators the pair's alpha is
    the all-annotators alpha, so it is computed once).
    """
    result = PairAgreement(a=a, b=b, labels=list(labels))
    exact: dict[str, Counter] = defaultdict(Counter)
    overlap: dict[str, Counter] = defaultdict(Counter)
    roles_exact: dict[str, Counter] = defaultdict(Counter)
    roles_overlap: dict[str, Counter] = defaultdict(Counter)
    confusion: Counter = Counter()
    kinds: Counter = Counter()
    quote_counts: Counter = Counter()
    value_index = {label: i for i, label in enumerate([OUTSIDE, *labels])}
    value_rows: list[np.ndarray] = []
    for art in articles:
        if a not in art.sets or b not in art.sets:
            continue
        sa = _restrict(art.sets[a].spans, keep)
        sb = _restrict(art.sets[b].spans, keep)
        tokens = art.tokens()
        la = token_labels(tokens, sa, art.bounds())
        lb = token_labels(tokens, sb, art.bounds())
        doc_conf = Counter(zip(la, lb, strict=True))
        confusion.update(doc_conf)
        value_rows.append(_value_counts([la, lb], value_index))
        doc_exact = match_counts(sa, sb, "exact")
        doc_overlap = match_counts(sa, sb, "overlap")
        for label, c in doc_exact.items():
            exact[label].update(c)
        for label, c in doc_overlap.items():
            overlap[label].update(c)
        classified = classify_disagreements(sa, sb)
        d = classified.counts()
        kinds.update(d)
        qa, qb = art.sets[a].quotes, art.sets[b].quotes
        for role, c in match_counts(role_spans(qa), role_spans(qb), "exact").items():
            roles_exact[role].update(c)
        for role, c in match_counts(role_spans(qa), role_spans(qb), "overlap").items():
            roles_overlap[role].update(c)
        qm = match_quotes(qa, qb)
        quote_counts.update(qm.counts())
        result.documents += 1
        result.tokens += len(tokens)
        result.articles.append(
            ArticleRow(
                doc_id=art.doc_id,
                title=art.title,
                tokens=len(tokens),
                spans_a=len(sa),
                spans_b=len(sb),
                exact=prf_from_counts(doc_exact, labels),
                overlap=prf_from_counts(doc_overlap, labels),
                kappa=cohen_kappa(doc_conf),
                disagreements=dict(d),
                quotes_a=len(qa),
                quotes_b=len(qb),
                quote_disagreements=qm.disagreement_count,
                items=[item for item in classified.items() if item[0] != "agree"],
                quote_items=_quote_items(qm),
            )
        )
    result.exact = prf_from_counts(exact, labels)
    result.overlap = prf_from_counts(overlap, labels)
    result.kappa = {ALL: cohen_kappa(confusion)} | {
        label: cohen_kappa(binary_confusion(confusion, label)) for label in labels
    }
    if with_alpha:
        counts = np.concatenate(value_rows) if value_rows else np.zeros((0, len(value_index)), dtype=np.int64)
        result.alpha = _alphas(counts, value_index, labels if with_alpha == "labels" else ())
    result.disagreements = {k: kinds.get(k, 0) for k in classify_disagreements([], []).counts()}
    matched = quote_counts["matched"]
    result.quotes = {
        "a": sum(len(art.sets[a].quotes) for art in articles if a in art.sets and b in art.sets),
        "b": sum(len(art.sets[b].quotes) for art in articles if a in art.sets and b in art.sets),
        "content": {
            "exact": prf_from_counts(roles_exact, ["content"])[ALL],
            "overlap": prf_from_counts(roles_overlap, ["content"])[ALL],
        },
        "cue": {
            "exact": prf_from_counts(roles_exact, ["cue"])[ALL],
            "overlap": prf_from_counts(roles_overlap, ["cue"])[ALL],
        },
        "source": {
            "exact": prf_from_counts(roles_exact, ["source"])[ALL],
            "overlap": prf_from_counts(roles_overlap, ["source"])[ALL],
        },
        "matched": matched,
        "agree": quote_counts["agree"],
        "only_a": quote_counts["only_a"],
        "only_b": quote_counts["only_b"],
        "differs": {aspect: quote_counts[aspect] for aspect in ASPECTS},
        # Share of matched quotes (paired by content) that agree on each aspect.
        "same": {aspect: (1 - quote_counts[aspect] / matched) if matched else None for aspect in ASPECTS},
    }
    return result


def _content_extent(quote: Quote) -> tuple[int, int]:
    return min(r.start for r in quote.contents), max(r.end for r in quote.contents)


def _quote_items(match) -> list[tuple[str, tuple[int, int] | None, tuple[int, int] | None]]:
    out: list[tuple[str, tuple[int, int] | None, tuple[int, int] | None]] = [
        (", ".join(p.differences), _content_extent(p.a), _content_extent(p.b)) for p in match.pairs if not p.agree
    ]
    out += [("only A", _content_extent(q), None) for q in match.only_a]
    out += [("only B", None, _content_extent(q)) for q in match.only_b]
    out.sort(key=lambda item: min(r[0] for r in item[1:] if r is not None))
    return out


def _value_counts(coder_labels: Sequence[Sequence[str] | None], value_index: dict[str, int]) -> np.ndarray:
    """Units (tokens) × values matrix: how many coders gave each token each label."""
    n_units = len(next(lab for lab in coder_labels if lab is not None))
    out = np.zeros((n_units, len(value_index)), dtype=np.int64)
    units = np.arange(n_units)
    for labs in coder_labels:
        if labs is None:
            continue
        idx = np.array([value_index[x] for x in labs], dtype=np.int64)
        out[units, idx] += 1  # one value per unit and coder: no repeated (unit, value) pairs
    return out


def _alphas(counts: np.ndarray, value_index: dict[str, int], labels: Sequence[str]) -> dict[str, float | None]:
    alphas: dict[str, float | None] = {ALL: krippendorff_alpha(counts)}
    totals = counts.sum(axis=1, keepdims=True)
    for label in labels:
        col = counts[:, [value_index[label]]]
        alphas[label] = krippendorff_alpha(np.hstack([col, totals - col]))
    return alphas


def compute_agreement(
    articles: Sequence[Article],
    annotators: Sequence[str],
    labels: Sequence[str] | None = None,
) -> AgreementReport:
    """Agreement between every pair of ``annotators`` (in order: the first of a pair is A) and
    Krippendorff's alpha across all of them. ``labels`` restricts every figure to those labels."""
    if len(annotators) < 2:
        raise ValueError("agreement needs at least two annotators")
    if len(set(annotators)) != len(annotators):
        raise ValueError("each annotator may be named once")
    keep = set(labels) if labels is not None else None
    label_list = list(labels) if labels is not None else _labels_in(articles)
    # Alpha is the slow figure (the package works unit by unit): with two annotators the pair's
    # alpha IS the all-annotators alpha, so compute it once; with more, pairs get the overall one.
    pair_alpha = None if len(annotators) == 2 else "overall"
    pairs = [compare_pair(articles, a, b, label_list, keep, pair_alpha) for a, b in combinations(annotators, 2)]
    value_index = {label: i for i, label in enumerate([OUTSIDE, *label_list])}
    rows = []
    compared = 0
    for art in articles:
        present = [name for name in annotators if name in art.sets]
        if len(present) < 2:
            continue
        compared += 1
        tokens = art.tokens()
        coder_labels = [
            token_labels(tokens, _restrict(art.sets[name].spans, keep), art.bounds()) if name in art.sets else None
            for name in annotators
        ]
        rows.append(_value_counts(coder_labels, value_index))
    counts = np.concatenate(rows) if rows else np.zeros((0, len(value_index)), dtype=np.int64)
    alpha = _alphas(counts, value_index, label_list)
    if len(annotators) == 2:
        pairs[0].alpha = dict(alpha)
    return AgreementReport(
        annotators=list(annotators),
        labels=label_list,
        documents=compared,
        pairs=pairs,
        alpha=alpha,
    )


# -- loading from a corpus -------------------------------------------------------------------


def annotated(corpus: Corpus, doc_id: int, annotator: str, keep_spans: bool = False) -> AnnotationSet | None:
    """The annotator's set on an article, or None if they did not work on it (or skipped it).

    ``keep_spans`` keeps the stored :class:`Span` objects (with ids and origins) in ``objects``.
    """
    status, _ = corpus.status(doc_id, annotator)
    if status == "skipped":
        return None
    spans = corpus.spans(doc_id, annotator)
    quotes = corpus.quotes(doc_id, annotator)
    if not spans and not quotes and status not in ("in_progress", "done"):
        return None
    return AnnotationSet(spans=tuple(s.key for s in spans), quotes=tuple(quotes),
                         objects=tuple(spans) if keep_spans else ())


def load_articles(
    corpus: Corpus,
    annotators: Sequence[str],
    doc_ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Article]:
    """Articles of ``corpus`` with the sets of those ``annotators`` who worked on them.

    Only articles at least two of the annotators worked on are returned.
    """
    known = {a["name"] for a in corpus.annotators()}
    missing = [name for name in annotators if name not in known]
    if missing:
        raise ValueError(
            f"no annotator named {', '.join(repr(m) for m in missing)} in this corpus; "
            f"known: {', '.join(sorted(known)) or 'none'}"
        )
    ids = list(doc_ids) if doc_ids is not None else corpus.document_ids()
    articles = []
    for n, doc_id in enumerate(ids, 1):
        sets = {}
        for name in annotators:
            found = annotated(corpus, doc_id, name)
            if found is not None:
                sets[name] = found
        if len(sets) >= 2:
            doc = corpus.document(doc_id)
            articles.append(Article(doc_id=doc_id, text=doc.text, language=doc.language, title=doc.title, sets=sets))
        if progress:
            progress(n, len(ids))
    return articles


def corpus_agreement(
    corpus: Corpus,
    annotators: Sequence[str],
    labels: Sequence[str] | None = None,
    doc_ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
) -> AgreementReport:
    """:func:`compute_agreement` on the articles of ``corpus`` (see :func:`load_articles`).

    ``jobs`` worker processes tokenize the articles (:func:`annotator.jobs.documents.map_documents`).
    """
    articles = load_articles(corpus, annotators, doc_ids, progress)
    if jobs > 1:
        from annotator.jobs.documents import map_documents

        tokens = map_documents(corpus, document_tokens, [art.doc_id for art in articles], jobs)
        for art, found in zip(articles, tokens, strict=True):
            art._tokens = found
    if labels is None:
        labels = schema_ordered_labels(corpus, articles)
    return compute_agreement(articles, annotators, labels)


def schema_ordered_labels(corpus: Corpus, articles: Sequence[Article]) -> list[str]:
    """The labels the articles use, in the corpus schema's order (unknown ones last, sorted)."""
    present = set(_labels_in(articles))
    schema = [name for name in corpus.labels.entity_names if name in present]
    return schema + sorted(present - set(schema))
