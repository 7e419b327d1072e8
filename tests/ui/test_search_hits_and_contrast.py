"""Qt-free helpers of the view: where the list's search words are in an article, and readable colours."""

from __future__ import annotations

import pytest

from annotator.core.labels import load_label_schema
from annotator.ui.contrast import READABLE, contrast, readable_on, text_on
from annotator.ui.search_hits import search_hits

TEXT = "وأعلن بوتين أن «لبوتين» وللصين صديقاً. Putin met Obama; putinism, Éléphant élan. \"Red Square\" red square."


def words(query: str) -> list[str]:
    return [TEXT[a:b] for a, b in search_hits(TEXT, query)]


def test_arabic_words_match_with_their_clitics_and_spellings():
    assert words("بوتين") == ["بوتين", "لبوتين"]
    assert words("الصين") == ["وللصين"]


def test_the_last_word_is_a_prefix_once_it_has_three_letters_as_in_the_list():
    assert words("puti") == ["Putin", "putinism"]
    assert words("pu") == []  # a two-letter prefix is not searched as one (nor is it a whole word here)
    assert words("obama puti") == ["Putin", "Obama", "putinism"]
    assert words("puti obama") == ["Obama"]  # only the last word is open


def test_case_and_diacritics_do_not_matter_and_quotes_make_a_phrase():
    assert words("elephant") == ["Éléphant"]
    assert words('"red square"') == ["Red Square", "red square"]
    assert words("") == [] and words('")(') == []


def test_offsets_are_code_points_of_the_stored_text():
    text = "😀 Putin 😀 putin"
    assert [text[a:b] for a, b in search_hits(text, "putin")] == ["Putin", "putin"]


@pytest.mark.parametrize("label", [label.name for label in load_label_schema().entities])
def test_cue_and_source_colours_are_darkened_to_read_on_every_entity_colour(label):
    background = load_label_schema().entity(label).color
    for role in load_label_schema().quote_roles:
        color = readable_on(role.color, background)
        assert contrast(color, background) >= READABLE
    assert contrast(text_on(background), background) >= READABLE


def test_a_colour_that_already_reads_is_left_as_it_is():
    assert readable_on("#1e66f5", "#ffffff") == "#1e66f5"
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
