"""Big corpora, end to end: import, suggest and export spacy at 2,000 / 10,000 / 30,000 articles.

Articles are made from ../shared/data/saudinewsnet-sample.jsonl (the 1,971 non-empty `content`s):
copy k of an article has its paragraphs rotated by k and a line "(k)" appended, so every text,
and so every content hash, is new. Each article carries annotations like bench_export.py's (an
entity every 10th Arabic word, PER/GPE/ORG in turn, one quote) for the annotator `bench`, and is
marked done, so the export has real work to do.

Every step runs as the user runs it, `annotator …` in a subprocess, on its own copy of the corpus:

- import   `annotator import FILE.jsonl`
- suggest  `annotator suggest` (gazetteer, learned, quotes), `--jobs 1` and `--jobs 2`
- export   `annotator export spacy OUT/ --annotator bench`, `--jobs 1` and `--jobs 2`
- dask     the same suggest and export with `--engine dask --jobs 2` (a LocalCluster of 2 processes)
- tokenizer alone: a subprocess that tokenizes the same texts once with the shared tokenizer
  (`make_nlp("ar").pipe`), the denominator of the ratios: what any pipeline must at least do.

Figures: wall seconds, CPU seconds (user + system of the command and every process it waited for:
the pool's workers), and peak memory as the largest sum of PSS over the command's process tree
(sampled every 50 ms; PSS counts the pages forked workers share with their parent once) and,
beside it, the peak RSS of the largest single process (the kernel's own figure). Ratios:
(import + suggest + export) CPU over the tokenizer's CPU (aim <= 3x) and wall with --jobs 2 over the
tokenizer's wall (aim <= 2x). Run: `python benchmarks/bench_scale.py [--sizes 2000,10000,30000]
[--jobs 1,2] [--no-dask] [--no-suggest]`; skips with a message when ../shared/data/ is absent. The 30,000 size takes ~20 min on
a quiet 2-core machine: run it with `nice` in the background.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "data" / "saudinewsnet-sample.jsonl"
ANNOTATOR = [sys.executable, "-m", "annotator"]
WORD = re.compile(r"(?<!\S)[\u0621-\u064A]{3,}(?!\S)")
LABELS = ("PER", "GPE", "ORG")
SUGGESTERS = ["--suggester", "gazetteer", "--suggester", "learned", "--suggester", "quotes"]

TOKENIZE = """
import json, sys
from annotator.core.tokenizer import make_nlp
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
n = sum(len(doc) for doc in make_nlp("ar").pipe(texts, batch_size=64))
print(n)
"""


def variant(text: str, copy: int) -> str:
    if not copy:
        return text
    paragraphs = text.split("\n")
    k = copy % len(paragraphs)
    return "\n".join(paragraphs[k:] + paragraphs[:k]) + f"\n({copy})"


def record(text: str, index: int) -> dict:
    words = [m.span() for m in WORD.finditer(text)]
    spans = [{"start": s, "end": e, "label": LABELS[(i // 10) % 3]} for i, (s, e) in enumerate(words) if i % 10 == 5]
    quotes = []
    if len(words) > 12:
        quotes.append({"type": "direct", "contents": [[words[4][0], words[11][1]]], "cue": list(words[3]),
                       "sources": [list(words[2])], "entity": None})
    return {"text": text, "meta": {"title": f"article {index}", "source": "saudinewsnet"}, "spans": spans,
            "quotes": quotes, "annotator": "bench"}


def write_corpus_file(contents: list[str], n: int, path: Path) -> int:
    seen = set()
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = variant(contents[i % len(contents)], i // len(contents))
            if text in seen:
                continue
            seen.add(text)
            out.write(json.dumps(record(text, i), ensure_ascii=False) + "\n")
    return len(seen)


@dataclass
class Step:
    wall: float
    cpu: float
    tree_rss_mb: float
    max_rss_mb: float
    output: str


def _tree(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    parents[int(entry.name)] = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found.extend(frontier)
    return found


def _pss(pid: int) -> int:
    """Proportional set size: pages shared by forked workers counted once across the tree."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for row in handle:
                if row.startswith(b"Pss:"):
                    return int(row.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def run(args: list[str], cwd: Path) -> Step:
    """Run a command; wall, CPU (with its waited-for descendants), peak RSS of the tree and of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], sum(_pss(p) for p in _tree(process.pid)))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"bench_scale: {' '.join(args[2:])} failed:\n{output}")
    return Step(wall, usage.ru_utime + usage.ru_stime, peak[0] / 2**20, usage.ru_maxrss / 1024, output)


def copy_db(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(source, target)
    return target


def mark_done(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        aid = conn.execute("SELECT id FROM annotators WHERE name = 'bench'").fetchone()[0]
        conn.execute("INSERT OR REPLACE INTO statuses(document_id, annotator_id, status, note, updated_at) "
                     "SELECT id, ?, 'done', NULL, '2026-01-01' FROM documents", (aid,))
    conn.close()


def line(name: str, step: Step, tokenizer: Step | None = None) -> str:
    ratio = f"  {step.cpu / tokenizer.cpu:5.2f}x tok CPU" if tokenizer else ""
    return (f"  {name:<28} {step.wall:7.1f} s wall {step.cpu:7.1f} s CPU   peak PSS {step.tree_rss_mb:6.0f} MB "
            f"(largest process {step.max_rss_mb:5.0f} MB){ratio}")


def measure(contents: list[str], size: int, dask: bool, variants: tuple[int, ...] = (1, 2),
            suggest: bool = True) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        source = folder / "articles.jsonl"
        n = write_corpus_file(contents, size, source)
        chars = source.stat().st_size
        tokenizer = run([sys.executable, "-c", TOKENIZE, str(source)], folder)
        tokens = int(tokenizer.output.strip().splitlines()[-1])
        db = folder / "imported.db"
        imported = run([*ANNOTATOR, "import", str(source), "--db", str(db)], folder)
        mark_done(db)
        print(f"{n:,} articles ({tokens:,} tokens, {chars / 2**20:.0f} MB of JSONL); load {os.getloadavg()[0]:.1f}")
        print(line("tokenizer alone", tokenizer))
        print(line("import", imported, tokenizer))
        results: dict[str, Step] = {}
        for jobs in variants:
            corpus = copy_db(db, folder / f"j{jobs}.db")
            if not suggest:  # export only (its memory at a size where suggest takes too long here)
                results[f"suggest{jobs}"] = Step(0.0, 0.0, 0.0, 0.0, "")
            else:
                results[f"suggest{jobs}"] = run([*ANNOTATOR, "suggest", "--db", str(corpus), *SUGGESTERS,
                                                 "--jobs", str(jobs)], folder)
                print(line(f"suggest --jobs {jobs}", results[f"suggest{jobs}"], tokenizer))
            results[f"export{jobs}"] = run([*ANNOTATOR, "export", "spacy", str(folder / f"out{jobs}"), "--db",
                                            str(corpus), "--annotator", "bench", "--jobs", str(jobs)], folder)
            print(line(f"export spacy --jobs {jobs}", results[f"export{jobs}"], tokenizer))
        for jobs in variants if suggest else ():
            total_cpu = imported.cpu + results[f"suggest{jobs}"].cpu + results[f"export{jobs}"].cpu
            total_wall = imported.wall + results[f"suggest{jobs}"].wall + results[f"export{jobs}"].wall
            print(f"  import + suggest + export, --jobs {jobs}: {total_wall:6.1f} s wall, {total_cpu:6.1f} s CPU = "
                  f"{total_cpu / tokenizer.cpu:.2f}x the tokenizer's CPU (aim <= 3x), "
                  f"{total_wall / tokenizer.wall:.2f}x its wall (aim <= 2x with --jobs 2)")
        if suggest and set(variants) >= {1, 2}:
            speedup = (results["suggest1"].wall + results["export1"].wall) / (results["suggest2"].wall
                                                                              + results["export2"].wall)
            print(f"  --jobs 2 vs --jobs 1 (suggest + export wall): {speedup:.2f}x faster")
        if dask:
            corpus = copy_db(db, folder / "dask.db")
            step = run([*ANNOTATOR, "suggest", "--db", str(corpus), *SUGGESTERS, "--engine", "dask", "--jobs", "2"],
                       folder)
            print(line("suggest --engine dask (2)", step, tokenizer))
            step = run([*ANNOTATOR, "export", "spacy", str(folder / "outdask"), "--db", str(corpus), "--annotator",
                        "bench", "--engine", "dask", "--jobs", "2"], folder)
            print(line("export spacy --engine dask", step, tokenizer))
        sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,10000,30000", help="comma-separated corpus sizes")
    parser.add_argument("--no-dask", action="store_true", help="leave out the Dask local-cluster runs")
    parser.add_argument("--jobs", default="1,2", help="which --jobs to measure (comma-separated)")
    parser.add_argument("--no-suggest", action="store_true", help="import and export only")
    args = parser.parse_args()
    if not SAMPLE.exists():
        print(f"bench_scale: skipped, {SAMPLE} is absent (it lives in ../shared/data/)")
        return 0
    try:
        import distributed  # noqa: F401
        dask = not args.no_dask
    except ImportError:
        print("bench_scale: Dask is not installed (pip install 'annotator[dask]'); the Dask runs are left out")
        dask = False
    contents = [json.loads(line)["content"] for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line]
    contents = list(dict.fromkeys(c for c in contents if c.strip()))
    for size in (int(s) for s in args.sizes.split(",")):
        measure(contents, size, dask, tuple(int(j) for j in args.jobs.split(",")), suggest=not args.no_suggest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
