"""What one new entity costs the next `annotator suggest`, against a full pass, on the 2,000 shared articles.

Texts: ../shared/data/saudinewsnet-sample.jsonl (`content`). Skips with a message when absent.

Set-up: the 1,973 non-empty articles in a fresh corpus; an annotator (`amira`) has finished the
first 100, accepting exactly what the gazetteer proposes there (so the learned suggester has
names and evidence to weigh). Then, measured with `run_suggesters` over every built-in suggester
(gazetteer, learned, quotes), in this process:

1. **Full pass**: nothing cached (what a fresh corpus, or the old `learned` after any new span,
   costs).
2. **Nothing changed**: everything cached (the fixed cost of a run: building the pipelines,
   preparing the learned names, checking every article's versions).
3. **One new entity**, again and again: the annotator labels a name the corpus does not know yet
   (the next names the gazetteer finds in the articles after the first 100: what an annotator
   meets next), and `annotator suggest` runs; it re-runs `learned` on the articles where that
   name can occur and nothing else. Then, as a stress case, four plain words drawn with a fixed
   seed (four letters or more, not stop words, not known names) are labelled PER the same way:
   common words occur in hundreds of articles, and every one of them must re-run. Each time is
   printed beside the full pass's, with the number of articles re-run; each span is then deleted
   and the run after that (the name leaving the corpus) is timed too.

Both sides run the same pipelines over the same stored articles in the same process; the full
pass pays for tokenizing every article, which is what the incremental run avoids.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.clitics import normalize  # noqa: E402
from annotator.core.spans import DocumentRecord, Span  # noqa: E402
from annotator.core.tokenizer import make_nlp  # noqa: E402
from annotator.store import Corpus  # noqa: E402
from annotator.suggest.runner import build_pipeline, run_suggesters  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "saudinewsnet-sample.jsonl"
SUGGESTERS = ["gazetteer", "learned", "quotes"]
ANNOTATED = 100
NEW_ENTITIES = 8
STRESS_WORDS = 4


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> int:
    if not DATA.exists():
        print(f"bench_incremental: skipped — {DATA} is absent (the shared SaudiNewsNet sample)")
        return 0
    texts = [t for t in (json.loads(line)["content"] for line in DATA.open(encoding="utf-8")) if t.strip()]
    nlp = make_nlp("ar")
    stop = nlp.Defaults.stop_words
    with tempfile.TemporaryDirectory() as tmp, Corpus.open(Path(tmp) / "bench.db") as corpus:
        ids = corpus.add_documents(DocumentRecord(text=t, language="ar") for t in texts).new_ids
        gazetteer, _ = build_pipeline("ar", ["gazetteer"])
        for doc_id, doc in zip(ids[:ANNOTATED], gazetteer.pipe(texts[:ANNOTATED]), strict=True):
            for s in doc._.suggestions["gazetteer"].spans:
                corpus.add_span(doc_id, "amira", Span(s.start, s.end, s.label, origin="accepted", suggester="gazetteer"))
            corpus.set_status(doc_id, "amira", "done")
        known = {normalize(name) for name, _, _ in corpus.entity_names()}

        full, t_full = timed(lambda: run_suggesters(corpus, SUGGESTERS))
        cached, t_cached = timed(lambda: run_suggesters(corpus, SUGGESTERS))
        print(f"articles: {len(ids):,}; finished by amira: {ANNOTATED} ({len(known):,} distinct names)")
        print(f"full pass            : {t_full:6.2f} s  ({full.processed:,} articles, {full.spans:,} entity "
              f"suggestions, {full.quotes:,} quotes)")
        print(f"nothing changed      : {t_cached:6.2f} s  ({cached.up_to_date:,} up to date)  "
              f"= {100 * t_cached / t_full:.1f} % of the full pass")

        def one(doc_id: int, start: int, end: int) -> tuple:
            span = corpus.add_span(doc_id, "amira", Span(start, end, "PER"))
            added, t_added = timed(lambda: run_suggesters(corpus, SUGGESTERS))
            corpus.delete_span(span.id, "amira")
            _, t_removed = timed(lambda: run_suggesters(corpus, SUGGESTERS))
            others = added.per_suggester["gazetteer"]["documents"] + added.per_suggester["quotes"]["documents"]
            return corpus.document(doc_id).text[start:end], added.per_suggester["learned"]["documents"], \
                t_added, t_removed, others

        names = []
        for doc_id, doc in zip(ids[ANNOTATED:], gazetteer.pipe(texts[ANNOTATED:]), strict=False):
            for s in doc._.suggestions["gazetteer"].spans:
                if normalize(doc.text[s.start:s.end]) not in known and len(names) < NEW_ENTITIES:
                    known.add(normalize(doc.text[s.start:s.end]))
                    names.append(one(doc_id, s.start, s.end))
            if len(names) >= NEW_ENTITIES:
                break
        rng = random.Random(0)
        words = []
        while len(words) < STRESS_WORDS:
            doc_id = rng.choice(ids[ANNOTATED:])
            candidates = [t for t in nlp.make_doc(corpus.document(doc_id).text) if t.is_alpha and len(t.text) >= 4
                          and t.text not in stop and normalize(t.text) not in known]
            if candidates:
                word = rng.choice(candidates)
                known.add(normalize(word.text))
                words.append(one(doc_id, word.idx, word.idx + len(word.text)))
        for title, rows in (("the next new names", names), ("stress: plain words labelled PER", words)):
            print(f"{title:<34} {'articles re-run':>15} {'time':>7} {'% of full':>9}   {'removed again':>14}")
            for word, rerun, t_added, t_removed, others in rows:
                print(f"  {word:<32} {rerun:>15} {t_added:6.2f}s {100 * t_added / t_full:8.1f}%   "
                      f"{t_removed:6.2f}s ({100 * t_removed / t_full:.1f} %)"
                      + (f"  [other suggesters re-ran on {others}]" if others else ""))
            shares = [100 * r[2] / t_full for r in rows]
            print(f"  median {statistics.median(shares):.1f} %, max {max(shares):.1f} % of a full pass (aim <= 5 %); "
                  f"articles re-run: median {statistics.median(r[1] for r in rows):.0f}")
        size = (Path(tmp) / "bench.db").stat().st_size / 1e6
        index = corpus.conn.execute("SELECT COUNT(*) FROM learned_indexed").fetchone()[0]
    print(f"corpus file {size:.1f} MB (name index over {index:,} articles); peak RSS {peak_mb():.0f} MB; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
