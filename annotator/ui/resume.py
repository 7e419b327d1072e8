"""Where each annotator left a corpus: the article a restart opens again (Qt-free).

Kept in the corpus itself (``corpus_info``, key ``ui.last_document:<annotator>``), so it
holds for a run under any name (a run with ``--annotator`` writes nothing to the user's
settings) and travels with a backup. A read-only corpus simply does not remember.
"""

from __future__ import annotations

from annotator.store import Corpus, CorpusError

KEY = "ui.last_document:{annotator}"


def last_document(corpus: Corpus, annotator: str) -> int | None:
    """The article ``annotator`` had open when they last left this corpus, if it still exists."""
    value = corpus.setting(KEY.format(annotator=annotator))
    try:
        doc_id = int(value) if value is not None else None
    except ValueError:
        return None
    if doc_id is None:
        return None
    try:
        corpus.document(doc_id)
    except (KeyError, CorpusError):
        return None
    return doc_id


def remember_document(corpus: Corpus, annotator: str, doc_id: int) -> bool:
    """Record the open article (False when the corpus cannot be written: nothing is lost but the place)."""
    key = KEY.format(annotator=annotator)
    if getattr(corpus, "readonly", False) or corpus.setting(key) == str(doc_id):
        return False
    try:
        corpus.set_setting(key, str(doc_id))
    except CorpusError:
        return False
    return True
