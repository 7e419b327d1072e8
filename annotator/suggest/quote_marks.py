"""Pair quotation marks of every style into quoted stretches of tokens.

News mixes styles (``"…"``, ``«…»``, ``“…”``, ``„…“``, ``‘…’`` nested), pairs them loosely
(``«…"``) and, when typed in visual order, reverses them (``»…«``). The shared tokenizer makes
every double mark a token of its own (also two apostrophes typed as one, ``''…''``, the New York
Times style), so pairing works on tokens: a mark opens when nothing is open (or, for a single
mark, when a double one is open: nesting), and the next mark that can close closes it. Pairs
never cross a paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from annotator.suggest.base import token_table
from annotator.suggest.quote_rules import QuoteRules

SINGLE_MARKS = frozenset("‘’'‚‹›")


@dataclass(frozen=True)
class QuotePair:
    """A quoted stretch: token indices of the opening and closing marks."""

    open: int
    close: int
    nested: bool = False

    @property
    def inner(self) -> range:
        return range(self.open + 1, self.close)


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def find_quote_pairs(doc: Doc, rules: QuoteRules) -> list[QuotePair]:
    """All quoted stretches of ``doc``, outer ones first in text order."""
    table = token_table(doc)
    text = table.text
    marks = rules.all_marks
    pairs: list[QuotePair] = []
    open_double: int | None = None
    open_single: int | None = None
    for i, ch in enumerate(table.texts):
        if table.breaks[i]:  # paragraph break: nothing stays open across it
            open_double = open_single = None
            continue
        if ch not in marks:  # one character, or a typed double mark of two (''…'', New York Times style)
            continue
        idx = table.starts[i]
        before = text[idx - 1] if idx > 0 else ""
        after = text[idx + len(ch)] if idx + len(ch) < len(text) else ""
        if ch in SINGLE_MARKS:
            if before.isalpha() and after.isalpha():
                continue  # an apostrophe: don't, Putin’s
            if open_single is not None and ch in rules.close_marks and not _is_space(before):
                pairs.append(QuotePair(open_single, i, nested=open_double is not None))
                open_single = None
            elif ch in rules.open_marks and (_is_space(before) or not before.isalnum()) and not _is_space(after):
                open_single = i
            continue
        can_open = ch in rules.open_marks or (rules.allow_reversed and ch in rules.close_marks)
        can_close = ch in rules.close_marks or (rules.allow_reversed and ch in rules.open_marks)
        if open_double is not None and can_close:
            opener = table.texts[open_double]
            if rules.allow_mixed or (opener, ch) in rules.pairs or (rules.allow_reversed and (ch, opener) in rules.pairs):
                if i > open_double + 1:
                    pairs.append(QuotePair(open_double, i))
                open_double = None
                open_single = None
                continue
        if open_double is None and can_open:
            # A typed closing mark opens only when it reads as an opener (reversed: ``»كلام«``).
            if ch in rules.open_marks or (_is_space(before) and not _is_space(after)):
                open_double = i
                open_single = None
    pairs.sort(key=lambda p: (p.open, -p.close))
    return pairs
