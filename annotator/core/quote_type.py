"""A quote's type read from its text: direct, indirect or mixed (for sources that do not say).

Content that is one quoted stretch (the marks inside the part or just around it, after spaces and
punctuation) is *direct*; content holding double quote marks is *mixed*; anything else is
*indirect*. Single marks (``'…'``, ``‘…’``) count only around a whole part: inside a clause they
are more often apostrophes or scare quotes.

>>> from annotator.core.spans import Range
>>> text = 'He said "we will act", adding that it was "urgent".'
>>> infer_quote_type(text, [Range(9, 20)]), infer_quote_type(text, [Range(35, 50)])
('direct', 'mixed')
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.spans import Range

OPENING_MARKS = "\"'«“„‘‹»"
CLOSING_MARKS = "\"'»”“’›«"
DOUBLE_MARKS = "\"«»“”„"
EDGE_PUNCTUATION = " \t\n\u00a0.,،;؛:!?؟—–-…()[]"


def infer_quote_type(text: str, contents: Iterable[Range]) -> str:
    """``direct``, ``mixed`` or ``indirect`` for the content parts ``contents`` of ``text``."""
    whole = True
    marks = False
    for part in contents:
        core = text[part.start : part.end].strip(EDGE_PUNCTUATION)
        inner_marks = any(ch in DOUBLE_MARKS for ch in core[1:-1])
        inside = len(core) >= 2 and core[0] in OPENING_MARKS and core[-1] in CLOSING_MARKS
        before = text[: part.start].rstrip(EDGE_PUNCTUATION)[-1:]
        after = text[part.end :].lstrip(EDGE_PUNCTUATION)[:1]
        around = before != "" and after != "" and before in OPENING_MARKS and after in CLOSING_MARKS
        whole = whole and (inside or around) and not inner_marks
        marks = marks or any(ch in DOUBLE_MARKS for ch in core)
    if whole:
        return "direct"
    return "mixed" if marks else "indirect"
