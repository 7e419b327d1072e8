"""INCEpTION formats at corpus size: export and re-import the 2,000 shared articles as WebAnno TSV,
UIMA CAS XMI and CAS JSON, against the JSONL export/import of the same articles and entities.

Every article gets an entity on every 12th word (so the writers place thousands of entities);
the JSONL baseline writes its tokens too, so both sides tokenize. Each phase runs in a fresh
process: the figures are its wall time and its peak RSS.

    .venv/bin/python benchmarks/bench_inception.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared" / "data" / "saudinewsnet-sample.jsonl"
# jsonl-files: the JSONL export split into one file per article, so that the import, like the TSV
# and CAS ones, commits one transaction per file (the fair denominator for the imports).
FORMATS = ("jsonl", "jsonl-files", "webanno", "xmi", "cas-json")


def build(db: Path, limit: int) -> None:
    from annotator.core.spans import DocumentRecord, Span
    from annotator.store import Corpus

    records = []
    for line in SHARED.read_text(encoding="utf-8").splitlines()[:limit]:
        item = json.loads(line)
        text = item["content"]
        if not text.strip():
            continue
        words = list(re.finditer(r"\w+", text))
        spans = [Span(m.start(), m.end(), "PER") for m in words[::12]]
        records.append(DocumentRecord(text=text, title=item["title"], language="ar", spans=spans))
    with Corpus.open(db) as corpus:
        ids = corpus.add_documents(records, annotator="bench").new_ids
        for doc_id in ids:
            corpus.set_status(doc_id, "bench", "done")


def export(db: Path, fmt: str, out: Path) -> int:
    from annotator.formats.jsonl_writer import write_jsonl
    from annotator.formats.selection import Selection, iter_documents
    from annotator.formats.uima_cas_writer import write_uima_cas
    from annotator.formats.webanno_tsv_writer import write_webanno_tsv
    from annotator.store import Corpus

    with Corpus.open(db) as corpus:
        documents = list(iter_documents(corpus, Selection(annotator="bench")))
        if fmt == "jsonl":
            return write_jsonl(documents, out)[0]
        if fmt == "jsonl-files":
            out.mkdir()
            for document in documents:
                write_jsonl([document], out / f"{document.id}.jsonl")
            return len(documents)
        if fmt == "webanno":
            return write_webanno_tsv(documents, out).documents
        result = write_uima_cas(documents, out, fmt)
        for note in result.notes:  # XML 1.0 cannot hold a few articles
            print(note, file=sys.stderr)
        return result.documents


def reimport(out: Path, db: Path) -> int:
    from annotator.formats.importer import import_paths
    from annotator.store import Corpus

    with Corpus.open(db) as corpus:
        summary = import_paths(corpus, [out], annotator="bench", language="ar")
        if not summary.ok:
            raise SystemExit(f"import of {out} failed: {summary.errors[:3]}")
        return summary.spans


def phase(args: argparse.Namespace) -> None:
    start = time.perf_counter()
    if args.phase == "export":
        count = export(Path(args.db), args.format, Path(args.out))
    else:
        count = reimport(Path(args.out), Path(args.db))
    print(json.dumps({"seconds": time.perf_counter() - start, "count": count,
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run(*argv: str) -> dict:
    result = subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{' '.join(argv[:4])} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="articles of the shared sample to use")
    parser.add_argument("--phase", choices=("export", "import"), help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phase(args)
        return
    if not SHARED.exists():
        print(f"skipped: {SHARED} is absent")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "corpus.db"
        build(db, args.limit)
        results = {}
        for fmt in FORMATS:
            out = folder / (f"{fmt}.jsonl" if fmt == "jsonl" else fmt)
            exported = run("--phase", "export", "--format", fmt, "--db", str(db), "--out", str(out))
            imported = run("--phase", "import", "--out", str(out), "--db", str(folder / f"{fmt}.db"))
            results[fmt] = (exported, imported)
        base_export = results["jsonl"][0]
        base_import = results["jsonl-files"][1]
        print(f"{base_export['count']:,} articles, {results['jsonl'][1]['count']:,} entities; exports against the "
              "JSONL export, imports against importing one JSONL file per article")
        for fmt, (exported, imported) in results.items():
            if exported["count"] != base_export["count"]:
                print(f"{fmt}: {base_export['count'] - exported['count']} articles not written (XML 1.0 cannot hold "
                      "their control characters)")
            print(f"{fmt:11s} export {exported['seconds']:6.2f} s ({exported['seconds'] / base_export['seconds']:.2f}x, "
                  f"peak RSS {exported['rss_mb']:.0f} MB)   import {imported['seconds']:6.2f} s "
                  f"({imported['seconds'] / base_import['seconds']:.2f}x, {imported['count']:,} entities, "
                  f"peak RSS {imported['rss_mb']:.0f} MB)")


if __name__ == "__main__":
    main()
