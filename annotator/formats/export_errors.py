"""Why an export was not written: one error type for every exporter, so callers catch one thing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class ExportError(Exception):
    """The export cannot be written (nothing selected, or misaligned spans under --strict)."""

    def __init__(self, message: str, misaligned: Iterable[Any] = ()) -> None:
        super().__init__(message)
        self.misaligned = list(misaligned)


class OutputError(ExportError):
    """The export's target cannot be written, or exists and ``overwrite`` was not given."""
