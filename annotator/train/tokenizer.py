"""``annotator.tokenizer.v1``: the shared tokenizer as a registered spaCy function, for older pipelines.

Exports and ``annotator train`` now configure spaCy's own ``spacy.Tokenizer.v1`` with the
shared rules saved in a base pipeline (:mod:`annotator.core.tokenizer_config`), so their
pipelines load with plain spaCy. Pipelines saved by annotator 0.1 name this function instead::

    [nlp.tokenizer]
    @tokenizers = "annotator.tokenizer.v1"

It stays registered (entry point ``spacy_tokenizers`` in ``pyproject.toml``) so that those
pipelines keep loading wherever annotator is installed, tokenizing like ``make_nlp``.
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
    """Registered factory: ``@tokenizers = "annotator.tokenizer.v1"`` (pipelines saved by annotator 0.1)."""
    return shared_tokenizer
