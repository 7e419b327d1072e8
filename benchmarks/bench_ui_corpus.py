"""The annotation window on a 100,000-article corpus against a 10-article one (offscreen).

Prints, each measured in a fresh process (median of several runs):
- time to the first article: MainWindow constructed, document list populated, first
  article laid out and painted; 100,000 articles against 10 (aim: ratio <= 1.5);
- memory (RSS) with each corpus open;
- document list timings on the 100,000-article corpus: jumping the scroll bar,
  scrolling to the end, search, status and label filters, sorting by title.

Corpora are built once from ``../shared/data/saudinewsnet-sample.jsonl`` and cached in
``benchmarks/out/``. Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ui_corpus.py``
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from ui_corpora import ANNOTATOR, SAMPLE, ensure_corpus  # noqa: E402

SMALL, LARGE = 10, 100_000
RUNS = 3


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(path: str, measure_list: bool) -> dict:
    """One measurement in this (fresh) process; prints JSON."""
    from annotator.store import Corpus
    from annotator.ui.app import make_application
    from annotator.ui.main_window import MainWindow

    app = make_application()
    corpus = Corpus.open(path, create=False)  # migrates (list indexes) once: a cost measured separately
    corpus.update_search_index()  # done in the background by the window after an import
    corpus.close()
    rss_before = rss_mb()

    started = time.perf_counter()
    try:
        window = MainWindow(path, ANNOTATOR, run_suggesters=False)
    except TypeError:
        window = MainWindow(path, ANNOTATOR)
    window.resize(1400, 860)
    window.show()
    window.repaint()
    app.processEvents()
    first_article = time.perf_counter() - started
    shown = window.session.document is not None and window.document_list.model.rowCount() > 0
    result = {
        "first_article_s": first_article,
        "rss_mb": rss_mb(),
        "rss_window_mb": rss_mb() - rss_before,
        "rows": window.document_list.model.rowCount(),
        "cached_rows": window.document_list.model.cached_rows(),
        "shown": shown,
    }
    if measure_list:
        result |= list_timings(window.document_list)
        result["rss_after_list_mb"] = rss_mb()
    # Where the time goes: the parts measured on their own (same process, warm), once
    # the window's deferred work (tokenizer set-up) has run and the window is gone.
    for _ in range(3):
        app.processEvents()
    window.close()
    app.processEvents()
    from annotator.ui.document_list import DocumentListWidget
    from annotator.ui.session import AnnotationSession

    corpus = Corpus.open(path, create=False)
    started = time.perf_counter()
    AnnotationSession(corpus, ANNOTATOR)
    result["part_session_s"] = time.perf_counter() - started
    started = time.perf_counter()
    widget = DocumentListWidget(corpus, ANNOTATOR)
    widget.resize(300, 800)
    widget.show()
    widget.repaint()
    app.processEvents()
    result["part_list_s"] = time.perf_counter() - started
    widget.close()
    corpus.close()
    return result


def list_timings(widget) -> dict:
    from PySide6.QtWidgets import QApplication

    table = widget.table
    bar = table.verticalScrollBar()

    def painted(action) -> float:
        started = time.perf_counter()
        action()
        table.viewport().repaint()
        QApplication.processEvents()
        return time.perf_counter() - started

    rng = random.Random(7)
    jumps = [painted(lambda: bar.setValue(rng.randint(0, bar.maximum()))) for _ in range(40)]
    steps = []
    bar.setValue(bar.maximum() // 2)
    for _ in range(60):  # wheel-like scrolling, three rows at a time
        steps.append(painted(lambda: bar.setValue(bar.value() + 3 * table.verticalHeader().defaultSectionSize())))
    to_end = painted(table.scrollToBottom)

    def search(text: str) -> float:
        def apply() -> None:
            widget.search.setText(text)
            widget._apply_filters_now()

        return painted(apply)

    timings = {
        "scroll_jump_median_ms": statistics.median(jumps) * 1000,
        "scroll_jump_max_ms": max(jumps) * 1000,
        "scroll_step_median_ms": statistics.median(steps) * 1000,
        "scroll_step_max_ms": max(steps) * 1000,
        "scroll_to_end_ms": to_end * 1000,
        "search_common_word_ms": search("السعودية") * 1000,
        "search_rows": widget.model.rowCount(),
        "search_rare_word_ms": search("الأولمبية") * 1000,
        "search_no_match_ms": search("zzzzqqq") * 1000,
        "search_clear_ms": search("") * 1000,
    }
    status = widget.status_filter
    timings["filter_done_ms"] = painted(lambda: status.setCurrentIndex(status.findData("done"))) * 1000
    timings["filter_todo_ms"] = painted(lambda: status.setCurrentIndex(status.findData("todo"))) * 1000
    timings["filter_all_ms"] = painted(lambda: status.setCurrentIndex(0)) * 1000
    label = widget.label_filter
    timings["filter_label_ms"] = painted(lambda: label.setCurrentIndex(label.findData("PER"))) * 1000
    timings["filter_label_rows"] = widget.model.rowCount()
    painted(lambda: label.setCurrentIndex(0))
    from PySide6.QtCore import Qt

    widget.select_document(widget.model.doc_id(bar.maximum() // 2 // max(1, table.verticalHeader().defaultSectionSize())) or 1)
    timings["refresh_ms"] = painted(widget.refresh) * 1000
    timings["sort_title_ms"] = painted(lambda: table.sortByColumn(0, Qt.SortOrder.AscendingOrder)) * 1000
    timings["sort_title_end_ms"] = painted(table.scrollToBottom) * 1000
    timings["sort_entities_ms"] = painted(lambda: table.sortByColumn(2, Qt.SortOrder.DescendingOrder)) * 1000
    timings["refresh_sorted_by_entities_ms"] = painted(widget.refresh) * 1000
    timings["pages_in_memory"] = len(widget.model._pages)
    return timings


def run_child(path: Path, measure_list: bool = False) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path)] + (["--list"] if measure_list else []),
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | {"QT_QPA_PLATFORM": "offscreen"},
    )
    if out.returncode != 0:
        raise RuntimeError(f"child failed for {path}:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def index_creation_cost(path: Path) -> float:
    """Seconds to create the list's indexes on a copy of the corpus that lacks them."""
    import shutil
    import sqlite3

    from annotator.store.schema import LIST_INDEXES

    copy = path.with_name("index-cost.db")
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    for name in LIST_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(copy)
    started = time.perf_counter()
    for sql in LIST_INDEXES.values():
        conn.execute(sql)
    conn.commit()
    elapsed = time.perf_counter() - started
    conn.close()
    for leftover in copy.parent.glob(copy.name + "*"):
        leftover.unlink()
    return elapsed


def main() -> int:
    if "--child" in sys.argv:
        path = sys.argv[sys.argv.index("--child") + 1]
        print(json.dumps(child(path, "--list" in sys.argv)))
        return 0
    if not SAMPLE.exists():
        print(f"skipped: {SAMPLE} is absent (the shared sample builds the benchmark corpora)")
        return 0
    small = ensure_corpus(SMALL)
    large = ensure_corpus(LARGE)
    print(f"corpora: {small.name} ({small.stat().st_size / 1e6:.1f} MB), {large.name} ({large.stat().st_size / 1e6:.0f} MB)")
    run_child(small)  # warm the OS file cache and Python bytecode
    run_child(large)
    small_runs, large_runs = [], []
    for _ in range(RUNS):
        small_runs.append(run_child(small))
        large_runs.append(run_child(large))
    for runs, n in ((small_runs, SMALL), (large_runs, LARGE)):
        assert all(r["shown"] and r["rows"] == n for r in runs), runs
    t_small = statistics.median(r["first_article_s"] for r in small_runs)
    t_large = statistics.median(r["first_article_s"] for r in large_runs)
    print("\ntime to the first article (window built, list populated, article painted), median of", RUNS)
    print(f"  {SMALL:>7,} articles: {t_small * 1000:7.0f} ms")
    print(f"  {LARGE:>7,} articles: {t_large * 1000:7.0f} ms")
    print(f"  ratio: {t_large / t_small:.2f}  (aim <= 1.5)")
    print(f"  list rows read to show it: {large_runs[-1]['cached_rows']} of {LARGE:,}")
    for key, what in (("part_list_s", "document list alone (built, counted, first page painted)"),
                      ("part_session_s", "AnnotationSession alone (its undo history is read from the event log)")):
        small_part = statistics.median(r[key] for r in small_runs) * 1000
        large_part = statistics.median(r[key] for r in large_runs) * 1000
        print(f"    {what}: {small_part:.0f} ms -> {large_part:.0f} ms")
    rss_small = statistics.median(r["rss_mb"] for r in small_runs)
    rss_large = statistics.median(r["rss_mb"] for r in large_runs)
    print("\nmemory (RSS of the whole process, window open)")
    print(f"  {SMALL:>7,} articles: {rss_small:6.0f} MB")
    print(f"  {LARGE:>7,} articles: {rss_large:6.0f} MB  (+{rss_large - rss_small:.0f} MB)")

    timings = run_child(large, measure_list=True)
    print(f"\ndocument list on {LARGE:,} articles (each includes repainting the list)")
    rows = [
        ("scroll bar jump, median / max", f"{timings['scroll_jump_median_ms']:.1f} / {timings['scroll_jump_max_ms']:.1f} ms"),
        ("scroll 3 rows, median / max", f"{timings['scroll_step_median_ms']:.1f} / {timings['scroll_step_max_ms']:.1f} ms"),
        ("scroll to the end", f"{timings['scroll_to_end_ms']:.1f} ms"),
        (f"search a common word ({timings['search_rows']:,} hits)", f"{timings['search_common_word_ms']:.1f} ms"),
        ("search a rare word", f"{timings['search_rare_word_ms']:.1f} ms"),
        ("search with no match", f"{timings['search_no_match_ms']:.1f} ms"),
        ("clear the search", f"{timings['search_clear_ms']:.1f} ms"),
        ("filter: done", f"{timings['filter_done_ms']:.1f} ms"),
        ("filter: to do", f"{timings['filter_todo_ms']:.1f} ms"),
        ("filter: all", f"{timings['filter_all_ms']:.1f} ms"),
        (f"filter: label PER ({timings['filter_label_rows']:,} rows)", f"{timings['filter_label_ms']:.1f} ms"),
        ("sort by title / then scroll to the end", f"{timings['sort_title_ms']:.1f} / {timings['sort_title_end_ms']:.1f} ms"),
        ("sort by entity count (counts grouped in SQL)", f"{timings['sort_entities_ms']:.1f} ms"),
        ("refresh after an edit (import order / sorted by entities)",
         f"{timings['refresh_ms']:.1f} / {timings['refresh_sorted_by_entities_ms']:.1f} ms"),
        ("pages of 200 rows in memory afterwards", f"{timings['pages_in_memory']}"),
        ("RSS after all of the above", f"{timings['rss_after_list_mb']:.0f} MB"),
    ]
    for name, value in rows:
        print(f"  {name:58s} {value}")
    print(f"\none-time list index creation on {LARGE:,} articles (first open only): {index_creation_cost(large):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
