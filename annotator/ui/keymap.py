"""THE keyboard map of the annotation window, as data.

One list feeds the window's QActions, the help overlay (F1 / ``?``) and the README
table, so the three can never disagree. Keys are ``QKeySequence`` portable strings
("Ctrl+Z", "Alt+1", "["); this module imports no Qt.

Boundary keys are *visual*: ``[`` moves the boundary the annotator sees on the left,
``]`` the one on the right. In a right-to-left document the left boundary is the
span's logical end, so :func:`boundary_edge` translates before the session is called.

>>> from annotator.core.labels import load_label_schema
>>> [b.keys for b in keymap(load_label_schema()) if b.action == "label:PER"]
[('1',)]
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.labels import Label, LabelSchema

SECTIONS = ("Entities", "Suggestions", "Boundaries", "Quotes", "Document", "Article list", "History", "View", "Corpus")


@dataclass(frozen=True)
class KeyBinding:
    """One row of the keyboard map."""

    action: str  # stable name, e.g. "label:PER", "suggestion.accept"
    keys: tuple[str, ...]  # QKeySequence portable strings; the first is the one shown first
    description: str
    section: str
    shortcut: bool = True  # False: documentation only (the keys belong to another action)
    listed: bool = True  # False: a key that works but is documented by a summary row (Alt+1 … Alt+6)

    @property
    def key(self) -> str:
        """Keys as shown to a person: ``"Ctrl+Shift+Z / Ctrl+Y"``."""
        return " / ".join(dict.fromkeys(DISPLAY.get(k, k) for k in self.keys))


# How some portable key names read in the help and the README.
DISPLAY = {
    "{": "Shift+[",
    "}": "Shift+]",
    "Return": "Enter",
    "Ctrl+Return": "Ctrl+Enter",
    "Backtab": "Shift+Tab",
    "PgDown": "Page Down",
    "PgUp": "Page Up",
}


def label_keys(schema: LabelSchema) -> list[tuple[Label, str]]:
    """Each entity label with its digit key (1–9).

    A label keeps the key its schema gives it when that key is a free digit; the others
    take the lowest free digits in schema order; labels beyond nine get no key.
    """
    taken: set[str] = set()
    chosen: dict[str, str] = {}
    for label in schema.entities:
        if len(label.key) == 1 and label.key in "123456789" and label.key not in taken:
            chosen[label.name] = label.key
            taken.add(label.key)
    free = [d for d in "123456789" if d not in taken]
    out: list[tuple[Label, str]] = []
    for label in schema.entities:
        key = chosen.get(label.name)
        if key is None and free:
            key = free.pop(0)
        if key is not None:
            out.append((label, key))
    return out


def keymap(schema: LabelSchema) -> list[KeyBinding]:
    """The whole keyboard map for a corpus's label schema."""
    labels = label_keys(schema)
    bindings: list[KeyBinding] = []
    for label, key in labels:
        name = f"{label.name} ({label.description})" if label.description else label.name
        bindings.append(
            KeyBinding(f"label:{label.name}", (key,), f"Label the selected text {name}, snapped to whole tokens", "Entities")
        )
    for label, key in labels:
        bindings.append(
            KeyBinding(
                f"label-exact:{label.name}",
                (f"Alt+{key}",),
                f"Label exactly the selected characters {label.name} (no snapping to tokens)",
                "Entities",
                listed=False,
            )
        )
    digits = f"{labels[0][1]}–{labels[-1][1]}" if labels else "1–9"
    bindings += [
        KeyBinding("label-exact", (f"Alt+{digits}",),
                   "The same, for exactly the selected characters (no snapping to tokens: بوتين inside وبوتين)",
                   "Entities", shortcut=False),
        KeyBinding("relabel", (digits,), "With a span selected and no text selected: change its label", "Entities",
                   shortcut=False),
        KeyBinding("select", ("Click",),
                   "Place the cursor; on your own span or quote, select it (again: the next one there)", "Entities",
                   shortcut=False),
        KeyBinding("select-any", ("Ctrl+Click",), "Select what is under the mouse, suggestions included", "Entities",
                   shortcut=False),
        KeyBinding("delete", ("Delete", "Backspace"), "Delete the selected span or quote", "Entities"),
        KeyBinding("deselect", ("Escape",), "Clear the selection", "Entities"),
        KeyBinding("suggestion.next", ("Tab",), "Go to the next suggestion", "Suggestions"),
        KeyBinding("suggestion.previous", ("Shift+Tab",), "Go to the previous suggestion", "Suggestions"),
        KeyBinding("suggestion.accept", ("Return", "Enter"), "Accept the selected suggestion (a quote with all its parts)",
                   "Suggestions"),
        KeyBinding("suggestion.reject", ("X",), "Reject the selected suggestion", "Suggestions"),
        KeyBinding("suggestion.accept-all", ("A",),
                   "Accept every suggestion in the article (entities that would overlap are skipped)", "Suggestions"),
        KeyBinding("boundary.grow-left", ("[",), "Move the left boundary of the selected span one token to the left",
                   "Boundaries"),
        KeyBinding("boundary.shrink-left", ("{",), "Move the left boundary one token to the right", "Boundaries"),
        KeyBinding("boundary.grow-right", ("]",), "Move the right boundary one token to the right", "Boundaries"),
        KeyBinding("boundary.shrink-right", ("}",), "Move the right boundary one token to the left", "Boundaries"),
        KeyBinding("quote.content", ("Q",), "Make the selected text a new quote's content", "Quotes"),
        KeyBinding("quote.add-part", ("W",),
                   "Add the selected text as another content part of the selected quote (again: remove it)", "Quotes"),
        KeyBinding("quote.cue", ("C",),
                   "Make the selected text the selected quote's cue, the reporting verb (again: remove it)", "Quotes"),
        KeyBinding("quote.source", ("S",),
                   "Add the selected text as a source (speaker) of the selected quote (again: remove it)", "Quotes"),
        KeyBinding("quote.link", ("L",),
                   "Link the selected quote's speaker to the entity under the selected text (or under its source)",
                   "Quotes"),
        KeyBinding("quote.type", ("T",), "Cycle the selected quote's type: direct → indirect → mixed", "Quotes"),
        KeyBinding("document.done", ("Ctrl+Return", "Ctrl+Enter"),
                   "Mark the article done and open the next undone one in the list (within its search and filters)",
                   "Document"),
        KeyBinding("document.skip", ("Ctrl+K",),
                   "Skip the article with a note and open the next undone one in the list", "Document"),
        KeyBinding("document.next", ("Ctrl+PgDown",), "Open the next article in the list (within its search and filters)",
                   "Document"),
        KeyBinding("document.previous", ("Ctrl+PgUp",), "Open the previous article in the list", "Document"),
        KeyBinding("list.move", ("Up", "Down"), "In the article list: open the previous / next article "
                   "(the list keeps the keyboard)", "Article list", shortcut=False),
        KeyBinding("list.enter", ("Return",), "In the article list: open the highlighted article and go to its text",
                   "Article list", shortcut=False),
        KeyBinding("list.search", ("Ctrl+F",), "Search titles and text (Down goes to the results)", "Article list",
                   shortcut=False),
        KeyBinding("undo", ("Ctrl+Z",), "Undo the last edit (also after a restart)", "History"),
        KeyBinding("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo", "History"),
        KeyBinding("view.zoom-in", ("Ctrl+=", "Ctrl++"), "Larger text", "View"),
        KeyBinding("view.zoom-out", ("Ctrl+-",), "Smaller text", "View"),
        KeyBinding("view.zoom-reset", ("Ctrl+0",), "Normal text size", "View"),
        KeyBinding("view.label-tags", ("Ctrl+Shift+L",), "Show or hide a label tag at the start of each entity",
                   "View"),
        KeyBinding("help", ("F1", "?"), "Show this keyboard map", "View"),
        KeyBinding("corpus.import", ("Ctrl+I",), "Import files or a folder into the corpus…", "Corpus"),
        KeyBinding("corpus.export", ("Ctrl+E",), "Export an annotation set: spaCy, JSONL or CoNLL…", "Corpus"),
    ]
    return bindings


def boundary_edge(action: str, direction: str) -> tuple[str, str]:
    """Translate a visual boundary action into the session's logical ``(edge, how)``.

    ``edge`` is "start" or "end" (logical, in reading order), ``how`` is "grow" or "shrink".
    In left-to-right text the left boundary is the start; in right-to-left text it is the end.
    """
    how, side = action.removeprefix("boundary.").split("-")
    left_is_start = direction != "rtl"
    edge = "start" if (side == "left") == left_is_start else "end"
    return edge, how


def listed(bindings: list[KeyBinding]) -> list[KeyBinding]:
    """The rows the help and the README show (a summary row stands for Alt+1 … Alt+6)."""
    return [b for b in bindings if b.listed]


def markdown_table(bindings: list[KeyBinding]) -> str:
    """The keymap as a Markdown table (used for the README)."""
    lines = ["| Keys | Action | Section |", "|---|---|---|"]
    for b in listed(bindings):
        keys = " / ".join(f"`{k}`" for k in dict.fromkeys(DISPLAY.get(k, k) for k in b.keys))  # Return, Enter alike
        lines.append(f"| {keys} | {b.description} | {b.section} |")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m annotator.ui.keymap  -> the README table
    from annotator.core.labels import load_label_schema

    print(markdown_table(keymap(load_label_schema())))
