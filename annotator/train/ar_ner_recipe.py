"""The recipe of the shipped Arabic news NER model, ``resources/models/ar_news_ner``.

    make model-ar                     # python -m annotator.train.ar_ner_recipe ../shared/data
    python -m annotator.train.ar_ner_recipe DATA_DIR [--out resources/models/ar_news_ner] [--work DIR]

From ANERcorp exactly as shipped (``DATA_DIR/anercorp/train_data.txt`` to train on, ``dev_data.txt``
to choose the best checkpoint and to score) and the shared SaudiNewsNet articles (unlabelled: they
only feed the static vectors), each step through the project's own commands:

1. ``annotator import train_data.txt dev_data.txt --annotator anercorp --sentences-per-doc 10
   --allow-new-labels``: ANERcorp's labels kept as they are (``PERS``, ``LOC``, ``ORG``, ``MISC``, the
   figures stay comparable with published ones); every article is then marked done for ``anercorp``.
2. Static subword vectors (floret: fastText n-grams hashed into a small table, so clitic-glued forms
   such as ``وبوتين`` share most of their vector with ``بوتين``) trained on the shared articles plus
   ANERcorp's train text, never its dev text, tokenized by the shared tokenizer; then
   ``spacy init vectors ar … --mode floret``.
3. ``annotator train --annotator anercorp --dev-file dev_data.txt --vectors … --no-quotes --set …``
   with the architecture in :data:`ARCHITECTURE` (chosen on the dev split; the variants tried and
   their dev scores are in ``resources/models/ar_news_ner/README.md``).
4. ``model-best`` is copied to ``--out`` with its licence (CC BY-SA 4.0, inherited from ANERcorp),
   attribution and label map (``conll``: PERS -> PER, LOC -> GPE, ORG, MISC) in ``meta.json``.

Training is CPU-bound (~20-40 minutes on 2 shared cores); nothing here downloads anything.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from spacy.util import load_config

from annotator.core.labels import RESOURCES
from annotator.core.tokenizer import make_nlp
from annotator.store import Corpus

MODEL_NAME = "ar_news_ner"
MODEL_VERSION = "1.0.0"
OUT = RESOURCES / "models" / MODEL_NAME
ANNOTATOR = "anercorp"
SENTENCES_PER_DOC = 10
SEED = 0

# floret (skipgram, subwords of 3-5 characters, each hashed twice into BUCKET rows).
VECTORS = {"dim": 100, "bucket": 20000, "minn": 3, "maxn": 5, "hashCount": 2, "epoch": 15, "minCount": 2}

# spaCy config settings on top of annotator's template (tok2vec + ner), chosen on ANERcorp dev.
ARCHITECTURE: dict[str, object] = {
    "components.tok2vec.model.encode.width": 128,
    "components.tok2vec.model.encode.depth": 4,
    # NORM, PREFIX, SUFFIX, SHAPE; Arabic words have few shapes, so SHAPE gets fewer rows.
    "components.tok2vec.model.embed.rows": [5000, 1000, 2500, 500],
}
MAX_STEPS = 3000
EVAL_FREQUENCY = 250

LICENCE = "CC BY-SA 4.0"
KEPT_FILES = ("README.md", "LICENSE")
SOURCES = [
    {"name": "ANERcorp (CAMeL Lab release)", "license": "CC BY-SA 4.0",
     "url": "https://camel.abudhabi.nyu.edu/anercorp/",
     "cite": "Yassine Benajiba, Paolo Rosso and José Miguel Benedí Ruiz. ANERsys: An Arabic Named Entity "
             "Recognition System Based on Maximum Entropy. CICLing 2007."},
    {"name": "CAMeL Tools", "cite": "Ossama Obeid, Nasser Zalmout, Salam Khalifa, Dima Taji, Mai Oudah, Bashar "
                                   "Alhafni, Go Inoue, Fadhl Eryani, Alexander Erdmann and Nizar Habash. CAMeL "
                                   "Tools: An Open Source Python Toolkit for Arabic Natural Language Processing. "
                                   "LREC 2020."},
    {"name": "SaudiNewsNet (2,000-article sample)", "license": "CC BY-NC-SA 4.0",
     "use": "unlabelled text for the static vectors only; no article text is in the model"},
]


def run(*args: str) -> None:
    """Run an ``annotator``/``spacy`` command of this environment, echoing it."""
    print("$", " ".join(args), flush=True)
    subprocess.run([sys.executable, "-m", *args], check=True)


def vector_text(data: Path, out: Path, with_articles: bool = False) -> int:
    """One line of shared-tokenizer tokens per paragraph of the shared articles and per ANERcorp train
    sentence; returns the number of tokens written."""
    nlp = make_nlp("ar")
    written = 0
    with out.open("w", encoding="utf-8") as sink:

        def write(text: str) -> None:
            nonlocal written
            tokens = [t.text for t in nlp.make_doc(text) if not t.is_space]
            if tokens:
                sink.write(" ".join(tokens) + "\n")
                written += len(tokens)

        if with_articles:
            articles = data / "saudinewsnet-sample.jsonl"
            for line in articles.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                for field in ("title", "content"):
                    for paragraph in (record.get(field) or "").split("\n"):
                        write(paragraph)
        sentence: list[str] = []
        for line in (data / "anercorp" / "train_data.txt").read_text(encoding="utf-8").splitlines():
            if line.startswith("-DOCSTART-"):
                continue
            if not line.strip():
                write(" ".join(sentence))
                sentence = []
                continue
            sentence.append(line.split()[0])
        write(" ".join(sentence))
    return written


def train_vectors(text: Path, work: Path) -> Path:
    """floret vectors on ``text`` -> a spaCy vectors folder."""
    try:
        import floret
    except ImportError:
        raise SystemExit("the recipe needs floret: pip install -e '.[model]'") from None
    raw = work / "vectors.floret"
    # Two threads: fastText's updates then race, so vectors differ slightly from run to run.
    model = floret.train_unsupervised(str(text), model="skipgram", mode="floret", thread=2, verbose=0, **VECTORS)
    model.save_floret_vectors(str(raw))
    folder = work / "vectors"
    if folder.exists():
        shutil.rmtree(folder)
    run("spacy", "init", "vectors", "ar", str(raw), str(folder), "--mode", "floret")
    return folder


def package(model: Path, out: Path, dev_scores: dict, recipe: dict) -> None:
    """Copy ``model`` to ``out`` with name, version, licence, sources and label map in its meta
    (the folder's README.md and LICENSE, written by hand, are kept)."""
    kept = {name: (out / name).read_bytes() for name in KEPT_FILES if (out / name).is_file()}
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(model, out)
    for name, data in kept.items():
        (out / name).write_bytes(data)
    # spaCy's own tokenizer, whose saved rules (the tokenizer file) are the shared tokenizer's: the
    # pipeline loads with plain spacy.load, annotator installed or not.
    config = load_config(out / "config.cfg", interpolate=False)
    config["nlp"]["tokenizer"] = {"@tokenizers": "spacy.Tokenizer.v1"}
    for key in config["paths"]:  # the build's scratch paths (the vectors are inside the pipeline)
        config["paths"][key] = None
    config.to_disk(out / "config.cfg")
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update({
        "name": MODEL_NAME,
        "version": MODEL_VERSION,
        "description": "Arabic news named entities (PERS, LOC, ORG, MISC) for annotator's suggestions; "
                       "CPU pipeline (tok2vec + ner with floret subword vectors) trained on ANERcorp's "
                       "train split with annotator's shared tokenizer.",
        "license": LICENCE,
        "author": "annotator contributors",
        "sources": SOURCES,
        "annotator": {"label_map": "conll", "dev_scores": dev_scores, "recipe": recipe},
    })
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="the shared data folder (holding anercorp/ and the articles)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where the pipeline goes (default {OUT})")
    parser.add_argument("--work", type=Path, default=Path("build") / "model-ar", help="scratch folder")
    parser.add_argument("--max-steps", type=int, default=MAX_STEPS)
    parser.add_argument("--no-vectors", action="store_true", help="train without static vectors")
    parser.add_argument("--with-shared-articles", action="store_true",
                        help="also train the vectors on the 2,000 SaudiNewsNet articles (CC BY-NC-SA 4.0, research "
                             "use): the model then holds NC-licensed material and must not be shipped as CC BY-SA")
    args = parser.parse_args(argv)
    anercorp = args.data / "anercorp"
    train_file, dev_file = anercorp / "train_data.txt", anercorp / "dev_data.txt"
    needs = (train_file, dev_file) + ((args.data / "saudinewsnet-sample.jsonl",) if args.with_shared_articles else ())
    for needed in needs:
        if not needed.is_file():
            raise SystemExit(f"{needed}: not found (the recipe reads ANERcorp and the shared articles from there)")
    started = time.perf_counter()
    work = args.work.resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    db = work / "anercorp.db"

    run("annotator", "import", str(train_file), str(dev_file), "--db", str(db), "--annotator", ANNOTATOR,
        "--sentences-per-doc", str(SENTENCES_PER_DOC), "--allow-new-labels")
    with Corpus.open(db) as corpus:
        with corpus.transaction():
            for doc_id in corpus.document_ids():
                corpus.set_status(doc_id, ANNOTATOR, "done")
    print(f"marked every article done for {ANNOTATOR}", flush=True)

    command = ["annotator", "train", str(work / "run"), "--db", str(db), "--annotator", ANNOTATOR,
               "--dev-file", dev_file.name, "--no-quotes", "--max-steps", str(args.max_steps),
               "--eval-frequency", str(EVAL_FREQUENCY), "--seed", str(SEED), "--name", MODEL_NAME]
    if not args.no_vectors:
        tokens = vector_text(args.data, work / "vector-text.txt", with_articles=args.with_shared_articles)
        print(f"vector text: {tokens:,} tokens", flush=True)
        command += ["--vectors", str(train_vectors(work / "vector-text.txt", work))]
    for key, value in ARCHITECTURE.items():
        command += ["--set", f"{key}={json.dumps(value)}"]
    run(*command)

    with Corpus.open(db) as corpus:
        [registered] = [m for m in corpus.registered_models() if m["name"] == MODEL_NAME]
    recipe = {"command": "make model-ar", "sentences_per_doc": SENTENCES_PER_DOC, "vectors": None if args.no_vectors
              else {**VECTORS, "text": "ANERcorp train" + (" + SaudiNewsNet sample" if args.with_shared_articles else "")}, "architecture": ARCHITECTURE, "max_steps": args.max_steps, "seed": SEED}
    package(Path(registered["path"]), args.out, registered.get("scores", {}), recipe)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"saved {args.out} ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.0f} s; dev scores:",
          json.dumps(registered.get("scores", {}).get("ents_f")), flush=True)


if __name__ == "__main__":
    main()
