"""How fast agreement and review bookkeeping are on 2,000 articles × 2 annotators.

Texts: ../shared/data/saudinewsnet-sample.jsonl (`content`, 2,000 Arabic articles). When that
folder is absent the benchmark says so and uses synthetic Arabic-like text of similar length,
so it still runs (the figures are then only indicative).

Synthetic annotations, reproducible (seed 0): annotator A marks roughly every 12th token
as an entity of 1–3 tokens (PER/ORG/GPE/LOC in turn) and one quote per article (12 tokens of
content, a cue and a source before it). B is a changed copy of A: per entity 8 % dropped,
6 % relabelled, 6 % with a boundary moved by a token, and 8 % extra entities; a quote's type
differs in every 4th article and its cue is missing in every 5th.

Measured:
1. `compute_agreement` on in-memory articles, cold (tokenizing every article with the shared
   tokenizer, as a first run does) and warm (tokens cached: the metrics alone);
   the baseline is the shared tokenizer alone over the same texts (`make_nlp(lang).make_doc`),
   so the ratio says what the metrics add on top of tokenizing.
2. `corpus_agreement` end to end from a SQLite corpus (what `annotator agreement` runs).
3. The review window's bookkeeping: `Adjudication.corpus_disagreements_left()` on open.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.spans import DocumentRecord, Quote, Range  # noqa: E402
from annotator.core.spans import Span as StoreSpan  # noqa: E402
from annotator.core.tokenizer import make_nlp  # noqa: E402
from annotator.review.adjudication import Adjudication  # noqa: E402
from annotator.review.agreement import AnnotationSet, Article, compute_agreement, corpus_agreement  # noqa: E402
from annotator.review.span_metrics import ALL  # noqa: E402
from annotator.store import Corpus  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "saudinewsnet-sample.jsonl"
N_ARTICLES = 2000
LABELS = ("PER", "ORG", "GPE", "LOC")


def load_texts() -> list[str]:
    if DATA.exists():
        texts = []
        with DATA.open(encoding="utf-8") as fh:
            for line in fh:
                content = json.loads(line).get("content") or ""
                if content.strip():
                    texts.append(content)
        return texts[:N_ARTICLES]
    print(f"note: {DATA} is absent; using synthetic Arabic-like text (figures only indicative)")
    rng = random.Random(1)
    words = ["قال", "الرئيس", "في", "مؤتمر", "صحافي", "إن", "الحكومة", "السعودية", "وزارة", "الخارجية", "الرياض",
             "اليوم", "على", "أن", "من", "مع", "إلى", "الأمير", "محمد", "عبدالله", "الشركة", "مليون", "ريال"]
    return [" ".join(rng.choice(words) for _ in range(rng.randint(150, 600))) + "." for _ in range(N_ARTICLES)]


def annotate(doc, rng: random.Random) -> tuple[list[tuple], list[tuple], list[Quote], list[Quote]]:
    """A's and B's spans and quotes for one tokenized article (see the module docstring)."""
    tokens = [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space and t.is_alpha]
    spans_a: list[tuple] = []
    i, n = 3, 0
    while i + 3 < len(tokens):
        width = 1 + (n % 3)
        spans_a.append((tokens[i][0], tokens[i + width - 1][1], LABELS[n % len(LABELS)]))
        n += 1
        i += width + 9 + rng.randint(0, 4)
    spans_b: list[tuple] = []
    for start, end, label in spans_a:
        r = rng.random()
        if r < 0.08:
            continue
        if r < 0.14:
            label = LABELS[(LABELS.index(label) + 1) % len(LABELS)]
        elif r < 0.20:
            nxt = next((t for t in tokens if t[0] >= end), None)
            if nxt is not None and not any(s[0] < nxt[1] and nxt[0] < s[1] for s in spans_a if s[0] >= end):
                end = nxt[1]
        spans_b.append((start, end, label))
    occupied = [(s, e) for s, e, _ in spans_a + spans_b]
    for _ in range(round(0.08 * len(spans_a))):
        t = tokens[rng.randrange(len(tokens))]
        if not any(s < t[1] and t[0] < e for s, e in occupied):
            spans_b.append((t[0], t[1], "MISC"))
            occupied.append(t)
    quotes_a: list[Quote] = []
    quotes_b: list[Quote] = []
    if len(tokens) > 40:
        k = len(tokens) // 2
        content = Range(tokens[k][0], tokens[k + 11][1])
        qa = Quote(contents=(content,), cue=Range(*tokens[k - 1]), sources=(Range(*tokens[k - 2]),))
        qb = qa
        if rng.random() < 0.25:
            qb = qb.with_(type="indirect")
        if rng.random() < 0.2:
            qb = qb.with_(cue=None)
        quotes_a, quotes_b = [qa], [qb]
    spans_b.sort()
    return spans_a, spans_b, quotes_a, quotes_b


CPU: dict[str, float] = {}


def timed(fn, name: str = ""):
    """Wall-clock seconds of ``fn()``; its CPU seconds go to ``CPU[name]`` (a shared machine's
    wall clock includes other people's work; CPU time does not)."""
    cpu, start = time.process_time(), time.perf_counter()
    result = fn()
    CPU[name] = time.process_time() - cpu
    return result, time.perf_counter() - start


def line(label: str, name: str, seconds: float, n: int, extra: str = "") -> None:
    print(f"  {label:36s} {seconds:6.2f} s wall {n / seconds:6.0f} articles/s | "
          f"{CPU[name]:6.2f} s CPU {n / CPU[name]:6.0f} articles/s{extra}")


def main() -> int:
    texts = load_texts()
    nlp = make_nlp("ar")
    for text in texts:  # fill the tokenizer's cache: every timed run below then starts warm alike
        nlp.make_doc(text)
    docs, t_tok = timed(lambda: [nlp.make_doc(t) for t in texts], "tok")
    rng = random.Random(0)
    data = [annotate(doc, rng) for doc in docs]
    del docs
    articles = [
        Article(doc_id=i, text=text, language="ar",
                sets={"a": AnnotationSet(tuple(sa), tuple(qa)), "b": AnnotationSet(tuple(sb), tuple(qb))})
        for i, (text, (sa, sb, qa, qb)) in enumerate(zip(texts, data, strict=True))
    ]
    n = len(articles)
    n_spans = sum(len(a.sets["a"].spans) + len(a.sets["b"].spans) for a in articles)
    print(f"{n} articles × 2 annotators, {n_spans} entity spans, {sum(len(t) for t in texts):,} characters")

    report, t_cold = timed(lambda: compute_agreement(articles, ["a", "b"]), "cold")
    _, t_warm = timed(lambda: compute_agreement(articles, ["a", "b"]), "warm")
    pair = report.pairs[0]
    print(f"  figures: F1 exact {pair.exact[ALL]['f1']:.3f}, overlap {pair.overlap[ALL]['f1']:.3f}, "
          f"kappa {pair.kappa[ALL]:.3f}, alpha {pair.alpha[ALL]:.3f}; disagreements {pair.disagreements}")
    line("tokenizer alone (baseline)", "tok", t_tok, n)
    line("compute_agreement, cold", "cold", t_cold, n,
         f"  (ratio to tokenizing alone, CPU: {CPU['cold'] / CPU['tok']:.2f})")
    line("compute_agreement, tokens cached", "warm", t_warm, n)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.db"
        with Corpus.open(path) as corpus:
            for name, index in (("a", 0), ("b", 1)):
                records = [
                    DocumentRecord(text=text, language="ar",
                                   spans=[StoreSpan(s, e, lab, origin="imported") for s, e, lab in d[index]],
                                   quotes=list(d[2 + index]))
                    for text, d in zip(texts, data, strict=True)
                ]
                corpus.add_documents(records, annotator=name, allow_new_labels=True)
            _, t_corpus = timed(lambda: corpus_agreement(corpus, ["a", "b"]), "corpus")
            line("corpus_agreement from SQLite", "corpus", t_corpus, n, "  (`annotator agreement a b`)")
            adjudication = Adjudication(corpus, "a", "b", "lead")
            left, t_left = timed(adjudication.corpus_disagreements_left, "review")
            line("review: disagreements left", "review", t_left, n,
                 f"  ({left} left; what opening the review window reads)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
