"""Installed spaCy pipelines are offered for their language, with their labels mapped to the schema."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord
from annotator.suggest.label_maps import LabelMapError, effective_map, label_map_for, shipped_label_map
from annotator.suggest.pipelines import installed_pipelines, model_suggesters_for
from annotator.suggest.runner import available_suggesters, run_suggesters
from tests.suggest.pipeline_package import install_as_package, train_tiny_ner

# OntoNotes labels, as en_core_web_sm predicts them.
SENTENCES = [
    ("Putin met Obama in Moscow on Monday.", [("Putin", "PERSON"), ("Obama", "PERSON"), ("Moscow", "GPE"),
                                              ("Monday", "DATE")]),
    ("Obama flew to Paris with the BBC.", [("Obama", "PERSON"), ("Paris", "GPE"), ("BBC", "ORG")]),
    ("Kerry called Lavrov from Geneva.", [("Kerry", "PERSON"), ("Lavrov", "PERSON"), ("Geneva", "GPE")]),
    ("Merkel visited the Louvre in 2015.", [("Merkel", "PERSON"), ("Louvre", "FAC"), ("2015", "DATE")]),
]
ENGLISH = "Putin met Obama in Moscow on Monday."
ARABIC = "التقى بوتين أوباما في موسكو."
SUGGESTER = "model:en_tiny_news"


@pytest.fixture(scope="module")
def tiny_english():
    return train_tiny_ner("en", SENTENCES)


@pytest.fixture
def installed(tiny_english, tmp_path, monkeypatch) -> str:
    """``en_tiny_news`` installed for this test (on sys.path with its dist-info)."""
    site = tmp_path / "site-packages"
    site.mkdir()
    package = install_as_package(tiny_english, site, "tiny_news")
    monkeypatch.syspath_prepend(str(site))
    yield package
    import sys

    for module in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[module]


def found(corpus, doc_id: int, suggester: str = SUGGESTER) -> set[tuple[str, str]]:
    spans, _ = corpus.suggestions(doc_id, suggester)
    text = corpus.document(doc_id).text
    return {(text[s.start : s.end], s.label) for s in spans}


def test_ontonotes_labels_map_to_the_schema_and_numeric_types_are_left_out() -> None:
    labels = ["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT", "DATE",
              "CARDINAL", "MONEY"]
    name, base = label_map_for(labels)
    assert name == "ontonotes"
    mapped = effective_map(labels, ["PER", "ORG", "GPE", "LOC", "NORP", "MISC"], base)
    assert mapped == {"PERSON": "PER", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP", "FAC": "LOC",
                      "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "PRODUCT": "MISC", "DATE": None,
                      "CARDINAL": None, "MONEY": None}


def test_anercorp_labels_map_person_and_places() -> None:
    name, base = label_map_for(["PERS", "LOC", "ORG", "MISC"])
    assert name == "conll"
    schema = ["PER", "ORG", "GPE", "LOC", "NORP", "MISC"]
    assert effective_map(["PERS", "LOC", "ORG", "MISC"], schema, base) == {
        "PERS": "PER", "LOC": "GPE", "ORG": "ORG", "MISC": "MISC"}
    # A four-class corpus keeps LOC for places, through its override.
    assert effective_map(["LOC"], schema, base, {"LOC": "LOC"}) == {"LOC": "LOC"}


def test_labels_no_map_knows_are_kept_when_the_schema_has_them_and_left_out_otherwise() -> None:
    name, base = label_map_for(["PER", "DISEASE"])
    assert name is None and base == {}
    assert effective_map(["PER", "DISEASE"], ["PER", "ORG"], base) == {"PER": "PER", "DISEASE": None}


def test_a_shipped_map_is_data_and_a_bad_one_is_a_clear_error() -> None:
    assert shipped_label_map("ontonotes")["PERSON"] == "PER"
    with pytest.raises(LabelMapError, match="no label map 'nope'"):
        shipped_label_map("nope")


def test_an_installed_pipeline_is_offered_for_its_language_only(corpus, installed: str) -> None:
    offered = {p.suggester: p for p in installed_pipelines()}
    assert offered[SUGGESTER].lang == "en" and "PERSON" in offered[SUGGESTER].labels
    assert SUGGESTER in available_suggesters(corpus)
    assert SUGGESTER in [p.suggester for p in model_suggesters_for("en")]
    assert SUGGESTER not in [p.suggester for p in model_suggesters_for("ar")]

    [english] = corpus.add_documents([DocumentRecord(text=ENGLISH, language="en")]).new_ids
    [arabic] = corpus.add_documents([DocumentRecord(text=ARABIC, language="ar")]).new_ids
    summary = run_suggesters(corpus)  # nothing named: every suggester that applies

    assert found(corpus, english) == {("Putin", "PER"), ("Obama", "PER"), ("Moscow", "GPE")}  # DATE left out
    assert corpus.suggestion_version(arabic, SUGGESTER) is None
    assert summary.per_suggester[SUGGESTER]["documents"] == 1
    assert corpus.spans(english, "anyone") == []  # suggestions are nobody's labels


def test_a_corpus_overrides_the_label_map_and_the_model_re_runs(corpus, corpus_path, installed: str) -> None:
    [doc_id] = corpus.add_documents([DocumentRecord(text=ENGLISH, language="en")]).new_ids
    run_suggesters(corpus)
    before = corpus.suggestion_version(doc_id, SUGGESTER)

    runner = CliRunner()
    result = runner.invoke(main, ["models", "--db", str(corpus_path), "map", SUGGESTER, "GPE=LOC", "DATE=MISC"])
    assert result.exit_code == 0, result.output
    summary = run_suggesters(corpus)
    assert summary.per_suggester[SUGGESTER]["documents"] == 1
    assert corpus.suggestion_version(doc_id, SUGGESTER) != before
    assert found(corpus, doc_id) == {("Putin", "PER"), ("Obama", "PER"), ("Moscow", "LOC"), ("Monday", "MISC")}

    listing = runner.invoke(main, ["models", "--db", str(corpus_path), "--json"])
    [row] = [r for r in json.loads(listing.output) if r["suggester"] == SUGGESTER]
    assert row["kind"] == "installed" and row["lang"] == "en" and row["label_map_name"] == "ontonotes"
    assert row["label_map"]["PERSON"] == "PER" and row["label_map"]["GPE"] == "LOC"

    reset = runner.invoke(main, ["models", "--db", str(corpus_path), "map", SUGGESTER, "--reset"])
    assert reset.exit_code == 0, reset.output
    run_suggesters(corpus)
    assert ("Moscow", "GPE") in found(corpus, doc_id)


def test_mapping_to_a_label_the_corpus_lacks_is_refused(corpus_path, corpus) -> None:
    result = CliRunner().invoke(main, ["models", "--db", str(corpus_path), "map", SUGGESTER, "GPE=PLACE"])
    assert result.exit_code == 1
    assert "PLACE: not a label of this corpus" in result.output
    assert corpus.setting("label_maps") is None
