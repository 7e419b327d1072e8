"""Train a quote model from the corpus: spaCy's ``ner`` tagging quote roles, grouped into quotes.

``annotator train --quotes-only`` (and ``annotator train`` on a corpus with quotes but no
entities) comes here through :func:`annotator.train.trainer.train_corpus`:

1. the usual export (:func:`annotator.formats.spacy_writer.export_spacy`) into ``OUT/data``;
2. :func:`role_docbins`: the export's ``doc.spans["quotes"]`` (``CONTENT``/``CUE``/``SOURCE``)
   become ``doc.ents`` in ``OUT/quote-data`` (entities are left out: this model learns roles
   only). A tag sequence fits attribution as PolNeAR annotates it (univocal: one role per
   token); where a corpus nests quotes, the longer part wins;
3. spaCy's training loop on a ``tok2vec`` + ``ner`` config (:func:`write_quote_config`: a wider
   window than the entity model's, since a content's edges depend on words further away);
4. :func:`calibrate`: the trained model proposes quotes on the dev split
   (:func:`annotator.suggest.quote_model.group_roles`), which are matched with the dev quotes;
   the precision of each shape of quote becomes its score, stored in ``meta.json`` with the
   whole-quote figures (:class:`annotator.review.quote_metrics.AttributionScores`);
5. registered in the corpus as kind ``quotes``: the ``quotes`` suggester then combines it with
   the rules for documents of its language.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans, load_config

from annotator.core.spans import Quote, Range
from annotator.core.tokenizer import make_nlp
from annotator.formats.selection import Selection
from annotator.formats.spacy_writer import (
    GROUP_CONTENT,
    GROUP_CUE,
    GROUP_SOURCE,
    SPANCAT_KEY,
    ExportSummary,
    export_spacy,
    msgpack_extensions_looked_up_once,
    read_split,
    shard_file_name,
    write_config,
)
from annotator.review.quote_metrics import AttributionScores, match_quotes
from annotator.store import Corpus
from annotator.suggest.quote_model import (
    QUOTE_MODEL_KEY,
    SHAPES,
    group_roles,
    predicted_roles,
    shape_of,
)

QUOTE_MODEL_VERSION = 1


def role_docbins(export_dir: Path, out_dir: Path, lang: str) -> dict[str, Counter]:
    """The export's ``train/`` and ``dev/`` DocBins with the quote roles as ``doc.ents``, written as
    ``out_dir/train/000.spacy`` and ``out_dir/dev/000.spacy`` (what spaCy's corpus reader takes);
    counts per split."""
    vocab = make_nlp(lang).vocab
    counts: dict[str, Counter] = {}
    for split in ("train", "dev"):
        docs = []
        counted: Counter = Counter()
        for doc in read_split(export_dir, split, vocab):
            roles = filter_spans(list(doc.spans.get(SPANCAT_KEY, [])))
            doc.set_ents(roles, default="outside")
            counted.update(span.label_ for span in roles)
            counted["documents"] += 1
            docs.append(doc)
        (out_dir / split).mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs, store_user_data=True).to_disk(out_dir / split / shard_file_name(0, 1))
        counts[split] = counted
    return counts


def write_quote_config(path: Path, lang: str) -> None:
    """A ``tok2vec`` + ``ner`` config for quote roles (the project's template, widened)."""
    write_config(path, lang, with_spancat=False)
    config = load_config(path)
    encode = config["components"]["tok2vec"]["model"]["encode"]
    encode["window_size"] = 2  # each token sees 8 words either side after 4 layers (the entity model: 4)
    encode["width"] = 128
    config["components"]["tok2vec"]["model"]["embed"]["rows"] = [20000, 2000, 5000, 1000]
    config["components"]["ner"]["model"]["hidden_width"] = 128
    config["training"]["dropout"] = 0.2
    path.write_text(config.to_str(), encoding="utf-8")


def gold_quotes(doc: Doc) -> list[Quote]:
    """The quotes of an exported ``Doc`` (parts linked by ``span.id_``), in token-aligned characters."""
    by_id: dict[str, dict] = {}
    for group, role in ((GROUP_CONTENT, "content"), (GROUP_CUE, "cue"), (GROUP_SOURCE, "source")):
        for span in doc.spans.get(group, []):
            entry = by_id.setdefault(span.id_, {"content": [], "cue": [], "source": [], "type": "direct"})
            entry[role].append(Range(span.start_char, span.end_char))
            if role == "content":
                entry["type"] = span.label_
    return [Quote(contents=tuple(e["content"]), cue=e["cue"][0] if e["cue"] else None, sources=tuple(e["source"]),
                  type=e["type"]) for e in by_id.values() if e["content"]]


def calibrate(model_path: Path, data_dir: Path, lang: str, split: str = "dev") -> dict:
    """Precision per quote shape and whole-quote figures of the model on ``data_dir``'s ``split``
    (a folder of DocBins); written to its meta."""
    nlp = spacy.load(model_path)
    scores = AttributionScores()
    found: Counter = Counter()
    right: Counter = Counter()
    for doc in read_split(data_dir, split, make_nlp(lang).vocab):
        text = doc.text
        pred = group_roles(text, predicted_roles(nlp, text))
        gold = gold_quotes(doc)
        scores.add(gold, pred, text)
        match = match_quotes(gold, pred)
        for quote in pred:
            found[shape_of(quote)] += 1
        for pair in match.pairs:
            right[shape_of(pair.b)] += 1
    shapes = {shape: round(right[shape] / found[shape], 3) for shape in SHAPES if found[shape]}
    meta_file = Path(model_path) / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta[QUOTE_MODEL_KEY] = {"version": QUOTE_MODEL_VERSION, "scores": shapes, "dev": scores.as_dict(),
                             "proposed": dict(found)}
    meta_file.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    return meta[QUOTE_MODEL_KEY]


def train_quote_model(
    corpus: Corpus,
    output_dir: str | Path,
    selection: Selection,
    *,
    max_steps: int = 2000,
    eval_frequency: int | None = None,
    policy: str = "expand",
    strict: bool = False,
    name: str | None = None,
    register: bool = True,
    progress: Callable | None = None,
    export_progress: Callable[[int, int], None] | None = None,
    exported: ExportSummary | None = None,
):
    """Export (unless ``exported`` says it is done), train the role tagger, calibrate its scores and
    register it (see the module docstring)."""
    from annotator.train.trainer import TrainingError, TrainResult, train_from_config, training_config

    out = Path(output_dir)
    summary = exported or export_spacy(corpus, out / "data", selection, strict=strict, policy=policy,
                                       progress=export_progress)
    if summary.splits["dev"].documents == 0:
        raise TrainingError("the export has no dev documents to score the model on; training needs at least two "
                            "documents and a --dev fraction above 0")
    if not summary.has_quotes:
        raise TrainingError("the training split has no quotes to learn")
    roles = role_docbins(out / "data", out / "quote-data", summary.language)
    config_path = out / "quote-config.cfg"
    write_quote_config(config_path, summary.language)
    overrides = training_config(out / "quote-data", max_steps=max_steps, eval_frequency=eval_frequency,
                                seed=selection.seed)
    with msgpack_extensions_looked_up_once():
        result: TrainResult = train_from_config(config_path, out, overrides, progress)
    quote_meta = calibrate(result.model_path, out / "quote-data", summary.language)
    result.export = summary
    result.name = name or f"quotes:{out.resolve().name}"
    result.scores = {**result.scores, "quotes": quote_meta["dev"], "quote_scores": quote_meta["scores"],
                     "roles": {split: dict(c) for split, c in roles.items()}}
    if register:
        corpus.register_model(
            result.name,
            str(result.model_path.resolve()),
            scores=result.scores,
            kind="quotes",
            lang=summary.language,
            components=result.components,
            annotator=summary.annotator,
            documents={split: counts.documents for split, counts in summary.splits.items()},
            steps=result.steps,
        )
    return result
