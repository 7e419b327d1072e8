"""Which articles can a name occur in? The words an article is indexed under, and the query for a name.

The learned suggester keeps an index from normalised words to articles (``learned_name_index``,
an FTS5 table without content, in :mod:`annotator.store.learned_tables`). An article is indexed under
the :func:`~annotator.core.clitics.normalize` form of each of its words; a name can occur in it
only if it holds one of the written forms the name's first word takes (an index key with
``و ف ب ل ك`` or their pairs in front, ``لل`` for ``ل`` + ``ال``: the inverse of
:func:`~annotator.core.clitics.analyses`) and every one of its other words. The index is a
superset test: an article it names may still hold no match, an article it does not name cannot.

>>> index_terms(["وبوتين", "قال", "،"])
'قال وبوتين'
>>> "وبوتين" in first_word_forms("بوتين") and "للصين" in first_word_forms("الصين")
True
"""

from __future__ import annotations

from collections.abc import Iterable

# Proclitics a word may carry in front of a name's first word (see annotator.core.clitics).
PROCLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")


def _term(word: str) -> str:
    """One FTS5 term for a normalised word (hex when FTS5's tokenizer would cut it in pieces)."""
    return word if word.isalnum() else "x" + word.encode("utf-8").hex()


def _indexable(word: str) -> bool:
    return bool(word) and word[0].isalnum()  # a name's first word always is (see NameMatcher)


def index_terms(norms: Iterable[str]) -> str:
    """An article's entry in the name index, from its words' normalised forms."""
    return " ".join(sorted({_term(w) for w in norms if _indexable(w)}))


def first_word_forms(key: str) -> list[str]:
    """Every normalised word that can be read as ``key``."""
    forms = [p + key for p in PROCLITICS]
    if key.startswith("ال"):
        forms += [c + "لل" + key[2:] for c in ("", "و", "ف")]
    return forms


def name_query(keys: Iterable[str], rest: Iterable[str]) -> str:
    """An FTS5 query for the articles a name (index keys of its first word, its other words) can occur in.

    Words that are not indexed (punctuation) are left out of the query, which keeps it a superset.
    """
    first = " OR ".join(f'"{_term(f)}"' for key in sorted(keys) for f in first_word_forms(key) if _indexable(f))
    others = "".join(f' AND "{_term(w)}"' for w in rest if _indexable(w))
    return f"(({first}){others})"
