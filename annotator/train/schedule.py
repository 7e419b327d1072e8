"""When to train again: after every N articles an annotator newly finished.

The count starts from the last training attempt on that annotator's articles (registered or not,
recorded by :func:`annotator.train.job.run_training_job` in the corpus), so a model that was not
good enough is not retrained at every next article, and a second window or ``annotator train
--watch`` on the same corpus counts from the same point.

Default N (:data:`DEFAULT_EVERY`): measured with ``benchmarks/bench_learning.py`` (see the README):
one news article holds about ten ANERcorp sentences' worth of entities, the curve is steepest over
the first few hundred sentences, and a fine-tuning job on a few hundred articles takes a few
minutes of one core; every 20 articles retrains while the gain per round is still large, without a
job always running.
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
