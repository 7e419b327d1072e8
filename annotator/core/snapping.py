"""Snap character ranges to token boundaries; grow and shrink by a token.

Works on a sorted list of token bounds (see :func:`annotator.core.tokenizer.token_bounds`)
so the UI can compute bounds once per document and snap every selection cheaply.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

Bounds = list[tuple[int, int]]


class TokenIndex:
    """Token boundaries of one text with O(log n) lookups."""

    def __init__(self, bounds: Bounds) -> None:
        self.bounds = bounds
        self.starts = [s for s, _ in bounds]
        self.ends = [e for _, e in bounds]

    def token_at(self, offset: int) -> int | None:
        """Index of the token containing code point ``offset`` (None in whitespace)."""
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and self.starts[i] <= offset < self.ends[i]:
            return i
        return None

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """Expand ``[start, end)`` to whole tokens; trims whitespace first.

        Returns None when the range touches no token.
        """
        if end <= start:
            return None
        first = bisect_right(self.ends, start)  # first token ending after start
        last = bisect_left(self.starts, end) - 1  # last token starting before end
        if first >= len(self.bounds) or last < first:
            return None
        return self.starts[first], self.ends[last]

    def is_aligned(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, start)
        j = bisect_left(self.ends, end)
        return i < len(self.starts) and self.starts[i] == start and j < len(self.ends) and self.ends[j] == end

    def grow_start(self, start: int, end: int) -> tuple[int, int]:
        """Move the start one token earlier (in logical order)."""
        i = bisect_left(self.starts, start)
        return (self.starts[i - 1], end) if i > 0 else (start, end)

    def shrink_start(self, start: int, end: int) -> tuple[int, int]:
        """Move the start one token later, never emptying the span."""
        i = bisect_right(self.starts, start)
        if i < len(self.starts) and self.starts[i] < end:
            return self.starts[i], end
        return start, end

    def grow_end(self, start: int, end: int) -> tuple[int, int]:
        j = bisect_right(self.ends, end)
        return (start, self.ends[j]) if j < len(self.ends) else (start, end)

    def shrink_end(self, start: int, end: int) -> tuple[int, int]:
        j = bisect_left(self.ends, end) - 1
        if j >= 0 and self.ends[j] > start:
            return start, self.ends[j]
        return start, end

    def nearest_aligned(self, start: int, end: int) -> tuple[int, int] | None:
        """The token-aligned range closest to ``[start, end)`` (used to report misalignment)."""
        return self.snap(start, end)
