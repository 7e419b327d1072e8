"""Every store mutation changes only the annotation set it names; names and colours are checked once."""

from __future__ import annotations

import pytest

from annotator.core.labels import Label, LabelSchema
from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import AnnotationError, Corpus, StaleEditError
from annotator.store.errors import ChangedSinceError, InvalidColorError, InvalidNameError, NotInSetError
from annotator.store.values import annotator_name, label_color

TEXT = "Obama said \"we act\" today in Paris."


@pytest.fixture
def two_docs(corpus: Corpus) -> tuple[int, int]:
    first, second = corpus.add_documents([DocumentRecord(text=TEXT), DocumentRecord(text="Paris again.")]).new_ids
    return first, second


def test_a_span_in_another_annotators_set_is_never_changed(corpus: Corpus, two_docs):
    doc, _ = two_docs
    his = corpus.add_span(doc, "bilal", Span(0, 5, "PER"))
    corpus.annotator_id("amira")
    with pytest.raises(NotInSetError, match=f"span {his.id} is in bilal's labels, not amira's; nothing was changed"):
        corpus.delete_span(his.id, "amira")
    with pytest.raises(NotInSetError):
        corpus.update_span(his.id, "amira", label="GPE")
    with pytest.raises(NotInSetError):  # a name the corpus has never seen owns nothing
        corpus.delete_span(his.id, "nobody")
    assert [(s.id, s.key) for s in corpus.spans(doc, "bilal")] == [(his.id, (0, 5, "PER"))]
    assert not [e for e in corpus.events() if e["action"] in ("span.delete", "span.update")]


def test_a_quote_in_another_annotators_set_is_never_changed(corpus: Corpus, two_docs):
    doc, _ = two_docs
    his = corpus.add_quote(doc, "bilal", Quote(contents=(Range(12, 18),), cue=Range(6, 10)))
    corpus.annotator_id("amira")
    with pytest.raises(NotInSetError):
        corpus.delete_quote(his.id, "amira")
    with pytest.raises(NotInSetError):
        corpus.update_quote(his.id, "amira", his.with_(type="indirect"))
    assert corpus.quotes(doc, "bilal") == [his]


def test_an_edit_naming_another_article_is_refused(corpus: Corpus, two_docs):
    doc, other = two_docs
    span = corpus.add_span(doc, "amira", Span(0, 5, "PER"))
    quote = corpus.add_quote(doc, "amira", Quote(contents=(Range(12, 18),)))
    with pytest.raises(NotInSetError, match=f"span {span.id} is in article {doc}, not article {other}"):
        corpus.delete_span(span.id, "amira", doc_id=other)
    with pytest.raises(NotInSetError):
        corpus.delete_quote(quote.id, "amira", doc_id=other)
    assert len(corpus.spans(doc, "amira")) == 1 and len(corpus.quotes(doc, "amira")) == 1


def test_expected_content_is_checked_inside_the_transaction(corpus: Corpus, two_docs):
    doc, _ = two_docs
    span = corpus.add_span(doc, "amira", Span(0, 5, "PER"))
    with pytest.raises(ChangedSinceError, match="is no longer the one you labelled"):
        corpus.delete_span(span.id, "amira", expected=span.with_(label="ORG"))
    assert corpus.spans(doc, "amira") == [span]
    corpus.delete_span(span.id, "amira", doc_id=doc, expected=span)
    assert corpus.spans(doc, "amira") == []
    with pytest.raises(StaleEditError, match="no longer exists"):
        corpus.delete_span(span.id, "amira")
    with pytest.raises(ChangedSinceError, match="already there"):
        corpus.add_span(doc, "amira", span) and corpus.add_span(doc, "amira", span.with_(label="GPE"))


def test_annotator_names_are_trimmed_in_one_place(corpus: Corpus, two_docs):
    doc, _ = two_docs
    corpus.add_span(doc, " amira ", Span(0, 5, "PER"))
    assert corpus.annotator_id("amira") == corpus.annotator_id("\tamira\n")
    assert [s.key for s in corpus.spans(doc, "amira")] == [(0, 5, "PER")]
    assert [a["name"] for a in corpus.annotators()] == ["amira"]
    assert {e["annotator"] for e in corpus.events() if e["action"] == "span.add"} == {"amira"}
    assert [e["action"] for e in corpus.events(annotator=" amira ")] == ["span.add"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "annotator name: an empty name is not a name"),
        ("   ", "annotator name: the name '   ' (only spaces) is not a name"),
        ("am\x00ira", "holds the control character U+0000 at character 2"),
        ("amira\x1b[31m", "holds the control character U+001B"),
        ("am\ud800ira", "holds an unpaired surrogate U+D800 at character 2"),
        ("a" * 201, "is 201 characters long (at most 200)"),
    ],
)
def test_unusable_annotator_names_are_refused_as_names(corpus: Corpus, two_docs, name: str, message: str):
    doc, _ = two_docs
    with pytest.raises(InvalidNameError) as refused:
        corpus.add_span(doc, name, Span(0, 5, "PER"))
    assert message in str(refused.value)
    assert corpus.annotators() == []


def test_a_name_in_arabic_with_a_joiner_is_a_name():
    assert annotator_name(" أمیرة\u200c ") == "أمیرة\u200c"


@pytest.mark.parametrize("color", ["red", "#ff", "#gggggg", "#f6c177; background: url(x)", "", "#1234567", 5])
def test_label_colours_are_validated_wherever_they_enter(corpus: Corpus, color):
    before = corpus.labels
    with pytest.raises(InvalidColorError, match="is not a hex colour"):
        corpus.add_label("EVENT", color=color)
    with pytest.raises(InvalidColorError):
        corpus.set_labels(LabelSchema(entities=(Label("X", color, "1"),), quote_roles=before.quote_roles))
    assert corpus.labels == before


def test_good_colours_and_label_names():
    assert label_color("#abc") == "#abc" and label_color("#A0B1C2") == "#A0B1C2"


def test_a_title_or_meta_with_a_lone_surrogate_is_one_clear_error(corpus: Corpus):
    with pytest.raises(AnnotationError, match=r"a\.jsonl:3: title: the text holds an unpaired surrogate U\+D83D"):
        corpus.add_documents([DocumentRecord(text="ok text", title="bad \ud83d", location="a.jsonl:3")])
    with pytest.raises(AnnotationError, match="meta: the text holds an unpaired surrogate"):
        corpus.add_documents([DocumentRecord(text="ok text", meta={"k": "\udc00"}, location="a.jsonl:4")])
    assert corpus.count_documents() == 0
