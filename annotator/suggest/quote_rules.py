"""Quote patterns of one language, loaded from ``resources/quotes/<lang>.json``.

Everything language-specific the quote detector knows lives in that file: cue verbs with their
inflected forms, participles, speech nouns, complementisers, attribution phrases, words that end a
speaker's noun phrase, quote-mark pairs, scores. Adding a language means adding a file.
Words are compared in their :func:`annotator.core.clitics.normalize` form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from annotator.core.clitics import normalize
from annotator.suggest.base import QUOTE_RESOURCES, file_fingerprint


class QuoteRulesError(ValueError):
    """A quote rules file is missing or malformed."""


def _norm_set(words) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


def _norm_seqs(seqs) -> tuple[tuple[str, ...], ...]:
    # Longest sequences first so that "إلى أن" wins over "أن".
    return tuple(sorted((tuple(normalize(w) for w in seq) for seq in seqs), key=len, reverse=True))


@dataclass(frozen=True)
class QuoteRules:
    language: str
    version: str
    speaker_position: str  # "after" (verb-first: Arabic) or "before" (English)
    cue_proclitics: tuple[str, ...]
    cue_verbs: dict[str, str]  # normalised form -> lemma
    chain_verbs: dict[str, str]
    chain_prepositions: frozenset[str]
    cue_nouns: frozenset[str]  # speech nouns after their speaker: نقلت عن X قوله إن
    speech_nouns: frozenset[str]  # speech nouns before their speaker: إقرار المفاوضين بأن
    cue_phrases: tuple[tuple[str, ...], ...]  # multi-word cues, speaker after: وجاء في رسالة أن
    participles: dict[str, str]
    complementisers: tuple[tuple[str, ...], ...]
    complementisers_with_subject: frozenset[str]
    not_complementiser_after: frozenset[str]
    attribution_phrases: tuple[tuple[str, ...], ...]
    attribution_glued_prefixes: dict[str, tuple[str, ...]]
    speaker_boundaries: frozenset[str]
    speaker_boundary_prefixes: tuple[str, ...]
    speaker_heads_taking_pp: frozenset[str]
    speaker_pp_words: frozenset[str]
    speaker_joiners: frozenset[str]
    skip_before_cue: frozenset[str]
    cue_prefix_words: frozenset[str]  # auxiliaries and adverbs right before a cue belong to it: "has also said" (PolNeAR)
    cue_blockers: frozenset[str]
    cue_exclusions: tuple[tuple[str, ...], ...]
    max_name_quote_tokens: int
    max_title_quote_tokens: int  # quoted names and titles are at most this long (see naming_words)
    max_circumstance_tokens: int  # words allowed between a cue (and speaker) and a short quote: خلال مؤتمر صحافي
    naming_words: frozenset[str]  # nouns that introduce a name or title: مؤشر, صحيفة, شعار, show, slogan
    name_prepositions: frozenset[str]  # a quoted stretch right after one of these names something
    cue_prepositions: frozenset[str]  # prepositions a cue governs: أشار إلى «…», أعرب عن «…»
    clause_connectives: frozenset[str]
    auxiliaries: frozenset[str]
    colon_headline_exclude: frozenset[str]
    open_marks: frozenset[str]
    close_marks: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    allow_mixed: bool
    allow_reversed: bool
    sentence_ends: frozenset[str]
    clause_commas: frozenset[str]
    min_bare_quote_tokens: int
    max_gap_tokens: int
    max_speaker_tokens: int
    max_postposed_gap: int
    bare_complement: frozenset[str]  # cue forms whose clause may follow without a complementiser
    infinitive_cues: frozenset[str]  # cue forms whose content may be a to-infinitive: wants to …, vowed to …
    time_words: frozenset[str]  # never a speaker, skipped between a cue and its content: Friday, أمس
    time_prepositions: frozenset[str]  # "on", "last" before a time word
    adverb_suffixes: tuple[str, ...]  # lower-case words ending so are adverbs, never speakers: publicly
    relative_pronouns: frozenset[str]  # a speaker ends before a relative clause: The senator, who …, said
    relative_speakers: frozenset[str]  # "…, who said he would …": the relative pronoun is the source (PolNeAR)
    subjects_after_cue: frozenset[str]  # "Twitter said it …": these open the reported clause, not a phrase
    coordinators: frozenset[str]  # "Giles attempted … and said he …": the sentence's subject speaks
    addressee_cues: frozenset[str]  # "told me he …": cues whose addressee comes before the reported clause
    addressee_words: frozenset[str]  # addressees of those cues that are not names: me, us, reporters
    apposition_starters: frozenset[str]  # "Flynn, a top Trump surrogate, said": the apposition is kept
    topic_markers: frozenset[str]  # أما X فقال: X is the speaker, and a new topic
    topic_cue_prefix: str  # the clitic the cue carries after a topic marker (ف)
    postposed_attribution: bool  # "Content, sources said." / "Content, said X." without quote marks
    continuation_joins: bool  # "'…,' X said. '…'": the next quoted sentence is a second content part
    colon_is_cue: bool  # the colon is the cue of "Speaker: words" (PARC/PolNeAR; not our Arabic guidelines)
    content_keeps_complementiser: bool  # "said that X": the content is "that X" (PolNeAR), not "X"
    cue_lowercase_only: bool  # a capitalised cue form inside a sentence is a name: United States, Claims
    cue_not_after: frozenset[str]  # determiners and numbers before a cue form make it a noun: 20 states
    particles: frozenset[str]  # function words that never begin or end a speaker before its cue (ما, لأنه)
    affiliation_words: frozenset[str]  # "التابعة" + لـ: the affiliation stays in the speaker's phrase
    pronoun_speakers: dict[str, frozenset[str]]  # he -> {PER}: a pronoun source links to an earlier entity
    scores: dict[str, float] = field(default_factory=dict)
    fingerprint: str = ""

    @classmethod
    def from_dict(cls, data: dict, fingerprint: str = "") -> QuoteRules:
        def forms(entries) -> dict[str, str]:
            return {normalize(f): e["lemma"] for e in entries for f in e["forms"]}

        marks = data["quote_marks"]
        pairs = frozenset(tuple(p) for p in marks["pairs"])
        return cls(
            language=data["language"],
            version=str(data.get("version", "1")),
            speaker_position=data.get("speaker_position", "after"),
            cue_proclitics=tuple(data.get("cue_proclitics", [])),
            cue_verbs=forms(data.get("cue_verbs", [])),
            chain_verbs=forms(data.get("chain_verbs", [])),
            chain_prepositions=_norm_set(data.get("chain_prepositions", [])),
            cue_nouns=_norm_set(data.get("cue_nouns", [])),
            speech_nouns=_norm_set(data.get("speech_nouns", [])),
            cue_phrases=_norm_seqs(data.get("cue_phrases", [])),
            participles=forms(data.get("participles", [])),
            complementisers=_norm_seqs(data.get("complementisers", [])),
            complementisers_with_subject=_norm_set(data.get("complementisers_with_subject", [])),
            not_complementiser_after=_norm_set(data.get("not_complementiser_after", [])),
            attribution_phrases=_norm_seqs(data.get("attribution_phrases", [])),
            attribution_glued_prefixes={
                normalize(k): tuple(normalize(p) for p in v)
                for k, v in data.get("attribution_glued_prefixes", {}).items()
            },
            speaker_boundaries=_norm_set(data.get("speaker_boundaries", [])),
            speaker_boundary_prefixes=tuple(normalize(p) for p in data.get("speaker_boundary_prefixes", [])),
            speaker_heads_taking_pp=_norm_set(data.get("speaker_heads_taking_pp", [])),
            speaker_pp_words=_norm_set(data.get("speaker_pp_words", [])),
            speaker_joiners=_norm_set(data.get("speaker_joiners", [])),
            skip_before_cue=_norm_set(data.get("skip_before_cue", [])),
            cue_prefix_words=_norm_set(data.get("cue_prefix_words", [])),
            cue_blockers=_norm_set(data.get("cue_blockers", [])),
            cue_exclusions=_norm_seqs(data.get("cue_exclusions", [])),
            max_name_quote_tokens=int(data.get("max_name_quote_tokens", 3)),
            max_title_quote_tokens=int(data.get("max_title_quote_tokens", 6)),
            max_circumstance_tokens=int(data.get("max_circumstance_tokens", 8)),
            naming_words=_norm_set(data.get("naming_words", [])),
            name_prepositions=_norm_set(data.get("name_prepositions", [])),
            cue_prepositions=_norm_set(data.get("cue_prepositions", [])),
            clause_connectives=_norm_set(data.get("clause_connectives", [])),
            auxiliaries=_norm_set(data.get("auxiliaries", [])),
            colon_headline_exclude=_norm_set(data.get("colon_headline_exclude", [])),
            open_marks=frozenset(p[0] for p in pairs),
            close_marks=frozenset(p[1] for p in pairs),
            pairs=pairs,
            allow_mixed=bool(marks.get("allow_mixed", True)),
            allow_reversed=bool(marks.get("allow_reversed", False)),
            sentence_ends=frozenset(data.get("sentence_ends", [".", "!", "?"])),
            clause_commas=frozenset(data.get("clause_commas", [","])),
            min_bare_quote_tokens=int(data.get("min_bare_quote_tokens", 6)),
            max_gap_tokens=int(data.get("max_gap_tokens", 20)),
            max_speaker_tokens=int(data.get("max_speaker_tokens", 8)),
            max_postposed_gap=int(data.get("max_postposed_gap", 4)),
            bare_complement=_norm_set(data.get("bare_complement", [])),
            infinitive_cues=_norm_set(data.get("infinitive_cues", [])),
            time_words=_norm_set(data.get("time_words", [])),
            time_prepositions=_norm_set(data.get("time_prepositions", [])),
            adverb_suffixes=tuple(data.get("adverb_suffixes", [])),
            relative_pronouns=_norm_set(data.get("relative_pronouns", [])),
            relative_speakers=_norm_set(data.get("relative_speakers", [])),
            subjects_after_cue=_norm_set(data.get("subjects_after_cue", [])),
            coordinators=_norm_set(data.get("coordinators", [])),
            addressee_cues=_norm_set(data.get("addressee_cues", [])),
            addressee_words=_norm_set(data.get("addressee_words", [])),
            apposition_starters=_norm_set(data.get("apposition_starters", [])),
            topic_markers=_norm_set(data.get("topic_markers", [])),
            topic_cue_prefix=normalize(data.get("topic_cue_prefix", "")),
            postposed_attribution=bool(data.get("postposed_attribution", False)),
            continuation_joins=bool(data.get("continuation_joins", False)),
            colon_is_cue=bool(data.get("colon_is_cue", False)),
            content_keeps_complementiser=bool(data.get("content_keeps_complementiser", False)),
            cue_lowercase_only=bool(data.get("cue_lowercase_only", False)),
            cue_not_after=_norm_set(data.get("cue_not_after", [])),
            particles=_norm_set(data.get("particles", [])),
            affiliation_words=_norm_set(data.get("affiliation_words", [])),
            pronoun_speakers={normalize(k): frozenset(v) for k, v in data.get("pronoun_speakers", {}).items()},
            scores=dict(data.get("scores", {})),
            fingerprint=fingerprint,
        )

    def score(self, kind: str) -> float:
        return float(self.scores.get(kind, 0.5))

    @property
    def all_marks(self) -> frozenset[str]:
        return self.open_marks | self.close_marks


def rules_path(lang: str, directory: Path = QUOTE_RESOURCES) -> Path:
    return Path(directory) / f"{lang}.json"


def available_languages(directory: Path = QUOTE_RESOURCES) -> list[str]:
    return sorted(p.stem for p in Path(directory).glob("*.json"))


@lru_cache(maxsize=32)
def load_quote_rules(source: str) -> QuoteRules:
    """Rules from a language code (``"ar"``) or the path of a rules file."""
    path = Path(source) if source.endswith(".json") else rules_path(source)
    if not path.exists():
        raise QuoteRulesError(
            f"no quote rules for {source!r} (looked for {path}); languages with rules: "
            f"{', '.join(available_languages()) or 'none'}"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return QuoteRules.from_dict(data, fingerprint=file_fingerprint(path))
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise QuoteRulesError(f"{path}: not a valid quote rules file ({exc})") from None
