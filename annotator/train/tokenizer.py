"""The shared tokenizer as a spaCy registry function, so trained pipelines keep it.

A config that says::

    [nlp.tokenizer]
    @tokenizers = "annotator.tokenizer.v1"

builds the tokenizer of :func:`annotator.core.tokenizer.make_nlp` for the pipeline's
language: same prefixes, suffixes, infixes, special cases and URL/token matches. spaCy
finds the function through the ``spacy_tokenizers`` entry point in ``pyproject.toml``
(no ``--code`` needed once annotator is installed), so ``spacy train``, ``spacy debug
data`` and ``spacy.load`` of a saved pipeline all tokenize exactly as the annotation
window snaps and as the export aligned the spans.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import registry

from annotator.core.tokenizer import make_nlp

TOKENIZER_NAME = "annotator.tokenizer.v1"


def shared_tokenizer(nlp: Language) -> Tokenizer:
    """A tokenizer on ``nlp.vocab`` with the rules of ``make_nlp(nlp.lang)``."""
    reference = make_nlp(nlp.lang).tokenizer
    return Tokenizer(
        nlp.vocab,
        rules=reference.rules,
        prefix_search=reference.prefix_search,
        suffix_search=reference.suffix_search,
        infix_finditer=reference.infix_finditer,
        token_match=reference.token_match,
        url_match=reference.url_match,
        faster_heuristics=reference.faster_heuristics,
    )


@registry.tokenizers(TOKENIZER_NAME)
def create_annotator_tokenizer() -> Callable[[Language], Tokenizer]:
    """Registered factory: ``@tokenizers = "annotator.tokenizer.v1"``."""
    return shared_tokenizer
