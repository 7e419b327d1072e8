"""When to train again: after every N articles an annotator newly finished.

The count starts from the last training attempt on that annotator's articles (registered or not,
recorded by :func:`annotator.train.job.run_training_job` in the corpus), so a model that was not
good enough is not retrained at every next article, and a second window or ``annotator train
--watch`` on the same corpus counts from the same point.

Default N (:data:`DEFAULT_EVERY`), from ``benchmarks/bench_learning.py`` (README, "The model in the
loop"): a SaudiNewsNet article has ~285 words (median 203), about 7-10 ANERcorp sentences (~30 tokens
each), so 20 articles are ~150-200 sentences; on the curve each doubling of the finished sentences
adds 0.07-0.1 F1 (both), and a retraining costs 10 s to 2 minutes of one core. Every 20 articles (about
an hour of annotating) retrains while a round still brings a visible gain and keeps the job off the
machine most of the time; every 5 would retrain on changes smaller than the noise of scoring on a
few dev articles.
"""

from __future__ import annotations

import json

from annotator.store import Corpus
from annotator.train.job import ATTEMPTS_SETTING

DEFAULT_EVERY = 20


def trained_at(corpus: Corpus, annotator: str) -> int:
    """How many articles ``annotator`` had finished when a model last trained on them (0: never)."""
    try:
        attempts = json.loads(corpus.setting(ATTEMPTS_SETTING) or "{}")
    except ValueError:
        return 0
    counts = [int(per.get(annotator, {}).get("done_at_training") or 0)
              for per in (attempts.values() if isinstance(attempts, dict) else []) if isinstance(per, dict)]
    return max(counts, default=0)


def newly_finished(corpus: Corpus, annotator: str) -> int:
    """Articles ``annotator`` finished since the last training attempt on their articles."""
    done, _ = corpus.progress(annotator)
    return max(0, done - trained_at(corpus, annotator))


def due(corpus: Corpus, annotator: str, every: int = DEFAULT_EVERY) -> bool:
    """Is a training job due for ``annotator`` (``every`` or more newly finished articles, two at least)?"""
    done, _ = corpus.progress(annotator)
    return done >= 2 and newly_finished(corpus, annotator) >= max(1, every)
