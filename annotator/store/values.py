"""Values that enter the store from outside and name things: annotator names, labels, colours.

One place decides what a valid annotator name or label colour is, so the window, the command
line, an import and a merged colleague database all agree: ``" amira "`` is ``amira``, an empty
name is refused as a name (never blamed on a file), and a colour is a hex colour that Qt
stylesheets and the HTML report can use as it is.

>>> annotator_name("  amira ")
'amira'
>>> label_color("#F6C177", "label PER")
'#F6C177'
"""

from __future__ import annotations

import re
import unicodedata

from annotator.store.errors import InvalidColorError, InvalidNameError

MAX_NAME_LENGTH = 200
_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def _problem(name: str) -> str | None:
    for position, char in enumerate(name):
        category = unicodedata.category(char)
        if category == "Cs":
            return f"holds an unpaired surrogate U+{ord(char):04X} at character {position}, which is not valid Unicode"
        if category == "Cc":
            return f"holds the control character U+{ord(char):04X} at character {position}"
    if len(name) > MAX_NAME_LENGTH:
        return f"is {len(name)} characters long (at most {MAX_NAME_LENGTH})"
    return None


def annotator_name(name: object) -> str:
    """The name as the store keeps it: trimmed; refuses empty names, control characters, lone surrogates."""
    if not isinstance(name, str):
        raise InvalidNameError(f"an annotator name must be text, not {type(name).__name__}")
    trimmed = name.strip()
    if not trimmed:
        shown = "an empty name" if not name else f"the name {name!r} (only spaces)"
        raise InvalidNameError(f"annotator name: {shown} is not a name; give the annotator a name")
    problem = _problem(trimmed)
    if problem:
        raise InvalidNameError(f"annotator name {trimmed!r} {problem}")
    return trimmed


def label_name(name: object, where: str = "label") -> str:
    """A label name: non-empty text without control characters or lone surrogates (kept as given)."""
    if not isinstance(name, str):
        raise InvalidNameError(f"{where}: a label name must be text, not {type(name).__name__}")
    if not name.strip():
        raise InvalidNameError(f"{where}: a label needs a name")
    problem = _problem(name)
    if problem:
        raise InvalidNameError(f"{where}: the label name {name!r} {problem}")
    return name


def label_color(color: object, where: str = "label") -> str:
    """A label colour: ``#rgb`` or ``#rrggbb``; anything else (a name, CSS, a number) is refused."""
    if not isinstance(color, str) or not _HEX_COLOR.fullmatch(color):
        raise InvalidColorError(f"{where}: colour {color!r} is not a hex colour like #f6c177")
    return color
