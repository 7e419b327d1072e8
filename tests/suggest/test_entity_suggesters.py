"""Gazetteer (shipped lists + CLDR) and learned-from-corpus entity suggestions."""

from __future__ import annotations

import json

from annotator.core.spans import DocumentRecord, Span
from annotator.core.tokenizer import new_nlp
from annotator.suggest.runner import build_pipeline, run_suggesters


def entities(text: str, lang: str, names: list[str], **kwargs) -> list[tuple[str, str]]:
    nlp, _ = build_pipeline(lang, names, **kwargs)
    doc = nlp(text)
    return [(text[s.start : s.end], s.label) for result in doc._.suggestions.values() for s in result.spans]


def test_cldr_country_names_in_the_documents_language() -> None:
    found = entities("زار الرئيس فرنسا وألمانيا ثم عاد إلى الولايات المتحدة.", "ar", ["gazetteer"])
    assert ("فرنسا", "GPE") in found and ("وألمانيا", "GPE") in found and ("الولايات المتحدة", "GPE") in found
    assert ("Germany", "GPE") in entities("The president visited Germany.", "en", ["gazetteer"])


def test_longest_match_first_and_no_overlaps() -> None:
    found = entities("وصل وفد من الولايات المتحدة الأمريكية إلى الرياض.", "ar", ["gazetteer"])
    assert found == [("الولايات المتحدة الأمريكية", "GPE"), ("الرياض", "GPE")]


def test_names_are_matched_through_clitics_on_whole_tokens() -> None:
    found = entities("التقى أوباما وبوتين ولافروف بالرياض ثم سافر للصين.", "ar", ["gazetteer"])
    assert found == [("أوباما", "PER"), ("وبوتين", "PER"), ("ولافروف", "PER"), ("بالرياض", "GPE"), ("للصين", "GPE")]


def test_adjectives_are_not_taken_for_country_names() -> None:
    assert entities("قصفت القوات السورية المدينة.", "ar", ["gazetteer"]) == []


def test_english_case_rules_for_acronyms_and_names() -> None:
    found = entities("The WHO said who was to blame. May asked Theresa May to stay.", "en", ["gazetteer"])
    assert found == [("WHO", "ORG"), ("Theresa May", "PER")]


def test_a_custom_gazetteer_file_changes_the_version(tmp_path) -> None:
    path = tmp_path / "ar.json"
    path.write_text(json.dumps({"ORG": ["نادي الهلال"]}, ensure_ascii=False), encoding="utf-8")
    nlp = new_nlp("ar")
    shipped = nlp.add_pipe("annotator_gazetteer", name="shipped")
    custom = nlp.add_pipe("annotator_gazetteer", name="custom", config={"paths": [str(path)], "cldr": False})
    assert shipped.version != custom.version
    doc = nlp("فاز نادي الهلال أمس.")
    assert [(doc.text[s.start : s.end], s.label) for s in doc._.suggestions["custom"].spans] == [("نادي الهلال", "ORG")]


def at(corpus, doc_id: int, name: str, label: str) -> Span:
    start = corpus.document(doc_id).text.index(name)
    return Span(start, start + len(name), label)


def _corpus_with(corpus, texts: list[str]) -> list[int]:
    return corpus.add_documents([DocumentRecord(text=t, language="ar") for t in texts]).new_ids


def test_learned_names_are_found_through_clitics_and_spelling_variants(corpus) -> None:
    a, b = _corpus_with(corpus, ["التقى أكرم بوتين في موسكو.", "ثم قال لبوتين وأكرم إن زيارة وبوتين واكرم مهمة."])
    corpus.add_span(a, "amira", at(corpus, a, "أكرم", "PER"))
    corpus.add_span(a, "amira", at(corpus, a, "بوتين", "PER"))
    run_suggesters(corpus, ["learned"])
    spans, _ = corpus.suggestions(b, "learned")
    text = corpus.document(b).text
    assert [(text[s.start : s.end], s.label) for s in spans] == [
        ("لبوتين", "PER"), ("وأكرم", "PER"), ("وبوتين", "PER"), ("واكرم", "PER")]
    assert all(s.suggester == "learned" for s in spans)


def test_learned_suggestions_follow_new_annotations_on_the_next_run(corpus) -> None:
    a, b = _corpus_with(corpus, ["وصل كيري إلى جنيف.", "غادر كيري جنيف مساء."])
    corpus.add_span(a, "amira", at(corpus, a, "كيري", "PER"))
    first = run_suggesters(corpus, ["learned"])
    assert first.processed == 2
    assert [s.label for s in corpus.suggestions(b, "learned")[0]] == ["PER"]
    assert run_suggesters(corpus, ["learned"]).processed == 0  # nothing changed: cached
    corpus.add_span(a, "amira", at(corpus, a, "جنيف", "GPE"))
    again = run_suggesters(corpus, ["learned"])
    assert again.processed == 2
    text = corpus.document(b).text
    assert [(text[s.start : s.end], s.label) for s in corpus.suggestions(b, "learned")[0]] == [
        ("كيري", "PER"), ("جنيف", "GPE")]
    # The annotator's own set is untouched by suggestions.
    assert corpus.spans(b, "amira") == []


def test_a_name_labelled_two_ways_gets_the_majority_label(corpus) -> None:
    a, b, c = _corpus_with(corpus, ["الهلال فاز.", "الهلال خسر.", "جمهور الهلال سعيد."])
    corpus.add_span(a, "amira", Span(0, 6, "ORG"))
    corpus.add_span(b, "amira", Span(0, 6, "ORG"))
    corpus.add_span(b, "omar", Span(0, 6, "MISC"))
    run_suggesters(corpus, ["learned"])
    [span] = corpus.suggestions(c, "learned")[0]
    assert span.label == "ORG" and span.score is not None and 0.6 < span.score < 0.7


def test_corpus_entity_names_are_distinct_slices_with_counts(corpus) -> None:
    a, b = _corpus_with(corpus, ["وصل كيري إلى جنيف.", "غادر كيري جنيف مساء."])
    corpus.add_span(a, "amira", at(corpus, a, "كيري", "PER"))
    corpus.add_span(b, "omar", at(corpus, b, "كيري", "PER"))
    corpus.add_span(b, "omar", at(corpus, b, "جنيف", "GPE"))
    assert corpus.entity_names() == [("جنيف", "GPE", 1), ("كيري", "PER", 2)]
