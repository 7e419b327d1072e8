"""Build two annotators' sets on the seed article with every kind of disagreement.

Used by the adjudication, CLI and window tests and by the screenshot script. Offsets come
from ``str.index`` on the real text, so the builder follows the seed if it changes.
"""

from __future__ import annotations

from annotator.core.spans import DocumentRecord, Quote, Range, Span

A, B = "amira", "bilal"


def at(text: str, needle: str, after: str | None = None) -> tuple[int, int]:
    """``[start, end)`` of the first ``needle`` (the first after ``after``, if given)."""
    base = text.index(after) if after else 0
    start = text.index(needle, base)
    return start, start + len(needle)


def rng(text: str, needle: str, after: str | None = None) -> Range:
    return Range(*at(text, needle, after))


def build_review_corpus(corpus, text: str, a: str = A, b: str = B) -> tuple[int, dict]:
    """Add the seed article and both sets; returns ``(doc_id, expected)``.

    Entities (A | B):
      PER باراك أوباما     | same                       -> agreement
      GPE سورية            | same                       -> agreement
      GPE الصين            | same                       -> agreement
      PER فلاديمير بوتين   | PER بوتين                  -> boundary differs
      GPE موسكو            | LOC موسكو                  -> same span, other label
      ORG مجموعة الـ20     | MISC قمة مجموعة الـ20      -> other label and boundary
      GPE الولايات المتحدة | –                          -> only A
      –                    | GPE حلب                    -> only B
    Quotes (A | B):
      "بعض التقارب في المواقف" cue وأعلن source بوتين, direct | same parts, mixed -> type differs
      "أجرينا بعض المحادثات…" cue وتابع, direct              | same content, no cue -> cue differs
      "هناك رغم كل شيء…" cue وقال, direct                    | –                    -> only A
      –                  | "ذلك سيتم…" cue وقال source مسؤول رفيع, indirect -> only B
    """
    [doc_id] = corpus.add_documents([DocumentRecord(text=text, title="أوباما وبوتين")]).new_ids
    obama = (*at(text, "باراك أوباما"), "PER")
    syria = (*at(text, "سورية"), "GPE")
    china = (*at(text, "الصين"), "GPE")
    putin_full = (*at(text, "فلاديمير بوتين"), "PER")
    putin = (*at(text, "بوتين", after="فلاديمير"), "PER")
    moscow = at(text, "موسكو")
    g20 = (*at(text, "مجموعة الـ20"), "ORG")
    summit_g20 = (*at(text, "قمة مجموعة الـ20"), "MISC")
    usa = (*at(text, "الولايات المتحدة"), "GPE")
    aleppo = (*at(text, "حلب"), "GPE")
    spans_a = [obama, syria, china, putin_full, (*moscow, "GPE"), g20, usa]
    spans_b = [obama, syria, china, putin, (*moscow, "LOC"), summit_g20, aleppo]

    rapprochement = rng(text, "بعض التقارب في المواقف")
    announced = rng(text, "وأعلن")
    putin_src = rng(text, "بوتين", after="وأعلن")
    fruitful = rng(text, "أجرينا بعض المحادثات المثمرة بالنسبة لما سيكون عليه وقف القتال على أرض الواقع")
    continued = rng(text, "وتابع")
    long_quote = rng(text, "هناك رغم كل شيء بعض التقارب في المواقف (مع الولايات المتحدة) وتفهم لما يمكننا "
                           "القيام به لتهدئة الأوضاع والسعي إلى اتفاق مقبول من الطرفين")
    said = rng(text, "وقال")
    later = rng(text, "ذلك سيتم في وقت لاحق هذا الأسبوع على الأرجح")
    said_official = rng(text, "وقال", after="بسرعة")
    official = rng(text, "مسؤول رفيع")
    quotes_a = [
        Quote(contents=(rapprochement,), cue=announced, sources=(putin_src,), type="direct"),
        Quote(contents=(fruitful,), cue=continued, type="direct"),
        Quote(contents=(long_quote,), cue=said, type="direct"),
    ]
    quotes_b = [
        Quote(contents=(rapprochement,), cue=announced, sources=(putin_src,), type="mixed"),
        Quote(contents=(fruitful,), type="direct"),
        Quote(contents=(later,), cue=said_official, sources=(official,), type="indirect"),
    ]
    for name, spans, quotes in ((a, spans_a, quotes_a), (b, spans_b, quotes_b)):
        for s in spans:
            corpus.add_span(doc_id, name, Span(*s))
        for q in quotes:
            corpus.add_quote(doc_id, name, q)
        corpus.set_status(doc_id, name, "done")
    expected = {
        "agree": [obama, syria, china],
        "boundary": (putin_full, putin),
        "other_label": ((*moscow, "GPE"), (*moscow, "LOC")),
        "other_label_boundary": (g20, summit_g20),
        "only_a": usa,
        "only_b": aleppo,
        "quote_type": (quotes_a[0], quotes_b[0]),
        "quote_cue": (quotes_a[1], quotes_b[1]),
        "quote_only_a": quotes_a[2],
        "quote_only_b": quotes_b[2],
    }
    return doc_id, expected
