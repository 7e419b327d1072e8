"""The SQLite corpus (via sqlite-utils): schema, migrations, queries, event log."""

from annotator.store.corpus import DEFAULT_CORPUS, STATUSES, AddResult, Corpus, Document
from annotator.store.errors import (
    AnnotationError,
    CorpusError,
    OverlapError,
    StaleEditError,
    UnknownLabelError,
)

__all__ = [
    "DEFAULT_CORPUS",
    "STATUSES",
    "AddResult",
    "AnnotationError",
    "Corpus",
    "CorpusError",
    "Document",
    "OverlapError",
    "StaleEditError",
    "UnknownLabelError",
]
