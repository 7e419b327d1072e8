"""Reproduce a quote model from a folder of brat attribution files (PolNeAR's train split).

    python -m annotator.train.quote_recipe ../shared/data/polnear/train models/quotes-en
    make quote-model                      # the same, with the shared data folder

1. ``OUT/corpus.db``: every article of the folder once, with its first annotator's set (the
   ``.ann`` files sorted by name, so the choice is reproducible), stored as annotator ``NAME``
   (default ``polnear``) with status ``done``, through the brat reader.
2. ``annotator train --quotes-only`` on that corpus: :func:`annotator.train.trainer.train_corpus`
   with a held-out tenth of the folder's articles for choosing the best model. Another split of
   the corpus (PolNeAR dev) stays untouched for measuring (``benchmarks/bench_quotes.py --model``).

The trained model is not shipped with annotator: PolNeAR's repository states no licence for its
articles (news text from seven publishers), so the recipe trains it where the data is.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from annotator.formats.brat_reader import read_brat
from annotator.formats.selection import Selection
from annotator.store import Corpus
from annotator.train.trainer import StepInfo, train_corpus


def build_corpus(data: Path, db: Path, annotator: str, language: str) -> int:
    """Import each text of ``data`` once with its first ``.ann`` set; returns the number of documents."""
    records = []
    for txt in sorted((data / "text").glob("*.txt")) if (data / "text").is_dir() else sorted(data.glob("*.txt")):
        first = read_brat(txt)[0]
        first.annotator = annotator
        first.language = language
        records.append(first)
    with Corpus.open(db) as corpus:
        added = corpus.add_documents(records, allow_new_labels=True)
        for doc_id in added.new_ids:
            corpus.set_status(doc_id, annotator, "done")
    return len(added.new_ids)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="a folder of brat files (text/ and attributions/, or side by side)")
    parser.add_argument("out", type=Path, help="where the corpus, the export and the model go")
    parser.add_argument("--annotator", default="polnear")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--max-steps", type=int, default=6000)
    parser.add_argument("--eval-frequency", type=int, default=500)
    parser.add_argument("--dev", type=float, default=0.1)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"quote_recipe: {args.data} is not a folder", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    db = args.out / "corpus.db"
    if not db.exists():
        print(f"{build_corpus(args.data, db, args.annotator, args.lang)} documents in {db}", flush=True)
    started = time.perf_counter()

    def report(info: StepInfo) -> None:
        if info.score is not None:
            print(f"step {info.step}/{info.max_steps} epoch {info.epoch} roles F {100 * info.score:.1f} "
                  f"(best {100 * (info.best_score or 0):.1f}) {time.perf_counter() - started:.0f} s", flush=True)

    with Corpus.open(db) as corpus:
        result = train_corpus(corpus, args.out, Selection(annotator=args.annotator, dev=args.dev),
                              max_steps=args.max_steps, eval_frequency=args.eval_frequency, quotes_only=True,
                              name="quotes-" + args.lang, progress=report)
    whole = result.scores["quotes"]
    print(f"saved {result.model_path} in {time.perf_counter() - started:.0f} s; on its dev split: content F1 "
          f"{100 * whole['content_overlap']['f1']:.1f} by overlap, cue F1 {100 * whole['cue_exact']['f1']:.1f}, "
          f"scores per shape {result.scores['quote_scores']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
