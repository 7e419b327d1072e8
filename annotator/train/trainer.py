"""Train a spaCy pipeline on the corpus's own export and register it as a suggester.

``train_corpus`` = export (:func:`annotator.formats.spacy_writer.export_spacy`) into
``OUT_DIR/data``, train on the CPU with the exported ``config.cfg`` (``ner``, plus
``spancat`` on ``doc.spans["quotes"]`` when the export has quotes), save
``OUT_DIR/model-best`` and ``OUT_DIR/model-last``, score ``model-best`` on the dev
split, and register it with :meth:`Corpus.register_model`.

The loop is spaCy's own (``train_while_improving``), driven here so that every step can
report progress to the caller (the CLI's progress bar, the window's status bar).
The saved pipeline's tokenizer is spaCy's own with the shared tokenizer's rules
(:mod:`annotator.core.tokenizer_config`): it loads with plain ``spacy.load``, annotator
installed or not, and tokenizes exactly like ``make_nlp``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.schemas import ConfigSchemaTraining
from spacy.training import Corpus as SpacyCorpus
from spacy.training.initialize import init_nlp
from spacy.training.loop import (
    create_before_to_disk_callback,
    create_evaluation_callback,
    create_train_batches,
    train_while_improving,
    update_meta,
)
from spacy.util import load_config, registry, resolve_dot_names

from annotator.formats.selection import Selection
from annotator.formats.spacy_writer import (
    SPANCAT_KEY,
    ExportSummary,
    export_spacy,
    msgpack_extensions_looked_up_once,
    write_config,
)
from annotator.store import Corpus


class TrainingError(Exception):
    """Training cannot start (e.g. no dev documents to score on)."""


@dataclass(frozen=True)
class StepInfo:
    """Progress of one optimisation step; ``score`` is set on evaluation steps."""

    step: int
    max_steps: int
    epoch: int
    losses: dict[str, float]
    score: float | None = None
    best_score: float | None = None


StepCallback = Callable[[StepInfo], None]


@dataclass
class TrainResult:
    model_path: Path
    scores: dict
    steps: int
    export: ExportSummary | None = None
    name: str | None = None
    components: list[str] = field(default_factory=list)


def headline_scores(scores: dict) -> dict:
    """The figures worth printing and storing: P/R/F per layer and per entity label."""
    keep: dict = {}
    for key in ("ents_p", "ents_r", "ents_f", f"spans_{SPANCAT_KEY}_p", f"spans_{SPANCAT_KEY}_r",
                f"spans_{SPANCAT_KEY}_f"):
        if scores.get(key) is not None:
            keep[key] = round(float(scores[key]), 4)
    for key in ("ents_per_type", f"spans_{SPANCAT_KEY}_per_type"):
        if scores.get(key):
            keep[key] = {label: {k: round(float(v), 4) for k, v in figures.items()}
                         for label, figures in scores[key].items()}
    return keep


def training_config(
    export_dir: Path, *, max_steps: int, eval_frequency: int | None = None, seed: int = 0
) -> dict[str, object]:
    """Config overrides for a run on ``export_dir``'s files."""
    return {
        "paths.train": str(export_dir / "train"),  # folders of DocBin shards (export_spacy)
        "paths.dev": str(export_dir / "dev"),
        "training.max_steps": max_steps,
        "training.max_epochs": 0,
        "training.eval_frequency": eval_frequency or max(10, min(200, max_steps // 5)),
        "training.patience": max(1600, max_steps),
        "system.seed": seed,
    }


def train_from_config(
    config_path: Path,
    output_dir: Path,
    overrides: dict[str, object],
    progress: StepCallback | None = None,
) -> TrainResult:
    """Train with spaCy's loop on the CPU; saves ``model-best``/``model-last`` under ``output_dir``."""
    config = load_config(config_path, overrides=overrides, interpolate=False)
    nlp = init_nlp(config, use_gpu=-1)
    resolved = nlp.config.interpolate()
    T = registry.resolve(resolved["training"], schema=ConfigSchemaTraining)
    train_corpus, dev_corpus = resolve_dot_names(resolved, [T["train_corpus"], T["dev_corpus"]])
    optimizer = T["optimizer"]
    before_to_disk = create_before_to_disk_callback(T["before_to_disk"])
    best_dir, last_dir = output_dir / "model-best", output_dir / "model-last"
    output_dir.mkdir(parents=True, exist_ok=True)

    def save(target: Path) -> None:
        if target.exists():
            shutil.rmtree(target)
        with nlp.use_params(optimizer.averages):
            before_to_disk(nlp).to_disk(target)

    steps = train_while_improving(
        nlp,
        optimizer,
        create_train_batches(nlp, train_corpus, T["batcher"], T["max_epochs"]),
        create_evaluation_callback(nlp, dev_corpus, T["score_weights"]),
        dropout=T["dropout"],
        accumulate_gradient=T["accumulate_gradient"],
        patience=T["patience"],
        max_steps=T["max_steps"],
        eval_frequency=T["eval_frequency"],
        exclude=T["frozen_components"],
        annotating_components=T["annotating_components"],
        before_update=T["before_update"],
    )
    best: float | None = None
    step = 0
    for _batch, info, is_best in steps:
        step = info["step"]
        if is_best is not None:
            update_meta(T, nlp, info)
            if is_best or not best_dir.exists():
                save(best_dir)
            best = max(best or 0.0, info["score"])
        if progress:
            progress(
                StepInfo(
                    step=step,
                    max_steps=T["max_steps"],
                    epoch=info["epoch"],
                    losses={k: float(v) for k, v in info["losses"].items()},
                    score=float(info["score"]) if is_best is not None else None,
                    best_score=best,
                )
            )
    save(last_dir)
    if not best_dir.exists():
        shutil.copytree(last_dir, best_dir)
    model = spacy.load(best_dir)
    scores = evaluate(model, Path(str(resolved["paths"]["dev"])))
    return TrainResult(model_path=best_dir, scores=scores, steps=step, components=list(model.pipe_names))


def evaluate(nlp: Language, dev_path: Path) -> dict:
    """Scores of ``nlp`` on a DocBin (the same examples spaCy evaluates during training)."""
    examples = list(SpacyCorpus(dev_path)(nlp))
    return headline_scores(nlp.evaluate(examples))


def train_corpus(
    corpus: Corpus,
    output_dir: str | Path,
    selection: Selection | None = None,
    *,
    max_steps: int = 2000,
    eval_frequency: int | None = None,
    quotes: bool = True,
    policy: str = "expand",
    strict: bool = False,
    name: str | None = None,
    register: bool = True,
    progress: StepCallback | None = None,
    export_progress: Callable[[int, int], None] | None = None,
    vectors: str | Path | None = None,
    overrides: dict[str, object] | None = None,
    quotes_only: bool = False,
) -> TrainResult:
    """Export, train, score and register (see the module docstring).

    ``vectors``: a spaCy vectors folder (``spacy init vectors``, e.g. floret subword vectors) that the
    tok2vec layer reads as static vectors; ``overrides``: more config settings by dotted key
    (``{"components.tok2vec.model.encode.width": 128}``), applied last. ``quotes_only`` (or an
    export with quotes and no entities) trains a quote model instead:
    :func:`annotator.train.quote_model.train_quote_model`.
    """
    from annotator.train.quote_model import train_quote_model

    selection = selection or Selection()
    out = Path(output_dir)
    data = out / "data"
    quote_options = dict(max_steps=max_steps, eval_frequency=eval_frequency, policy=policy, strict=strict, name=name,
                         register=register, progress=progress, export_progress=export_progress)
    if quotes_only:
        return train_quote_model(corpus, out, selection, **quote_options)
    summary = export_spacy(corpus, data, selection, strict=strict, policy=policy, progress=export_progress)
    if quotes and summary.has_quotes and not any(summary.splits["train"].entities.values()):
        return train_quote_model(corpus, out, selection, exported=summary, **quote_options)
    if summary.splits["dev"].documents == 0:
        raise TrainingError(
            "the export has no dev documents to score the model on; training needs at least two "
            "documents and a --dev fraction above 0"
        )
    if not any(summary.splits["train"].entities.values()):
        raise TrainingError("the training split has no entities to learn")
    with_spancat = quotes and summary.has_quotes
    config_path = out / "config.cfg"
    write_config(config_path, summary.language, with_spancat, summary.suggester_max_size)
    settings = training_config(data, max_steps=max_steps, eval_frequency=eval_frequency, seed=selection.seed)
    if vectors is not None:
        settings["paths.vectors"] = str(Path(vectors).resolve())
        settings["components.tok2vec.model.embed.include_static_vectors"] = True
    settings.update(overrides or {})
    with msgpack_extensions_looked_up_once():  # spaCy re-reads the DocBins every epoch
        result = train_from_config(config_path, out, settings, progress)
    result.export = summary
    result.name = name or f"trained:{out.resolve().name}"
    if register:
        labels = sorted(set(summary.splits["train"].entities) | set(summary.splits["dev"].entities))
        corpus.register_model(
            result.name,
            str(result.model_path.resolve()),
            scores=result.scores,
            kind="spacy",
            components=result.components,
            labels=labels,
            spans_key=SPANCAT_KEY if with_spancat else None,
            annotator=summary.annotator,
            documents={split: counts.documents for split, counts in summary.splits.items()},
            steps=result.steps,
        )
    return result
