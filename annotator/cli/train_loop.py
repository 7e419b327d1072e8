"""``annotator train --continue`` / ``--watch``: the model in the loop from the command line.

Both call :func:`annotator.train.job.run_training_job`, the function the window's training
process runs, in this process, with a progress bar. ``--watch`` looks at the corpus every
``--interval`` seconds and trains whenever ``--every`` articles were newly finished
(:mod:`annotator.train.schedule`, the window's rule); Ctrl+C stops it between two looks, or
cancels a running job (nothing is registered then). ``--if-new N`` is the one-shot form for cron
and scripts: train only if N articles were finished since the last training.
"""

from __future__ import annotations

import json
import signal
import threading
import time

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from annotator.formats.selection import SelectionError, resolve_annotator
from annotator.formats.spacy_writer import ExportError
from annotator.store import Corpus, CorpusError
from annotator.train.job import JobCancelled, TrainingOutcome, TrainingRequest, run_training_job
from annotator.train.model_folders import JobRunningError
from annotator.train.schedule import due, newly_finished
from annotator.train.scoring import DevScores
from annotator.train.trainer import TrainingError

KNOWN = (SelectionError, ExportError, TrainingError, JobRunningError, CorpusError)


def outcome_table(outcome: TrainingOutcome) -> Table:
    """The new and the current model side by side on the same dev articles."""
    articles = (outcome.score or {}).get("articles", 0)
    table = Table(title=f"Dev scores on {articles} finished articles (exact entities)")
    for column in ("model", "P", "R", "F"):
        table.add_column(column, justify="left" if column == "model" else "right")
    rows = [("new", outcome.score)]
    if outcome.previous_score:
        rows.append((f"current ({outcome.current})", outcome.previous_score))
    for label, data in rows:
        if data:
            s = DevScores.from_dict(data)
            table.add_row(label, f"{100 * s.precision:.1f}", f"{100 * s.recall:.1f}", f"{100 * s.f1:.1f}")
    return table


def run_once(request: TrainingRequest, console: Console, stop: threading.Event) -> TrainingOutcome:
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[status]}"), TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("training", total=request.max_steps, status="")  # None: known at the first step

        def report(event: dict) -> None:
            kind = event.get("event")
            if kind == "phase":
                progress.update(task, description=event["phase"], status=event.get("text", ""))
            elif kind == "step":
                best = event.get("best")
                progress.update(task, completed=event["step"], total=event["max_steps"],
                                status=f"best dev F {100 * best:.1f}" if best is not None else "")
            elif kind == "suggested":
                progress.update(task, completed=event["done"], total=max(1, event["total"]), status="")

        return run_training_job(request, report, stop.is_set)


def run_loop(request: TrainingRequest, *, watch: bool, every: int, if_new: int | None, interval: float,
             as_json: bool) -> None:
    """``--continue`` (once, or only with ``if_new`` new articles) or ``--watch`` (until Ctrl+C)."""
    console = Console(stderr=True)
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        with Corpus(request.corpus, readonly=True) as corpus:
            annotator = resolve_annotator(corpus, request.annotator)
        if not watch:
            if if_new is not None:
                with Corpus(request.corpus, readonly=True) as corpus:
                    new = newly_finished(corpus, annotator)
                if new < if_new:
                    click.echo(f"nothing to do: {new} article(s) of {annotator} finished since the last training "
                               f"(--if-new {if_new})")
                    return
            _report(run_once(request, console, stop), console, as_json)
            return
        click.echo(f"watching {request.corpus}: training on {annotator}'s articles after every {every} newly "
                   f"finished (Ctrl+C stops)", err=True)
        while not stop.is_set():
            with Corpus(request.corpus, readonly=True) as corpus:
                ready = due(corpus, annotator, every)
            if ready:
                _report(run_once(request, console, stop), console, as_json)
            stop.wait(interval)
    except JobCancelled:
        raise click.ClickException("training cancelled: nothing was registered") from None
    except KNOWN as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        signal.signal(signal.SIGINT, previous)


def _report(outcome: TrainingOutcome, console: Console, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(outcome.to_dict(), ensure_ascii=False))
        return
    console.print(outcome_table(outcome))
    click.echo(outcome.message)
    if outcome.registered:
        click.echo(f"registered as suggester 'model:{outcome.name}' ({outcome.model_path}); "
                   f"{outcome.resuggested} unfinished article(s) suggested again"
                   + (" (stopped early)" if outcome.stopped_suggesting else ""))
    click.echo(f"trained {outcome.steps} steps in {outcome.train_seconds:.0f} s "
               f"({time.strftime('%H:%M:%S')}, job {outcome.seconds:.0f} s)")
