"""The document list's queries: counts, pages, filters, full-text search, order, positions."""

from __future__ import annotations

import pytest

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store.document_query import DocumentFilter, DocumentQuery, fts_query

ARTICLES = [
    ("بوتين يلتقي ولي العهد في موسكو", "قال الرئيس الروسي فلاديمير بوتين إن المحادثات كانت مثمرة."),
    ("Oil prices rise", "Brent crude rose on Monday, traders in London said."),
    ("الرياض تستضيف القمة", "تستضيف الرياض القمة العربية الأسبوع المقبل."),
    ("<b>x</b><script>alert(1)</script>", "A title that looks like HTML must stay text."),
    ("Another English story", "Nothing about oil here, only weather in Paris."),
]


@pytest.fixture
def query(corpus) -> DocumentQuery:
    corpus.add_documents([DocumentRecord(text=text, title=title) for title, text in ARTICLES])
    return DocumentQuery(corpus, "amira")


def titles(rows) -> list[str]:
    return [row.title for row in rows]


def test_counts_and_pages_in_import_order(query):
    assert query.count() == 5
    assert titles(query.page(0, 2)) == [ARTICLES[0][0], ARTICLES[1][0]]
    assert titles(query.page(4, 10)) == [ARTICLES[4][0]]
    assert query.page(10, 10) == []


def test_rows_carry_the_annotators_status_and_counts(query, corpus):
    corpus.add_span(1, "amira", Span(25, 30, "PER"))
    corpus.add_span(1, "amira", Span(16, 24, "NORP"))
    corpus.add_span(1, "salem", Span(0, 3, "PER"))  # another annotator's set is not counted
    corpus.add_quote(1, "amira", Quote(contents=(Range(34, 57),), cue=Range(0, 3)))
    corpus.set_status(2, "amira", "done")
    corpus.set_status(3, "amira", "skipped", "not news")
    rows = {row.id: row for row in query.page(0, 10)}
    assert (rows[1].status, rows[1].entities, rows[1].quotes) == ("in_progress", 2, 1)
    assert rows[2].status == "done"
    assert (rows[3].status, rows[3].note) == ("skipped", "not news")
    assert (rows[4].status, rows[4].entities, rows[4].quotes) == ("new", 0, 0)
    assert rows[1].direction == "rtl" and rows[2].direction == "ltr"


def test_status_filters(query, corpus):
    corpus.set_status(2, "amira", "done")
    corpus.set_status(3, "amira", "skipped", "duplicate")
    corpus.add_span(4, "amira", Span(2, 7, "MISC"))  # in progress
    corpus.set_status(5, "salem", "done")  # someone else's status does not count
    assert [r.id for r in query.page(0, 10, DocumentFilter(status="done"))] == [2]
    assert [r.id for r in query.page(0, 10, DocumentFilter(status="skipped"))] == [3]
    assert [r.id for r in query.page(0, 10, DocumentFilter(status="in_progress"))] == [4]
    assert [r.id for r in query.page(0, 10, DocumentFilter(status="new"))] == [1, 5]
    assert [r.id for r in query.page(0, 10, DocumentFilter(status="todo"))] == [1, 4, 5]
    assert query.count(DocumentFilter(status="new")) == 2
    assert query.count(DocumentFilter(status="todo")) == 3
    assert query.count(DocumentFilter(status="done")) == 1


def test_label_filter_finds_documents_with_that_label(query, corpus):
    corpus.add_span(1, "amira", Span(25, 30, "PER"))
    corpus.add_span(3, "amira", Span(0, 6, "GPE"))
    corpus.add_span(3, "amira", Span(8, 14, "MISC"))
    corpus.add_span(2, "salem", Span(0, 3, "GPE"))
    assert [r.id for r in query.page(0, 10, DocumentFilter(label="GPE"))] == [3]
    assert query.count(DocumentFilter(label="PER")) == 1
    assert query.count(DocumentFilter(label="LOC")) == 0
    assert query.count(DocumentFilter(label="GPE", status="done")) == 0


def test_full_text_search_in_arabic_and_english(query):
    assert titles(query.page(0, 10, DocumentFilter(search="بوتين"))) == [ARTICLES[0][0]]
    assert titles(query.page(0, 10, DocumentFilter(search="الرياض"))) == [ARTICLES[2][0]]
    assert query.count(DocumentFilter(search="oil")) == 2
    assert titles(query.page(0, 10, DocumentFilter(search="oil london"))) == ["Oil prices rise"]
    assert query.count(DocumentFilter(search='"crude rose"')) == 1
    assert query.count(DocumentFilter(search='"rose crude"')) == 0
    # The last word matches as a prefix while the annotator is still typing.
    assert titles(query.page(0, 10, DocumentFilter(search="Bren"))) == ["Oil prices rise"]
    assert query.count(DocumentFilter(search="nothingmatches")) == 0


@pytest.mark.parametrize(
    "typed",
    ['"', '""', "AND", "oil AND", "OR oil", "(", ")", "*", "NEAR(", "oil -", "^", "title:oil", "'", "ذ'", "!!!", "   "],
)
def test_search_input_is_never_fts_syntax(query, typed):
    # Whatever the annotator types, the list answers (possibly with nothing) and never raises.
    count = query.count(DocumentFilter(search=typed))
    assert count == len(query.page(0, 100, DocumentFilter(search=typed)))


def test_search_for_operators_finds_the_words_themselves(corpus):
    corpus.add_documents([DocumentRecord(text="The AND gate and the OR gate.", title="Logic")])
    query = DocumentQuery(corpus, "amira")
    assert query.count(DocumentFilter(search="AND gate")) == 1
    assert query.count(DocumentFilter(search="the OR")) == 1


def test_fts_query_quotes_words():
    assert fts_query('putin "red square" mo') == '"putin" AND "red square" AND "mo"'
    assert fts_query("moscow") == '"moscow"*'
    assert fts_query('"moscow"') == '"moscow"'
    assert fts_query('a"b') == '"a b"'
    assert fts_query('") OR *') == '"OR"'
    assert fts_query('") * (') is None


def test_sorting_in_sql(query, corpus):
    corpus.add_span(4, "amira", Span(0, 1, "MISC"))
    corpus.add_span(4, "amira", Span(5, 7, "MISC"))
    corpus.add_span(2, "amira", Span(0, 3, "MISC"))
    corpus.set_status(5, "amira", "done")
    by_title = titles(query.page(0, 10, DocumentFilter(sort="title")))
    assert by_title == sorted(t for t, _ in ARTICLES)
    assert [r.id for r in query.page(0, 2, DocumentFilter(sort="entities", descending=True))] == [4, 2]
    assert [r.id for r in query.page(0, 10, DocumentFilter(sort="id", descending=True))] == [5, 4, 3, 2, 1]
    assert [r.id for r in query.page(0, 10, DocumentFilter(sort="status"))][-1] == 5
    shortest = min(range(5), key=lambda i: len(ARTICLES[i][1])) + 1
    assert [r.id for r in query.page(0, 10, DocumentFilter(sort="length"))][0] == shortest


@pytest.mark.parametrize(
    "filters",
    [
        DocumentFilter(),
        DocumentFilter(sort="title"),
        DocumentFilter(sort="title", descending=True),
        DocumentFilter(sort="entities", descending=True),
        DocumentFilter(sort="status"),
        DocumentFilter(sort="length", descending=True),
        DocumentFilter(sort="id", descending=True),
        DocumentFilter(search="oil"),
    ],
)
def test_position_agrees_with_pages(query, corpus, filters):
    corpus.add_span(4, "amira", Span(0, 1, "MISC"))
    corpus.set_status(2, "amira", "done")
    corpus.add_documents([DocumentRecord(text="No title at all.")])  # NULL title
    ids = [r.id for r in query.page(0, 100, filters)]
    for row, doc_id in enumerate(ids):
        assert query.position(doc_id, filters) == row
    hidden = {1, 2, 3, 4, 5, 6} - set(ids)
    for doc_id in hidden:
        assert query.position(doc_id, filters) is None


def test_many_documents_page_without_loading_all(corpus):
    corpus.add_documents(DocumentRecord(text=f"Article number {i} about topic{i % 7}.", title=f"Story {i:04d}")
                         for i in range(1500))
    query = DocumentQuery(corpus, "amira")
    assert query.count() == 1500
    assert titles(query.page(1400, 3)) == ["Story 1400", "Story 1401", "Story 1402"]
    assert query.count(DocumentFilter(search="topic3")) == len(range(3, 1500, 7))
    assert query.position(1234) == 1233


def test_arabic_search_sees_through_clitics_and_spelling_variants(corpus):
    corpus.add_documents([
        DocumentRecord(text="التقى أوباما وبوتين في قمة مجموعة العشرين.", title="قمة"),
        DocumentRecord(text="وصل الوفد للصين أمس، وقال إن العلاقات جيدة.", title="وفد"),
        DocumentRecord(text="اجتماع في الأمم المتحدة حول سورية.", title="أمم"),
        DocumentRecord(text="Putin and Obama met.", title="English"),
    ])
    query = DocumentQuery(corpus, "amira")

    def found(typed: str) -> list[str]:
        return titles(query.page(0, 10, DocumentFilter(search=typed)))

    assert found("بوتين") == ["قمة"]  # written وبوتين
    assert found("اوباما") == ["قمة"]  # written أوباما
    assert found("الصين") == ["وفد"]  # written للصين
    assert found("الامم") == ["أمم"]  # written الأمم
    assert found("سوريه") == ["أمم"]  # written سورية
    assert found("putin") == ["English"]
    assert found('"بوتين"') == []  # quoted: exactly that word
    assert found("بوتين أوباما") == ["قمة"]
