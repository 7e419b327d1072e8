"""Entity suggestions learned from the corpus itself: names annotators labelled, proposed where
they occur again and are likely to be entities there (a string-matching recommender, like
INCEpTION's, that weighs its own evidence).

Names are matched through clitics and spelling variants (``بوتين`` finds ``وبوتين``, ``لبوتين``;
``أكد``/``اكد``), on token boundaries, longest first. Spellings of one name (``والامم المتحدة``,
``الامم المتحدة``) are one name. Each occurrence is scored by :mod:`annotator.suggest.name_evidence`
from what annotators did where they met the name (labelled it, or read past it), and proposals
scoring below the threshold are not made: ``على`` is not proposed for the name ``علي``, nor ``بين``
for a name somebody once labelled ``بين``, nor a lone ``محمد`` where full names usually follow.

:meth:`LearnedSuggester.learn` takes that evidence; without it every name scores its prior.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.clitics import analyses, normalize, strip_marks
from annotator.suggest.base import fingerprint, put_suggestions, token_table
from annotator.suggest.name_evidence import (
    EvidenceCounter,
    EvidenceParams,
    LabelledText,
    NameEvidence,
    evidence_key,
    stems_of,
)
from annotator.suggest.name_matcher import NameEntry, NameMatcher, latin_case, name_keys, resolve_longest

CODE_VERSION = "2"


class LearnedSuggester:
    """spaCy component: the corpus's own entity names, matched clitic-aware, scored by evidence."""

    def __init__(self, nlp: Language, name: str, names: list[list], params: dict | None = None):
        self.name = name
        self.nlp = nlp
        self.params = EvidenceParams(**(params or {}))
        self.function_words = frozenset(nlp.Defaults.stop_words)
        self.matcher = NameMatcher(nlp)
        self.by_text: dict[str, NameEvidence] = {}
        self.names: dict[tuple[str, ...], NameEvidence] = {}
        self._build([(str(t), str(label), int(n)) for t, label, n in names])
        self._finish()

    # -- the names ----------------------------------------------------------------------------------

    def _build(self, rows: list[tuple[str, str, int]]) -> None:
        tokenized = [(text, label, count, self.matcher.tokens(text)) for text, label, count in rows]
        tokenized = [r for r in tokenized if r[3] and not (len(r[3]) == 1 and len(normalize(r[3][0])) < 2)]
        known_first = {normalize(tokens[0]) for *_, tokens in tokenized}
        readings = lambda word: analyses(word, normalized=True)  # noqa: E731
        keys: dict[tuple[str, ...], set[str]] = {}
        cases: dict[tuple[str, ...], dict[tuple[str, str], int]] = {}
        for text, label, count, tokens in tokenized:
            key = evidence_key(tokens, known_first, readings)
            evidence = self.names.get(key)
            if evidence is None:
                evidence = self.names[key] = NameEvidence(tokens=len(tokens))
                keys[key] = set()
                cases[key] = {}
            evidence.labels[label] += count
            spelling = strip_marks(tokens[0])
            evidence.spellings.add(spelling)
            evidence.stems |= stems_of(tokens[0])
            keys[key] |= name_keys(tokens[0], may_carry_clitic=True)
            written = (tokens[0], latin_case(tokens[0]))
            cases[key][written] = cases[key].get(written, 0) + count
            self.by_text[text] = evidence
        for key, evidence in self.names.items():
            evidence.function_word = evidence.tokens == 1 and bool(evidence.stems & self.function_words) and all(
                s in self.function_words for s in evidence.spellings)
            (first_text, case), _ = max(cases[key].items(), key=lambda kv: (kv[1], kv[0]))
            entry = NameEntry(key[1:], evidence.label, 0.0, first_text, case, evidence)
            self.matcher.add_entry(keys[key], entry)

    def learn(self, labelled: Iterable[LabelledText]) -> None:
        """Count the names' occurrences in annotation sets (see :mod:`annotator.suggest.name_evidence`)."""
        counter = EvidenceCounter(self.by_text)
        for item in labelled:
            table = token_table(self.nlp.make_doc(item.text))
            counter.count(table, self.matcher.candidates(table), item)
        self._finish()

    def _finish(self) -> None:
        for evidence in self.names.values():
            evidence.finish(self.params)
        self.version = f"learned-{CODE_VERSION}+{fingerprint(self.signature())}"

    def signature(self) -> list:
        """What the proposals depend on: each name with its label, score and per-spelling counts."""
        return sorted(
            (list(key), e.label, round(e.score * e.share, 2), sorted((s, c) for s, c in e.counts.items() if any(c)))
            for key, e in self.names.items()
        ) + [sorted(vars(self.params).items())]

    # -- proposing ------------------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        table = token_table(doc)
        threshold = self.params.threshold
        scored = []
        for cand in self.matcher.candidates(table):
            score = cand.entry.data.score_at(table.texts[cand.start], cand.key, self.params, self.function_words)
            if score is not None and score >= threshold:
                scored.append((cand, score))
        put_suggestions(doc, self.name, resolve_longest(table, scored, self.name))
        return doc


@Language.factory("annotator_learned", default_config={"names": [], "params": {}})
def make_learned_suggester(nlp: Language, name: str, names: list[list], params: dict) -> LearnedSuggester:
    """``names``: ``[[text, label, count], ...]`` as :meth:`Corpus.entity_names` returns them;
    ``params``: :class:`~annotator.suggest.name_evidence.EvidenceParams` fields to change."""
    return LearnedSuggester(nlp, name, names, params)
