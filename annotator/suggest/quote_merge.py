"""Rules and a quote model proposing the same quote give one quote, not two.

Quotes are paired one-to-one by shared content (:func:`annotator.review.quote_metrics.match_quotes`).
A pair becomes one quote: the model's content parts (it learned the corpus's own conventions for
where a content starts and ends), and for the cue and the source the model's when it found one,
else the rules'. Its score is the chance that at least one of the two is right, treating them as
independent: ``1 - (1 - a)(1 - b)``. Quotes only one side proposes are kept as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.quote_type import infer_quote_type
from annotator.core.spans import Quote
from annotator.review.quote_metrics import match_quotes


def merge_quotes(text: str, rules: Sequence[Quote], model: Sequence[Quote]) -> list[Quote]:
    """The rules' and the model's quotes of one document, each quote once."""
    match = match_quotes(rules, model)
    merged = []
    for pair in match.pairs:
        ruled, learned = pair.a, pair.b
        score = 1 - (1 - (ruled.score or 0.0)) * (1 - (learned.score or 0.0))
        contents = learned.contents
        merged.append(ruled.with_(
            contents=contents,
            cue=learned.cue or ruled.cue,
            sources=learned.sources or ruled.sources,
            entity=ruled.entity if not learned.sources or learned.sources == ruled.sources else None,
            type=infer_quote_type(text, contents),
            score=round(min(score, 0.99), 3),
        ))
    merged.extend(match.only_a)
    merged.extend(match.only_b)
    return sorted(merged, key=lambda q: (q.start, q.end))
