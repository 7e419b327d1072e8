"""Import speed and memory: the 2,000 shared articles, then 10,000 and 30,000 generated from them.

For each corpus: documents per second through ``import_paths`` (reading, parsing, validating,
hashing, language detection, the store with its FTS5 index), its peak resident memory (each
import runs in a fresh process, so the peak is that import's own), the ratio to a bare
``sqlite3`` ``executemany`` of the same rows into a plain table, and the database size. The
larger corpora repeat the shared articles with a changed line each (so every content hash
differs), which keeps the text real Arabic news. Aim: peak memory <= 300 MB at any size (the
JSONL file is read and stored in batches, never parsed whole).

    .venv/bin/python benchmarks/bench_import.py [--sizes 2000,10000,30000] [--fts-floor] [--no-label-studio]

The largest size is also imported as a Label Studio JSON export (one pretty-printed array of
tasks, each with a submitted annotation), which is read in chunks rather than line by line.

Without ``../shared/data/`` the articles are made from a word list (said so in the output).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import subprocess
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
RSS_AIM_MB = 300

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


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux: ``VmHWM`` of /proc/self/status, which starts afresh
    at exec (``ru_maxrss`` would carry over the peak of the parent that spawned this process)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child(jsonl: Path | None, db: Path, mapped: bool = True) -> None:
    """In a fresh process: import ``jsonl`` into ``db`` (or nothing, for the baseline); print the figures.
    ``mapped``: the shared articles' fields (``content``, ``title``, ``source``) are named."""
    corpus = Corpus.open(db)
    start, cpu = time.perf_counter(), time.process_time()
    summary = None
    fields = {"text_field": "content", "title_field": "title", "source_field": "source"} if mapped else {}
    if jsonl is not None:
        summary = import_paths(corpus, [jsonl], **fields)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    corpus.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    corpus.close()
    print(json.dumps({
        "wall": elapsed, "cpu": cpu, "rss": peak_rss_mb(),
        "documents": summary.documents_new if summary else 0,
        "skipped": summary.documents_skipped if summary else 0,
        "repeated": summary.documents_repeated if summary else 0,
        "errors": summary.errors[:3] if summary else [],
    }))


def run_child(jsonl: Path | None, db: Path, text_field: str | None = "content") -> dict:
    args = [sys.executable, __file__, "--child", str(db)] + ([str(jsonl)] if jsonl else [])
    if text_field is None:
        args.append("--unmapped")
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the import process failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(name: str, jsonl: Path, folder: Path, baseline_rss: float, *, fts_floor: bool = True) -> None:
    db = folder / f"{name.split()[0]}.db"
    figures = run_child(jsonl, db)
    if figures["errors"]:
        raise SystemExit(f"{name}: import failed: {figures['errors']}")
    elapsed, cpu, documents = figures["wall"], figures["cpu"], figures["documents"]
    rows = rows_of(jsonl)
    bare, bare_cpu = bare_insert(rows, folder)
    del rows
    size = db.stat().st_size / 1e6
    ratio = elapsed / bare
    rss = figures["rss"]
    print(f"{name}: {documents:,} documents in {elapsed:.2f} s (CPU {cpu:.2f} s) = {documents / elapsed:,.0f} documents/s; "
          f"peak RSS {rss:,.0f} MB ({rss - baseline_rss:+,.0f} MB over the process with nothing imported; "
          f"aim <= {RSS_AIM_MB} MB: {'met' if rss <= RSS_AIM_MB else 'not met'})")
    print(f"  file {jsonl.stat().st_size / 1e6:,.1f} MB; bare executemany into a plain table: {bare:.2f} s "
          f"(CPU {bare_cpu:.2f} s) -> ratio {ratio:.1f}x, CPU {cpu / bare_cpu:.1f}x "
          f"(aim <= {AIM:.0f}x: {'met' if ratio <= AIM else 'not met'})")
    if fts_floor:  # what the corpus's full-text index alone costs on the same rows
        rows = rows_of(jsonl)
        bare_fts, fts_cpu = bare_insert(rows, folder, with_fts=True)
        del rows
        print(f"  bare executemany into a plain table + the corpus's FTS5 index: {bare_fts:.2f} s (CPU {fts_cpu:.2f} s; "
              f"the index alone makes {bare_fts / bare:.1f}x) -> ratio {elapsed / bare_fts:.1f}x, CPU {cpu / fts_cpu:.1f}x")
    print(f"  database {size:,.1f} MB; {figures['skipped']} empty records skipped, "
          f"{figures['repeated']} repeated in the file")
    db.unlink(missing_ok=True)


def generated(path: Path, count: int, records: list[dict]) -> None:
    """``count`` articles from the shared ``records`` in turn; copy k > 0 of an article gets a last line
    naming the copy, so its text (and content hash) differs while staying real news."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            record = dict(records[i % len(records)])
            copy = i // len(records)
            if copy and record["content"].strip():
                record["content"] = f"{record['content']}\n(نسخة {copy})"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


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


def label_studio_export(path: Path, count: int, records: list[dict]) -> None:
    """The same articles as a Label Studio JSON export (one top-level array, pretty-printed as Label
    Studio writes it): each task with one submitted annotation labelling its first word."""
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        first = True
        for i in range(count):
            record = dict(records[i % len(records)])
            copy = i // len(records)
            text = f"{record['content']}\n(نسخة {copy})" if copy and record["content"].strip() else record["content"]
            word = text.split()[0] if text.split() else ""
            start = text.find(word) if word else 0
            result = [{"id": f"r{i}", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                       "value": {"start": start, "end": start + len(word), "text": word, "labels": ["MISC"]}}] if word else []
            task = {"id": i + 1, "data": {"text": text, "title": record["title"], "source": record["source"]},
                    "annotations": [{"id": i + 1, "completed_by": {"id": 1, "email": "lina@example.org"},
                                     "result": result, "was_cancelled": False, "ground_truth": False}],
                    "predictions": [], "meta": {}}
            out.write(("" if first else ",\n") + json.dumps(task, ensure_ascii=False, indent=2))
            first = False
        out.write("\n]\n")


def measure_label_studio(count: int, records: list[dict], folder: Path, baseline_rss: float) -> None:
    export = folder / f"labelstudio-{count}.json"
    label_studio_export(export, count, records)
    db = folder / "labelstudio.db"
    figures = run_child(export, db, text_field=None)
    if figures["errors"]:
        raise SystemExit(f"Label Studio export: import failed: {figures['errors']}")
    rss = figures["rss"]
    print(f"Label Studio JSON export of {count:,} tasks ({export.stat().st_size / 1e6:,.1f} MB, one array): "
          f"{figures['documents']:,} documents in {figures['wall']:.2f} s (CPU {figures['cpu']:.2f} s); peak RSS "
          f"{rss:,.0f} MB ({rss - baseline_rss:+,.0f} MB; aim <= {RSS_AIM_MB} MB: {'met' if rss <= RSS_AIM_MB else 'not met'})")
    export.unlink()
    db.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000,30000", help="corpus sizes, comma-separated")
    parser.add_argument("--fts-floor", action="store_true",
                        help="also time the FTS5-indexed bare insert for every size (doubles the floor's time)")
    parser.add_argument("--no-label-studio", action="store_true",
                        help="skip the Label Studio JSON export (one array) of the largest size")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--unmapped", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[1]) if len(args.child) > 1 else None, Path(args.child[0]), mapped=not args.unmapped)
        return
    sizes = [int(n) for n in args.sizes.split(",") if n]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if SHARED.exists():
            records = [json.loads(line) for line in SHARED.read_text(encoding="utf-8").splitlines()]
        else:
            print(f"{SHARED} is absent: the articles are made from a word list instead of the shared news")
            big = folder / "filler.jsonl"
            synthetic(big, 2000, [])
            records = [json.loads(line) for line in big.read_text(encoding="utf-8").splitlines()]
        baseline = run_child(None, folder / "baseline.db")["rss"]
        print(f"baseline: peak RSS {baseline:,.0f} MB for a process that opens a corpus and imports nothing")
        for size in sizes:
            jsonl = folder / f"articles-{size}.jsonl"
            if SHARED.exists() and size == len(records):
                jsonl = SHARED
            else:
                generated(jsonl, size, records)
            label = "shared" if jsonl == SHARED else "generated"
            measure(f"{size:,} {label} articles", jsonl, folder, baseline, fts_floor=args.fts_floor or size == sizes[0])
            if jsonl != SHARED:
                jsonl.unlink()
        if not args.no_label_studio:
            measure_label_studio(max(sizes), records, folder, baseline)


if __name__ == "__main__":
    main()
