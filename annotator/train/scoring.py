"""Scoring a pipeline's entities on the dev articles, in the corpus's labels.

The new model and the current one are compared on the same articles with the same rule:
each pipeline reads the article's text, its entity labels go through its label map (the
shipped Arabic model's ``PERS`` is the corpus's ``PER``), and an entity counts as right when
its start, end and label are the gold one's (exact match, micro-averaged over labels, as
spaCy and conlleval count). Labels the map leaves out are not predictions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from spacy.language import Language

Entity = tuple[int, int, str]


@dataclass(frozen=True)
class DevArticle:
    """One dev article: its text and gold entities (character offsets, corpus labels)."""

    text: str
    entities: frozenset[Entity]
    content_hash: str = ""


@dataclass(frozen=True)
class DevScores:
    """Precision, recall and F1 (exact match) of the entities on the dev articles."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    articles: int
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "articles": self.articles,
                "per_label": self.per_label}

    @classmethod
    def from_dict(cls, data: Mapping) -> DevScores:
        return cls(float(data["p"]), float(data["r"]), float(data["f"]), int(data["tp"]), int(data["fp"]),
                   int(data["fn"]), int(data["articles"]), dict(data.get("per_label") or {}))

    def describe(self) -> str:
        return f"F {100 * self.f1:.1f} (P {100 * self.precision:.1f}, R {100 * self.recall:.1f}, {self.articles} articles)"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_entities(gold: Sequence[Iterable[Entity]], predicted: Sequence[Iterable[Entity]]) -> DevScores:
    """Exact-match P/R/F of ``predicted`` against ``gold``, article by article."""
    counts: dict[str, Counter] = {}
    for gold_ents, pred_ents in zip(gold, predicted, strict=True):
        g, p = set(gold_ents), set(pred_ents)
        for kind, found in (("tp", g & p), ("fp", p - g), ("fn", g - p)):
            for _, _, label in found:
                counts.setdefault(label, Counter())[kind] += 1
    total = Counter()
    per_label = {}
    for label, c in sorted(counts.items()):
        total.update(c)
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        per_label[label] = {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "n": c["tp"] + c["fn"]}
    p, r, f = prf(total["tp"], total["fp"], total["fn"])
    return DevScores(p, r, f, total["tp"], total["fp"], total["fn"], len(gold), per_label)


def predict_entities(nlp: Language, texts: Sequence[str], to_corpus: Mapping[str, str | None],
                     batch_size: int = 64) -> list[set[Entity]]:
    """The entities ``nlp`` finds in each text, in corpus labels (unmapped labels left out)."""
    found: list[set[Entity]] = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        ents = set()
        for ent in doc.ents:
            label = to_corpus.get(ent.label_, ent.label_)
            if label:
                ents.add((ent.start_char, ent.end_char, label))
        found.append(ents)
    return found


def score_pipeline(nlp: Language, articles: Sequence[DevArticle], to_corpus: Mapping[str, str | None]) -> DevScores:
    """Score ``nlp`` on ``articles`` (see the module docstring)."""
    predicted = predict_entities(nlp, [a.text for a in articles], to_corpus)
    return score_entities([a.entities for a in articles], predicted)


def scored_entities(nlp: Language, texts: Sequence[str], to_corpus: Mapping[str, str | None]) -> list[dict[Entity, float]]:
    """Each text's entities (corpus labels) with their beam probability (:mod:`annotator.suggest.entity_scores`)."""
    from annotator.suggest.entity_scores import entity_score, pipe_with_entity_scores

    found: list[dict[Entity, float]] = []
    for doc in pipe_with_entity_scores(nlp, texts):
        ents: dict[Entity, float] = {}
        for ent in doc.ents:
            label = to_corpus.get(ent.label_, ent.label_)
            if label:
                score = entity_score(doc, ent.start_char, ent.end_char, ent.label_)
                ents[(ent.start_char, ent.end_char, label)] = 1.0 if score is None else score
        found.append(ents)
    return found


def threshold_for_precision(gold: Sequence[Iterable[Entity]], scored: Sequence[Mapping[Entity, float]],
                            precision: float) -> float | None:
    """The lowest score above which predictions reach ``precision`` on these articles (None: never)."""
    ranked = sorted(((score, entity in set(g)) for g, found in zip(gold, scored, strict=True)
                     for entity, score in found.items()), key=lambda item: -item[0])
    best: float | None = None
    right = 0
    for n, (score, correct) in enumerate(ranked, start=1):
        right += correct
        if right / n >= precision and (n == len(ranked) or ranked[n][0] < score):
            best = score
    return best
