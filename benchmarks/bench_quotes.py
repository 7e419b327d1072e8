"""Quote suggestions measured against real attribution annotation, the way `annotator evaluate` scores them.

Data (skips with a message when absent):
- PolNeAR dev (../shared/data/polnear/dev: 84 English political news articles, brat attribution
  files). Each article's gold is its first annotator's set (sorted by name), read by the brat reader.
- The seed article annotated by hand (tests/fixtures/seed_gold.jsonl, Arabic, 40 quotes; always there).

For each: a fresh corpus, `run_suggesters(["quotes"])` (the rules; plus a trained quote model with
`--model PATH`), then `evaluate(corpus, "gold")`, the function behind
`annotator evaluate --gold gold --suggestions`: content by overlap and exact, cue, source, type, and
source accuracy on the matched quotes. Speed: the quote pipeline over the PolNeAR dev texts against
the shared tokenizer alone (best of 3, after a warm-up), with peak RSS.

    python benchmarks/bench_quotes.py                 # rules
    python benchmarks/bench_quotes.py --model models/quotes-en/model-best --mistakes 5
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402

from annotator.cli.quote_table import attribution_table  # noqa: E402
from annotator.core.spans import DocumentRecord, quote_from_dict, span_from_dict  # noqa: E402
from annotator.core.tokenizer import make_nlp  # noqa: E402
from annotator.formats.brat_reader import read_brat  # noqa: E402
from annotator.review.quote_metrics import match_quotes  # noqa: E402
from annotator.store import Corpus  # noqa: E402
from annotator.suggest.evaluation import evaluate  # noqa: E402
from annotator.suggest.runner import build_pipeline, run_suggesters  # noqa: E402

POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
SEED_GOLD = ROOT / "tests" / "fixtures" / "seed_gold.jsonl"


def polnear_records(split: str, limit: int | None = None) -> list[DocumentRecord]:
    records = []
    for txt in sorted((POLNEAR / split / "text").glob("*.txt"))[:limit]:
        first = read_brat(txt)[0]
        first.annotator = "gold"
        first.language = "en"
        records.append(first)
    return records


def seed_records() -> list[DocumentRecord]:
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8").splitlines()[0])
    return [DocumentRecord(text=gold["text"], language="ar", annotator="gold",
                           spans=[span_from_dict(s) for s in gold["spans"]],
                           quotes=[quote_from_dict(q) for q in gold["quotes"]])]


def measure(name: str, records: list[DocumentRecord], suggesters: list[str], model: str | None,
            mistakes: int, console: Console) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus.open(Path(tmp) / "corpus.db")
        corpus.add_documents(records, allow_new_labels=True)
        if model:
            corpus.register_model("quotes-model", model, scores={}, kind="quotes", lang=records[0].language)
        started = time.perf_counter()
        run_suggesters(corpus, suggesters)
        seconds = time.perf_counter() - started
        result = evaluate(corpus, "gold", suggesters=suggesters)
        console.print(f"[bold]{name}[/bold]: {result['documents']} documents, suggested in {seconds:.1f} s")
        for system, whole in result["quote_attribution"].items():
            console.print(attribution_table(system, whole))
        if mistakes:
            show_mistakes(corpus, suggesters, mistakes, console)
        corpus.close()
    return result


def show_mistakes(corpus: Corpus, suggesters: list[str], limit: int, console: Console) -> None:
    """Counts of each kind of mistake, and a few of each as text."""
    kinds: Counter = Counter()
    shown: dict[str, list[str]] = {}
    for doc_id in corpus.document_ids():
        text = corpus.document(doc_id).text
        gold = corpus.quotes(doc_id, "gold")
        _, suggested = corpus.suggestions(doc_id)
        pred = [q for q in suggested if q.suggester in suggesters]
        match = match_quotes(gold, pred)

        def show(q, text: str = text) -> str:
            content = " | ".join(text[r.start : r.end] for r in q.contents)
            cue = text[q.cue.start : q.cue.end] if q.cue else "-"
            source = ", ".join(text[r.start : r.end] for r in q.sources) or "-"
            return f"[{cue}] [{source}] {content[:110]!r}"

        def note(kind: str, line: str) -> None:
            kinds[kind] += 1
            if len(shown.setdefault(kind, [])) < limit:
                shown[kind].append(line)

        for q in match.only_a:
            marked = any(ch in text[r.start : r.end + 1] for r in q.contents for ch in "\"“”«»")
            note("missed, quoted" if marked else "missed, unquoted", show(q))
        for q in match.only_b:
            note("not a quote", show(q))
        for pair in match.pairs:
            if "cue" in pair.differences:
                note("wrong cue" if pair.b.cue else "missing cue", f"gold {show(pair.a)}\n      pred {show(pair.b)}")
            if pair.a.sources and not any(g.overlaps(p) for g in pair.a.sources for p in pair.b.sources):
                note("wrong source" if pair.b.sources else "missing source",
                     f"gold {show(pair.a)}\n      pred {show(pair.b)}")
    for kind, count in kinds.most_common():
        console.print(f"[bold]{kind}[/bold]: {count}")
        for line in shown[kind]:
            console.print(f"   {line}", markup=False, highlight=False)


def speed(texts: list[str], lang: str, suggesters: list[str], console: Console, model: str | None = None) -> None:
    tokenizer = make_nlp(lang)
    nlp, _ = build_pipeline(lang, suggesters)
    if model:  # the quotes suggester with the quote model, as a corpus that registered it builds it
        nlp.remove_pipe("quotes")
        nlp.add_pipe("annotator_quotes", name="quotes", config={"models": [model]})
        suggesters = [*suggesters, "model"]

    def run_tokenizer() -> None:
        for _ in tokenizer.pipe(texts, batch_size=64):
            pass

    def run_pipeline() -> None:
        for _ in nlp.pipe(texts, batch_size=64):
            pass

    run_tokenizer()
    run_pipeline()
    base = min(_timed(run_tokenizer) for _ in range(3))
    full = min(_timed(run_pipeline) for _ in range(3))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print(f"speed on {len(texts)} texts ({sum(map(len, texts)):,} characters): tokenizer {base:.2f} s, "
                  f"{'+'.join(suggesters)} {full:.2f} s = {full / base:.2f}× the tokenizer; peak RSS {rss:.0f} MB")


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="a trained quote model (annotator train --quotes-only) to combine with the rules")
    parser.add_argument("--mistakes", type=int, default=0, help="print N examples of each kind of mistake")
    parser.add_argument("--split", default="dev", help="PolNeAR split to measure on (dev; train for studying)")
    parser.add_argument("--limit", type=int, help="only the first N articles of the split")
    parser.add_argument("--no-seed", action="store_true", help="leave out the seed article")
    parser.add_argument("--no-speed", action="store_true", help="leave out the speed measurement")
    args = parser.parse_args()
    console = Console(highlight=False, width=140)
    suggesters = ["quotes"]
    if not args.no_seed:
        measure("seed article (Arabic, hand-annotated)", seed_records(), suggesters, None, args.mistakes, console)
    if not POLNEAR.exists():
        console.print(f"bench_quotes: PolNeAR part skipped — {POLNEAR} is absent")
        return 0
    records = polnear_records(args.split, args.limit)
    measure(f"PolNeAR {args.split} (English), rules", records, suggesters, None, args.mistakes, console)
    if args.model:
        measure(f"PolNeAR {args.split} (English), rules + quote model", records, suggesters, args.model,
                args.mistakes, console)
        measure(f"PolNeAR {args.split} (English), the quote model alone", records, [f"model:{args.model}"], None,
                0, console)
    if not args.no_speed:
        speed([r.text for r in records], "en", suggesters, console)
        if args.model:
            speed([r.text for r in records], "en", suggesters, console, args.model)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
