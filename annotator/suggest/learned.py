"""Entity suggestions learned from the corpus itself: names annotators labelled, proposed where
they occur again and are likely to be entities there (a string-matching recommender, like
INCEpTION's, that weighs its own evidence).

Names are matched through clitics and spelling variants (``بوتين`` finds ``وبوتين``, ``لبوتين``;
``أكد``/``اكد``), on token boundaries, longest first. Spellings of one name (``والامم المتحدة``,
``الامم المتحدة``) are one name. Each occurrence is scored by :mod:`annotator.suggest.name_evidence`
from what annotators did where they met the name (labelled it, or read past it), and proposals
scoring below the threshold are not made: ``على`` is not proposed for the name ``علي``, nor ``بين``
for a name somebody once labelled ``بين``, nor a lone ``محمد`` where full names usually follow.

A :class:`LearnedLexicon` holds one language's names and their evidence; the spaCy component
:class:`LearnedSuggester` proposes them. With a corpus, the runner prepares the lexicon through
:mod:`annotator.suggest.learned_state` (evidence cached per annotation set, and only the articles a
change can touch re-run); on its own the component learns from what it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.clitics import analyses, normalize, strip_marks
from annotator.suggest.base import TokenTable, fingerprint, put_suggestions, suggestions_of, token_table
from annotator.suggest.name_evidence import (
    EvidenceParams,
    LabelledText,
    NameEvidence,
    SetRecord,
    assemble,
    count_occurrences,
    stems_of,
)
from annotator.suggest.name_index import index_terms
from annotator.suggest.name_matcher import NameEntry, NameMatcher, latin_case, name_keys, resolve_longest

CODE_VERSION = "2"


@dataclass
class LearnedName:
    """One name: how it is matched (its index keys and following tokens) and its evidence."""

    evidence: NameEvidence
    keys: set[str] = field(default_factory=set)
    rest: tuple[str, ...] = ()
    written: dict[tuple[str, str], int] = field(default_factory=dict)  # (first token, case) -> count

    @property
    def first_text(self) -> str:
        return self.case_and_first[1]

    @property
    def case_and_first(self) -> tuple[str, str]:
        (first, case), _ = max(self.written.items(), key=lambda kv: (kv[1], kv[0]))
        return case, first

    def matching(self) -> str:
        """What decides where the name can match (a change here can add or remove matches anywhere)."""
        case, first = self.case_and_first
        return fingerprint(sorted(self.keys), self.rest, case, first if case else "")

    def proposing(self, params: EvidenceParams) -> str:
        """What its proposals depend on once matched: label, scores (rounded as stored; below the
        threshold they are all alike), and the stems the spelling rule compares with."""
        def shown(score: float) -> float | None:
            return round(score, 2) if score >= params.threshold else None

        ev = self.evidence
        at = sorted((spelling, shown(score)) for spelling, score in ev.scores.items())
        return fingerprint(ev.label, shown(ev.score), at, sorted(ev.stems))


def name_identity(tokens: list[str], known_first: set[str]) -> str:
    """A name's identity: its normalised tokens, the first without the clitics shown by its most
    stripped reading that is another name's first token (``والامم المتحدة`` = ``الامم المتحدة``)."""
    first = normalize(tokens[0])
    for reading in reversed(analyses(first, normalized=True)[1:]):
        if reading in known_first:
            first = reading
            break
    return " ".join((first, *(normalize(t) for t in tokens[1:])))


class LearnedLexicon:
    """One language's learned names, from ``(text, label, count)`` rows of labelled entities."""

    def __init__(self, nlp: Language, rows: Iterable[tuple[str, str, int]], params: EvidenceParams | None = None):
        self.language = nlp.lang
        self.params = params or EvidenceParams()
        self.function_words = frozenset(nlp.Defaults.stop_words)
        self.names: dict[str, LearnedName] = {}
        self.by_text: dict[str, str] = {}  # a labelled span's text -> its name id
        make_doc = nlp.make_doc
        tokenized = []
        for text, label, count in rows:
            tokens = [t.text for t in make_doc(str(text).strip()) if not t.is_space]
            if tokens and not (len(tokens) == 1 and len(normalize(tokens[0])) < 2):
                tokenized.append((str(text), str(label), int(count), tokens))
        known_first = {normalize(tokens[0]) for *_, tokens in tokenized}
        for text, label, count, tokens in tokenized:
            name_id = name_identity(tokens, known_first)
            name = self.names.get(name_id)
            if name is None:
                name = self.names[name_id] = LearnedName(NameEvidence(name_id, tokens=len(tokens)),
                                                         rest=tuple(normalize(t) for t in tokens[1:]))
            ev = name.evidence
            ev.labels[label] += count
            ev.spellings.add(strip_marks(tokens[0]))
            ev.stems |= stems_of(tokens[0])
            name.keys |= name_keys(tokens[0], may_carry_clitic=True)
            written = (tokens[0], latin_case(tokens[0]))
            name.written[written] = name.written.get(written, 0) + count
            self.by_text[text] = name_id
        for name in self.names.values():
            ev = name.evidence
            ev.function_word = ev.tokens == 1 and all(s in self.function_words for s in ev.spellings)
        self.assemble([])
        self._matcher: NameMatcher | None = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_matcher": None}  # rebuilt where it is used

    @property
    def matcher(self) -> NameMatcher:
        if self._matcher is None:
            matcher = NameMatcher(None)
            for name in self.names.values():
                case, first = name.case_and_first
                matcher.add_entry(name.keys, NameEntry(name.rest, name.evidence.label, 0.0, first, case,
                                                       name.evidence))
            self._matcher = matcher
        return self._matcher

    # -- evidence ----------------------------------------------------------------------------------

    def record(self, table: TokenTable, labelled: LabelledText) -> SetRecord:
        """One annotation set's record (see :func:`~annotator.suggest.name_evidence.count_occurrences`)."""
        return count_occurrences(table, self.matcher.candidates(table), labelled, self.by_text.get)

    def assemble(self, records: Iterable[SetRecord]) -> None:
        """Every name's counts and scores from the records of all annotation sets."""
        assemble({name_id: name.evidence for name_id, name in self.names.items()}, records, self.params)

    def learn(self, nlp: Language, labelled: Iterable[LabelledText]) -> None:
        """Count every set (no cache) and assemble."""
        self.assemble([self.record(token_table(nlp.make_doc(item.text)), item) for item in labelled])

    # -- proposing ---------------------------------------------------------------------------------

    def propose(self, table: TokenTable, suggester: str):
        """The non-overlapping proposals for a document's tokens."""
        threshold = self.params.threshold
        scored = []
        for cand in self.matcher.candidates(table):
            score = cand.entry.data.score_at(table.texts[cand.start], cand.key, self.function_words)
            if score is not None and score >= threshold:
                scored.append((cand, score))
        return resolve_longest(table, scored, suggester)

    def signature(self) -> list:
        """Everything the proposals depend on (a version for a lexicon used without a corpus)."""
        return sorted((n, name.matching(), name.proposing(self.params)) for n, name in self.names.items()) + [
            sorted(vars(self.params).items())]


class LearnedSuggester:
    """spaCy component: the corpus's own entity names, matched clitic-aware, scored by evidence."""

    def __init__(self, nlp: Language, name: str, names: list[list], params: dict | None = None):
        self.name = name
        self.nlp = nlp
        self.use(LearnedLexicon(nlp, [(t, label, n) for t, label, n in names], EvidenceParams(**(params or {}))))

    def use(self, lexicon: LearnedLexicon, version: str | None = None) -> None:
        """Propose ``lexicon``'s names; ``version`` names its state (default: a fingerprint of it)."""
        self.lexicon = lexicon
        self.version = version or f"learned-{CODE_VERSION}+{fingerprint(lexicon.signature())}"

    def learn(self, labelled: Iterable[LabelledText]) -> None:
        """Take the evidence of ``labelled`` annotation sets (all counted afresh)."""
        self.lexicon.learn(self.nlp, labelled)
        self.use(self.lexicon)

    def __call__(self, doc: Doc) -> Doc:
        table = token_table(doc)
        put_suggestions(doc, self.name, self.lexicon.propose(table, self.name))
        suggestions_of(doc)[self.name].index_terms = index_terms(table.norms)
        return doc


@Language.factory("annotator_learned", default_config={"names": [], "params": {}})
def make_learned_suggester(nlp: Language, name: str, names: list[list], params: dict) -> LearnedSuggester:
    """``names``: ``[[text, label, count], ...]`` as :meth:`Corpus.entity_names` returns them;
    ``params``: :class:`~annotator.suggest.name_evidence.EvidenceParams` fields to change."""
    return LearnedSuggester(nlp, name, names, params)
