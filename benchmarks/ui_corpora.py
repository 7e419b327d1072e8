"""Benchmark corpora built from the shared SaudiNewsNet sample, cached under ``benchmarks/out/``.

``ensure_corpus(n)`` returns the path of a corpus of ``n`` Arabic articles (the 2,000
sample articles repeated, each copy made distinct by a numbered trailer), where the
annotator ``bench`` has labelled one article in ten and finished one in twenty, so
status filters, label filters and counts have real work to do. Built once with bulk
inserts through :meth:`Corpus.add_documents`; later runs reuse the file.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.spans import DocumentRecord, Quote, Range, Span  # noqa: E402
from annotator.store import Corpus  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "data" / "saudinewsnet-sample.jsonl"
OUT = ROOT / "benchmarks" / "out"
ANNOTATOR = "bench"
LABELS = ("PER", "ORG", "GPE", "LOC", "NORP", "MISC")
FORMAT_VERSION = 1  # bump when the layout below changes, so stale caches are rebuilt


def sample_articles() -> list[dict]:
    if not SAMPLE.exists():
        raise FileNotFoundError(SAMPLE)
    with SAMPLE.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _records(articles: list[dict], start: int, stop: int):
    for i in range(start, stop):
        article = articles[i % len(articles)]
        text = f"{article['content'].strip()}\n\n[{i + 1}]"
        record = DocumentRecord(
            text=text,
            title=f"{article['title'].strip()} ({i + 1})",
            source=article.get("source"),
            language="ar",
            direction="rtl",
            meta={"url": article.get("url", "")},
        )
        if i % 10 == 0:
            step = max(12, len(text) // 8)
            record.spans = [
                Span(k * step, k * step + 6, LABELS[k % len(LABELS)], origin="imported")
                for k in range(6)
                if k * step + 6 <= len(text)
            ]
            if len(text) > 60:
                record.quotes = [Quote(contents=(Range(20, 50),), cue=Range(10, 15), type="direct")]
            record.annotator = ANNOTATOR
        yield record


def build_corpus(path: Path, n: int, batch: int = 20_000, echo=print) -> None:
    articles = sample_articles()
    tmp = path.with_suffix(".building")
    for leftover in tmp.parent.glob(tmp.name + "*"):
        leftover.unlink()
    corpus = Corpus.open(tmp)
    started = time.perf_counter()
    try:
        corpus.conn.execute("PRAGMA synchronous = OFF")
        for first in range(0, n, batch):
            corpus.add_documents(_records(articles, first, min(n, first + batch)), imported_from="benchmark")
            echo(f"  built {min(n, first + batch):,}/{n:,} articles ({time.perf_counter() - started:.0f} s)")
        ids = corpus.document_ids()
        for doc_id in ids[::20]:
            corpus.set_status(doc_id, ANNOTATOR, "done")
        corpus.set_setting("benchmark_format", str(FORMAT_VERSION))
        corpus.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        corpus.close()
    tmp.replace(path)


def ensure_corpus(n: int, echo=print) -> Path:
    """Path of the cached ``n``-article corpus, building it first if needed."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"corpus-{n}.db"
    if path.exists():
        try:
            corpus = Corpus.open(path, create=False)
            ok = corpus.count_documents() == n and corpus.setting("benchmark_format") == str(FORMAT_VERSION)
            corpus.close()
        except Exception:  # a half-written or foreign file: rebuild it
            ok = False
        if ok:
            return path
        path.unlink()
    echo(f"building a {n:,}-article corpus in {path} (cached for later runs)...")
    build_corpus(path, n, echo=echo)
    return path
