"""Where quotes are detected: rule-based quote suggestions (content, cue, source, type, score).

The detector works on the tokens of the shared tokenizer, so every range it proposes is
token-aligned. Language knowledge comes from :mod:`annotator.suggest.quote_rules`
(``resources/quotes/<lang>.json``); the patterns below are language-neutral:

1. **Indirect** — cue (verb, participle, speech noun) … complementiser (``إن``, ``أن``, ``بأن``,
   ``إلى أن``, ``that``) … content to the end of the clause. If the clause is one quoted stretch the
   quote is *direct*; if it holds quoted fragments it is *mixed*.
2. **Direct with a cue before** — ``وقال أوباما "…"``, ``وتابع: "…"``, ``He said: "…"``.
3. **Direct with a cue after** — ``"…"، قال الوزير``, ``"…," Putin said``, ``"…," said Putin, "…"``
   (a second quoted stretch right after the attribution is a second content part).
4. **Cue + colon** without marks — ``وقال: الأمر …``.
5. **Headline colon** — a short line ``بوتين: حققنا بعض التقارب``.
6. **Attribution** — ``بحسب``/``وفقاً لـ``/``نقلاً عن``/``according to`` + source.
7. **Bare quoted stretches** of some length with no cue get a low score.

Speakers: in verb-first languages the source is the noun phrase after the cue (``وقال أوباما``), or
the one between ``كان`` and the cue (``وكان أوباما قد صرح``), or after ``عن`` in a reporting chain
(``نقلت عن المتحدث … قوله إن``). In English it precedes the cue. A quote without a speaker of its
own (``وأضاف``, ``وتابع:``) is *floating*: it inherits the previous quote's source and entity at a
lower score. Sources link to an entity suggestion inside them when one exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.clitics import analyses
from annotator.core.snapping import TokenIndex
from annotator.core.spans import Quote, Range, Span
from annotator.suggest.base import entity_candidates, fingerprint, put_suggestions, token_table
from annotator.suggest.model import load_pipeline, model_version
from annotator.suggest.quote_links import link_speakers
from annotator.suggest.quote_marks import QuotePair, find_quote_pairs
from annotator.suggest.quote_merge import merge_quotes
from annotator.suggest.quote_model import group_roles, model_scores, predicted_roles
from annotator.suggest.quote_rules import QuoteRules, load_quote_rules

CODE_VERSION = "1"
ENTITY_PREFERENCE = {"PER": 0, "ORG": 1, "NORP": 2, "GPE": 3, "LOC": 4, "MISC": 5}


@dataclass
class _Found:
    """A quote under construction, in token indices ``[start, end)``."""

    contents: list[tuple[int, int]]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    type: str
    score: float
    first_token: int


class QuoteDetector:
    """Finds quotes in a ``Doc`` with the rules of its language.

    It keeps a little per-document state while detecting: use one detector per thread (each
    pipeline the runner builds has its own).
    """

    def __init__(self, rules: QuoteRules):
        self.rules = rules
        self._name_open: dict[int, QuotePair] = {}
        self._name_close: dict[int, QuotePair] = {}
        self._titles: set[int] = set()  # opening marks of quoted titles (see _is_name_quote)
        self._cue_cache: dict[str, str | None] = {}
        self._seq_index: dict[int, dict[str, list[tuple[str, ...]]]] = {}
        self._phrase_length: dict[int, int] = {}
        self._attribution_starters = frozenset(seq[0] for seq in rules.attribution_phrases) | frozenset(
            rules.attribution_glued_prefixes)
        self._phrase_starters = frozenset(seq[0] for seq in rules.cue_phrases)

    # -- token classes ------------------------------------------------------------------

    def _strip_cue_clitic(self, norm: str) -> list[str]:
        out = [norm]
        for clitic in self.rules.cue_proclitics:
            if norm.startswith(clitic) and len(norm) > len(clitic) + 1:
                out.append(norm[len(clitic) :])
        return out

    def cue_kind(self, norm: str) -> str | None:
        """'verb', 'participle', 'noun' or 'chain' when ``norm`` is a cue word."""
        try:
            return self._cue_cache[norm]
        except KeyError:
            kind = self._cue_cache[norm] = self._cue_kind(norm)
            return kind

    def _cue_kind(self, norm: str) -> str | None:
        r = self.rules
        for form in self._strip_cue_clitic(norm):
            if form in r.cue_verbs:
                return "verb"
            if form in r.participles:
                return "participle"
            if form in r.chain_verbs:
                return "chain"
        if norm in r.cue_nouns:
            return "noun"
        if norm in r.speech_nouns:
            return "speech_noun"
        return None

    def _match_seq(self, norms: list[str], i: int, seqs: tuple[tuple[str, ...], ...]) -> int:
        """Length of the longest sequence of ``seqs`` starting at token ``i`` (0 if none)."""
        by_first = self._seq_index.get(id(seqs))  # the rules' tuples live as long as the detector
        if by_first is None:
            by_first = self._seq_index[id(seqs)] = {}
            for seq in seqs:  # longest first, as the rules list them
                by_first.setdefault(seq[0], []).append(seq)
        for seq in by_first.get(norms[i], ()):
            if tuple(norms[i : i + len(seq)]) == seq:
                return len(seq)
        return 0

    # -- the document pass --------------------------------------------------------------

    def detect(self, doc: Doc) -> list[Quote]:
        r = self.rules
        table = token_table(doc)
        norms, texts, is_break, is_space = table.norms, table.texts, table.breaks, table.spaces
        n = len(texts)
        is_end = [t in r.sentence_ends for t in texts]
        # Sentence id of each token (breaks and sentence-final punctuation end sentences).
        sentence = [0] * n
        paragraph = [0] * n
        sid = pid = 0
        for i in range(n):
            sentence[i] = sid
            paragraph[i] = pid
            if is_break[i] or is_end[i]:
                sid += 1
            if is_break[i]:
                pid += 1
        time_words = r.time_words
        self._time = [w in time_words for w in norms]

        pairs = [p for p in find_quote_pairs(doc, r) if not p.nested]
        pair_at_open = {p.open: p for p in pairs}
        in_pair = [False] * n
        for p in pairs:
            for k in range(p.open, p.close + 1):
                in_pair[k] = True
        used_pairs: set[int] = set()
        cue_kind, known = self.cue_kind, self._cue_cache
        cues = [None if inside else known[w] if w in known else cue_kind(w)
                for w, inside in zip(norms, in_pair, strict=True)]
        blockers = r.cue_blockers
        for i in [i for i, kind in enumerate(cues) if kind and i > 0]:
            # "الذي لم يكشف عن هويته": a negated verb, or one opening a relative clause, reports nothing.
            prev = i - 1 if not is_space[i - 1] else i - 2
            if prev >= 0 and norms[prev] in blockers:
                cues[i] = None
        if r.cue_lowercase_only or r.cue_not_after:
            self._drop_noun_cues(cues, texts, norms, is_space, is_break)
        phrase_length: dict[int, int] = {}
        phrase_starters = self._phrase_starters
        for i in [i for i, w in enumerate(norms) if w in phrase_starters and not in_pair[i]]:
            length = self._match_seq(norms, i, r.cue_phrases)
            if length:
                cues[i] = "phrase"
                phrase_length[i] = length
        self._phrase_length = phrase_length
        for i in [i for i, kind in enumerate(cues) if kind]:
            if self._match_seq(norms, i, r.cue_exclusions):  # "يذكر أن": "it is worth noting that"
                cues[i] = None
        # Quoted names, titles and slogans are not quotes (صحيفة "بيلد" الألمانية, مؤشر «جي بي مورجان…»,
        # لـ«الشرق الأوسط», تحت شعار «…»): they stay inside the clause around them.
        self._name_open = {}
        self._name_close = {}
        self._titles = set()
        for p in pairs:
            if self._is_name_quote(p, norms, texts, is_space, is_break, cues):
                self._name_open[p.open] = p
                self._name_close[p.close] = p
        found: list[_Found] = []
        taken = [False] * n  # tokens already inside a found quote's content

        def clause_end(start: int) -> int:
            """End (exclusive) of the clause that starts at ``start``: sentence end, or a new cue clause."""
            k = start
            while k < n:
                if k in pair_at_open:
                    k = pair_at_open[k].close + 1
                    continue
                if is_break[k] or is_end[k]:
                    break
                if texts[k] in r.clause_commas or norms[k] in r.clause_connectives:
                    # "…، مشيرا إلى أن", "…، فيما أكد …", "… وقال": a new reporting clause starts.
                    nxt = _next_word(k + 1)
                    if nxt is not None and texts[k] in r.clause_commas and norms[nxt] in r.clause_connectives:
                        nxt = _next_word(nxt + 1)
                    if nxt is not None and (cues[nxt] in ("verb", "participle", "chain")
                                            or (texts[k] in r.clause_commas and self._attribution_at(norms, nxt))):
                        break
                if k > start and cues[k] in ("verb", "chain") and norms[k] != norms[start]:
                    first = self._strip_cue_clitic(norms[k])
                    if len(first) > 1:  # "وقال" with its conjunction: a new sentence-like clause
                        break
                k += 1
            return k

        def _next_word(k: int) -> int | None:
            while k < n and is_space[k] and not is_break[k]:
                k += 1
            return k if k < n and not is_break[k] else None

        def trim(start: int, end: int) -> tuple[int, int]:
            while start < end and (is_space[start] or texts[start] in r.clause_commas or texts[start] == ":"):
                start += 1
            while end > start and (is_space[end - 1] or texts[end - 1] in r.clause_commas or is_end[end - 1]):
                end -= 1
            return start, end

        def content_parts(start: int, end: int) -> tuple[list[tuple[int, int]], str, list[QuotePair]]:
            """Content of a clause: a single quoted stretch (direct) or the clause (indirect/mixed)."""
            start, end = trim(start, end)
            inside = [p for p in pairs if start <= p.open and p.close < end]
            if len(inside) == 1 and inside[0].open == start and inside[0].close == end - 1:
                p = inside[0]
                return [self._inner(p, texts)], "direct", inside
            quoted = [p for p in inside if p.open not in self._titles]  # a quoted title does not make it mixed
            return [(start, end)], ("mixed" if quoted else "indirect"), inside

        # -1. transcript turns: a paragraph "WALLACE: words …" (the colon is the cue where the rules say so)
        if r.colon_is_cue:
            for made in self._transcript_turns(norms, texts, is_break, is_space, pairs):
                found.append(made)
                for s, e in made.contents:
                    for t in range(s, e):
                        taken[t] = True
                    # the marks inside the turn, and the one opening its paragraph ("PENCE: … “Shark Tank.”)
                    used_pairs.update(p.open for p in pairs if p.open < e and p.close >= made.first_token - 2)

        # 0. the attribution after an unquoted content: "…, sources said.", "…, said Trump." (English)
        if r.postposed_attribution:
            for made in self._postposed(norms, texts, cues, sentence, is_end, is_break, in_pair, taken,
                                        content_parts, pairs):
                found.append(made)
                for s, e in made.contents:
                    for t in range(s, e):
                        taken[t] = True
                    used_pairs.update(p.open for p in pairs if s <= p.open and p.close < e)

        # 1. cue … complementiser … clause (indirect, mixed, or direct when the clause is quoted)
        claimed: set[int] = set()
        for c in range(n):
            kind = cues[c]
            if kind is None or taken[c]:
                continue
            comp = self._find_complementiser(norms, texts, cues, c, sentence, in_pair, pair_at_open)
            if comp is None:
                continue
            k, length, keeps_subject = comp
            if k in claimed:
                continue  # وأكد أوباما في تصريحات … أن: one complementiser, one quote
            claimed.add(k)
            start = k if keeps_subject or r.content_keeps_complementiser else k + length
            end = clause_end(start)
            parts, qtype, inside = content_parts(start, end)
            if not parts or parts[0][0] >= parts[0][1]:
                continue
            cue, source = self._cue_and_source(norms, texts, cues, c, k, sentence)
            score = r.score("bare_complement" if length == 0 else qtype)
            if kind == "speech_noun":
                score = min(score, r.score("speech_noun"))
            found.append(_Found(parts, cue, source, qtype, score, first_token=min(c, parts[0][0])))
            for p in inside:
                used_pairs.add(p.open)
            for s, e in parts:
                for t in range(s, e):
                    taken[t] = True

        # 2./3. quoted stretches with a cue before or after
        for p in pairs:
            if p.open in used_pairs or taken[p.open + 1]:
                continue
            made = self._direct_with_cue_before(p, norms, texts, cues, sentence, is_end, is_break, taken)
            if made is None:
                made = self._direct_with_cue_after(p, norms, texts, cues, sentence, is_end, is_break, pairs,
                                                   used_pairs)
            if made is None:
                continue
            used_pairs.add(p.open)
            found.append(made)
            for s, e in made.contents:
                for t in range(s, e):
                    taken[t] = True

        # 4. cue + colon, content without marks
        for c in range(n):
            if cues[c] not in ("verb", "participle") or taken[c]:
                continue
            k = c + 1
            while k < n and k - c <= r.max_gap_tokens and not is_break[k] and not is_end[k] and texts[k] != ":":
                if cues[k] or in_pair[k]:
                    break
                k += 1
            if k >= n or texts[k] != ":":
                continue
            nxt = _next_word(k + 1)
            if nxt is not None:
                length = self._match_seq(norms, nxt, r.complementisers)  # "وأضاف: إن …"
                if length:
                    nxt = _next_word(nxt + length)
            if nxt is None or in_pair[nxt] or taken[nxt]:
                continue
            end = clause_end(nxt)
            s, e = trim(nxt, end)
            if e - s < 2:
                continue
            cue, source = self._cue_and_source(norms, texts, cues, c, k, sentence)
            found.append(_Found([(s, e)], cue, source, "direct", r.score("colon_body"), first_token=c))
            for t in range(s, e):
                taken[t] = True

        # 5. headline colon quotes: a short line "Speaker: words"
        found.extend(self._colon_headlines(norms, texts, cues, is_break, is_space, taken, pairs, used_pairs))

        # 6. attribution phrases
        starters = self._attribution_starters
        for i in range(n):
            if norms[i] not in starters or taken[i] or in_pair[i]:
                continue
            length = self._attribution_at(norms, i)
            if not length:
                continue
            made = self._attribution(i, length, norms, texts, sentence, is_end, is_break, taken, content_parts)
            if made is not None:
                found.append(made)
                for s, e in made.contents:
                    for t in range(s, e):
                        taken[t] = True

        # 7. long quoted stretches with no cue, starting or ending their sentence (not words quoted
        # in the middle of narration: أمضى «نحو سبعة أشهر خلال العام الماضي» في الأردن)
        for p in pairs:
            if p.open in used_pairs or taken[p.open + 1] or p.open in self._name_open or (
                    not self._starts_clause(p, texts, is_break) and self._continues(p, texts, is_break)):
                continue
            if r.continuation_joins and self._join_previous(p, found, texts, is_break, cues):
                used_pairs.add(p.open)  # "'…,' Caddell said. '…'": one quote in two parts
                continue
            words = sum(1 for k in p.inner if not is_space[k])
            if words >= r.min_bare_quote_tokens:
                found.append(_Found([self._inner(p, texts)], None, None, "direct", r.score("bare_quote"),
                                    first_token=p.open))

        if r.cue_prefix_words:
            for f in found:
                if f.cue is not None:
                    f.cue = self._grown_cue(f, norms, texts, is_space, is_break)

        markers = r.topic_markers
        topics = [i for i, w in enumerate(norms) if w in markers] if markers else []
        return self._finish(doc, found, sentence, paragraph, topics)

    # -- pattern helpers --------------------------------------------------------------------

    def _grown_cue(self, f: _Found, norms, texts, is_space, is_break) -> tuple[int, int]:
        """The cue with the auxiliaries and adverbs right before it (``has also said``, ``had
        previously stated``, ``went on to``): PolNeAR's cue is the whole verb group. Never into
        the quote's content or source."""
        r = self.rules
        start, end = f.cue
        own = [*f.contents, *([f.source] if f.source else [])]
        k = start - 1
        while k >= 0:
            if is_space[k] and not is_break[k]:
                k -= 1
                continue
            if is_break[k] or any(s <= k < e for s, e in own) or not (
                    norms[k] in r.cue_prefix_words or self._is_adverb(texts[k], norms[k])):
                break
            start = k
            k -= 1
        return start, end

    def _inner(self, p: QuotePair, texts: list[str]) -> tuple[int, int]:
        """Tokens inside a quoted stretch, without a trailing comma (``"…," he said``)."""
        end = p.close
        while end > p.open + 2 and (texts[end - 1] in self.rules.clause_commas or texts[end - 1].isspace()):
            end -= 1
        return p.open + 1, end

    def _postposed(self, norms, texts, cues, sentence, is_end, is_break, in_pair, taken, content_parts, pairs):
        """``Content, SPEAKER CUE [date].`` and ``Content, CUE SPEAKER.``: the whole sentence before
        the comma is the content (quoted or not). Also ``Content, CUE SPEAKER, apposition.`` (the
        apposition is the speaker's), ``Content "… quoted," SPEAKER CUE.`` (the comma inside the
        marks) and the attribution inside its sentence, ``Content, SPEAKER CUE, content.`` (two
        parts; not a participle clause after it: ``Sales were great, he said, wiping sweat …``)."""
        r = self.rules
        n = len(norms)
        first_of: dict[int, int] = {}
        for i in range(n):
            first_of.setdefault(sentence[i], i)
        closing = {p.close: p for p in pairs}
        out = []
        for c in range(n):
            if cues[c] != "verb" or in_pair[c] or taken[c]:
                continue
            source = self._speaker_before(norms, texts, c)
            comma = (source[0] if source else c) - 1
            while comma >= 0 and texts[comma].isspace() and not is_break[comma]:
                comma -= 1
            content_end = comma
            if comma > 0 and comma in closing and texts[comma - 1] in r.clause_commas and \
                    not self._starts_clause(closing[comma], texts, is_break):
                comma -= 1  # Others are "having to be leaner …," she said: the content ends with the mark
                content_end = comma + 2
            if comma < 0 or texts[comma] not in r.clause_commas:
                continue
            tail: tuple[int, int] | None = None
            end = self._sentence_tail_end(norms, texts, c, sentence, is_end, is_break)
            if end is None and source is not None:
                found_tail = self._interpolated_tail(norms, texts, cues, c, sentence, is_end, is_break, taken)
                if found_tail is None:
                    continue
                tail = found_tail if found_tail[1] > found_tail[0] else None
            elif end is None:
                source = self._speaker_with_apposition(norms, texts, cues, c, sentence, is_end, is_break)
                if source is None:
                    continue
            elif source is None:
                source = self._speaker_np(norms, texts, c + 1, end)
                if source is None or self._time[source[0]]:
                    continue
            elif any(any(ch.isalnum() for ch in texts[k]) and not self._time[k] and
                     norms[k] not in r.time_prepositions for k in range(c + 1, end)):
                continue  # words after "SPEAKER said" other than a date: not the end of an attribution
            start = first_of[sentence[c]]
            if any(taken[k] for k in range(start, content_end)):
                continue
            parts, qtype, _ = content_parts(start, content_end)
            if not parts:
                continue
            if tail is not None:
                if sum(1 for k in range(*parts[0]) if any(ch.isalnum() for ch in texts[k])) < 2:
                    continue  # "Still, he said, officials …": an adverb, not a first part
                more, more_type, _ = content_parts(*tail)
                parts = parts + more
                qtype = qtype if qtype == more_type else "mixed"
            if sum(1 for k in range(parts[0][0], parts[-1][1]) if any(ch.isalnum() for ch in texts[k])) < 4:
                continue
            out.append(_Found(parts, (c, c + 1), source, qtype, r.score(qtype), first_token=start))
        return out

    def _interpolated_tail(self, norms, texts, cues, c: int, sentence, is_end, is_break, taken):
        """After ``Content, SPEAKER CUE [date],``: the rest of the sentence as a second content part,
        an empty range when a participle or a preposition opens it (``…, he said, wiping sweat off his
        face``, ``…, she said, in an interview``), None when no comma follows the cue and its date."""
        r = self.rules
        n = len(norms)
        k = c + 1
        while k < n and sentence[k] == sentence[c] and (texts[k].isspace() or self._time[k]
                                                         or norms[k] in r.time_prepositions):
            if is_break[k]:
                return None
            k += 1
        if k >= n or sentence[k] != sentence[c] or texts[k] not in r.clause_commas:
            return None
        s = k + 1
        while s < n and texts[s].isspace() and not is_break[s]:
            s += 1
        if s >= n or is_break[s] or sentence[s] != sentence[c] or not any(ch.isalnum() for ch in texts[s]):
            return None
        if cues[s] or norms[s] in r.name_prepositions or norms[s] in r.time_prepositions or (
                texts[s].islower() and norms[s].endswith("ing")):
            return (s, s)
        e = s
        while e < n and sentence[e] == sentence[c] and not is_end[e] and not is_break[e]:
            if taken[e]:
                return None
            e += 1
        return (s, e)

    def _speaker_with_apposition(self, norms, texts, cues, c: int, sentence, is_end, is_break):
        """``…, said Angie Drobnic Holan, Politifact's editor.``: the speaker after the cue with its
        apposition, to the end of the sentence."""
        r = self.rules
        n = len(norms)
        name = self._speaker_np(norms, texts, c + 1, n)
        if name is None or self._time[name[0]]:
            return None
        k = name[1]
        while k < n and texts[k].isspace() and not is_break[k]:
            k += 1
        if k >= n or texts[k] not in r.clause_commas:
            return None
        words = 0
        last = k
        k += 1
        while k < n and sentence[k] == sentence[c] and not is_end[k] and not is_break[k]:
            if texts[k] in r.all_marks or texts[k] == ":" or cues[k]:
                return None
            if any(ch.isalnum() for ch in texts[k]):
                words += 1
                last = k
            k += 1
        if words == 0 or words > 2 * r.max_speaker_tokens:
            return None
        return (name[0], last + 1)

    def _sentence_tail_end(self, norms, texts, c: int, sentence, is_end, is_break) -> int | None:
        """Index of the sentence end after the cue at ``c`` if only a few words (a speaker, a date) follow."""
        r = self.rules
        k = c + 1
        words = 0
        while k < len(texts) and sentence[k] == sentence[c]:
            if is_end[k] or is_break[k]:
                return k
            if texts[k] in r.all_marks or texts[k] in r.clause_commas or texts[k] == ":":
                return None
            words += any(ch.isalnum() for ch in texts[k])
            if words > r.max_speaker_tokens:
                return None
            k += 1
        return k if k >= len(texts) else None

    def _join_previous(self, p: QuotePair, found: list[_Found], texts, is_break, cues) -> bool:
        """A quoted stretch right after a direct quote's attribution becomes that quote's next content
        part: same paragraph, the attribution after the first part, and between them only the rest
        of the attribution's sentence (``"…," Flynn said Thursday on Fox News's "Fox and Friends." "…"``)."""
        r = self.rules
        for f in found:
            if f.cue is None or f.type != "direct" or f.cue[0] < max(e for _, e in f.contents):
                continue
            last = max([e for _, e in f.contents] + [f.cue[1]] + ([f.source[1]] if f.source else []))
            if last > p.open:
                continue
            gap = range(last, p.open)
            words = sum(1 for k in gap if any(ch.isalnum() for ch in texts[k]) and not self._in_title(k))
            if words <= r.max_circumstance_tokens + 4 and not any(is_break[k] or cues[k] for k in gap):
                f.contents.append(self._inner(p, texts))
                return True
        return False

    def _in_title(self, k: int) -> bool:
        return any(o < k < q.close for o, q in self._name_open.items() if o in self._titles)

    def _drop_noun_cues(self, cues, texts, norms, is_space, is_break) -> None:
        """English cue forms that are nouns or names here: "20 states", "the claims", "United States"
        (a capitalised form inside a sentence, unless the line is a title-case headline)."""
        r = self.rules
        n = len(texts)
        title_case: dict[int, bool] = {}
        line = 0
        line_of = [0] * n
        words: dict[int, list[bool]] = {}
        for i in range(n):
            line_of[i] = line
            if texts[i][:1].isalpha():
                words.setdefault(line, []).append(texts[i][:1].isupper())
            if is_break[i]:
                line += 1
        for key, caps in words.items():
            title_case[key] = len(caps) >= 3 and sum(caps) >= 0.7 * len(caps)
        for i in range(n):
            if not cues[i]:
                continue
            prev = i - 1
            while prev >= 0 and is_space[prev] and not is_break[prev]:
                prev -= 1
            starts = prev < 0 or is_break[prev] or texts[prev] in r.sentence_ends or texts[prev] in r.all_marks \
                or texts[prev] in (":", "(", "-", "—")
            if r.cue_lowercase_only and texts[i][:1].isupper() and not starts and not title_case.get(line_of[i]):
                cues[i] = None
            elif prev >= 0 and (norms[prev] in r.cue_not_after or texts[prev][:1].isdigit()):
                cues[i] = None

    def _is_name_quote(self, p: QuotePair, norms, texts, is_space, is_break, cues) -> bool:
        """A short quoted stretch that names something (a title, a paper, a product, a slogan).

        Short (at most ``max_title_quote_tokens`` words), not introduced by a cue, a colon or a
        complementiser, and governed by a preposition (لـ«الشرق الأوسط», in "Shark Tank") or after
        a naming word (مؤشر, صحيفة, شعار, the show …). Those are *titles*: a clause holding one is
        not mixed for it. Very short stretches followed by more of their clause are kept inside it
        too, even after a cue (وتابع لصحيفة "بيلد": "…", the talks were "very useful" for …), but
        they may be quoted words (a mixed quote).
        """
        r = self.rules
        n = len(norms)
        words = sum(1 for k in p.inner if not is_space[k])
        after = p.close + 1
        while after < n and is_space[after] and not is_break[after]:
            after += 1
        continues = after < n and not is_break[after] and (
            texts[after] == ":" or (texts[after] not in r.sentence_ends and texts[after] not in r.clause_commas
                                    and texts[after] not in r.all_marks))
        if self._is_title(p, norms, texts, is_space, is_break, cues, words):
            return True
        return words <= r.max_name_quote_tokens and continues

    def _is_title(self, p: QuotePair, norms, texts, is_space, is_break, cues, words: int) -> bool:
        r = self.rules
        if words > r.max_title_quote_tokens:
            return False
        before = p.open - 1
        while before >= 0 and is_space[before] and not is_break[before]:
            before -= 1
        if before < 0 or is_break[before] or texts[before] in r.sentence_ends or texts[before] in (":", "-", "—"):
            return False
        if self._introduces(norms, texts, cues, before):
            return False
        if norms[before] in r.name_prepositions or norms[before] in ("’s", "'s") or \
                texts[before].endswith(("’s", "'s")):  # Fox News's "Fox and Friends"
            self._titles.add(p.open)
            return True
        if any(reading in r.naming_words for reading in analyses(norms[before], strip_article=True,
                                                                     normalized=True)):
            self._titles.add(p.open)
            return True
        return False

    def _introduces(self, norms, texts, cues, k: int) -> bool:
        """Token ``k`` opens what follows as reported speech: a cue, a complementiser, or a
        preposition a cue governs (أشار إلى «…», أعرب عن «…»)."""
        r = self.rules
        if cues[k] is not None or norms[k] in r.complementisers_with_subject or self._match_seq(norms, k,
                                                                                           r.complementisers):
            return True
        if norms[k] in r.cue_prepositions:  # أشار إلى «…», يدعو تركيا إلى «…» (the addressee between)
            prev, words = k - 1, 0
            while prev >= 0 and words < 4:
                if texts[prev].isspace():
                    prev -= 1
                    continue
                if not any(ch.isalnum() for ch in texts[prev]):
                    return False
                if cues[prev] is not None:
                    return True
                words += 1
                prev -= 1
        return False

    def _colon_before(self, k: int, texts, is_break) -> bool:
        """The line before the break at ``k`` ends with a colon."""
        j = k - 1
        while j >= 0 and texts[j].isspace() and not is_break[j]:
            j -= 1
        return j >= 0 and texts[j] == ":"

    def _continues(self, p: QuotePair, texts, is_break) -> bool:
        """Words of the same clause follow the closing mark (not punctuation, not a line break)."""
        r = self.rules
        k = p.close + 1
        while k < len(texts) and texts[k].isspace() and not is_break[k]:
            k += 1
        return k < len(texts) and not is_break[k] and any(ch.isalnum() for ch in texts[k]) and \
            texts[k] not in r.all_marks

    def _starts_clause(self, p: QuotePair, texts, is_break) -> bool:
        """Nothing of the sentence comes before the opening mark but a colon, a comma or a dash."""
        r = self.rules
        k = p.open - 1
        while k >= 0 and texts[k].isspace() and not is_break[k]:
            k -= 1
        return k < 0 or is_break[k] or texts[k] in r.sentence_ends or texts[k] in r.clause_commas or \
            texts[k] in (":", "-", "—", "(") or texts[k] in r.close_marks

    def _attribution_at(self, norms: list[str], i: int) -> int:
        r = self.rules
        length = self._match_seq(norms, i, r.attribution_phrases)
        if length:
            return length
        glued = r.attribution_glued_prefixes.get(norms[i])
        if glued and i + 1 < len(norms) and any(norms[i + 1].startswith(g) and len(norms[i + 1]) > len(g) + 1
                                                   for g in glued):
            return 1  # وفقا لمصادر: the source starts inside the next token
        return 0

    def _find_complementiser(self, norms, texts, cues, c, sentence, in_pair, pair_at_open):
        """(token index, length, keeps_subject) of the complementiser governed by the cue at ``c``."""
        r = self.rules
        n = len(norms)
        k = c + 1
        limit = r.max_speaker_tokens + 2 if cues[c] in ("speech_noun", "phrase") else r.max_gap_tokens
        while k < n and k - c <= limit and sentence[k] == sentence[c]:
            if k in self._name_open:
                k = self._name_open[k].close + 1
                continue
            if in_pair[k]:
                return None  # a quote comes first: direct, not indirect
            if texts[k] == ":" or (k > c + 1 and cues[k] in ("verb", "participle")):
                break
            if norms[k] in r.complementisers_with_subject:
                return k, 1, True
            length = self._match_seq(norms, k, r.complementisers)
            if length and norms[k - 1] not in r.not_complementiser_after:
                return k, length, False
            k += 1
        if norms[c] in r.bare_complement and r.speaker_position == "before":
            # "Obama said the talks failed", "Trump wants to build a wall": the clause follows the cue
            # directly, after any date or adverb ("said Friday the …"); a cue with nothing after it
            # but a date ("She said on Fox News Sunday.") reports nothing.
            nxt = c + 1
            while nxt < n and sentence[nxt] == sentence[c] and (
                    (texts[nxt].isspace() and "\n" not in texts[nxt]) or self._time[nxt]
                    or self._skippable_before_cue(norms, texts, nxt) and norms[nxt] not in r.skip_before_cue
                    or self._is_adverb(texts[nxt], norms[nxt])):
                nxt += 1
            infinitive = nxt < n and norms[c] in r.infinitive_cues and norms[nxt] == "to"
            words = 0
            k = nxt
            while k < n and sentence[k] == sentence[c] and "\n" not in texts[k] and words < 3:
                words += any(ch.isalnum() for ch in texts[k])
                k += 1
            if (nxt < n and sentence[nxt] == sentence[c] and not in_pair[nxt] and texts[nxt][:1].isalpha()
                    and words >= 3 and (infinitive or norms[nxt] not in r.speaker_boundaries
                                        or norms[nxt] in r.subjects_after_cue)
                    and not self._time[nxt] and self._speaker_before(norms, texts, c) is not None):
                return nxt, 0, True
        if norms[c] in r.addressee_cues and r.speaker_position == "before":
            return self._clause_after_addressee(norms, texts, cues, c, sentence, in_pair)
        return None

    def _clause_after_addressee(self, norms, texts, cues, c: int, sentence, in_pair):
        """``Mr. Hannity told me his support …``, ``Ina Kirsch told the AP her group never …``: after
        ``told`` and its addressee (an object pronoun, a listed noun, a name), the reported clause."""
        r = self.rules
        n = len(norms)

        def word(k: int) -> int:
            while k < n and texts[k].isspace() and "\n" not in texts[k]:
                k += 1
            return k

        k = word(c + 1)
        if k >= n or sentence[k] != sentence[c]:
            return None
        if norms[k] in r.addressee_words:
            k = word(k + 1)
        else:
            start = k
            if norms[k] == "the":
                k = word(k + 1)
            names = 0
            while k < n and names < 4 and texts[k][:1].isupper() and not in_pair[k]:
                names += 1
                k = word(k + 1)
            if names == 0 or k == start:
                return None
        if k >= n or sentence[k] != sentence[c] or in_pair[k] or not texts[k][:1].isalpha() or self._time[k] or \
                cues[k] or (norms[k] in r.speaker_boundaries and norms[k] not in r.subjects_after_cue) or \
                self._match_seq(norms, k, r.complementisers):
            return None  # "told reporters that …" is the complementiser's; "told them to …" an order
        words = sum(1 for t in range(k, min(n, k + 12)) if sentence[t] == sentence[c] and
                    any(ch.isalnum() for ch in texts[t]))
        if words < 4 or self._speaker_before(norms, texts, c) is None:
            return None
        return k, 0, True

    def _speaker_np(self, norms, texts, start: int, stop: int) -> tuple[int, int] | None:
        """The noun phrase naming the speaker that starts at ``start`` (before ``stop``)."""
        r = self.rules
        while start < stop and texts[start].isspace() and "\n" not in texts[start]:
            start += 1
        k = start
        head: str | None = None
        while k < stop and k - start < r.max_speaker_tokens:
            if k in self._name_open and k > start:
                k = self._name_open[k].close + 1
                continue
            word = norms[k]
            if texts[k].isspace() or not any(ch.isalnum() for ch in texts[k]):
                break
            if word in r.speaker_joiners and k > start:
                k += 1
                continue
            if word in r.speaker_pp_words and head in r.speaker_heads_taking_pp and k > start:
                k += 1
                continue
            if word in r.speaker_boundaries or word in r.complementisers_with_subject or self._time[k] or (
                    word in r.time_prepositions and k + 2 < stop and self._time[k + 2]):
                break  # قالوا أول أمس …: a date, not a speaker
            if any(word.startswith(p) for p in r.speaker_boundary_prefixes) and norms[k - 1] not in r.affiliation_words:
                break  # لل… opens an addressee, except after التابعة: منظمة الصحة العالمية التابعة للأمم المتحدة
            if self._match_seq(norms, k, r.complementisers) or self.cue_kind(word):
                break
            if head is None:
                head = word
            k += 1
        return (start, k) if k > start else None

    def _skippable_before_cue(self, norms, texts, k: int) -> bool:
        """Words between a speaker and the cue: adverbs, auxiliaries, dates (Obama on Friday said)."""
        r = self.rules
        word = norms[k]
        if word in r.skip_before_cue or self._time[k]:
            return True
        if word in r.time_prepositions:
            nxt = k + 1
            while nxt < len(texts) and texts[nxt].isspace():
                nxt += 1
            return nxt < len(texts) and self._time[nxt]
        return self._is_adverb(texts[k], word)

    def _is_adverb(self, text: str, word: str) -> bool:
        return text.islower() and len(word) > 4 and any(word.endswith(suffix) for suffix in self.rules.adverb_suffixes)

    def _speaker_before(self, norms, texts, c: int) -> tuple[int, int] | None:
        """English-style speaker: the noun phrase ending just before the cue at ``c``.

        Adverbs and dates between it and the cue are skipped (``Trump already said``, ``Obama on
        Friday said``); an apposition between commas is part of it (``Flynn, a top Trump
        surrogate, said``); a relative clause between commas is not (``The senator, who spoke on
        Fox News Sunday, said``).
        """
        r = self.rules
        end = c
        while end > 0 and (texts[end - 1].isspace() or self._skippable_before_cue(norms, texts, end - 1)):
            end -= 1
        if end > 0 and texts[end - 1] in r.clause_commas:
            return self._speaker_before_aside(norms, texts, end - 1)
        if end > 0 and norms[end - 1] in r.relative_speakers:
            return (end - 1, end)  # "Army Capt. Christian Pardo, who said he would not vote …": PolNeAR's source is "who"
        if end > 0 and norms[end - 1] in r.coordinators:
            return self._sentence_subject(norms, texts, end - 1)
        return self._noun_phrase_before(norms, texts, end)

    def _sentence_subject(self, norms, texts, k: int) -> tuple[int, int] | None:
        """The name opening the sentence of token ``k``, when the sentence starts with one:
        ``Giles attempted to re-engage the Carson campaign in October and said he …`` (the capitalised
        words at the start, followed by a lower-case word)."""
        r = self.rules
        start = k
        while start > 0 and "\n" not in texts[start - 1] and texts[start - 1] not in r.sentence_ends:
            start -= 1
        while start < k and texts[start].isspace():
            start += 1
        end = start
        while end < k and end - start < r.max_speaker_tokens and (
                texts[end][:1].isupper() or texts[end].isspace() or texts[end] in ("'s", "’s", ".")):
            end += 1
        while end > start and (texts[end - 1].isspace() or texts[end - 1] == "."):
            end -= 1
        if end <= start or end >= k or norms[end - 1] in r.cue_not_after:
            return None  # "The director of …": a determiner alone is no name
        nxt = end
        while nxt < k and texts[nxt].isspace():
            nxt += 1
        if not texts[nxt][:1].islower() or norms[start] in r.speaker_boundaries or self.cue_kind(norms[nxt]) or \
                any(self.cue_kind(norms[t]) and not texts[t][:1].isupper() for t in range(start, end)):
            return None
        return (start, end)

    def _noun_phrase_before(self, norms, texts, end: int) -> tuple[int, int] | None:
        r = self.rules
        k = end
        while k > 0 and end - k < r.max_speaker_tokens:
            word = norms[k - 1]
            tok = texts[k - 1]
            if tok.isspace() or not any(ch.isalnum() for ch in tok):
                break
            if word in r.speaker_joiners and k - 1 > 0 and k < end:
                k -= 1
                continue
            is_cue = self.cue_kind(word) and not (r.cue_lowercase_only and tok[:1].isupper())  # United States
            if word in r.speaker_boundaries or is_cue or self._time[k - 1] or self._is_adverb(tok, word):
                break
            k -= 1
        while k < end and texts[k].isspace():
            k += 1
        return (k, end) if k < end else None

    def _speaker_before_aside(self, norms, texts, comma: int) -> tuple[int, int] | None:
        """The speaker before ``X, <aside>, said``: X with an apposition, or X alone before a relative clause."""
        r = self.rules
        k = comma - 1
        while k >= 0 and comma - k <= 2 * r.max_speaker_tokens:
            if texts[k] in r.clause_commas:
                break
            if "\n" in texts[k] or texts[k] in r.sentence_ends or texts[k] in r.all_marks:
                return None
            k -= 1
        else:
            return None
        if k < 0 or texts[k] not in r.clause_commas:
            return None
        first = k + 1
        while first < comma and texts[first].isspace():
            first += 1
        head = self._noun_phrase_before(norms, texts, k)
        if head is None or first >= comma:
            return None
        if norms[first] in r.relative_pronouns:
            return head
        if norms[first] in r.apposition_starters or texts[first][:1].isupper():
            return (head[0], comma)
        return None

    def _speaker_via_auxiliary(self, norms, texts, c: int, sentence) -> tuple[int, int] | None:
        """``وكان أوباما قد صرح``: the speaker between an auxiliary and the cue."""
        r = self.rules
        if not r.auxiliaries:
            return None
        k = c - 1
        while k >= 0 and (texts[k].isspace() or norms[k] in ("قد", "لقد")):
            k -= 1
        end = k + 1
        lo = max(0, c - r.max_speaker_tokens - 2)
        while k >= lo and sentence[k] == sentence[c]:
            stripped = self._strip_cue_clitic(norms[k])
            if any(s in r.auxiliaries for s in stripped):
                return (k + 1, end) if end > k + 1 else None
            if not any(ch.isalnum() for ch in texts[k]):
                return None
            k -= 1
        return None

    def _cue_and_source(self, norms, texts, cues, c: int, stop: int, sentence):
        """Cue range and speaker range (token indices) for the cue at ``c`` with its clause starting at ``stop``."""
        r = self.rules
        cue = (c, c + self._phrase_length.get(c, 1))
        source: tuple[int, int] | None = None
        kind = cues[c]
        if kind == "phrase" and r.speaker_position == "before":
            return cue, self._speaker_before(norms, texts, c)  # Trump called for a ban …
        if kind in ("speech_noun", "phrase"):
            # إقرار المفاوضين الأميركيين بأن …, وجاء في رسالة أن …: the source follows the cue.
            return cue, self._speaker_np(norms, texts, cue[1], stop)
        if kind == "chain":
            # نقلت [وكالة …] عن SPEAKER قوله إن …: the speaker follows the chain preposition.
            for k in range(c + 1, stop):
                if norms[k] in r.chain_prepositions:
                    source = self._speaker_np(norms, texts, k + 1, stop)
                    break
            for k in range(c + 1, stop):
                if cues[k] == "noun":
                    cue = (k, k + 1)
            return cue, source
        if kind == "noun":
            # … SPEAKER قوله إن: the speaker precedes a speech noun after a chain preposition.
            for k in range(c - 1, max(-1, c - r.max_speaker_tokens - 2), -1):
                if norms[k] in r.chain_prepositions:
                    return cue, (k + 1, c) if c > k + 1 else None
                if sentence[k] != sentence[c]:
                    break
            return cue, None
        if kind == "participle":
            return cue, None  # a participle's subject is the main clause's: inherited
        if r.speaker_position == "after":
            source = self._speaker_after_topic(norms, texts, c, sentence)
            if source is None:
                source = self._subject_before(norms, texts, c, sentence)
            if source is None:
                source = self._speaker_np(norms, texts, c + 1, stop)
            if source is None:
                source = self._speaker_via_auxiliary(norms, texts, c, sentence)
        else:
            # The speaker precedes the cue; the words after it are the addressee (told the BBC) or
            # a date (said Friday), never the speaker.
            source = self._speaker_before(norms, texts, c)
        return cue, source

    def _subject_before(self, norms, texts, c: int, sentence) -> tuple[int, int] | None:
        """Verb-first languages put the subject after the cue, unless the cue (without و/ف) follows a
        noun phrase of its clause: ``مقال افتتاحي يوم السبت يدعو تركيا إلى …`` (the editorial calls
        on Turkey: تركيا is the addressee), ``وزير الخارجية قال إن …``."""
        r = self.rules
        if any(norms[c].startswith(clitic) for clitic in r.cue_proclitics):
            return None
        k = c - 1
        while k >= 0 and texts[k].isspace() and "\n" not in texts[k]:
            k -= 1
        while k >= 0 and (self._time[k] or norms[k] in r.time_prepositions):
            k -= 1
            while k >= 0 and texts[k].isspace() and "\n" not in texts[k]:
                k -= 1
        if k < 0 or sentence[k] != sentence[c] or not any(ch.isalpha() for ch in texts[k]):
            return None
        word = norms[k]
        if (word in r.speaker_boundaries or word in r.clause_connectives or word in r.auxiliaries or word in r.cue_blockers
                or word in r.complementisers_with_subject or self._match_seq(norms, k, r.complementisers)
                or word in r.relative_pronouns or word in r.particles or self.cue_kind(word)):
            return None
        found = self._noun_phrase_before(norms, texts, k + 1)
        if found is None or any(norms[t] in r.particles for t in range(*found)):
            return None
        before = found[0] - 1
        while before >= 0 and texts[before].isspace() and "\n" not in texts[before]:
            before -= 1
        at_clause_start = before < 0 or "\n" in texts[before] or texts[before] in r.clause_commas or \
            texts[before] in r.sentence_ends or texts[before] == ":"
        return found if at_clause_start else None

    def _speaker_after_topic(self, norms, texts, c: int, sentence) -> tuple[int, int] | None:
        """``أما الوزير فقال إن …``: the topic after أما is the speaker of the cue that carries ف."""
        r = self.rules
        if not r.topic_markers or not r.topic_cue_prefix or not norms[c].startswith(r.topic_cue_prefix):
            return None
        k = c - 1
        while k >= 0 and sentence[k] == sentence[c] and c - k <= r.max_speaker_tokens + 2:
            if norms[k] in r.topic_markers:
                return self._speaker_np(norms, texts, k + 1, c)
            k -= 1
        return None

    def _direct_with_cue_before(self, p: QuotePair, norms, texts, cues, sentence, is_end, is_break, taken):
        r = self.rules
        if p.open in self._name_open:
            return None
        k = p.open - 1
        crossed = False
        while k >= 0 and p.open - k <= r.max_gap_tokens:
            if k in self._name_close:
                k = self._name_close[k].open - 1
                continue
            if is_break[k] and self._colon_before(k, texts, is_break) and not crossed:
                crossed = True  # "Cruz continued:" then the quote as the next paragraph
                k -= 1
                continue
            if is_break[k] or is_end[k] or taken[k]:
                return None
            if texts[k] in r.all_marks:
                return None
            if cues[k] in ("verb", "participle", "noun", "chain"):
                cue, source = self._cue_and_source(norms, texts, cues, k, p.open, sentence)
                words = sum(1 for t in range(p.open + 1, p.close) if not texts[t].isspace())
                if source and words <= r.max_name_quote_tokens and all(texts[t].isspace()
                                                                        for t in range(source[1], p.open)):
                    return None  # عضو مجلس إدارة "نقابة المهن التمثيلية": a name inside the speaker's phrase
                attached = max(cue[1], source[1] if source else 0)
                gap = sum(1 for t in range(attached, p.open) if any(ch.isalnum() for ch in texts[t]))
                if words <= r.max_title_quote_tokens and gap > r.max_circumstance_tokens:
                    return None  # a short stretch far from its cue: أعلنت الشركة … حصول مركبتها على … «Euro NCAP»
                return _Found([self._inner(p, texts)], cue, source, "direct", r.score("direct"), first_token=k)
            k -= 1
        return None

    def _direct_with_cue_after(self, p: QuotePair, norms, texts, cues, sentence, is_end, is_break, pairs,
                               used_pairs):
        r = self.rules
        n = len(norms)
        if p.open in self._name_open or not self._starts_clause(p, texts, is_break):
            return None  # ووفقاً لمقابلة مع موقع «زاوية» العام الماضي، كشف …: a name, not a quote
        k = p.close + 1
        words = 0
        while k < n and words <= r.max_postposed_gap:
            if is_break[k] or (is_end[k] and words > 0):
                return None
            if texts[k] in r.all_marks:
                return None
            if cues[k] in ("verb", "participle"):
                c = k
                source = None
                if r.speaker_position == "before":
                    between = self._speaker_before(norms, texts, c)
                    if between is not None and between[0] > p.close:
                        source = between
                if source is None:
                    # '"…," said Corey Lewandowski, the former campaign manager for Mr. Trump.': with its apposition
                    source = self._speaker_with_apposition(norms, texts, cues, c, sentence, is_end, is_break) or \
                        self._speaker_np(norms, texts, c + 1, n)
                contents = [self._inner(p, texts)]
                # "…," he said, "…": a second quoted stretch right after the attribution.
                after = (source[1] if source and source[1] > c else c + 1)
                while after < n and (texts[after].isspace() or texts[after] in r.clause_commas) and \
                        not is_break[after]:
                    after += 1
                follow = next((q for q in pairs if q.open == after and q.open not in used_pairs), None)
                if follow is not None:
                    contents.append(self._inner(follow, texts))
                    used_pairs.add(follow.open)
                return _Found(contents, (c, c + 1), source, "direct", r.score("direct"), first_token=p.open)
            if not texts[k].isspace() and any(ch.isalnum() for ch in texts[k]):
                words += 1
            k += 1
        return None

    def _transcript_turns(self, norms, texts, is_break, is_space, pairs) -> list[_Found]:
        """Interview transcripts: a paragraph that opens (after a quote mark, if any) with a speaker's
        name in capitals and a colon, ``TAPPER: Do you think …`` or ``"PENCE: Well, look, …``. The
        name is the source, the colon the cue, the rest of the paragraph the content (PolNeAR)."""
        r = self.rules
        out: list[_Found] = []
        for _start, words in _paragraphs(is_break, is_space):
            if words and texts[words[0]] in r.open_marks:
                words = words[1:]
            colon = next((x for x, k in enumerate(words[:6]) if texts[k] == ":"), None)
            if colon is not None and 1 <= colon <= 4 and len(words) - colon > 3:
                name = words[:colon]
                letters = "".join(ch for k in name for ch in texts[k] if ch.isalpha())
                if (len(letters) >= 3 and letters.isupper() and norms[name[0]] not in r.colon_headline_exclude
                        and all(texts[k][:1].isalpha() or texts[k] in (".", "'", "’") for k in name)):
                    s, e = words[colon + 1], words[-1] + 1
                    inside = [p for p in pairs if s <= p.open and p.close < e]
                    if len(inside) == 1 and inside[0].open == s and inside[0].close == e - 1:
                        s, e = s + 1, e - 1
                    out.append(_Found([(s, e)], (words[colon], words[colon] + 1), (name[0], name[-1] + 1), "direct",
                                      r.score("colon_headline"), first_token=name[0]))
        return out

    def _colon_headlines(self, norms, texts, cues, is_break, is_space, taken, pairs, used_pairs) -> list[_Found]:
        r = self.rules
        out: list[_Found] = []
        for i, words in _paragraphs(is_break, is_space):
            colon = next((k for k in words if texts[k] == ":"), None)
            transcript = colon is not None and all(texts[k].isupper() for k in words if k < colon)
            if colon is not None and 2 <= len(words) and (len(words) <= 20 or transcript):
                before = [k for k in words if k < colon]
                after = [k for k in words if k > colon]
                if (1 <= len(before) <= 4 and len(after) >= 2 and not any(taken[k] for k in after)
                        and not any(cues[k] for k in before)
                        and norms[before[0]] not in r.colon_headline_exclude
                        and all(any(ch.isalpha() for ch in texts[k]) for k in before)
                        and not any(texts[k] in r.sentence_ends for k in before)):
                    s, e = after[0], after[-1] + 1
                    while e > s and (texts[e - 1] in r.sentence_ends or texts[e - 1] in r.clause_commas):
                        e -= 1
                    if texts[e - 1] == ")":  # a trailing note: "(تحديث 8:58 ت.غ)"
                        opening = next((k for k in range(e - 1, s, -1) if texts[k] == "("), None)
                        if opening is not None:
                            e = opening
                    inside = [p for p in pairs if s <= p.open and p.close < e]
                    qtype = "direct"
                    if len(inside) == 1 and inside[0].open == s and inside[0].close == e - 1:
                        s, e = s + 1, e - 1
                        used_pairs.add(inside[0].open)
                    if e > s:
                        cue = (colon, colon + 1) if r.colon_is_cue else None  # PolNeAR: "Pence:" cues
                        out.append(_Found([(s, e)], cue, (before[0], before[-1] + 1), qtype,
                                          r.score("colon_headline"), first_token=i))
                        for k in range(s, e):
                            taken[k] = True
        return out

    def _attribution(self, i, length, norms, texts, sentence, is_end, is_break, taken, content_parts):
        r = self.rules
        n = len(norms)
        glued = length == 1 and norms[i] in r.attribution_glued_prefixes and \
            not self._match_seq(norms, i, r.attribution_phrases)
        src_start = i + 1 if glued else i + length
        while src_start < n and texts[src_start].isspace() and not is_break[src_start]:
            src_start += 1
        if src_start < n and norms[src_start] in r.particles:  # بحسب ما ذكرت الوكالة: the source follows the verb
            verb = src_start + 1
            while verb < n and texts[verb].isspace():
                verb += 1
            if verb < n and self.cue_kind(norms[verb]):
                src_start = verb + 1
        source = self._speaker_np(norms, texts, src_start, n) if src_start < n else None
        if source is None:
            return None
        lo = i
        while lo > 0 and sentence[lo - 1] == sentence[i] and not is_break[lo - 1]:
            lo -= 1
        before_words = [k for k in range(lo, i) if not texts[k].isspace() and any(ch.isalnum() for ch in texts[k])]
        if len(before_words) <= 1:
            # "According to X, content." — content follows the comma after the source.
            k = source[1]
            while k < n and sentence[k] == sentence[i] and texts[k] not in r.clause_commas:
                k += 1
            start = k + 1
            end = start
            while end < n and sentence[end] == sentence[i] and not is_break[end] and not is_end[end]:
                end += 1
        else:
            start, end = lo, i
        if any(taken[k] for k in range(start, end)):
            return None
        parts, qtype, _ = content_parts(start, end)
        if not parts or parts[0][1] - parts[0][0] < 3:
            return None
        return _Found(parts, (i, i + length), source, qtype, r.score("attribution"), first_token=lo)

    # -- speakers, entities, ranges -------------------------------------------------------------

    def give_speakers(self, doc: Doc, quotes: list[Quote], index: TokenIndex) -> list[Quote]:
        """Quotes (a model's) with a cue but no source get the speaker the rules find for that cue;
        quotes with neither take the previous quote's speaker within their paragraph. Call right
        after :meth:`detect` on the same ``doc``."""
        table = token_table(doc)
        norms, texts = table.norms, table.texts
        n = len(texts)
        sentence = [0] * n
        sid = 0
        for i in range(n):
            sentence[i] = sid
            if table.breaks[i] or texts[i] in self.rules.sentence_ends:
                sid += 1
        out: list[Quote] = []
        previous: Quote | None = None
        for quote in sorted(quotes, key=lambda q: (q.start, q.end)):
            if not quote.sources and quote.cue is not None:
                c = index.token_at(quote.cue.start)
                if c is not None:
                    found = (self._speaker_before(norms, texts, c) if self.rules.speaker_position == "before"
                             else self._speaker_np(norms, texts, c + 1, n))
                    if found is not None and not any(part.start <= table.starts[found[0]] < part.end
                                                     for part in quote.contents):
                        quote = quote.with_(sources=(Range(table.starts[found[0]], table.ends[found[1] - 1]),))
            elif not quote.sources and previous is not None and previous.sources and \
                    "\n" not in table.text[previous.end : quote.start]:
                quote = quote.with_(sources=previous.sources, entity=previous.entity)
            out.append(quote)
            previous = quote
        return out

    def _finish(self, doc: Doc, found: list[_Found], sentence: list[int], paragraph: list[int],
                topics: list[int]) -> list[Quote]:
        """Quotes in characters; a quote without a speaker of its own takes the previous quote's
        speaker (at a lower score) within its paragraph, or further back when its cue says it goes
        on (وأضاف, وتابع:, continued); never across a new topic (أما X فـ…)."""
        r = self.rules
        entities = sorted(entity_candidates(doc), key=lambda s: (ENTITY_PREFERENCE.get(s.label, 9), s.start - s.end))
        table = token_table(doc)
        found.sort(key=lambda f: f.first_token)
        quotes: list[Quote] = []
        previous: tuple[Range, Range | None, int, int, int] | None = None  # source, entity, paragraph, token, sentence

        def char_range(span: tuple[int, int]) -> Range:
            s, e = span
            return Range(table.starts[s], table.ends[e - 1])

        seen: set[tuple] = set()
        for f in found:
            contents = tuple(char_range(c) for c in f.contents if c[1] > c[0])
            if not contents:
                continue
            cue = char_range(f.cue) if f.cue else None
            score = f.score
            source: Range | None = char_range(f.source) if f.source else None
            entity: Range | None = None
            here = paragraph[f.first_token]
            if previous is not None and any(previous[3] < t < f.first_token for t in topics):
                previous = None  # أما الوزير فـ…: a new topic, a new speaker
            if source is not None:
                entity = _entity_inside(entities, source)
                previous = (source, entity, here, f.first_token, sentence[f.first_token])
            elif previous is not None and (previous[2] == here or f.cue is not None):
                source, entity = previous[0], previous[1]
                if previous[4] != sentence[f.first_token]:  # مشيرا إلى أن … in the same sentence: as sure
                    score *= r.score("floating_factor")
            else:
                score *= r.score("floating_factor")
            quote = Quote(contents=contents, cue=cue, sources=(source,) if source else (), entity=entity,
                          type=f.type, score=round(score, 3))
            if quote.key in seen:
                continue
            seen.add(quote.key)
            quotes.append(quote)
        return quotes


def _entity_inside(entities: list[Span], source: Range) -> Range | None:
    for span in entities:
        if span.start >= source.start and span.end <= source.end:
            return Range(span.start, span.end)
    for span in entities:
        if span.overlaps(source):
            return Range(span.start, span.end)
    return None


class QuoteSuggester:
    """spaCy component: quote suggestions for the document's language, by rules and, when the
    corpus has one, a trained quote model (:mod:`annotator.suggest.quote_model`); where both
    propose a quote, one quote (:mod:`annotator.suggest.quote_merge`)."""

    def __init__(self, nlp: Language, name: str, rules: str, models: list[str] | None = None):
        self.name = name
        self.rules = load_quote_rules(rules or nlp.lang)
        self.detector = QuoteDetector(self.rules)
        self.models = [(path, load_pipeline(path)) for path in models or []]
        self.version = f"quotes-{CODE_VERSION}.{self.rules.version}+{self.rules.fingerprint}"
        if self.models:
            self.version += "+" + fingerprint(*(model_version(path, nlp) for path, nlp in self.models))

    def __call__(self, doc: Doc) -> Doc:
        quotes = self.detector.detect(doc)
        table = token_table(doc)
        if self.models:
            index = TokenIndex(list(zip(table.starts, table.ends, strict=True)))
            for _, model in self.models:
                roles = predicted_roles(model, table.text, index)
                quotes = merge_quotes(table.text, quotes, group_roles(table.text, roles, model_scores(model)))
            quotes = self.detector.give_speakers(doc, quotes, index)
        quotes = link_speakers(table.text, quotes, entity_candidates(doc), self.rules.pronoun_speakers)
        put_suggestions(doc, self.name, [], quotes)
        return doc


@Language.factory("annotator_quotes", default_config={"rules": "", "models": []})
def make_quote_suggester(nlp: Language, name: str, rules: str, models: list[str]) -> QuoteSuggester:
    """``rules``: a language code or a rules file (empty: the pipeline's language); ``models``:
    quote models (paths) to combine with the rules."""
    return QuoteSuggester(nlp, name, rules, models)


def suggest_quotes(text: str, lang: str) -> list[Quote]:
    """Quotes in ``text`` (convenience for scripts and tests)."""
    from annotator.core.tokenizer import make_nlp

    doc = make_nlp(lang).make_doc(text)
    return QuoteDetector(load_quote_rules(lang)).detect(doc)


def _paragraphs(is_break: list[bool], is_space: list[bool]):
    """``(first token, [its non-space tokens])`` of each stretch between line-break tokens."""
    n = len(is_break)
    i = 0
    while i < n:
        j = i
        while j < n and not is_break[j]:
            j += 1
        yield i, [k for k in range(i, j) if not is_space[k]]
        i = j + 1
