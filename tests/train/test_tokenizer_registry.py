"""`annotator.tokenizer.v1`: pipelines built from the exported config tokenize exactly like `make_nlp`."""

from __future__ import annotations

import spacy
from spacy.util import load_model_from_config

from annotator.core.tokenizer import make_nlp
from annotator.formats.spacy_writer import write_config
from annotator.train.tokenizer import TOKENIZER_NAME

TRICKY = 'وقال بوتين "نتراجع». لن" غزة". في 2024. وبوتين\u00a0هنا،و(جبهة) النصرة؟'


def words(doc) -> list[str]:
    return [t.text for t in doc]


def test_the_registered_tokenizer_is_found_through_the_entry_point():
    assert spacy.registry.tokenizers.get(TOKENIZER_NAME) is not None


def test_pipeline_from_the_exported_config_tokenizes_like_make_nlp(tmp_path, seed_text):
    for lang, text in (("ar", seed_text + TRICKY), ("en", 'He said "we won". Then 2024. "Fine," she said.')):
        path = tmp_path / f"{lang}.cfg"
        write_config(path, lang, with_spancat=True)
        nlp = load_model_from_config(spacy.util.load_config(path), auto_fill=True)
        assert nlp.lang == lang
        assert words(nlp.make_doc(text)) == words(make_nlp(lang).make_doc(text))


def test_saved_pipeline_keeps_the_tokenizer(tmp_path, seed_text):
    path = tmp_path / "ar.cfg"
    write_config(path, "ar", with_spancat=False)
    nlp = load_model_from_config(spacy.util.load_config(path), auto_fill=True)
    nlp.initialize()
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert words(loaded.make_doc(seed_text + TRICKY)) == words(make_nlp("ar").make_doc(seed_text + TRICKY))
    assert "»" in words(loaded.make_doc("نتراجع».")) and "." in words(loaded.make_doc("نتراجع»."))
