"""Entity suggestions learned from the corpus itself: every name an annotator has labelled is
proposed wherever it occurs again (a string-matching recommender, like INCEpTION's).

Names are matched through clitics and spelling variants (``بوتين`` finds ``وبوتين``, ``لبوتين``;
``أكد``/``اكد``), longest first, on token boundaries. A name labelled in several ways is suggested
with its most frequent label, scored by that label's share. The version string is a fingerprint of
the names, so the runner re-runs every document when annotators add or change entities.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.clitics import clitic_view, normalize
from annotator.suggest.base import fingerprint, put_suggestions
from annotator.suggest.name_matcher import NameMatcher

CODE_VERSION = "1"


def merge_names(names: list[tuple[str, str, int]]) -> list[tuple[str, str, float]]:
    """``(text, label, count)`` rows → ``(text, label, score)``, one label per clitic-free name."""
    known = {normalize(text) for text, _, _ in names}
    by_name: dict[str, Counter] = defaultdict(Counter)
    texts: dict[str, str] = {}
    for text, label, count in names:
        key = clitic_view(text, known=lambda r: r in known)
        by_name[key][label] += count
        # Keep the shortest spelling as the one to index (it is usually the clitic-free one).
        if key not in texts or len(text) < len(texts[key]):
            texts[key] = text
    out = []
    for key, labels in by_name.items():
        label, count = labels.most_common(1)[0]
        out.append((texts[key], label, round(count / sum(labels.values()), 3)))
    return sorted(out)


class LearnedSuggester:
    """spaCy component: the corpus's own entity names, matched clitic-aware."""

    def __init__(self, nlp: Language, name: str, names: list[list]):
        self.name = name
        rows = [(str(t), str(label), int(n)) for t, label, n in names]
        self.entries = merge_names(rows)
        self.matcher = NameMatcher(nlp)
        for text, label, score in self.entries:
            self.matcher.add(text, label, score, may_carry_clitic=True)
        self.version = f"learned-{CODE_VERSION}+{fingerprint(self.entries)}"

    def __call__(self, doc: Doc) -> Doc:
        put_suggestions(doc, self.name, self.matcher.match(doc, self.name))
        return doc


@Language.factory("annotator_learned", default_config={"names": []})
def make_learned_suggester(nlp: Language, name: str, names: list[list]) -> LearnedSuggester:
    """``names``: ``[[text, label, count], ...]`` as :meth:`Corpus.entity_names` returns them."""
    return LearnedSuggester(nlp, name, names)
