"""Annotated corpora for export and training tests, built through the Corpus API.

- :func:`annotate_seed`: the seed file split into its two articles (at the ``المصدر:``
  lines), entities found by a small gazetteer on whole tokens of the shared tokenizer
  (clitic included: ``وبوتين`` is PER, the Wojood/ANERcorp convention), direct quotes
  between straight quotation marks with the nearest preceding cue and its speaker, and
  indirect quotes after ``إن``/``أن``.
- :func:`synthetic_records`: many short, distinct Arabic articles with entities and a
  quote each, for tests that need more documents than the seed has.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.core.tokenizer import make_nlp
from annotator.store import Corpus

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "seeds").glob("*.txt"))

GAZETTEER = {
    "PER": ["باراك أوباما", "أوباما", "فلاديمير بوتين", "بوتين", "جون كيري", "كيري", "سيرغي لافروف", "لافروف",
            "ديمتري بيسكوف", "مايكل راتني", "تيريزا ماي", "رجب طيب أردوغان", "أردوغان", "فتح الله غولن", "غولن"],
    "GPE": ["الولايات المتحدة", "سورية", "حلب", "موسكو", "واشنطن", "روسيا", "الصين", "هانغتشو", "تركيا",
            "أنقرة", "دمشق", "بريطانيا", "أوكرانيا", "بنسلفانيا"],
    "ORG": ["مجموعة الـ20", "الكرملين", "وزارة الخارجية", "وكالة الإعلام الروسية", "وكالة الصحافة الفرنسية"],
}
CLITICS = ("", "و", "ف", "ب", "ل", "وب", "ول")
CUES = {"قال", "وقال", "وقالت", "وأضاف", "وتابع", "وصرح", "وأعلن", "وأكد", "وأوضح", "وأشار", "قوله", "مشيرا",
        "مؤكدا", "وأفاد", "القول"}


def seed_articles() -> list[tuple[str, str]]:
    """(title, text) of each article of the seed file (split after each ``المصدر:`` line)."""
    text = SEED.read_text(encoding="utf-8")
    parts = re.split(r"(?<=المصدر: وكالات)\n+", text)
    return [(p.split("\n", 1)[0].strip(), p) for p in parts if p.strip()]


def find_entities(text: str, lang: str = "ar") -> list[Span]:
    """Gazetteer matches on whole tokens, longest first, never overlapping."""
    doc = make_nlp(lang).make_doc(text)
    words = [t.text for t in doc]
    names = sorted(
        ((label, make_nlp(lang).make_doc(name)) for label, items in GAZETTEER.items() for name in items),
        key=lambda item: -len(item[1]),
    )
    taken = [False] * len(doc)
    spans = []
    for label, name in names:
        first, rest = name[0].text, [t.text for t in name[1:]]
        for i in range(len(doc) - len(name) + 1):
            if any(taken[i : i + len(name)]):
                continue
            if words[i] not in {c + first for c in CLITICS} or words[i + 1 : i + len(name)] != rest:
                continue
            spans.append(Span(doc[i].idx, doc[i + len(name) - 1].idx + len(doc[i + len(name) - 1].text), label))
            for j in range(i, i + len(name)):
                taken[j] = True
    return sorted(spans, key=lambda s: s.start)


def find_quotes(text: str, entities: list[Span], lang: str = "ar") -> list[Quote]:
    """Direct quotes between straight quotes; indirect ones after a cue and إن/أن."""
    doc = make_nlp(lang).make_doc(text)
    quotes = []
    for paragraph in re.finditer(r"[^\n]+", text):
        p_start, p_end = paragraph.span()
        marks = [m.start() for m in re.finditer('"', paragraph.group())]
        cue_tokens = [t for t in doc if p_start <= t.idx < p_end and t.text in CUES]
        for open_, close in zip(marks[::2], marks[1::2], strict=False):
            start, end = p_start + open_ + 1, p_start + close
            before = [t for t in cue_tokens if t.idx < start]
            cue = before[-1] if before else None
            kind = "mixed" if re.search(r"(أن|إن|بأن)\s*$", text[p_start:start - 1]) else "direct"
            quotes.append(_quote(start, end, cue, entities, kind))
        if not marks and cue_tokens:
            cue = cue_tokens[0]
            found = re.search(r" (?:إن|أن) ", text[cue.idx:p_end])
            if found:
                start = cue.idx + found.end()
                end = p_end
                while text[end - 1].isspace() or text[end - 1] == ".":
                    end -= 1
                quotes.append(_quote(start, end, cue, entities, "indirect"))
    return quotes


def _quote(start: int, end: int, cue, entities: list[Span], kind: str) -> Quote:
    source = None
    if cue is not None:
        cue_end = cue.idx + len(cue.text)
        source = next((e for e in entities if cue_end < e.start < cue_end + 40 and e.label == "PER"), None)
    return Quote(
        contents=(Range(start, end),),
        cue=Range(cue.idx, cue.idx + len(cue.text)) if cue is not None else None,
        sources=(Range(source.start, source.end),) if source else (),
        entity=Range(source.start, source.end) if source else None,
        type=kind,
    )


def annotate_seed(corpus: Corpus, annotator: str = "amira", status: str = "done") -> list[int]:
    """Import the seed's articles with gazetteer entities and rule quotes, marked ``status``."""
    records = []
    for title, text in seed_articles():
        entities = find_entities(text)
        records.append(
            DocumentRecord(text=text, title=title, source="seed", language="ar", spans=entities,
                           quotes=find_quotes(text, entities))
        )
    ids = corpus.add_documents(records, annotator=annotator).new_ids
    for doc_id in ids:
        corpus.set_status(doc_id, annotator, status)
    return ids


PEOPLE = ["أوباما", "بوتين", "كيري", "لافروف", "أردوغان", "غولن", "ماكرون", "ميركل", "جونسون", "عباس"]
PLACES = ["سورية", "حلب", "موسكو", "واشنطن", "أنقرة", "دمشق", "القاهرة", "الرياض", "بغداد", "عمان"]
ORGS = ["الكرملين", "الأمم المتحدة", "الجامعة العربية", "البنك الدولي", "منظمة الصحة"]
TOPICS = ["المفاوضات", "الاتفاق", "الأزمة", "المساعدات", "الانتخابات", "الاقتصاد", "الحدود", "الطاقة"]


def synthetic_records(n: int, seed: int = 0, sources: int = 5) -> list[DocumentRecord]:
    """``n`` distinct short articles, each with PER/GPE/ORG entities and one direct quote."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        person, place, org, topic = rng.choice(PEOPLE), rng.choice(PLACES), rng.choice(ORGS), rng.choice(TOPICS)
        parts: list[tuple[str, str | None]] = [
            ("وقال ", None), (person, "PER"), (" في ", None), (place, "GPE"), (" إن ", None),
            (org, "ORG"), (f" تتابع {topic} رقم {i}. وأضاف: \"", None), ("CONTENT", None), ("\".", None),
        ]
        content = f"نعمل على {topic} منذ {i % 30 + 1} يوما"
        text, spans, quote_bounds = "", [], None
        cue = Range(0, 4)
        person_range = None
        for piece, label in parts:
            if piece == "CONTENT":
                quote_bounds = (len(text), len(text) + len(content))
                text += content
                continue
            if label:
                spans.append(Span(len(text), len(text) + len(piece), label))
                if label == "PER":
                    person_range = Range(len(text), len(text) + len(piece))
            text += piece
        assert quote_bounds is not None and person_range is not None
        quote = Quote(contents=(Range(*quote_bounds),), cue=cue, sources=(person_range,), entity=person_range,
                      type="direct")
        records.append(
            DocumentRecord(text=text, title=f"خبر {i}", source=f"source-{i % sources}", language="ar",
                           spans=spans, quotes=[quote])
        )
    return records


def add_synthetic(corpus: Corpus, n: int, annotator: str = "amira", seed: int = 0, sources: int = 5) -> list[int]:
    ids = corpus.add_documents(synthetic_records(n, seed, sources), annotator=annotator).new_ids
    for doc_id in ids:
        corpus.set_status(doc_id, annotator, "done")
    return ids
