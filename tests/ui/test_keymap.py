"""The keyboard map: one source for the actions, the help overlay and the README."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QKeySequence

from annotator.core.labels import Label, LabelSchema, load_label_schema
from annotator.ui.keymap import boundary_edge, keymap, label_keys, markdown_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_lists_exactly_the_keymap():
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- keymap:start -->\n(.*?)\n<!-- keymap:end -->", text, re.S)
    assert block, "README.md needs the keymap block (python -m annotator.ui.keymap)"
    assert block.group(1).strip() == markdown_table(keymap(load_label_schema())).strip()


def test_no_key_is_bound_twice():
    seen: dict[str, str] = {}
    for binding in keymap(load_label_schema()):
        if not binding.shortcut:
            continue
        for key in binding.keys:
            portable = QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)
            assert portable, f"{key!r} is not a key Qt understands"
            assert portable not in seen, f"{key} is bound to {seen.get(portable)} and {binding.action}"
            seen[portable] = binding.action


def test_label_keys_follow_the_schema_and_fill_gaps():
    schema = LabelSchema(
        entities=(Label("PER", "#fff", "1"), Label("ORG", "#fff", "1"), Label("EVENT", "#fff", ""),
                  Label("LAW", "#fff", "9")),
        quote_roles=(),
    )
    assert [(label.name, key) for label, key in label_keys(schema)] == [
        ("PER", "1"), ("ORG", "2"), ("EVENT", "3"), ("LAW", "9")]
    actions = [b.action for b in keymap(schema)]
    assert "label:EVENT" in actions and "label-exact:EVENT" in actions


def test_boundary_keys_follow_what_the_eye_sees():
    assert boundary_edge("boundary.grow-left", "ltr") == ("start", "grow")
    assert boundary_edge("boundary.grow-left", "rtl") == ("end", "grow")
    assert boundary_edge("boundary.shrink-right", "rtl") == ("start", "shrink")
    assert boundary_edge("boundary.grow-right", "ltr") == ("end", "grow")
