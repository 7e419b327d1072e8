"""Errors the store raises; each message names what is wrong in words a user understands."""


class CorpusError(Exception):
    """The corpus file cannot be used (not ours, newer schema, read-only, missing)."""


class AnnotationError(ValueError):
    """An edit that would break a rule of the corpus (nothing was written)."""


class OverlapError(AnnotationError):
    """Entities never overlap each other."""


class UnknownLabelError(AnnotationError):
    """The label is not in the corpus's label schema."""
