"""The shared tokenizer in exported configs: spaCy's own tokenizer with the shared rules copied in at initialisation."""

from __future__ import annotations

import spacy
from spacy.util import load_model_from_config

from annotator.core.tokenizer import make_nlp
from annotator.formats.spacy_writer import write_config
from annotator.train.tokenizer import TOKENIZER_NAME

TRICKY = 'وقال بوتين "نتراجع». لن" غزة". في 2024. وبوتين\u00a0هنا،و(جبهة) النصرة؟'


def words(doc) -> list[str]:
    return [t.text for t in doc]


def registered_functions(block) -> list[str]:
    """Every ``@registry`` function a config names."""
    found = []
    for key, value in block.items():
        if key.startswith("@"):
            found.append(value)
        elif isinstance(value, dict):
            found.extend(registered_functions(value))
    return found


def test_the_exported_config_names_only_spacy_functions(tmp_path):
    write_config(tmp_path / "config.cfg", "ar", with_spancat=True)
    config = spacy.util.load_config(tmp_path / "config.cfg")
    names = registered_functions(config)
    assert "spacy.Tokenizer.v1" in names and "spacy.copy_from_base_model.v1" in names
    assert not [n for n in names if not n.startswith(("spacy.", "Adam.", "compounding."))], names
    assert config["paths"]["tokenizer"] == str((tmp_path / "tokenizer").resolve())
    assert (tmp_path / "tokenizer" / "tokenizer").is_file()


def test_pipeline_from_the_exported_config_tokenizes_like_make_nlp_once_initialised(tmp_path, seed_text):
    for lang, text in (("ar", seed_text + TRICKY), ("en", 'He said "we won". Then 2024. "Fine," she said.')):
        path = tmp_path / lang / "config.cfg"
        path.parent.mkdir()
        write_config(path, lang, with_spancat=False)
        nlp = load_model_from_config(spacy.util.load_config(path), auto_fill=True)
        nlp.initialize()
        assert nlp.lang == lang
        assert words(nlp.make_doc(text)) == words(make_nlp(lang).make_doc(text))


def test_saved_pipeline_keeps_the_tokenizer(tmp_path, seed_text):
    path = tmp_path / "config.cfg"
    write_config(path, "ar", with_spancat=False)
    nlp = load_model_from_config(spacy.util.load_config(path), auto_fill=True)
    nlp.initialize()
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.config["nlp"]["tokenizer"] == {"@tokenizers": "spacy.Tokenizer.v1"}
    assert words(loaded.make_doc(seed_text + TRICKY)) == words(make_nlp("ar").make_doc(seed_text + TRICKY))
    assert words(loaded.make_doc("نتراجع».")) == ["نتراجع", "»", "."]


def test_pipelines_saved_with_the_old_registered_tokenizer_still_load(tmp_path, seed_text):
    assert spacy.registry.tokenizers.get(TOKENIZER_NAME) is not None  # found through the entry point
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    nlp.to_disk(tmp_path / "old")
    loaded = spacy.load(tmp_path / "old")
    assert words(loaded.make_doc(seed_text + TRICKY)) == words(make_nlp("ar").make_doc(seed_text + TRICKY))
