"""The learning curve of the model in the loop on ANERcorp: how much of the annotator's work the
suggestions save after 50, 100, 250, 500, 1,000 and 2,000 finished sentences.

    python benchmarks/bench_learning.py [--steps 50,100,250,500,1000,2000] [--base none|current]
                                        [--max-steps 1000] [--png docs/learning-curve.png]

Data: ``../shared/data/anercorp/train_data.txt`` and ``dev_data.txt`` (skips with a message when
absent). Both are imported through ``annotator import`` twice:

- into the **work corpus** as unannotated text (``--map PERS= --map LOC= --map ORG= --map MISC=``);
- into a **gold corpus** as annotator ``gold`` (``--map PERS=PER --map LOC=GPE``, the corpus schema).

The gold sits in a file of its own because the ``learned`` suggester learns from every annotation
set of its corpus: gold in the work corpus would hand it the answers.

A simulated annotator ``amira`` then works through the train sentences in file order: at each step
she finishes the next sentences by storing exactly their gold entities (what accepting the right
suggestions and adding the missing ones leaves) and marking them done. After each step the model is
retrained through :func:`annotator.train.job.run_training_job`, the function the window's training
process runs, from the current model (``--base current``: the previous step's, or the shipped model
when there is one) or cold (``--base none``, the default: the shipped Arabic model was trained on
these very sentences, so it would not show a curve). Then ``model:loop-ar`` and ``learned`` suggest on
the dev sentences, and their suggestions are scored against the gold (exact start, end and label):

- ``model`` / ``learned`` / ``both`` (the union the window shows): precision, recall, F1;
- ``model ≥ t``: the model's suggestions scoring at least the threshold the job chose on its own dev
  split (the train side: the lowest beam probability above which its suggestions were 80% right).

The claim checked: after 250 sentences the suggestions find at least half the entities (recall ≥ 0.5)
at precision ≥ 0.8. Each step's training time (the job's spaCy loop) and the job's total time are
printed with the load of the machine; ``--png`` draws the curve (matplotlib, ``pip install -e
'.[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.core.spans import Span  # noqa: E402
from annotator.store import Corpus  # noqa: E402
from annotator.suggest.runner import run_suggesters  # noqa: E402
from annotator.train.base_model import loop_name  # noqa: E402
from annotator.train.job import TrainingRequest, run_training_job  # noqa: E402
from annotator.train.scoring import score_entities  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "anercorp"
STEPS = (50, 100, 250, 500, 1000, 2000)
TEXT_ONLY = ["--map", "PERS=", "--map", "LOC=", "--map", "ORG=", "--map", "MISC="]
TO_SCHEMA = ["--map", "PERS=PER", "--map", "LOC=GPE"]
ANNOTATOR = "amira"


def annotator_import(db: Path, path: Path, *args: str) -> None:
    command = [sys.executable, "-m", "annotator", "import", str(path), "--db", str(db), *args]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith(("error", "Error"))]
        raise SystemExit(f"bench_learning: `annotator import {path.name}` failed: {' '.join(lines) or done.stderr}")


def gold_by_hash(gold: Corpus) -> dict[str, list[Span]]:
    return {gold.document(i).content_hash: gold.spans(i, "gold") for i in gold.document_ids()}


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def suggestion_sets(corpus: Corpus, doc_ids: list[int], suggester: str) -> dict[str, list[dict]]:
    """Per system, per dev article: {(start, end, label): score}."""
    systems: dict[str, list[dict]] = {"model": [], "learned": []}
    for doc_id in doc_ids:
        spans, _ = corpus.suggestions(doc_id)
        systems["model"].append({(s.start, s.end, s.label): s.score for s in spans if s.suggester == suggester})
        systems["learned"].append({(s.start, s.end, s.label): s.score for s in spans if s.suggester == "learned"})
    systems["both"] = [{**learned, **model} for model, learned in zip(systems["model"], systems["learned"], strict=True)]
    return systems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", default=",".join(map(str, STEPS)))
    parser.add_argument("--base", choices=("none", "current", "rest"), default="none",
                        help="none: the first model starts cold; current: from the shipped model; rest: from a model "
                             "first trained on the train sentences after the last step (another annotator's)")
    parser.add_argument("--max-steps", type=int, default=None, help="training steps per job (default: the job's)")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                        help="a spaCy config setting for every job, e.g. training.optimizer.learn_rate=0.0002")
    parser.add_argument("--dev-file", type=Path, default=DATA / "dev_data.txt")
    parser.add_argument("--png", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=None, help="keep the corpora in this folder")
    args = parser.parse_args()
    train_file = DATA / "train_data.txt"
    if not train_file.exists() or not args.dev_file.exists():
        print(f"bench_learning: skipped — {DATA} (ANERcorp train/dev) is absent")
        return 0
    steps = [int(s) for s in args.steps.split(",")]
    settings = {key: json.loads(value) for key, _, value in (item.partition("=") for item in args.settings)}
    folder = args.work or Path(tempfile.mkdtemp(prefix="bench-learning-"))
    folder.mkdir(parents=True, exist_ok=True)
    work_db, gold_db = folder / "work.db", folder / "gold.db"
    for db in (work_db, gold_db):
        db.unlink(missing_ok=True)
    started = time.perf_counter()
    for path in (train_file, args.dev_file):
        annotator_import(work_db, path, *TEXT_ONLY)
        annotator_import(gold_db, path, "--annotator", "gold", *TO_SCHEMA)
    print(f"imported ANERcorp train + dev twice in {time.perf_counter() - started:.1f} s (load {load()})")
    with Corpus(gold_db, readonly=True) as gold_corpus:
        gold = gold_by_hash(gold_corpus)
    corpus = Corpus(work_db)
    ids = corpus.document_ids()
    dev_name = args.dev_file.name
    dev_ids = [i for i in ids if Path(corpus.document(i).meta.get("file", "")).name == dev_name]
    train_ids = [i for i in ids if i not in set(dev_ids)]
    dev_gold = [{(s.start, s.end, s.label) for s in gold[corpus.document(i).content_hash]} for i in dev_ids]
    print(f"{len(train_ids)} train sentences, {len(dev_ids)} dev sentences with "
          f"{sum(map(len, dev_gold))} gold entities; base: {args.base}")
    suggester = f"model:{loop_name('ar')}"
    rows = []
    finished = 0
    if args.base == "rest":  # a model from other data, as a shipped one would be: the sentences no step reaches
        rest = train_ids[max(steps):]
        with corpus.transaction():
            for doc_id in rest:
                for span in gold[corpus.document(doc_id).content_hash]:
                    corpus.add_span(doc_id, "other", span.with_(id=None, origin="imported"))
                corpus.set_status(doc_id, "other", "done")
        prior = run_training_job(TrainingRequest(corpus=str(work_db), annotator="other", base="none",
                                                 resuggest=False))
        print(f"base model trained on the other {len(rest)} sentences in {prior.train_seconds:.0f} s: {prior.message}")
    for target in steps:
        with corpus.transaction():
            for doc_id in train_ids[finished:target]:
                for span in gold[corpus.document(doc_id).content_hash]:
                    corpus.add_span(doc_id, ANNOTATOR, span.with_(id=None, origin="accepted"))
                corpus.set_status(doc_id, ANNOTATOR, "done")
        finished = min(target, len(train_ids))
        # The first model starts cold (--base none) or from the shipped one; each later step fine-tunes the
        # model the previous step registered, as the window does.
        base = "none" if args.base == "none" and not rows else "current"  # "rest": from the other annotator's model
        request = TrainingRequest(corpus=str(work_db), annotator=ANNOTATOR, base=base, resuggest=False,
                                  settings=settings, **({"max_steps": args.max_steps} if args.max_steps else {}))
        job_started = time.perf_counter()
        outcome = run_training_job(request)
        job_seconds = time.perf_counter() - job_started
        suggest_started = time.perf_counter()
        run_suggesters(corpus, [suggester, "learned"], doc_ids=dev_ids)
        suggest_seconds = time.perf_counter() - suggest_started
        systems = suggestion_sets(corpus, dev_ids, suggester)
        row = {"sentences": finished, "train_s": outcome.train_seconds, "job_s": job_seconds,
               "best_step": outcome.best_step,
               "suggest_s": suggest_seconds, "registered": outcome.registered, "steps": outcome.steps,
               "threshold": None, "load": load()}
        for name, found in systems.items():
            row[name] = score_entities(dev_gold, [set(f) for f in found])
        # The threshold of the model that suggests now (a model the job did not register never suggested).
        current = next((m for m in corpus.registered_models() if m["name"] == loop_name("ar")), {})
        t = current.get("confident_score")
        confident = [{e for e, s in f.items() if t is not None and (s if s is not None else 1.0) >= t}
                     for f in systems["model"]]
        row["model_t"] = score_entities(dev_gold, confident)
        row["threshold"] = t
        rows.append(row)
        print(format_row(row), flush=True)
    corpus.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB; total {time.perf_counter() - started:.0f} s; corpora in {folder}")
    print()
    print(markdown_table(rows))
    claim = next((r for r in rows if r["sentences"] >= 250), None)
    if claim is not None:
        systems = ("model", "learned", "both", "model_t")
        best = max((claim[k] for k in systems), key=lambda s: (s.precision >= 0.8, s.recall))
        holds = any(claim[k].precision >= 0.8 and claim[k].recall >= 0.5 for k in systems)
        print(f"\nclaim at {claim['sentences']} sentences (recall >= 0.5 at precision >= 0.8): "
              f"{'holds' if holds else 'does not hold'} (best: P {best.precision:.2f} R {best.recall:.2f})")
    if args.png:
        draw(rows, args.png)
    return 0


def format_row(row: dict) -> str:
    parts = [f"{row['sentences']:>5} sentences", f"train {row['train_s']:6.1f} s", f"job {row['job_s']:6.1f} s",
             f"{'registered' if row['registered'] else 'kept old  '} (best step {row['best_step']}/{row['steps']})"]
    for name in ("model", "learned", "both", "model_t"):
        s = row[name]
        parts.append(f"{name} P {s.precision:.2f} R {s.recall:.2f} F {s.f1:.2f}")
    parts.append(f"t={row['threshold']}" if row["threshold"] is not None else "t=-")
    parts.append(f"load {row['load']}")
    return " | ".join(parts)


def markdown_table(rows: list[dict]) -> str:
    head = ("| sentences | model P / R / F | learned P / R / F | both P / R / F | model ≥ t: P / R | "
            "training (s) |\n|---:|---|---|---|---|---:|")
    lines = [head]
    for r in rows:
        def prf(s):
            return f"{s.precision:.2f} / {s.recall:.2f} / {s.f1:.2f}"
        lines.append(f"| {r['sentences']:,} | {prf(r['model'])} | {prf(r['learned'])} | {prf(r['both'])} | "
                     f"{r['model_t'].precision:.2f} / {r['model_t'].recall:.2f} | {r['train_s']:.0f} |")
    return "\n".join(lines)


def draw(rows: list[dict], png: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"bench_learning: no PNG — matplotlib is not installed (pip install -e '.[bench]'); not drawn: {png}")
        return
    x = [r["sentences"] for r in rows]
    fig, ax = plt.subplots(figsize=(7.5, 4.5), dpi=120)
    for key, label, style in (("model", "model F1", "-o"), ("learned", "learned F1", "-s"), ("both", "both F1", "-^")):
        ax.plot(x, [r[key].f1 for r in rows], style, label=label)
    ax.plot(x, [r["model_t"].recall for r in rows], "--o", label="recall of model ≥ t")
    ax.plot(x, [r["model_t"].precision for r in rows], ":o", label="precision of model ≥ t")
    ax.axhline(0.5, color="grey", linewidth=0.6)
    ax.axhline(0.8, color="grey", linewidth=0.6)
    ax.set_xscale("log")
    ax.set_xticks(x, [f"{n:,}" for n in x])
    ax.set_xlabel("finished sentences (ANERcorp train, in order)")
    ax.set_ylabel("on ANERcorp dev (exact match)")
    ax.set_ylim(0, 1)
    ax.set_title("Suggestions after each retraining (the window's training job)")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png)
    print(f"curve written to {png}")


if __name__ == "__main__":
    sys.exit(main())
