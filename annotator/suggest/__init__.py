"""Pre-suggestions: suggesters as spaCy components and the runner that caches their results.

- :mod:`~annotator.suggest.quotes` — quotes (content, cue, source, type) by rules per language,
  with the language data in ``resources/quotes/<lang>.json`` (:mod:`~annotator.suggest.quote_rules`)
  and quotation-mark pairing in :mod:`~annotator.suggest.quote_marks`.
- :mod:`~annotator.suggest.gazetteer` — entities from shipped lists and CLDR territory names.
- :mod:`~annotator.suggest.learned` — entities annotators already labelled elsewhere in the corpus,
  scored by the corpus's own evidence (:mod:`~annotator.suggest.name_evidence`); what a change
  of them re-runs is kept in :mod:`~annotator.suggest.learned_state` (with the name index of
  :mod:`~annotator.suggest.name_index`).
- :mod:`~annotator.suggest.model` — any trained spaCy pipeline.
- :mod:`~annotator.suggest.name_matcher` — clitic-aware name matching shared by the gazetteer and learned.
- :mod:`~annotator.suggest.combine` — one proposal per place when several suggesters propose entities.
- :mod:`~annotator.suggest.runner` — :func:`run_suggesters`, used by the CLI and the UI.
- :mod:`~annotator.suggest.evaluation` — suggestions (or an annotator) against a gold annotator.
"""

from annotator.suggest.runner import (
    BUILTIN_SUGGESTERS,
    RunSummary,
    SuggesterError,
    available_suggesters,
    build_pipeline,
    run_suggesters,
)

__all__ = [
    "BUILTIN_SUGGESTERS",
    "RunSummary",
    "SuggesterError",
    "available_suggesters",
    "build_pipeline",
    "run_suggesters",
]
