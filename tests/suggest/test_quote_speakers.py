"""Entities and quotes agree (issue 16 item 3): a speaker that is an entity links to it; a pronoun
speaker, or none (وأضاف), links to the nearest fitting earlier speaker entity.

The entities are given as ``doc.ents`` (what any entity suggester earlier in the pipeline provides);
the sentences are from PolNeAR's train and dev splits and from the seed and shared Arabic articles.
"""

from __future__ import annotations

from annotator.suggest.runner import build_pipeline


def suggest(text: str, lang: str, entities: list[tuple[str, str]]) -> list[tuple]:
    """Quotes as ``(cue, sources, entity text, entity label)`` with the named entities in place."""
    nlp, _ = build_pipeline(lang, ["quotes"])
    doc = nlp.make_doc(text)
    spans, start = [], 0
    for name, label in entities:
        at = text.index(name, start)
        spans.append(doc.char_span(at, at + len(name), label=label, alignment_mode="expand"))
        start = at + len(name)
    doc.ents = spans
    nlp.get_pipe("quotes")(doc)
    labels = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
    out = []
    for q in doc._.suggestions["quotes"].quotes:
        entity = (text[q.entity.start : q.entity.end], labels[(q.entity.start, q.entity.end)]) if q.entity else None
        out.append((text[q.cue.start : q.cue.end] if q.cue else None, [text[s.start : s.end] for s in q.sources],
                    entity))
    return out


def test_a_pronoun_speaker_links_to_the_previous_speaker_not_the_nearest_name():
    # PolNeAR train: McConnell said that it was "totally inappropriate" for Ginsburg to criticize Trump. He said …
    text = ("McConnell said that it was “totally inappropriate” for Ginsburg to criticize Trump. He said members of "
            "the Supreme Court shouldn’t weigh in on American elections.")
    found = suggest(text, "en", [("McConnell", "PER"), ("Ginsburg", "PER"), ("Trump", "PER"),
                                 ("Supreme Court", "ORG")])
    assert found == [("said", ["McConnell"], ("McConnell", "PER")), ("said", ["He"], ("McConnell", "PER"))]


def test_the_speaker_entity_is_the_person_the_phrase_is_about():
    # PolNeAR dev excerpt (tests/fixtures/brat_polnear): Hillary Clinton's campaign manager Robby Mook said as much …
    text = "Hillary Clinton’s campaign manager Robby Mook said the comment was a dig at the military."
    found = suggest(text, "en", [("Hillary Clinton", "PER"), ("Robby Mook", "PER")])
    assert found == [("said", ["Hillary Clinton’s campaign manager Robby Mook"], ("Robby Mook", "PER"))]


def test_a_quote_without_a_speaker_of_its_own_links_to_the_previous_one():
    # The seed article: وأعلن بوتين أن … / وقال خلال مؤتمر صحافي "…"
    text = ('وأعلن بوتين أن هناك "بعض التقارب في المواقف" بين موسكو وواشنطن حول سورية.\n\n'
            'وقال خلال مؤتمر صحافي "هناك رغم كل شيء بعض التقارب في المواقف".')
    found = suggest(text, "ar", [("بوتين", "PER"), ("موسكو", "GPE"), ("وواشنطن", "GPE"), ("سورية", "GPE")])
    assert found == [("وأعلن", ["بوتين"], ("بوتين", "PER")), ("وقال", ["بوتين"], ("بوتين", "PER"))]


def test_the_addressee_after_a_named_speaker_is_left_out():
    # Shared sample line 702: ودعا بوتين الولايات المتحدة والشركاء الأوروبيين إلى اتخاذ إجراءات إضافية …
    text = "ودعا بوتين الولايات المتحدة والشركاء الأوروبيين إلى أن يتخذوا إجراءات إضافية لمحاربة التطرف."
    found = suggest(text, "ar", [("بوتين", "PER"), ("الولايات المتحدة", "GPE")])
    assert found == [("ودعا", ["بوتين"], ("بوتين", "PER"))]
