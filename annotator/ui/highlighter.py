"""Quote highlighting as paragraph-layout formats (a ``QSyntaxHighlighter``).

Quote contents are underlined, cues and sources coloured; suggested ones dashed or dotted.
(Entity backgrounds are painted by the view under the text, see
:meth:`annotator.ui.document_view.DocumentView._paint_entities`.)

Why not ``ExtraSelection`` s: each one needs two ``QTextCursor.setPosition`` calls that lay
out the paragraph to compute a cursor x, ``setExtraSelections`` computes a rectangle for
every old and new selection, and every paint walks every selection for every visible
paragraph. Layout formats cost nothing per mark at paint time, never touch the document's
text or undo stack, and an edit re-formats only the paragraphs whose marks changed.
Overlapping parts are merged per segment so every role stays visible, except that where
one of the annotator's own quotes and a suggested one overlap, only the annotator's parts
are drawn there (what is accepted is never blurred by a suggestion). Cue and source text
is coloured, darkened just enough to read on what lies under it: a ``backdrop`` mark says
which entity colour that is. Underline and colour do not change the font, so Arabic
letters stay joined across a part's boundary.

A ``tag`` mark widens one space (the one before an entity, when label tags are shown) by
the width of the tag the view draws there; a space never joins letters, so the words on
either side are shaped as before.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument, QTextFormat

from annotator.core.offsets import OffsetMap
from annotator.ui.contrast import blend, readable_on

Mark = tuple[int, int, tuple]  # (start, end) in code points, format key
KINDS_PROPERTY = QTextFormat.Property.UserProperty + 17  # "entity|cue": what a segment shows (for tests)
_SEPARATOR = re.compile("[\n\r\u2029\ufdd0\ufdd1]")  # what QTextDocument turns into a paragraph break
ROLES = ("content", "cue", "source")
PAGE = "#ffffff"  # the page colour cue and source text must read on where no entity lies under it
SUGGESTED_ALPHA = 170 / 255  # suggested cue and source text is paler until accepted


def display_text(text: str) -> str:
    """The stored text as given to Qt, with the same length in UTF-16 units.

    ``QTextDocument`` turns "\\r\\n" into ONE paragraph break, which would shift every
    offset after it; the "\\r" is shown as a space instead. Nothing else changes.
    """
    return text.replace("\r\n", " \n") if "\r\n" in text else text


def char_format(key: tuple) -> QTextCharFormat:
    """The format for one mark key: (role, colour, suggested), role "content", "cue" or "source";
    ("tag", width in pixels, False) widens a space; ("backdrop", colour, False) formats nothing."""
    fmt = QTextCharFormat()
    if key[0] == "tag":
        fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
        fmt.setFontLetterSpacing(float(key[1]))
        return fmt
    if key[0] not in ROLES:
        return fmt
    kind, color, suggested = key[0], QColor(key[1]), key[2]
    fmt.setUnderlineColor(color)
    if kind == "content":
        fmt.setUnderlineStyle(
            QTextCharFormat.UnderlineStyle.DashUnderline if suggested else QTextCharFormat.UnderlineStyle.SingleUnderline
        )
    else:  # cue, source
        if kind == "cue" and not suggested:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        else:
            fmt.setUnderlineStyle(
                QTextCharFormat.UnderlineStyle.DotLine if suggested else QTextCharFormat.UnderlineStyle.SingleUnderline
            )
        text_color = QColor(color)
        if suggested:
            text_color.setAlpha(170)  # paler until accepted
        fmt.setForeground(text_color)
    return fmt


def kind_name(key: tuple) -> str:
    return f"{key[0]}-suggestion" if key[2] else key[0]


def shown_keys(keys: tuple) -> tuple:
    """The keys a segment is drawn with: the annotator's own parts win over suggested ones."""
    if any(k[0] in ROLES and not k[2] for k in keys):
        return tuple(k for k in keys if not (k[0] in ROLES and k[2]))
    return keys


def text_color(keys: tuple, page: str = PAGE) -> str | None:
    """The colour of a segment's text: the last role that colours text (cue, source), readable on
    the backdrop under it (the last entity colour given, else the page). None: left as it is."""
    roles = [k for k in keys if k[0] in ("cue", "source")]
    if not roles:
        return None
    backdrops = [k[1] for k in keys if k[0] == "backdrop"]
    under = backdrops[-1] if backdrops else page
    role = roles[-1]
    color = readable_on(QColor(role[1]).name(), under)
    return blend(color, under, SUGGESTED_ALPHA) if role[2] else color


class SpanHighlighter(QSyntaxHighlighter):
    """Formats each paragraph from a list of marks (see :data:`Mark`)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._offsets = OffsetMap("")
        self._block_starts: list[int] = [0]  # UTF-16 start of every paragraph
        self._by_block: dict[int, list[tuple[int, int, tuple]]] = {}  # block start -> marks in UTF-16
        self._formats: dict[tuple, QTextCharFormat] = {}
        self._placed: dict[Mark, tuple[list[int], tuple[int, int, tuple]]] = {}
        self.page = PAGE  # the view's base colour (set by the view from its palette)

    def set_marks(self, marks: list[Mark], offsets: OffsetMap, text: str | None = None,
                  reformat: bool = True) -> None:
        """Use these marks. ``text`` (when the document is about to be replaced) gives the paragraphs.

        With ``reformat``, the paragraphs whose marks changed are formatted again at once.
        """
        self._offsets = offsets
        if text is not None:
            units = text if offsets.length_utf16 == len(text) else _utf16_units(text)
            self._block_starts = [0] + [m.end() for m in _SEPARATOR.finditer(units)]
            self._placed.clear()
        previous = self._by_block
        by_block: dict[int, list[tuple[int, int, tuple]]] = {}
        starts = self._block_starts
        placed = self._placed
        for mark in marks:
            where = placed.get(mark)
            if where is None:  # UTF-16 range and paragraphs of a mark, computed once per document
                start, end, key = mark
                lo, hi = offsets.to_utf16(start), offsets.to_utf16(end)
                first = max(bisect_right(starts, lo) - 1, 0)
                last = bisect_right(starts, max(lo, hi - 1)) - 1
                where = placed[mark] = ([starts[b] for b in range(first, last + 1)], (lo, hi, key))
            blocks, converted = where
            for block_start in blocks:
                found = by_block.get(block_start)
                if found is None:
                    by_block[block_start] = [converted]
                else:
                    found.append(converted)
        self._by_block = by_block
        if not reformat:
            return
        document = self.document()
        for block_start in set(previous) | set(by_block):
            if previous.get(block_start) != by_block.get(block_start):
                block = document.findBlock(block_start)
                if block.isValid():
                    self.rehighlightBlock(block)

    def _format(self, keys: tuple) -> QTextCharFormat | None:
        """The merged format of a segment's keys (None: nothing to draw there)."""
        if keys in self._formats:
            return self._formats[keys]
        shown = shown_keys(keys)
        drawn = [k for k in shown if k[0] != "backdrop"]
        cached: QTextCharFormat | None = None
        if drawn:
            cached = QTextCharFormat()
            for key in drawn:
                cached.merge(char_format(key))
            color = text_color(shown, self.page)
            if color is not None:
                cached.setForeground(QColor(color))
            kinds = "|".join(kind_name(k) for k in drawn if k[0] in ROLES)
            if kinds:
                cached.setProperty(KINDS_PROPERTY, kinds)
        self._formats[keys] = cached
        return cached

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        block = self.currentBlock()
        base = block.position()
        marks = self._by_block.get(base)
        if not marks:
            return
        length = block.length() - 1
        # Sweep over the mark boundaries: each segment gets the merged format of the marks
        # covering it, in drawing order (mark order). O(m log m) per paragraph.
        events: list[tuple[int, int, int]] = []  # (position, 0 = end / 1 = start, mark index)
        for index, (lo, hi, _key) in enumerate(marks):
            a, b = max(lo - base, 0), min(hi - base, length)
            if a < b:
                events.append((a, 1, index))
                events.append((b, 0, index))
        events.sort()
        active: set[int] = set()
        position = 0
        for at, is_start, index in events:
            if at > position and active:
                fmt = self._format(tuple(marks[i][2] for i in sorted(active)))
                if fmt is not None:
                    self.setFormat(position, at - position, fmt)
            position = at
            if is_start:
                active.add(index)
            else:
                active.discard(index)


def _utf16_units(text: str) -> str:
    """``text`` with every astral character doubled, so indices count UTF-16 units."""
    return "".join(ch * 2 if ord(ch) > 0xFFFF else ch for ch in text)


def highlight_segments(document: QTextDocument, offsets: OffsetMap) -> list[tuple[int, int, str]]:
    """What the highlighter drew: (start, end, kinds) in code points, kinds like "entity|content"."""
    out: list[tuple[int, int, str]] = []
    block = document.begin()
    while block.isValid():
        base = block.position()
        for fr in block.layout().formats():
            kinds = fr.format.property(KINDS_PROPERTY)
            if kinds:
                out.append((offsets.to_codepoint(base + fr.start), offsets.to_codepoint(base + fr.start + fr.length),
                            str(kinds)))
        block = block.next()
    return out
