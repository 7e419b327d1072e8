"""Options shared by the commands that run per-document work at scale: ``--jobs``, ``--shard``,
``--engine``, ``--scheduler`` (see :mod:`annotator.jobs`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import click

from annotator.jobs.pool import Engine, JobError, resolve_jobs
from annotator.jobs.shards import Shard, ShardError

ENGINES = ("local", "dask")


def _parse_shard(ctx: click.Context, param: click.Parameter, value: str | None) -> Shard | None:
    if value is None:
        return None
    try:
        return Shard.parse(value)
    except ShardError as exc:
        raise click.BadParameter(str(exc)) from None


def job_options(func: Callable) -> Callable:
    """``--jobs N`` (default: every core), ``--shard K/N``, ``--engine local|dask``, ``--scheduler ADDRESS``."""
    options = [
        click.option("--jobs", "-j", "jobs", type=click.IntRange(min=0), default=0, show_default="every core",
                     help="Worker processes (1: this process only; with --engine dask, local cluster workers)."),
        click.option("--shard", "shard", metavar="K/N", callback=_parse_shard,
                     help="Only shard K of N: a stable 1/N of the documents, by content hash."),
        click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                     help="local: a process pool on this machine; dask: a Dask cluster (pip install 'annotator[dask]')."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler address (tcp://host:8786); default: a local cluster (--engine dask)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@dataclass
class Runner:
    jobs: int
    engine: Engine | None = None  # None: the local process pool with ``jobs`` workers


@contextmanager
def run_engine(engine: str, scheduler: str | None, jobs: int) -> Iterator[Runner]:
    """The engine the options ask for, open for the duration of the command."""
    try:
        workers = resolve_jobs(jobs)
    except JobError as exc:
        raise click.UsageError(str(exc)) from None
    if engine != "dask":
        if scheduler:
            raise click.UsageError("--scheduler goes with --engine dask")
        yield Runner(workers)
        return
    from annotator.jobs.dask_engine import dask_engine

    with ExitStack() as stack:
        try:
            dask = stack.enter_context(dask_engine(scheduler, workers))
        except JobError as exc:
            raise click.ClickException(str(exc)) from None
        yield Runner(workers, dask)
