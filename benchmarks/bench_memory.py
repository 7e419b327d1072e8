"""Memory over a long session: resident set size across 1,000 article switches.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_memory.py [--switches 1000] [--store]

Imports the 2,000 shared SaudiNewsNet articles into a temporary corpus (skips with a message
when ``../shared/data/`` is absent), gives every article annotations and cached suggestions
(so the view draws entities, quotes and suggestion outlines), opens the real annotation
window offscreen and switches article 1,000 times, labelling a span on every tenth article
and undoing it, as an annotator would. ``--store`` does the same through the store API only.

Prints RSS after warm-up (the first 100 switches fill the caches), at the end, the peak,
the growth, and the growth over the second half (what "flat" is judged on). In the window the
RSS rises until every cycled article has been shown once, then stays flat: the shared spaCy
tokenizer's vocabulary keeps every new word (about 14 MB for 300 new articles, measured
apart), so the growth follows the words seen, not the number of switches.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data" / "saudinewsnet-sample.jsonl"
WARM_UP = 100
VOCABULARY: dict[int, int] = {}  # switch -> spaCy vocabulary strings (window mode)


def rss_mb() -> float:
    """Current resident set size (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def build_corpus(path: Path, limit: int) -> list[int]:
    from annotator.core.spans import Quote, Range, Span
    from annotator.formats.importer import import_paths
    from annotator.store import Corpus

    with Corpus(path) as corpus:
        summary = import_paths(corpus, [SHARED], text_field="content", title_field="title", source_field="source")
        if summary.errors:
            raise SystemExit(f"import failed: {summary.errors[:3]}")
        ids = corpus.document_ids()[:limit]
        rng = random.Random(3)
        labels = corpus.labels.entity_names
        with corpus.transaction():
            for doc_id in ids:
                length = len(corpus.document(doc_id).text)
                if length < 200:
                    continue
                starts = sorted(rng.sample(range(0, length - 20, 10), min(40, (length - 20) // 10)))
                spans = [Span(s, s + rng.randint(3, 9), rng.choice(labels)) for s in starts]
                for span in spans[::2]:
                    corpus.add_span(doc_id, "amira", span)
                corpus.add_quote(doc_id, "amira", Quote(contents=(Range(5, 60),), cue=Range(0, 4)))
                corpus.store_suggestions(doc_id, "bench", "1", spans[1::2], [])
        return ids


def vocabulary_size() -> int:
    """Strings in the shared tokenizer's spaCy vocabulary: it grows with every new word, by design."""
    from annotator.core.tokenizer import make_nlp

    return len(make_nlp("ar").vocab.strings)


def switch_window(corpus_path: Path, ids: list[int], switches: int) -> list[tuple[int, float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from annotator.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(corpus_path, "amira", run_suggesters=False)
    window.show()
    app.processEvents()
    session = window.session
    samples = []
    for i in range(switches + 1):
        window.open_document(ids[i % len(ids)])
        app.processEvents()
        if i % 10 == 0 and session.document is not None:
            if session.label_range(0, 3, "PER", precise=True) is not None:
                session.undo()
            app.processEvents()
        if i % 50 == 0:
            gc.collect()
            samples.append((i, rss_mb()))
        if i in (WARM_UP, len(ids), switches):
            VOCABULARY[i] = vocabulary_size()
    window.close()
    app.processEvents()
    return samples


def switch_store(corpus_path: Path, ids: list[int], switches: int) -> list[tuple[int, float]]:
    from annotator.core.spans import Span
    from annotator.store import Corpus

    samples = []
    with Corpus(corpus_path) as corpus:
        for i in range(switches + 1):
            doc_id = ids[i % len(ids)]
            corpus.document(doc_id)
            corpus.spans(doc_id, "amira")
            corpus.quotes(doc_id, "amira")
            corpus.suggestions(doc_id)
            corpus.status(doc_id, "amira")
            if i % 10 == 0:
                try:
                    span = corpus.add_span(doc_id, "amira", Span(0, 3, "PER"))
                    corpus.delete_span(span.id, "amira")
                except ValueError:
                    pass  # the article already has an entity there
            if i % 50 == 0:
                gc.collect()
                samples.append((i, rss_mb()))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--switches", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=400, help="distinct articles cycled through")
    parser.add_argument("--store", action="store_true", help="through the store API instead of the window")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"skipped: {SHARED} is absent (the shared SaudiNewsNet sample is needed for realistic articles)")
        return
    with tempfile.TemporaryDirectory(prefix="annotator-memory-") as folder:
        corpus_path = Path(folder) / "corpus.db"
        started = time.perf_counter()
        ids = build_corpus(corpus_path, args.articles)
        print(f"corpus: {len(ids)} annotated articles cycled ({time.perf_counter() - started:.1f} s to build)")
        started = time.perf_counter()
        where = "store API" if args.store else "annotation window (offscreen)"
        samples = (switch_store if args.store else switch_window)(corpus_path, ids, args.switches)
        seconds = time.perf_counter() - started
    warm = next(mb for i, mb in samples if i >= WARM_UP)
    half = next(mb for i, mb in samples if i >= args.switches // 2)
    end = samples[-1][1]
    print(f"{where}: {args.switches} article switches in {seconds:.1f} s ({seconds / args.switches * 1000:.1f} ms each)")
    print(f"RSS: start {samples[0][1]:.1f} MB, after {WARM_UP} warm-up switches {warm:.1f} MB, end {end:.1f} MB, "
          f"peak {max(mb for _, mb in samples):.1f} MB (process peak {peak_mb():.1f} MB)")
    print(f"growth after warm-up: {end - warm:+.1f} MB ({(end - warm) * 1024 / (args.switches - WARM_UP):+.1f} KB per "
          f"switch); second half: {end - half:+.1f} MB")
    if VOCABULARY:
        print("spaCy vocabulary (strings) at switch " + ", ".join(f"{i}: {n:,}" for i, n in sorted(VOCABULARY.items()))
              + f"; every article has been shown once by switch {args.articles}")
    print("samples (switch: MB): " + ", ".join(f"{i}: {mb:.0f}" for i, mb in samples[:: max(1, len(samples) // 10)]))


if __name__ == "__main__":
    main()
