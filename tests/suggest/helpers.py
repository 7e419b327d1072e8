"""Read suggested quotes as text, the way an annotator would check them."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.suggest.quotes import suggest_quotes


@dataclass
class Q:
    type: str
    contents: list[str]
    cue: str | None
    sources: list[str]
    entity: str | None
    score: float


def quotes_as_text(text: str, lang: str) -> list[Q]:
    return [
        Q(
            type=q.type,
            contents=[text[r.start : r.end] for r in q.contents],
            cue=text[q.cue.start : q.cue.end] if q.cue else None,
            sources=[text[r.start : r.end] for r in q.sources],
            entity=text[q.entity.start : q.entity.end] if q.entity else None,
            score=q.score or 0.0,
        )
        for q in suggest_quotes(text, lang)
    ]


def only(text: str, lang: str) -> Q:
    found = quotes_as_text(text, lang)
    assert len(found) == 1, found
    return found[0]
