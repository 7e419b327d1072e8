"""The training job of the model in the loop: fine-tune the current model on the finished
articles, keep the new one only if it is not worse, then let it suggest where work is left.

:func:`run_training_job` is the one function behind every way of training in the loop: the
window runs it in a separate process (``python -m annotator.train.worker``, see
:mod:`annotator.ui.training_runner`), ``annotator train --continue`` and ``--watch`` run it
in the command's own process. What it does, in order:

1. **Export** the finished articles (``statuses``, default ``done``) of one annotation set
   (the annotator's, or by default the reviewed set, else the only annotator) with
   :func:`annotator.formats.spacy_writer.export_spacy`, split reproducibly into train and dev,
   into a workspace of its own. The corpus is opened **read-only** for all of this.
2. **Train** from the current model (:mod:`annotator.train.base_model`: the corpus's loop model
   for the language, else the shipped one, else cold) with spaCy's own loop
   (:func:`annotator.train.trainer.train_from_config`); its components are *sourced*, so training
   resumes from its weights (and static vectors) instead of starting from random ones.
3. **Score** the new model and the current one on the same dev articles (the dev articles the
   current model was trained on are left out of the comparison) with
   :mod:`annotator.train.scoring`.
4. **Decide**: the new model is registered only when its dev F1 is not below the current one's.
   Registering is one rename of the finished folder into ``vNNNN`` and one corpus transaction
   (:meth:`Corpus.register_model` under ``loop-<lang>``, and the attempt recorded for the
   schedule). Either way the outcome says so, with both scores.
5. **Suggest again** (when registered): the new model's suggestions replace the old model's for
   the articles of that language that are not done nor skipped, the current article first
   (``current_document()`` is asked again between batches, so the article the annotator moved to
   goes next). Only the ``suggestions`` table changes: accepted labels never do.

Nothing before step 4 writes to the corpus, so a job that fails, is cancelled or is killed
leaves the corpus exactly as it was (and its workspace is removed, at the latest by the next job).
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import spacy
from spacy.util import load_config

from annotator.core.tokenizer import make_nlp
from annotator.formats.selection import Selection, resolve_annotator
from annotator.formats.spacy_writer import (
    ExportError,
    export_spacy,
    msgpack_extensions_looked_up_once,
    read_split,
    write_config,
)
from annotator.store import Corpus
from annotator.train.base_model import (
    SHIPPED_MODELS,
    TRAINING_RECORD,
    BaseModel,
    current_model,
    fine_tuned_map,
    given_model,
    loop_name,
    model_to_corpus,
    training_label_space,
)
from annotator.train.model_folders import JobLock, models_root, next_version, prune, remove_leftovers, workspace
from annotator.train.scoring import DevArticle, DevScores, score_pipeline, scored_entities, threshold_for_precision
from annotator.train.trainer import StepInfo, TrainingError, train_from_config, training_config

DEFAULT_MAX_STEPS = None  # automatic: EPOCHS passes over the training words, within STEP_LIMITS
EPOCHS = 5
COLD_LEARN_RATE = 0.001  # the config's
FINE_TUNE_LEARN_RATE = 0.0002
STEP_LIMITS = (300, 5000)
DEFAULT_EVAL_FREQUENCY = 50
DEFAULT_PATIENCE = 250  # stop once five evaluations in a row found nothing better
ATTEMPTS_SETTING = "training_loop"
SUGGEST_BATCH = 16
CONFIDENT_PRECISION = 0.8

Report = Callable[[dict], None]


class JobCancelled(Exception):
    """The job was asked to stop; nothing was registered."""


@dataclass(frozen=True)
class TrainingRequest:
    """What to train on and how; plain values, so the window can hand it to a worker process as JSON."""

    corpus: str
    annotator: str | None = None  # whose finished articles (None: the reviewed set, else the only annotator)
    statuses: tuple[str, ...] = ("done",)
    base: str = "current"  # "current", "none" (start cold), or a registered model's name or a pipeline folder
    max_steps: int | None = DEFAULT_MAX_STEPS  # None: EPOCHS epochs of the training words (early stopping ends sooner)
    eval_frequency: int | None = DEFAULT_EVAL_FREQUENCY
    patience: int | None = DEFAULT_PATIENCE  # steps without a better dev score before stopping early
    dev: float = 0.2
    seed: int = 0
    models_dir: str | None = None  # default: <corpus folder>/models/<corpus name>-loop-<lang>
    resuggest: bool = True
    settings: dict = field(default_factory=dict)  # more spaCy config settings by dotted key
    shipped_models: str | None = None  # where shipped pipelines are (None: resources/models; tests use none)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> TrainingRequest:
        data = json.loads(text)
        data["statuses"] = tuple(data.get("statuses") or ("done",))
        return cls(**data)


@dataclass
class TrainingOutcome:
    """What a job did; :meth:`to_dict` is what the worker process sends back."""

    registered: bool
    name: str
    message: str
    score: dict | None = None  # the new model's DevScores.to_dict() on the compared dev articles
    previous_score: dict | None = None  # the current model's, on the same articles (None: there was none)
    base: str | None = None  # what it was fine-tuned from
    current: str | None = None  # the model it was compared with (the one suggesting until now)
    model_path: str | None = None  # the registered version (None when not registered)
    annotator: str = ""
    language: str = ""
    documents: dict[str, int] = field(default_factory=dict)
    steps: int = 0
    best_step: int = 0  # the step whose checkpoint became the model (0: the starting weights)
    train_seconds: float = 0.0
    seconds: float = 0.0
    resuggested: int = 0
    stopped_suggesting: bool = False
    confident_score: float | None = None  # suggestions scoring this or more were 80% right on the dev articles

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> TrainingOutcome:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


def _language(corpus: Corpus, annotator: str, statuses: tuple[str, ...]) -> str:
    """The (spaCy) language of most of the selected articles."""
    counts = Counter(corpus.document(doc_id).language for doc_id, _ in corpus.documents_with_status(annotator, statuses))
    if not counts:
        raise TrainingError(f"{annotator!r} has no articles with status {', '.join(statuses)} to train on yet")
    return make_nlp(counts.most_common(1)[0][0]).lang


def _choose_base(corpus: Corpus, lang: str, wanted: str, shipped: Path = SHIPPED_MODELS) -> BaseModel | None:
    if wanted == "none":
        return None
    if wanted == "current":
        return current_model(corpus, lang, shipped)
    try:
        return given_model(corpus, wanted)
    except FileNotFoundError as exc:
        raise TrainingError(str(exc)) from None


def write_loop_config(path: Path, lang: str, base: BaseModel | None) -> None:
    """The export's config (``tok2vec`` + ``ner``) with the base's components sourced, when there is a base."""
    write_config(path, lang, with_spancat=False)
    if base is None:
        return
    config = load_config(path, interpolate=False)
    if "ner" not in base.pipeline:
        raise TrainingError(f"the model {base.name} has no entity recognizer (ner) to fine-tune")
    names = [name for name in ("tok2vec", "ner") if name in base.pipeline]
    config["nlp"]["pipeline"] = names
    for name in list(config["components"]):
        if name not in names:
            del config["components"][name]
    for name in names:
        config["components"][name] = {"source": str(base.path.resolve())}
    if base.has_vectors:
        config["paths"]["vectors"] = str(base.path.resolve())
    path.write_text(config.to_str(), encoding="utf-8")


def dev_articles(dev_path: Path, lang: str, to_corpus: Mapping[str, str | None]) -> list[DevArticle]:
    """The dev split's articles with their gold entities in corpus labels."""
    vocab = make_nlp(lang).vocab
    with msgpack_extensions_looked_up_once():
        docs = list(read_split(dev_path, "dev", vocab))
    articles = []
    for doc in docs:
        info = doc.user_data.get("annotator") or {}
        ents = frozenset((e.start_char, e.end_char, to_corpus.get(e.label_) or e.label_) for e in doc.ents)
        articles.append(DevArticle(doc.text, ents, str(info.get("content_hash") or "")))
    return articles


def _record_attempt(corpus: Corpus, name: str, attempt: dict) -> None:
    """Remember the last attempt per loop model and annotator (the schedule counts from it)."""
    try:
        attempts = json.loads(corpus.setting(ATTEMPTS_SETTING) or "{}")
    except ValueError:
        attempts = {}
    if not isinstance(attempts, dict):
        attempts = {}
    attempts.setdefault(name, {})[attempt["annotator"]] = attempt
    corpus.set_setting(ATTEMPTS_SETTING, json.dumps(attempts, ensure_ascii=False, sort_keys=True))


def last_attempt(corpus: Corpus, name: str, annotator: str) -> dict | None:
    """The last training attempt of loop model ``name`` on ``annotator``'s articles, if any."""
    try:
        attempts = json.loads(corpus.setting(ATTEMPTS_SETTING) or "{}")
    except ValueError:
        return None
    found = attempts.get(name, {}).get(annotator) if isinstance(attempts, dict) else None
    return found if isinstance(found, dict) else None


def _finish_model(best: Path, target: Path, *, name: str, to_corpus: Mapping[str, str | None], base: BaseModel | None,
                  scores: DevScores, train_hashes: list[str], annotator: str, confident_score: float | None) -> None:
    """Write what annotator needs into the model's ``meta.json`` and move it to ``target`` (one rename)."""
    meta_path = best / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["name"] = name.replace("-", "_")
    meta["version"] = f"0.0.{int(target.name[1:])}"
    meta["description"] = f"annotator's model in the loop for {meta.get('lang')}, version {target.name}"
    meta.setdefault("annotator", {})
    meta["annotator"].update({
        "label_map": dict(to_corpus),
        "entity_scores": "beam",  # suggestions are scored by the entity's probability in a beam search
        "base": base.name if base else None,
        "trained_on": annotator,
        "dev": scores.to_dict(),
        "confident_score": confident_score,
    })
    if base is not None and base.meta.get("sources"):
        meta["sources"] = base.meta["sources"]  # a model fine-tuned from ANERcorp's keeps its attribution
    if base is not None and base.meta.get("license"):
        meta["license"] = base.meta["license"]
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    seen = len(train_hashes) + (base.documents_seen or 0 if base is not None else 0)
    if base is not None and base.documents_seen is None:
        seen = None  # fine-tuned from a model trained on an unknown amount (shipped, or given)
    (best / TRAINING_RECORD).write_text(
        json.dumps({"annotator": annotator, "train_content_hashes": sorted(train_hashes),
                    "documents_seen": seen}) + "\n", encoding="utf-8")
    best.rename(target)


def run_training_job(
    request: TrainingRequest,
    report: Report | None = None,
    should_stop: Callable[[], bool] | None = None,
    current_document: Callable[[], int | None] | None = None,
) -> TrainingOutcome:
    """Export, fine-tune, compare, register if not worse, suggest again (see the module docstring).

    ``report(event)`` receives plain dicts: ``{"event": "phase", "phase": ..., "text": ...}``,
    ``{"event": "step", "step", "max_steps", "score", "best"}``, ``{"event": "suggested",
    "doc_ids", "done", "total"}``. ``should_stop()`` returning True stops the job at the next
    training step or batch (:class:`JobCancelled` before registering; after it, suggesting
    stops and the outcome says how far it got). Raises :class:`TrainingError` (nothing to
    train on, no dev articles), :class:`SelectionError`, :class:`ExportError`,
    :class:`~annotator.train.model_folders.JobRunningError`.
    """
    started = time.perf_counter()
    emit = report or (lambda event: None)
    stop = should_stop or (lambda: False)

    def check() -> None:
        if stop():
            raise JobCancelled("training cancelled: nothing was changed")

    def phase(name: str, text: str) -> None:
        check()
        emit({"event": "phase", "phase": name, "text": text})

    with Corpus(request.corpus, readonly=True) as reader:
        selection = Selection(annotator=request.annotator, statuses=tuple(request.statuses), dev=request.dev,
                              seed=request.seed)
        annotator = resolve_annotator(reader, selection.annotator)
        lang = _language(reader, annotator, selection.statuses)
        shipped = Path(request.shipped_models) if request.shipped_models else SHIPPED_MODELS
        base = _choose_base(reader, lang, request.base, shipped)
        incumbent = current_model(reader, lang, shipped)  # what suggests now: the one to beat, whatever we start from
        name = loop_name(lang)
        done_at_start = reader.progress(annotator)[0]
        root = Path(request.models_dir) if request.models_dir else models_root(request.corpus, name)
        with JobLock(root):
            remove_leftovers(root)
            work = workspace(root)
            try:
                space = training_label_space(reader.labels.entity_names, base)
                to_corpus = fine_tuned_map(space, base)
                relabel = {label: model_label for label, model_label in space.items() if label != model_label}
                phase("export", f"exporting the finished articles of {annotator}")
                try:
                    summary = export_spacy(reader, work / "data", replace(selection, label_map=relabel),
                                           progress=lambda done, total: emit(
                                               {"event": "export", "done": done, "total": total}))
                except ExportError as exc:
                    raise TrainingError(str(exc)) from None
                documents = {split: counts.documents for split, counts in summary.splits.items()}
                if summary.splits["dev"].documents == 0:
                    raise TrainingError(
                        f"{annotator!r} has {documents['train']} finished article(s): training needs at least two, "
                        "one of them to score the model on"
                    )
                if not any(summary.splits["train"].entities.values()):
                    raise TrainingError(f"the finished articles of {annotator!r} hold no entities to learn from yet")
                config_path = work / "config.cfg"
                write_loop_config(config_path, summary.language, base)
                words = _words(work / "data", summary.language)
                low, high = STEP_LIMITS
                max_steps = request.max_steps or min(high, max(low, steps_for_words(EPOCHS * words)))
                overrides = training_config(work / "data", max_steps=max_steps,
                                            eval_frequency=request.eval_frequency, seed=request.seed)
                if request.patience is not None:
                    # Never stop before the model has seen every training article once: batches start
                    # at 100 words, so 250 steps are half an epoch of 2,000 ANERcorp sentences.
                    overrides["training.patience"] = max(request.patience, steps_for_words(words))
                if base is not None:
                    overrides["training.optimizer.learn_rate"] = fine_tune_rate(documents["train"], base.documents_seen)
                # A sourced component keeps the base's architecture: settings of its model do not apply.
                sourced = ("components.tok2vec.", "components.ner.") if base is not None else ()
                overrides.update({k: v for k, v in request.settings.items() if not k.startswith(sourced)})
                start_text = f"fine-tuning {base.name}" if base else "training a new model"
                phase("train", f"{start_text} on {documents['train']} articles ({documents['dev']} to score on)")

                best_step = [0]

                def on_step(info: StepInfo) -> None:
                    check()
                    if info.score is not None and info.best_score is not None and info.score >= info.best_score:
                        best_step[0] = info.step  # where model-best was saved
                    emit({"event": "step", "step": info.step, "max_steps": info.max_steps, "score": info.score,
                          "best": info.best_score})

                train_started = time.perf_counter()
                with msgpack_extensions_looked_up_once():
                    result = train_from_config(config_path, work, overrides, on_step)
                train_seconds = time.perf_counter() - train_started

                phase("score", "scoring the new model and the current one on the same dev articles")
                articles = dev_articles(work / "data", summary.language, to_corpus)
                seen = incumbent.trained_documents if incumbent else set()
                compared = [a for a in articles if a.content_hash not in seen] or articles
                new_model = spacy.load(result.model_path)
                new_scores = score_pipeline(new_model, compared, to_corpus)
                # The score above which its suggestions were right 8 times in 10 on these articles.
                threshold = threshold_for_precision(
                    [a.entities for a in compared], scored_entities(new_model, [a.text for a in compared], to_corpus),
                    CONFIDENT_PRECISION)
                old_scores = None
                if incumbent is not None:
                    old_scores = score_pipeline(spacy.load(incumbent.path), compared,
                                                model_to_corpus(incumbent.meta, incumbent.labels))
                registered = old_scores is None or new_scores.f1 >= old_scores.f1
                check()
                target = next_version(root)
                if registered:
                    train_hashes = _train_hashes(work / "data", summary.language)
                    _finish_model(result.model_path, target, name=name, to_corpus=to_corpus, base=base,
                                  scores=new_scores, train_hashes=train_hashes, annotator=annotator,
                                  confident_score=threshold)
            finally:
                shutil.rmtree(work, ignore_errors=True)

    outcome = TrainingOutcome(
        registered=registered, name=name, message="", score=new_scores.to_dict(),
        previous_score=old_scores.to_dict() if old_scores else None, base=base.name if base else None,
        current=incumbent.name if incumbent else None,
        model_path=str(target) if registered else None, annotator=annotator, language=lang, documents=documents,
        steps=result.steps, best_step=best_step[0], train_seconds=round(train_seconds, 2),
        confident_score=threshold,
    )
    outcome.message = describe(outcome)
    replaces = _replaced_suggester(reader_models(request.corpus), incumbent if base is None else base)
    with Corpus(request.corpus, create=False) as writer, writer.transaction():
        if registered:
            writer.register_model(
                name, str(target), kind="spacy", loop=True, lang=lang, version=target.name, base=outcome.base,
                replaces=replaces, scores={"ents_p": new_scores.precision, "ents_r": new_scores.recall,
                                           "ents_f": new_scores.f1},
                dev=new_scores.to_dict(), components=["tok2vec", "ner"] if "tok2vec" in result.components else ["ner"],
                labels=sorted(space), annotator=annotator, documents=documents, steps=result.steps,
                done_at_training=done_at_start, confident_score=threshold,
            )
        _record_attempt(writer, name, {
            "annotator": annotator, "done_at_training": done_at_start, "registered": registered,
            "score": new_scores.to_dict(), "previous_score": outcome.previous_score, "at": time.time(),
        })
    if registered:
        prune(root, keep={target})
    emit({"event": "decision", "registered": registered, "message": outcome.message})
    if registered and request.resuggest:
        outcome.resuggested, outcome.stopped_suggesting = refresh_suggestions(
            request.corpus, f"model:{name}", replaces, annotator, lang, emit, stop, current_document)
    outcome.seconds = round(time.perf_counter() - started, 2)
    return outcome


def reader_models(corpus_path: str) -> list[dict]:
    with Corpus(corpus_path, readonly=True) as corpus:
        return corpus.registered_models()


def _replaced_suggester(models: list[dict], base: BaseModel | None) -> list[str]:
    """The suggesters whose suggestions the loop model takes over: the shipped model it came from."""
    if base is None:
        return []
    if base.kind == "loop":
        previous = next((m for m in models if f"model:{m.get('name')}" == base.suggester), {})
        return list(previous.get("replaces") or [])
    return [base.suggester]


def fine_tune_rate(new_documents: int, seen_documents: int | None) -> float:
    """The learning rate to resume a base with: the cold rate scaled by the new articles' share of all the
    articles behind the model, never below :data:`FINE_TUNE_LEARN_RATE`.

    A base that has seen far more than the new articles (a shipped model: ``seen_documents`` None) is
    resumed gently: at the cold rate it forgets before its best checkpoint can beat it
    (``bench_learning --base rest``: best step 0 after 250 sentences; at 0.0002 F .63 -> .65). A base
    trained on fewer articles than the new ones (the corpus's own first models) moves freely.
    """
    if seen_documents is None:
        return FINE_TUNE_LEARN_RATE
    share = new_documents / max(1, new_documents + seen_documents)
    return round(max(FINE_TUNE_LEARN_RATE, min(COLD_LEARN_RATE, COLD_LEARN_RATE * share)), 6)


def steps_for_words(words: int, start: float = 100.0, stop: float = 1000.0, compound: float = 1.001) -> int:
    """Steps the training loop takes to see ``words`` words (its batches follow the config's
    ``compounding.v1`` schedule: 100 words, growing by 0.1% a step, up to 1,000)."""
    seen, size, steps = 0.0, start, 0
    while seen < words:
        seen += size
        size = min(stop, size * compound)
        steps += 1
    return steps


def _words(train_path: Path, lang: str) -> int:
    with msgpack_extensions_looked_up_once():
        return sum(len(doc) for doc in read_split(train_path, "train", make_nlp(lang).vocab))


def _train_hashes(train_path: Path, lang: str) -> list[str]:
    with msgpack_extensions_looked_up_once():
        docs = read_split(train_path, "train", make_nlp(lang).vocab)
        return [str((d.user_data.get("annotator") or {}).get("content_hash") or "") for d in docs]


def describe(outcome: TrainingOutcome) -> str:
    """One sentence for the status bar and the terminal."""
    new = DevScores.from_dict(outcome.score) if outcome.score else None
    old = DevScores.from_dict(outcome.previous_score) if outcome.previous_score else None
    if new is None:
        return "no model was trained"
    if outcome.registered and old is None:
        return f"new model {Path(outcome.model_path or '').name} registered: dev F {100 * new.f1:.1f} (first model)"
    if outcome.registered:
        return (f"new model {Path(outcome.model_path or '').name} registered: dev F {100 * new.f1:.1f} "
                f"(was {100 * old.f1:.1f} with {outcome.current})")
    return (f"kept the current model {outcome.current}: the new one scores dev F {100 * new.f1:.1f}, "
            f"below its {100 * old.f1:.1f}")


def _undone_in_order(corpus: Corpus, annotator: str, lang: str) -> list[int]:
    ids = [doc_id for doc_id, _ in corpus.documents_with_status(annotator, ("new", "in_progress"))]
    return [doc_id for doc_id in ids if make_nlp(corpus.document(doc_id).language).lang == lang]


def refresh_suggestions(
    corpus_path: str,
    suggester: str,
    replaced: list[str],
    annotator: str,
    lang: str,
    report: Report,
    should_stop: Callable[[], bool],
    current_document: Callable[[], int | None] | None = None,
) -> tuple[int, bool]:
    """Run ``suggester`` on the articles of ``lang`` that ``annotator`` has not finished, the current one
    first, and clear the ``replaced`` suggesters' suggestions there. Returns (articles done, stopped early)."""
    from annotator.suggest.runner import run_suggesters

    with Corpus(corpus_path, create=False) as corpus:
        todo = _undone_in_order(corpus, annotator, lang)
        total = len(todo)
        report({"event": "phase", "phase": "suggest", "text": f"suggesting with the new model ({total} articles)"})
        current = current_document() if current_document else None
        if current in todo:  # the current article, then the ones after it, then the rest
            at = todo.index(current)
            todo = todo[at:] + todo[:at]
        done = 0
        while todo:
            if should_stop():
                return done, True
            current = current_document() if current_document else None
            if current in todo:
                todo.remove(current)
                todo.insert(0, current)
            batch, todo = todo[: SUGGEST_BATCH if done else 1], todo[SUGGEST_BATCH if done else 1:]
            run_suggesters(corpus, [suggester], doc_ids=batch)
            for name in replaced:
                corpus.clear_suggestions(batch, name)
            done += len(batch)
            report({"event": "suggested", "doc_ids": batch, "done": done, "total": total})
    return done, False
