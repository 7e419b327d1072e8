"""What each worker process needs loaded before its first chunk (imported once by the fork server)."""

import spacy.lang.ar  # noqa: F401  (the Arabic tokenizer's rules, the slowest language to load)
import spacy.lang.en  # noqa: F401

import annotator.formats.spacy_writer  # noqa: F401
import annotator.suggest.runner  # noqa: F401
