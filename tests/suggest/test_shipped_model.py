"""The shipped Arabic news NER model: it loads, carries its licence, and suggests on Arabic by default."""

from __future__ import annotations

import json
import subprocess
import sys

import spacy
from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord
from annotator.core.tokenizer import make_nlp
from annotator.suggest.model import trimmed
from annotator.suggest.pipelines import SHIPPED_DIR, model_suggesters_for, shipped_pipelines
from annotator.suggest.runner import available_suggesters, run_suggesters

MODEL = "model:ar_news_ner"
FOLDER = SHIPPED_DIR / "ar_news_ner"
# Not from ANERcorp: two sentences written for this test; the last name has a clitic (و) glued to it
# and the sentence's period after it, which the model runs into the entity ("وبغداد.").
SENTENCE = ("وقال وزير الخارجية السعودي عادل الجبير في الرياض إن المملكة تدعم الأمم المتحدة.\n"
            "وقال الرئيس الأمريكي في واشنطن إن الولايات المتحدة ستدعم الحكومة في لبنان وبغداد.")


def names(corpus, doc_id: int) -> set[tuple[str, str]]:
    spans, _ = corpus.suggestions(doc_id, MODEL)
    text = corpus.document(doc_id).text
    return {(text[s.start : s.end], s.label) for s in spans}


def test_the_model_loads_with_spacy_and_carries_its_licence_and_attribution() -> None:
    nlp = spacy.load(FOLDER)
    assert nlp.lang == "ar" and "ner" in nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) == {"PERS", "LOC", "ORG", "MISC"}
    meta = json.loads((FOLDER / "meta.json").read_text(encoding="utf-8"))
    assert meta["license"] == "CC BY-SA 4.0" and meta["annotator"]["label_map"] == "conll"
    cited = " ".join(source.get("cite", "") for source in meta["sources"])
    assert "Benajiba" in cited and "Obeid" in cited
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in readme and "Benajiba" in readme and "make model-ar" in readme
    # The saved tokenizer is the shared one: the model sees the tokens the window snaps to.
    text = SENTENCE + ' "نتراجع».'
    assert [t.text for t in nlp.make_doc(text)] == [t.text for t in make_nlp("ar").make_doc(text)]


def test_it_is_offered_for_arabic_only() -> None:
    assert MODEL in [p.suggester for p in shipped_pipelines()]
    assert MODEL in [p.suggester for p in model_suggesters_for("ar")]
    assert MODEL not in [p.suggester for p in model_suggesters_for("en")]


def test_default_suggestions_on_an_arabic_article_include_the_model_stored_by_the_runner(corpus) -> None:
    assert MODEL in available_suggesters(corpus)
    [arabic] = corpus.add_documents([DocumentRecord(text=SENTENCE, language="ar")]).new_ids
    [english] = corpus.add_documents([DocumentRecord(text="Obama spoke in Washington.", language="en")]).new_ids
    summary = run_suggesters(corpus)

    found = names(corpus, arabic)
    assert ("عادل الجبير", "PER") in found  # PERS mapped to PER
    assert ("الرياض", "GPE") in found and ("واشنطن", "GPE") in found  # LOC mapped to GPE
    assert ("الأمم المتحدة", "ORG") in found
    # The whole token, clitic included (ANERcorp's convention), without the sentence's period.
    assert ("وبغداد", "GPE") in found
    assert {label for _, label in found} <= {"PER", "GPE", "ORG", "MISC"}
    spans, _ = corpus.suggestions(arabic, MODEL)
    assert all(0 < s.score <= 1 for s in spans)  # each scores its label's dev precision
    assert corpus.suggestion_version(english, MODEL) is None
    assert summary.per_suggester[MODEL]["documents"] == 1
    assert corpus.spans(arabic, "anyone") == []


def test_models_command_lists_it_with_its_label_map(corpus_path, corpus) -> None:
    result = CliRunner().invoke(main, ["models", "--db", str(corpus_path), "--json"])
    assert result.exit_code == 0, result.output
    [row] = [r for r in json.loads(result.output) if r["suggester"] == MODEL]
    assert row["kind"] == "shipped" and row["lang"] == "ar"
    assert row["label_map"] == {"PERS": "PER", "LOC": "GPE", "ORG": "ORG", "MISC": "MISC"}


PLAIN_LOAD = """
import importlib.abc, json, sys

class NoAnnotator(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "annotator" or name.startswith("annotator."):
            raise ImportError("annotator is not installed here")

sys.meta_path.insert(0, NoAnnotator())
import spacy
nlp = spacy.load(sys.argv[1])
doc = nlp(sys.argv[2])
print(json.dumps({"tokens": [t.text for t in doc], "ents": [[e.text, e.label_] for e in doc.ents],
                  "annotator": any(m == "annotator" or m.startswith("annotator.") for m in sys.modules)}))
"""


def test_it_loads_with_plain_spacy_where_annotator_is_not_importable() -> None:
    text = SENTENCE + ' "نتراجع».'
    out = subprocess.run([sys.executable, "-c", PLAIN_LOAD, str(FOLDER), text], capture_output=True, text=True,
                         check=True).stdout
    result = json.loads(out)
    assert result["annotator"] is False
    assert result["tokens"] == [t.text for t in make_nlp("ar").make_doc(text)]
    assert result["ents"], "the model found no entity"


def test_an_entity_never_starts_or_ends_on_punctuation_or_space() -> None:
    text = "في لبنان وبغداد. وقال"
    tokens = [(0, 2), (3, 8), (9, 15), (15, 16), (17, 21)]
    assert trimmed(text, (9, 16), tokens) == (9, 15)  # "وبغداد." -> "وبغداد"
    assert trimmed(text, (3, 16), tokens) == (3, 15)
    assert trimmed(text, (15, 16), tokens) is None  # only the period: nothing to propose
    assert trimmed(text, (0, 21), tokens) == (0, 21)  # a period inside is kept
