"""The name index never misses an article where a name can match (it may name a few more)."""

from __future__ import annotations

from annotator.core.spans import DocumentRecord
from annotator.core.tokenizer import make_nlp
from annotator.store.learned_tables import index_document_words
from annotator.suggest.base import token_table
from annotator.suggest.learned import LearnedLexicon
from annotator.suggest.learned_state import documents_with_names
from annotator.suggest.name_index import index_terms

TEXTS = [
    "وقال بوتين للصحافيين إن «روسيا» مستعدة.",
    "والتقى الرئيس وبوتين في الصين، ثم عاد للصين مرة أخرى.",
    "أكّد المتحدث أن مجموعة الـ20 ستجتمع في هانغتشو.",
    "اكد المسؤول في حين\u200f أن الاجتماع تأجل.",
    "The U.S. Army and the UN met al-Assad's envoy in São Paulo on 8:58.",
    "وأعلنت الولايات المتحدة الأمريكية وللولايات المتحدة حلفاء.",
    "لا شيء هنا عن أحد.",
    "وسافر الوفد للصين أمس.",  # only ل + الصين, written لل
]
NAMES = ["بوتين", "الصين", "أكد", "مجموعة الـ20", "هانغتشو", "حين\u200f", "U.S. Army", "UN",
         "al-Assad's", "São Paulo", "8:58", "الولايات المتحدة", "روسيا", "الاجتماع"]


def test_every_article_a_name_matches_in_is_found(corpus) -> None:
    nlp = make_nlp("ar")
    ids = corpus.add_documents([DocumentRecord(text=t, language="ar") for t in TEXTS]).new_ids
    tables = {}
    for doc_id, text in zip(ids, TEXTS, strict=True):
        tables[doc_id] = token_table(nlp.make_doc(text))
        index_document_words(corpus, doc_id, index_terms(tables[doc_id].norms))
    lexicon = LearnedLexicon(nlp, [(name, "PER", 1) for name in NAMES])
    for name_id, name in lexicon.names.items():
        matched = {doc_id for doc_id, table in tables.items()
                   if any(c.entry.data.name_id == name_id for c in lexicon.matcher.candidates(table))}
        found = documents_with_names(corpus, [(sorted(name.keys), name.rest)])
        assert matched <= found, (name_id, matched - found)
        assert matched, name_id  # every name of the list does occur somewhere
    # Clitic forms are found from the bare name: للصين (ل + الصين) alone in the last article.
    china = next(n for n in lexicon.names.values() if n.evidence.name_id == "الصين")
    assert ids[-1] in documents_with_names(corpus, [(sorted(china.keys), china.rest)])
    # And the index is selective: a name that occurs in one article is not found everywhere.
    hangzhou = next(n for n in lexicon.names.values() if n.evidence.name_id == "هانغتشو")
    assert documents_with_names(corpus, [(sorted(hangzhou.keys), hangzhou.rest)]) == {ids[2]}
