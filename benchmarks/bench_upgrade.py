"""The v3 → v4 upgrade on a real-sized corpus: the pre-upgrade backup plus the table rebuilds.

    .venv/bin/python benchmarks/bench_upgrade.py [--spans-per-article 100] [--events-per-article 100]

Builds a schema-v3 corpus from the 2,000 shared SaudiNewsNet articles (skips with a message
when ``../shared/data/`` is absent) with spans, a quote with two parts per article and an
event log, then opens it with ``Corpus`` (atomic backup copy, then the v4 migration that
rebuilds ``spans``, ``quotes`` and ``quote_parts`` with AUTOINCREMENT and scans the log for
the highest id). The denominator is ``annotator backup`` of the same v3 file: the same copy
without the migration. Prints seconds, the ratio, the file size and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data" / "saudinewsnet-sample.jsonl"


def build_v3(path: Path, spans_per_article: int, events_per_article: int) -> tuple[int, int]:
    from annotator.store.schema import migrate

    texts, seen = [], set()
    with SHARED.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            text = record.get("content") or ""
            if len(text) > 200 and text not in seen:  # the sample repeats 2 texts
                seen.add(text)
                texts.append(text)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=3)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO annotators(id, name, created_at) VALUES (1, 'amira', 'x')")
    spans = 0
    for doc_id, text in enumerate(texts, start=1):
        conn.execute(
            "INSERT INTO documents(id, title, text, language, direction, meta, content_hash, length, imported_at) "
            "VALUES (?, ?, ?, 'ar', 'rtl', '{}', ?, ?, 'x')",
            (doc_id, f"article {doc_id}", text, f"h{doc_id}", len(text)),
        )
        step = max(2, len(text) // spans_per_article)
        rows = [(doc_id, s, s + 1) for s in range(0, len(text) - 1, step)][:spans_per_article]
        conn.executemany(
            'INSERT INTO spans(document_id, annotator_id, start, "end", label, origin, created_at) '
            "VALUES (?, 1, ?, ?, 'PER', 'manual', 'x')",
            rows,
        )
        spans += len(rows)
        quote = conn.execute(
            "INSERT INTO quotes(document_id, annotator_id, type, origin, created_at) VALUES (?, 1, 'direct', 'manual', 'x')",
            (doc_id,),
        ).lastrowid
        conn.executemany('INSERT INTO quote_parts(quote_id, role, start, "end") VALUES (?, ?, ?, ?)',
                         [(quote, "content", 10, 40), (quote, "cue", 2, 6)])
        conn.executemany(
            "INSERT INTO events(at, annotator, document_id, action, data) VALUES ('x', 'amira', ?, 'span.add', ?)",
            [(doc_id, json.dumps({"span": {"id": spans, "start": 0, "end": 1, "label": "PER"}}))]
            * events_per_article,
        )
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return len(texts), spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spans-per-article", type=int, default=100)
    parser.add_argument("--events-per-article", type=int, default=100)
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"skipped: {SHARED} is absent (the shared data folder beside the repository)")
        return
    from annotator.store import Corpus
    from annotator.store.maintenance import backup

    with tempfile.TemporaryDirectory(prefix="annotator-upgrade-") as folder:
        original = Path(folder) / "v3.db"
        documents, spans = build_v3(original, args.spans_per_article, args.events_per_article)
        size = original.stat().st_size

        copy = Path(folder) / "plain-backup.db"
        started = time.perf_counter()
        backup(original, copy)
        backup_seconds = time.perf_counter() - started

        upgraded = Path(folder) / "corpus.db"
        upgraded.write_bytes(original.read_bytes())
        started = time.perf_counter()
        with Corpus(upgraded) as corpus:
            version = corpus.conn.execute("PRAGMA user_version").fetchone()[0]
            kept = corpus.conn.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
        upgrade_seconds = time.perf_counter() - started
        assert kept == spans and version == 4
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"v3 corpus: {documents:,} articles, {spans:,} spans, {documents:,} quotes, "
              f"{documents * args.events_per_article:,} events, {size / 1e6:.1f} MB")
        print(f"open with upgrade to v4 (atomic backup + rebuild): {upgrade_seconds:.2f} s")
        print(f"annotator backup of the same file (the copy alone):  {backup_seconds:.2f} s "
              f"(upgrade / backup: {upgrade_seconds / backup_seconds:.1f}x)")
        print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
