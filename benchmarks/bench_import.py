"""Import speed: the 2,000 shared articles and a synthetic 100,000-article corpus.

For each corpus: documents per second through ``import_paths`` (reading, parsing,
hashing, language detection, the store with its FTS5 index), the ratio to a bare
``sqlite3`` ``executemany`` of the same rows into a plain table, and the database size.

    .venv/bin/python benchmarks/bench_import.py [--synthetic N]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.text import content_hash, detect_direction, detect_language  # noqa: E402
from annotator.formats.importer import import_paths  # noqa: E402
from annotator.store import Corpus  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "saudinewsnet-sample.jsonl"
AIM = 3.0

# Arabic-like filler when the shared sample is absent: common words, real punctuation.
WORDS = ("قال", "الرئيس", "في", "على", "إلى", "أن", "وزير", "الخارجية", "المملكة", "الحكومة", "مجلس", "العام",
         "اليوم", "الأمن", "الدولة", "اتفاق", "مؤتمر", "صحافي", "بين", "حول", "التي", "الذي", "كما", "وأضاف")


FTS = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
)


def bare_insert(rows: list[tuple], folder: Path, *, with_fts: bool = False) -> tuple[float, float]:
    """(Wall, CPU) seconds for a bare executemany of the same rows into a plain table (the floor for any
    SQLite import); ``with_fts`` adds the corpus's FTS5 index and trigger to that table."""
    path = folder / "bare.db"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, text TEXT, source TEXT, language TEXT, "
        "direction TEXT, meta TEXT, content_hash TEXT, length INTEGER)"
    )
    for statement in FTS if with_fts else ():
        conn.execute(statement)
    start = time.perf_counter()
    cpu = time.process_time()
    with conn:
        conn.executemany(
            "INSERT INTO documents(title, text, source, language, direction, meta, content_hash, length) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    conn.close()
    path.unlink()
    return elapsed, cpu


def rows_of(jsonl: Path) -> list[tuple]:
    rows = []
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = record.pop("content")
        if not text.strip():
            continue
        title, source = record.pop("title"), record.pop("source")
        rows.append((title, text, source, detect_language(text), detect_direction(text),
                     json.dumps(record, ensure_ascii=False), content_hash(text), len(text)))
    return rows


def measure(name: str, jsonl: Path, folder: Path, *, fts_floor: bool = True) -> None:
    db = folder / f"{name}.db"
    corpus = Corpus.open(db)
    start, cpu = time.perf_counter(), time.process_time()
    summary = import_paths(corpus, [jsonl], text_field="content", title_field="title", source_field="source")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    corpus.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    corpus.close()
    if not summary.ok:
        raise SystemExit(f"{name}: import failed: {summary.errors[:3]}")
    documents = summary.documents_new
    rows = rows_of(jsonl)
    bare, bare_cpu = bare_insert(rows, folder)
    size = db.stat().st_size / 1e6
    ratio = elapsed / bare
    print(f"{name}: {documents:,} documents in {elapsed:.2f} s (CPU {cpu:.2f} s) = {documents / elapsed:,.0f} documents/s")
    print(f"  bare executemany into a plain table: {bare:.2f} s (CPU {bare_cpu:.2f} s) -> ratio {ratio:.1f}x, "
          f"CPU {cpu / bare_cpu:.1f}x (aim <= {AIM:.0f}x: {'met' if ratio <= AIM else 'not met'})")
    if fts_floor:  # what the corpus's full-text index alone costs on the same rows
        bare_fts, fts_cpu = bare_insert(rows, folder, with_fts=True)
        print(f"  bare executemany into a plain table + the corpus's FTS5 index: {bare_fts:.2f} s (CPU {fts_cpu:.2f} s; "
              f"the index alone makes {bare_fts / bare:.1f}x) -> ratio {elapsed / bare_fts:.1f}x, CPU {cpu / fts_cpu:.1f}x")
    print(f"  database {size:,.1f} MB; {summary.documents_skipped} empty records skipped")


def synthetic(path: Path, count: int, texts: list[str]) -> None:
    """``count`` distinct articles of two paragraphs each, taken from the shared texts (or filler)."""
    rng = random.Random(20)
    paragraphs = [p for text in texts for p in text.split("\n") if len(p) > 40] or [
        " ".join(rng.choice(WORDS) for _ in range(40)) + "." for _ in range(500)
    ]
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            body = "\n".join(rng.choice(paragraphs) for _ in range(2))
            record = {"source": f"synthetic-{i % 14}", "url": f"https://example.org/{i}", "title": f"مقال رقم {i}",
                      "content": f"مقال رقم {i}\n{body}"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=100_000, help="size of the synthetic corpus")
    parser.add_argument("--fts-floor", action="store_true",
                        help="also time the FTS5-indexed bare insert for the synthetic corpus (doubles its time)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        texts: list[str] = []
        if SHARED.exists():
            measure("shared 2,000 articles", SHARED, folder)
            texts = [json.loads(line)["content"] for line in SHARED.read_text(encoding="utf-8").splitlines()]
        else:
            print(f"skipped the shared articles: {SHARED} is absent (synthetic text from a word list instead)")
        big = folder / "synthetic.jsonl"
        synthetic(big, args.synthetic, texts)
        measure(f"synthetic {args.synthetic:,} articles", big, folder, fts_floor=args.fts_floor)


if __name__ == "__main__":
    main()
