"""Suggesters combined: one proposal per place, by the rule documented in suggest/combine.py."""

from __future__ import annotations

from annotator.core.spans import DocumentRecord, Span
from annotator.suggest.combine import combine, pending_entities
from annotator.ui.session import AnnotationSession

TEXT = "أعلنت جامعة نجران أن النيل للطيران سيربط القاهرة بالرياض، وقال فلاديمير بوتين إن روسيا مستعدة."


def at(name: str, label: str, suggester: str, score: float | None, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(name, start + 1)
    return Span(start, start + len(name), label, origin="accepted", suggester=suggester, score=score)


def shown(spans: list[Span]) -> list[tuple[str, str, str, float | None]]:
    return [(TEXT[s.start : s.end], s.label, s.suggester, s.score) for s in spans]


def test_a_place_inside_an_organisation_is_not_proposed_separately() -> None:
    found = combine([
        at("جامعة نجران", "ORG", "model:ar_news", 0.55),
        at("نجران", "GPE", "gazetteer", 0.85),
        at("النيل للطيران", "ORG", "model:ar_news", None),  # unscored: counts as 0.5
        at("النيل", "LOC", "gazetteer", 0.9),
    ])
    assert shown(found) == [("جامعة نجران", "ORG", "model:ar_news", 0.55),
                            ("النيل للطيران", "ORG", "model:ar_news", None)]


def test_agreement_raises_the_score_and_is_shown_once() -> None:
    found = combine([
        at("فلاديمير بوتين", "PER", "gazetteer", 0.9),
        at("فلاديمير بوتين", "PER", "learned", 0.8),
        at("فلاديمير بوتين", "PER", "model:ar_news", 0.6),
        at("روسيا", "GPE", "gazetteer", 0.85),
        at("روسيا", "GPE", "gazetteer", 0.85),  # the same suggester twice counts once
    ])
    assert shown(found) == [("فلاديمير بوتين", "PER", "gazetteer+learned+model:ar_news", 0.992),
                            ("روسيا", "GPE", "gazetteer", 0.85)]
    # The kept proposal is a stored suggestion: it keeps the id of its best member.
    ids = combine([at("روسيا", "GPE", "learned", 0.6).with_(id=7), at("روسيا", "GPE", "gazetteer", 0.85).with_(id=3)])
    assert [s.id for s in ids] == [3]


def test_one_label_per_range_and_more_agreement_beats_a_longer_name() -> None:
    found = combine([
        at("القاهرة", "GPE", "gazetteer", 0.85),
        at("القاهرة", "GPE", "learned", 0.7),
        at("القاهرة", "LOC", "model:ar_news", 0.95),
        # two suggesters agree on the inner name, one proposes a longer one with another label
        at("بوتين", "PER", "gazetteer", 0.9),
        at("بوتين", "PER", "learned", 0.8),
        at("فلاديمير بوتين", "MISC", "model:ar_news", 0.7),
    ])
    assert shown(found) == [("القاهرة", "GPE", "gazetteer+learned", 0.955), ("بوتين", "PER", "gazetteer+learned", 0.98)]


def test_same_label_nested_or_crossing_the_better_score_wins() -> None:
    found = combine([
        at("فلاديمير بوتين", "PER", "model:ar_news", 0.6),  # the same label nested: a boundary dispute
        at("بوتين", "PER", "learned", 0.8),
        at("القاهرة بالرياض", "LOC", "model:ar_news", 0.4),  # crossing
        at("سيربط القاهرة", "MISC", "model:other", 0.7),
    ])
    assert shown(found) == [("سيربط القاهرة", "MISC", "model:other", 0.7), ("بوتين", "PER", "learned", 0.8)]


def test_what_a_longer_name_hid_comes_back_when_that_name_loses() -> None:
    found = combine([
        at("النيل للطيران", "ORG", "model:a", 0.5),  # hides النيل (rule 3) ...
        at("للطيران سيربط", "MISC", "model:b", 0.9),  # ... but loses to this crossing proposal (rule 4)
        at("النيل", "LOC", "gazetteer", 0.7),
    ])
    assert shown(found) == [("النيل", "LOC", "gazetteer", 0.7), ("للطيران سيربط", "MISC", "model:b", 0.9)]


def test_any_number_of_suggesters_and_nothing_overlaps() -> None:
    words = [(w, TEXT.index(w)) for w in TEXT.replace("،", " ").replace(".", " ").split()]
    spans = []
    for k, (w, start) in enumerate(words):
        for m in range(5):  # five models proposing every word and every pair of words
            spans.append(Span(start, start + len(w), "MISC", suggester=f"model:m{m}", score=0.1 * (m + 1)))
            if k + 1 < len(words):
                nxt = words[k + 1]
                spans.append(Span(start, nxt[1] + len(nxt[0]), "ORG", suggester=f"model:m{m}", score=0.3))
    found = combine(spans)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    assert found and all(len(s.suggester.split("+")) == 5 for s in found)  # each agreed by all five


def test_the_window_shows_the_combination_less_what_was_decided() -> None:
    gpe = at("نجران", "GPE", "gazetteer", 0.85).with_(id=1)
    org = at("جامعة نجران", "ORG", "model:ar_news", 0.55).with_(id=2)
    assert pending_entities([gpe, org], [], {}) == [org]
    # Rejecting the organisation lets the place it hid be proposed.
    rejected = {("entity", org.start, org.end, "ORG"): "rejected"}
    assert pending_entities([gpe, org], [], rejected) == [gpe]
    # Accepting it keeps the place hidden.
    accepted_span = org.with_(id=10, suggester="model:ar_news")
    assert pending_entities([gpe, org], [accepted_span], {("entity", org.start, org.end, "ORG"): "accepted"}) == []


def test_the_session_shows_one_proposal_per_place(corpus) -> None:
    [doc_id] = corpus.add_documents([DocumentRecord(text=TEXT, language="ar")]).new_ids
    corpus.store_suggestions(doc_id, "gazetteer", "1", [at("نجران", "GPE", "gazetteer", 0.85),
                                                         at("بوتين", "PER", "gazetteer", 0.9)], [])
    corpus.store_suggestions(doc_id, "model:ar_news", "1", [at("جامعة نجران", "ORG", "model:ar_news", 0.55),
                                                             at("بوتين", "PER", "model:ar_news", 0.7)], [])
    session = AnnotationSession(corpus, "amira")
    session.open_document(doc_id)
    assert shown(session.suggested_spans) == [("جامعة نجران", "ORG", "model:ar_news", 0.55),
                                              ("بوتين", "PER", "gazetteer+model:ar_news", 0.97)]
    assert session.accept_all()[0] == 2
    assert sorted((TEXT[s.start : s.end], s.label) for s in corpus.spans(doc_id, "amira")) == [
        ("بوتين", "PER"), ("جامعة نجران", "ORG")]
