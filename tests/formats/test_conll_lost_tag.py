"""ANERcorp's dev split as shipped: one line's tag is lost, only a U+200F mark is left in its column."""

from __future__ import annotations

import pytest

from annotator.formats.common import FormatError, ReadOptions
from annotator.formats.conll_reader import parse_conll

# dev_data.txt line 18122 (here line 4): the token, then U+200F where the tag should be.
TEXT = "مجلس B-ORG\nالأمن I-ORG\nقرار O\nالأمن\u200f1706 \u200f\nفي O\nلبنان B-LOC\n"


def test_a_tag_column_of_invisible_marks_is_read_as_o_with_a_warning_naming_the_line():
    [record] = parse_conll(TEXT, "dev_data.txt")
    assert [(record.text[s.start : s.end], s.label) for s in record.spans] == [("مجلس الأمن", "ORG"),
                                                                               ("لبنان", "LOC")]
    assert "الأمن\u200f1706" in record.text  # the token itself is kept as it is
    assert record.warnings == [
        "dev_data.txt:4: no tag, only U+200F RIGHT-TO-LEFT MARK; read as O (outside any entity)"]


def test_strict_refuses_the_lost_tag():
    with pytest.raises(FormatError, match=r"dev_data.txt:4: no tag, only U\+200F RIGHT-TO-LEFT MARK"):
        parse_conll(TEXT, "dev_data.txt", ReadOptions(strict=True))
