"""How fast `annotator export spacy` is, against spaCy alone making the same docs and DocBin.

Builds annotated corpora from ../shared/data/saudinewsnet-sample.jsonl (`content`), with
synthetic annotations: every 10th plain Arabic word an entity (PER/GPE/ORG in turn), one
quote per article (content of 8 words, the word before as cue, the one before that as
source), and in every 50th article one entity inside a clitic-prefixed word (misaligned,
so the report path runs too).

- 2,000 articles: the sample's articles as they are.
- 20,000 articles: each sample article cut into ten consecutive pieces (same text volume
  as the 2,000, ten times the documents, so per-document overhead shows). Pass `--full`
  for 20,000 full-length articles (ten copies of each, made distinct; several minutes).

Measured: `export_spacy` from the SQLite corpus to train.spacy/dev.spacy/config.cfg/
summary.json, versus a baseline that takes the same texts and offsets from memory and
does only what spaCy needs: `make_doc` with the same tokenizer, `char_span` + `set_ents`,
the same span groups and user data, `DocBin.add`, `DocBin.to_disk`, with the same srsly
registry lookup fix the exporter uses (see `msgpack_extensions_looked_up_once`). Each side
starts with a fresh tokenizer (cold cache). Stock spaCy without that fix is timed on 100
documents for reference. Times are CPU seconds of this process (other work on a shared
machine stretches wall-clock times), wall time shown beside them. Aim: ratio <= 1.5.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from spacy.tokens import DocBin
from spacy.tokens import Span as SpacySpan

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.spans import DocumentRecord, Quote, Range, Span  # noqa: E402
from annotator.core.tokenizer import make_nlp  # noqa: E402
from annotator.formats.selection import Selection  # noqa: E402
from annotator.formats.spacy_writer import export_spacy, msgpack_extensions_looked_up_once  # noqa: E402
from annotator.store import Corpus  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "data" / "saudinewsnet-sample.jsonl"
WORD = re.compile(r"(?<!\S)[\u0621-\u064A]{3,}(?!\S)")
LABELS = ("PER", "GPE", "ORG")
T = TypeVar("T")


def annotate(text: str, index: int) -> tuple[list[Span], list[Quote]]:
    words = [m.span() for m in WORD.finditer(text)]
    chosen = set(range(5, len(words), 10))
    spans = [Span(*words[i], LABELS[(i // 10) % 3]) for i in sorted(chosen)]
    if index % 50 == 0:
        clitic = next((w for i, w in enumerate(words) if i not in chosen and text[w[0]] == "و" and w[1] - w[0] > 4),
                      None)
        if clitic:
            spans.append(Span(clitic[0] + 1, clitic[1], "PER"))
            spans.sort(key=lambda s: s.start)
    quotes = []
    if len(words) > 12:
        k = 3
        quotes.append(Quote(contents=(Range(words[k + 1][0], words[k + 8][1]),), cue=Range(*words[k]),
                            sources=(Range(*words[k - 1]),), type="direct"))
    return spans, quotes


def build_records(contents: list[str], n: int, pieces: int, full: bool) -> list[DocumentRecord]:
    records = []
    for i in range(n):
        text = contents[i % len(contents)]
        if full:
            copy = i // len(contents)
            text = f"{text}\n\n({copy})" if copy else text
        elif pieces > 1:
            piece = (i // len(contents)) % pieces
            size = len(text) // pieces + 1
            text = text[piece * size : (piece + 1) * size].strip() or text
        spans, quotes = annotate(text, i)
        records.append(DocumentRecord(text=text, title=f"article {i}", source="saudinewsnet", language="ar",
                                      spans=spans, quotes=quotes))
    return records


def baseline(records: list[DocumentRecord], out: Path) -> None:
    """spaCy alone: the same docs (entities, span groups, user data) into a DocBin on disk."""
    nlp = make_nlp("ar")
    docbin = DocBin(store_user_data=True)
    for i, record in enumerate(records):
        doc = nlp.make_doc(record.text)
        ents = [doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand") for s in record.spans]
        ents = [e for e in ents if e is not None]
        taken, kept = -1, []
        for ent in ents:
            if ent.start >= taken:
                kept.append(ent)
                taken = ent.end
        doc.set_ents(kept, default="outside")
        groups: dict[str, list[SpacySpan]] = {"quote_content": [], "quote_cue": [], "quote_source": [],
                                              "quote_entity": [], "quotes": []}
        for q, quote in enumerate(record.quotes):
            for role, part in quote.parts():
                span = doc.char_span(part.start, part.end, alignment_mode="expand")
                if span is None:
                    continue
                group = {"content": "quote_content", "cue": "quote_cue", "source": "quote_source"}[role]
                label = quote.type if role == "content" else role
                groups[group].append(SpacySpan(doc, span.start, span.end, label=label, span_id=f"q{q}"))
                groups["quotes"].append(SpacySpan(doc, span.start, span.end, label=role.upper(), span_id=f"q{q}"))
        for key, spans in groups.items():
            doc.spans[key] = spans
        doc.user_data["annotator"] = {"document_id": i, "title": record.title, "source": record.source,
                                      "quotes": [{"id": f"q{q}", "type": quote.type, "entity": None}
                                                 for q, quote in enumerate(record.quotes)]}
        docbin.add(doc)
    docbin.to_disk(out)


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


def timed(work: Callable[[], T]) -> tuple[Timing, T]:
    """Run ``work``; wall-clock and CPU seconds (CPU is the figure to trust on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu), result


def run(contents: list[str], n: int, label: str, pieces: int, full: bool) -> None:
    records = build_records(contents, n, pieces=pieces, full=full)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        corpus = Corpus.open(folder / "bench.db")
        added = corpus.add_documents(records, annotator="bench")
        with corpus.transaction():
            for doc_id in added.new_ids:
                corpus.set_status(doc_id, "bench", "done")
        setup = time.perf_counter() - started
        unique = {r.text: r for r in records}
        kept = [unique[corpus.document(i).text] for i in added.new_ids]

        # Each side starts from a fresh tokenizer (cold cache), so neither profits from the other's run.
        make_nlp.cache_clear()
        ours, summary = timed(lambda: export_spacy(corpus, folder / "export", Selection()))

        def fast_baseline() -> None:
            with msgpack_extensions_looked_up_once():
                baseline(kept, folder / "baseline.spacy")

        make_nlp.cache_clear()
        spacy_alone, _ = timed(fast_baseline)
        make_nlp.cache_clear()
        subset = kept[:100]
        stock, _ = timed(lambda: baseline(subset, folder / "baseline-stock.spacy"))
        corpus.close()

    docs = len(added.new_ids)
    tokens = sum(len(r.text) for r in kept) / max(1, docs)
    entities = sum(sum(s.entities.values()) for s in summary.splits.values())
    print(f"{label}: {docs} documents (~{tokens:.0f} characters each), {entities} entities, "
          f"{len(summary.misaligned)} misaligned spans listed; corpus built in {setup:.1f} s")
    print(f"  annotator export spacy     : {ours.cpu:6.2f} s CPU ({ours.wall:6.2f} s wall)  "
          f"{docs / ours.cpu:6.0f} docs/s")
    print(f"  spaCy alone, same docs     : {spacy_alone.cpu:6.2f} s CPU ({spacy_alone.wall:6.2f} s wall)  "
          f"{docs / spacy_alone.cpu:6.0f} docs/s")
    print(f"  ratio export / spaCy alone : {ours.cpu / spacy_alone.cpu:6.2f}x CPU, "
          f"{ours.wall / spacy_alone.wall:.2f}x wall  (aim <= 1.5x)")
    print(f"  (spaCy alone as shipped, without the srsly lookup fix: {len(subset) / stock.cpu:.0f} docs/s "
          f"on {len(subset)} documents)")


def main() -> int:
    if not SAMPLE.exists():
        print(f"bench_export: skipped, {SAMPLE} is absent (it lives in ../shared/data/)")
        return 0
    full = "--full" in sys.argv
    contents = [json.loads(line)["content"] for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line]
    contents = [c for c in contents if c.strip()]
    run(contents, 2000, "2,000 articles", pieces=1, full=False)
    label = "20,000 articles" + (" (full length)" if full else " (tenths of articles)")
    run(contents, 20000, label, pieces=1 if full else 10, full=full)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
