"""``annotator train``: export, train a spaCy pipeline on the CPU, score it, register it as a suggester."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from annotator.cli.options import db_option, open_corpus
from annotator.cli.quote_table import attribution_table
from annotator.formats.alignment import POLICIES
from annotator.formats.selection import Selection, SelectionError, parse_label_map
from annotator.formats.spacy_writer import SPANCAT_KEY, ExportError
from annotator.store import STATUSES
from annotator.train.job import DEFAULT_EVAL_FREQUENCY, EPOCHS, TrainingRequest
from annotator.train.schedule import DEFAULT_EVERY
from annotator.train.trainer import StepInfo, TrainingError, TrainResult, train_corpus


def default_output(db_path: str) -> Path:
    """``<corpus folder>/models/model-<UTC time>``."""
    return Path(db_path).resolve().parent / "models" / datetime.now(timezone.utc).strftime("model-%Y%m%d-%H%M%S")


def scores_table(result: TrainResult) -> Table:
    table = Table(title=f"Dev scores of {result.model_path}", show_lines=False)
    for column in ("layer", "label", "P", "R", "F"):
        table.add_column(column, justify="left" if column in ("layer", "label") else "right")
    scores = result.scores
    roles = "quote roles" if "quote_scores" in scores else "entities"  # a quote model tags roles as entities
    layers = [(roles, "ents"), ("quote parts", f"spans_{SPANCAT_KEY}")]
    for name, prefix in layers:
        if f"{prefix}_f" not in scores:
            continue
        table.add_row(name, "all", *(f"{100 * scores[f'{prefix}_{k}']:.1f}" for k in "prf"))
        for label, figures in sorted(scores.get(f"{prefix}_per_type", {}).items()):
            table.add_row("", label, *(f"{100 * figures[k]:.1f}" for k in "prf"))
    return table


def parse_settings(items: tuple[str, ...]) -> dict[str, object]:
    """``("a.b=128", "c.d=true", "e.f=adam")`` -> ``{"a.b": 128, "c.d": True, "e.f": "adam"}``."""
    found: dict[str, object] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or "." not in key:
            raise click.BadParameter(f"expected SECTION.KEY=VALUE, not {item!r}", param_hint="--set")
        try:
            found[key.strip()] = json.loads(value)
        except ValueError:
            found[key.strip()] = value
    return found


@click.command(name="train")
@click.argument("out_dir", required=False, type=click.Path(file_okay=False))
@db_option
@click.option("--annotator", default=None, help="Annotation set to train on (default: reviewed set, else the only one).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES), default=("done",), show_default=True,
              help="Train on documents with this status (repeatable).")
@click.option("--map", "label_map", multiple=True, metavar="FROM=TO", help="Relabel entities, e.g. --map GPE=LOC.")
@click.option("--dev", type=float, default=0.2, show_default=True, help="Fraction of articles held out for scoring.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the split and of training.")
@click.option("--group-by-source", is_flag=True, help="Keep articles from one source in the same split.")
@click.option("--max-steps", type=click.IntRange(1), default=None,
              help=f"Optimisation steps [default: 2000; with --continue: {EPOCHS} epochs, stopping early].")
@click.option("--eval-frequency", type=click.IntRange(1), default=None, help="Score on dev every N steps.")
@click.option("--quotes/--no-quotes", default=True, show_default=True,
              help="Also learn quote parts with spancat (when the export has quotes).")
@click.option("--misaligned", "policy", type=click.Choice(POLICIES), default="expand", show_default=True,
              help="What to do with spans that do not align with tokens (listed either way).")
@click.option("--quotes-only", is_flag=True,
              help="Train a quote model (content, cue, source) that the quotes suggester combines with its rules.")
@click.option("--strict", is_flag=True, help="Refuse to train if any span does not align with tokens.")
@click.option("--name", default=None, help="Suggester name to register (default: trained:<OUT_DIR name>).")
@click.option("--continue", "continue_", is_flag=True,
              help="Fine-tune the current model (the corpus's loop model, else the shipped one) on the finished "
                   "articles, register it only if it scores no worse on dev, then suggest with it where work is left.")
@click.option("--watch", is_flag=True, help="Keep running: --continue after every --every newly finished articles.")
@click.option("--every", type=click.IntRange(1), default=None,
              help=f"With --watch: articles to finish between trainings [default: {DEFAULT_EVERY}].")
@click.option("--if-new", "if_new", type=click.IntRange(1), default=None, metavar="N",
              help="With --continue: train only if N articles were finished since the last training (for cron).")
@click.option("--interval", type=click.FloatRange(0.1), default=30.0, show_default=True,
              help="With --watch: seconds between looks at the corpus.")
@click.option("--base", default="current", show_default=True,
              help="With --continue: start from 'current', 'none' (cold), a registered model or a pipeline folder.")
@click.option("--no-suggest", is_flag=True, help="With --continue: do not run the new model's suggestions.")
@click.option("--json", "as_json", is_flag=True, help="With --continue: print the outcome as JSON.")
@click.option("--dev-file", "dev_files", multiple=True, metavar="FILE",
              help="Score on the documents imported from FILE (path or name, e.g. dev_data.txt) instead of a "
                   "drawn --dev fraction; the rest is trained on (repeatable).")
@click.option("--vectors", type=click.Path(exists=True, file_okay=False), default=None,
              help="Static vectors for tok2vec: a folder made by `spacy init vectors` (e.g. floret).")
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE",
              help="Any spaCy config setting by dotted key, e.g. --set components.tok2vec.model.encode.width=128 "
                   "(VALUE read as JSON when it is JSON; repeatable).")
def command(
    out_dir: str | None,
    db_path: str,
    annotator: str | None,
    statuses: tuple[str, ...],
    label_map: tuple[str, ...],
    dev: float,
    seed: int,
    group_by_source: bool,
    max_steps: int | None,
    eval_frequency: int | None,
    quotes: bool,
    policy: str,
    quotes_only: bool,
    strict: bool,
    name: str | None,
    continue_: bool = False,
    watch: bool = False,
    every: int | None = None,
    if_new: int | None = None,
    interval: float = 30.0,
    base: str = "current",
    no_suggest: bool = False,
    as_json: bool = False,
    dev_files: tuple[str, ...] = (),
    vectors: str | None = None,
    settings: tuple[str, ...] = (),
) -> None:
    """Train a spaCy pipeline (ner, + spancat for quotes) on the corpus and register it as a suggester.

    Saves OUT_DIR/model-best and OUT_DIR/model-last (the export goes to OUT_DIR/data),
    prints the dev scores and registers model-best in the corpus.

    With --continue (or --watch): the model in the loop, as the window trains it.
    """
    if continue_ or watch:
        if out_dir or label_map or name:
            raise click.UsageError("--continue/--watch keep the corpus's own model folder: no OUT_DIR, --map or --name")
        from annotator.cli.train_loop import run_loop

        request = TrainingRequest(corpus=db_path, annotator=annotator, statuses=tuple(statuses), base=base,
                                  max_steps=max_steps,
                                  eval_frequency=eval_frequency or DEFAULT_EVAL_FREQUENCY, dev=dev, seed=seed,
                                  resuggest=not no_suggest)
        run_loop(request, watch=watch, every=every or DEFAULT_EVERY, if_new=if_new, interval=interval, as_json=as_json)
        return
    try:
        selection = Selection(annotator=annotator, statuses=tuple(statuses), label_map=parse_label_map(label_map),
                              dev=dev, seed=seed, group_by_source=group_by_source, dev_files=tuple(dev_files))
    except SelectionError as exc:
        raise click.UsageError(str(exc)) from None
    max_steps = max_steps or 2000
    overrides = parse_settings(settings)
    target = Path(out_dir) if out_dir else default_output(db_path)
    corpus = open_corpus(db_path)
    console = Console(stderr=True)
    try:
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as progress:
            exporting = progress.add_task("exporting", total=None, status="")
            training = progress.add_task("training", total=max_steps, status="", visible=False)

            def on_export(done: int, total: int) -> None:
                progress.update(exporting, completed=done, total=total)

            def on_step(info: StepInfo) -> None:
                losses = " ".join(f"{k} {v:.1f}" for k, v in info.losses.items() if k != "tok2vec")
                best = f"best {100 * info.best_score:.1f}" if info.best_score is not None else ""
                progress.update(training, completed=info.step, visible=True, status=f"{losses}  {best}")

            result = train_corpus(
                corpus, target, selection, max_steps=max_steps, eval_frequency=eval_frequency, quotes=quotes,
                policy=policy, strict=strict, name=name, progress=on_step, export_progress=on_export,
                vectors=vectors, overrides=overrides,
                quotes_only=quotes_only,
            )
    except (SelectionError, ExportError, TrainingError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        corpus.close()
    assert result.export is not None
    click.echo(result.export.format())
    console.print(scores_table(result))
    if "quotes" in result.scores:
        console.print(attribution_table("quote model on the dev split", result.scores["quotes"]))
    click.echo(f"saved {', '.join(result.components)} pipeline to {result.model_path}")
    click.echo(f"registered as suggester {result.name!r} in {db_path}")
