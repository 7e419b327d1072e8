"""Errors the store raises; each message names what is wrong in words a user understands."""


class CorpusError(Exception):
    """The corpus file cannot be used (not ours, newer schema, read-only, missing)."""


class AnnotationError(ValueError):
    """An edit that would break a rule of the corpus (nothing was written)."""


class OverlapError(AnnotationError):
    """Entities never overlap each other."""


class UnknownLabelError(AnnotationError):
    """The label is not in the corpus's label schema."""


class StaleEditError(AnnotationError, KeyError):
    """The edit refers to a span or quote that no longer exists (deleted in another window or process).

    A ``KeyError`` too, so code that caught ``KeyError`` keeps working; ``str()`` is the plain message.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class InvalidNameError(AnnotationError):
    """An annotator or label name that cannot be used (nothing was written)."""


class InvalidColorError(AnnotationError):
    """A label colour that is not a ``#rgb`` or ``#rrggbb`` hex colour (nothing was written)."""


class NotInSetError(AnnotationError):
    """The row is in another annotator's set, or another article, than the one the edit names."""


class ChangedSinceError(StaleEditError):
    """The row is no longer the one the edit (or an undo) describes: someone changed it since."""
