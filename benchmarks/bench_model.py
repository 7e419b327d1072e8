"""The shipped Arabic news NER model: how right it is on ANERcorp dev, and how fast it suggests.

Data: ../shared/data/anercorp/dev_data.txt and ../shared/data/saudinewsnet-sample.jsonl; skips with
a message when they (or the shipped model) are absent.

1. **ANERcorp dev, exact**: the dev file read by annotator's own CoNLL reader (10 sentences an
   article, as the recipe imports it), each article run through the suggestion pipeline with
   only ``model:ar_news_ner`` (labels mapped to the schema, spans snapped to the shared tokenizer:
   what an annotator is shown), compared with the gold spans mapped the same way (PERS→PER,
   LOC→GPE). A prediction counts when start, end and label are all equal. Per label and micro.
2. **Speed on the first 400 non-empty shared articles** (``--all``: all 1,973), each setup in its own
   process (so that its peak RSS is its own), one warm-up pass over 50 articles, then the best of 2
   timed passes of ``nlp.pipe`` (batch 64) over the same articles, wall and CPU seconds (on a shared
   machine the CPU figure is the one that does not depend on the load):
   - the shared tokenizer alone (the denominator: the same texts, batch and warm-up);
   - the default Arabic suggesters without the model (gazetteer, learned with 300 names, quotes);
   - the default Arabic suggesters (the same + ``model:ar_news_ner``);
   - the model alone.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.formats.common import ReadOptions  # noqa: E402
from annotator.formats.conll_reader import read_conll  # noqa: E402
from annotator.suggest.label_maps import shipped_label_map  # noqa: E402
from annotator.suggest.pipelines import shipped_path  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DEV = DATA / "anercorp" / "dev_data.txt"
ARTICLES = DATA / "saudinewsnet-sample.jsonl"
MODEL = "model:ar_news_ner"
SETUPS = {
    "tokenizer alone": [],
    "gazetteer + learned + quotes": ["gazetteer", "learned", "quotes"],
    "default Arabic (+ model)": ["gazetteer", "learned", "quotes", MODEL],
    "model alone": [MODEL],
}


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def dev_scores() -> None:
    from annotator.suggest.runner import build_pipeline

    mapping = shipped_label_map("conll")
    records = read_conll(DEV, ReadOptions(sentences_per_doc=10))
    nlp, _ = build_pipeline("ar", [MODEL])
    tp, pred, gold = Counter(), Counter(), Counter()
    started = time.perf_counter()
    for record, doc in zip(records, nlp.pipe([r.text for r in records], batch_size=64), strict=True):
        truth = {(s.start, s.end, mapping.get(s.label, s.label)) for s in record.spans}
        found = {(s.start, s.end, s.label) for s in doc._.suggestions[MODEL].spans}
        for _, _, label in truth:
            gold[label] += 1
        for _, _, label in found:
            pred[label] += 1
        for _, _, label in truth & found:
            tp[label] += 1
    seconds = time.perf_counter() - started
    print(f"ANERcorp dev, exact match ({len(records)} articles, {sum(gold.values()):,} gold entities, "
          f"{seconds:.1f} s):")
    print(f"  {'label':<14} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}")
    names = {"PER": "PER (PERS)", "GPE": "GPE (LOC)"}
    for label in sorted(gold):
        p, r, f = prf(tp[label], pred[label], gold[label])
        print(f"  {names.get(label, label):<14} {p:6.3f} {r:6.3f} {f:6.3f} {gold[label]:6} {pred[label]:6}")
    p, r, f = prf(sum(tp.values()), sum(pred.values()), sum(gold.values()))
    print(f"  {'micro':<14} {p:6.3f} {r:6.3f} {f:6.3f} {sum(gold.values()):6} {sum(pred.values()):6}")


SPEED_SAMPLE = 400


def measure(names: list[str], sample: int | None) -> dict:
    """Run in a child process: time one setup over the shared articles."""
    from annotator.core.tokenizer import make_nlp
    from annotator.suggest.runner import build_pipeline

    texts = [t for t in (json.loads(line).get("content") or "" for line in ARTICLES.open(encoding="utf-8"))
             if t.strip()][:sample]
    if names:
        gazetteer, _ = build_pipeline("ar", ["gazetteer"])
        seen: dict[str, str] = {}
        for doc in gazetteer.pipe(texts[:200]):
            for span in doc._.suggestions["gazetteer"].spans:
                seen.setdefault(doc.text[span.start : span.end], span.label)
        learned = [[text, label, 1] for text, label in list(seen.items())[:300]]
        nlp, _ = build_pipeline("ar", names, learned_names=learned)
    else:
        nlp = make_nlp("ar")
    spans = 0

    def one_pass(batch: list[str]) -> None:
        nonlocal spans
        spans = 0
        for doc in nlp.pipe(batch, batch_size=64):
            if names:
                spans += sum(len(r.spans) for r in doc._.suggestions.values())

    one_pass(texts[:50])
    best, best_cpu = float("inf"), float("inf")
    for _ in range(2):
        started, started_cpu = time.perf_counter(), time.process_time()
        one_pass(texts)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles": len(texts), "seconds": best, "cpu": best_cpu, "spans": spans, "peak_mb": peak_mb}


def speed(sample: int | None) -> None:
    results = {}
    for title, names in SETUPS.items():
        out = subprocess.run([sys.executable, __file__, "--measure", json.dumps(names), json.dumps(sample)],
                             check=True, capture_output=True, text=True).stdout
        results[title] = json.loads(out.strip().splitlines()[-1])
    base = results["tokenizer alone"]
    print(f"Speed on {base['articles']:,} shared articles (best of 2 passes, batch 64; peak RSS of each process):")
    for title, r in results.items():
        rate, cpu_rate = r["articles"] / r["seconds"], r["articles"] / r["cpu"]
        extra = f"  {r['spans']:,} entity suggestions" if r["spans"] else ""
        print(f"  {title:<30} {r['seconds']:6.2f} s {rate:6,.0f} articles/s ({r['cpu']:6.2f} CPU s, {cpu_rate:5,.0f}/CPU s)"
              f"  {r['cpu'] / base['cpu']:5.2f}x tokenizing (CPU)  peak {r['peak_mb']:4.0f} MB{extra}")


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        print(json.dumps(measure(json.loads(sys.argv[2]), json.loads(sys.argv[3]))))
        return 0
    missing = [p for p in (DEV, ARTICLES) if not p.exists()]
    if missing:
        print(f"bench_model: skipped — {', '.join(map(str, missing))} absent (the shared data folder)")
        return 0
    if shipped_path("ar_news_ner") is None:
        print("bench_model: skipped — resources/models/ar_news_ner is absent (make model-ar builds it)")
        return 0
    dev_scores()
    speed(None if "--all" in sys.argv else SPEED_SAMPLE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
