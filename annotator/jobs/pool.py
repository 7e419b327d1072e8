"""Run a job's chunks of documents on every core, results back in the order of the chunks.

A *job* is a small picklable object with two methods:

- ``start()``: runs once in each worker process (and once in this process with ``jobs=1``):
  opens the worker's own read-only connection to the corpus, builds its pipeline, ...
- ``run(chunk)``: a pure function of one chunk of documents (ids, or ids with what to do
  with them) returning a picklable result. It never writes to the corpus.

:func:`map_chunks` yields ``run(chunk)`` for every chunk in the order the chunks were given,
whatever the number of workers, so the one writer that consumes them (the caller) produces
the same bytes with ``jobs=1`` and ``jobs=8``. At most ``2 × jobs`` chunks are in flight, so
memory stays bounded however many documents there are.

On Linux the workers are forked from this process when the pool starts: whatever the job
prepared before (e.g. :class:`~annotator.suggest.runner.SuggestJob`'s pipelines, whose gazetteers
and learned names take seconds to build) is theirs at once, without pickling and without
building it again in every worker. Elsewhere they are spawned and the job is pickled (it drops
what it prepared and builds it lazily). A worker that dies (killed, out of memory) ends the map
with :class:`WorkerDied`; an exception raised inside ``run`` is raised here unchanged (it was
pickled back).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import Any, Protocol, TypeVar

C = TypeVar("C")
R = TypeVar("R")

class Job(Protocol[C, R]):
    def start(self) -> None: ...  # in each worker (and here with jobs=1): connection, pipeline, ...

    def run(self, chunk: C) -> R: ...


class Engine(Protocol):
    """Somewhere else to run a job's chunks (e.g. :class:`annotator.jobs.dask_engine.DaskEngine`):
    same contract as :func:`map_chunks`, results in the order of the chunks."""

    def map_chunks(self, job: Job, chunks: Iterable[Any]) -> Iterator[Any]: ...


class JobError(RuntimeError):
    """The parallel run could not complete (a user-facing message)."""


class WorkerDied(JobError):
    """A worker process ended without returning its result (killed, out of memory, crashed)."""


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int | None) -> int:
    """``None`` or 0 -> every core; otherwise ``jobs`` (at least 1)."""
    if not jobs:
        return default_jobs()
    if jobs < 0:
        raise JobError(f"--jobs must be 1 or more, not {jobs}")
    return jobs


_worker_job: Any = None


def _start_worker(job: Job) -> None:
    global _worker_job
    # A Ctrl+C in the terminal reaches the whole process group: let the parent decide, the
    # workers just stop with it when the pool shuts down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    job.start()
    _worker_job = job


def _run_in_worker(chunk: Any) -> Any:
    return _worker_job.run(chunk)


def _context() -> multiprocessing.context.BaseContext:
    # ProcessPoolExecutor starts every worker at once, before its own threads, when it forks.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def map_chunks(
    job: Job[C, R],
    chunks: Iterable[C],
    jobs: int = 1,
    *,
    should_stop: Callable[[], bool] | None = None,
) -> Iterator[R]:
    """``job.run(chunk)`` for each chunk, in order, on ``jobs`` worker processes.

    ``jobs=1``, or a single chunk, runs everything in this process (no pool, no pickling). The
    workers are forked: call it while no other thread of this process runs (a progress bar without
    its refresh thread), as a fork copies locks other threads may hold. ``should_stop()``
    returning True stops handing out chunks; the results of chunks already running are
    still yielded.
    """
    source = iter(chunks)
    first = list(islice(source, 2))
    source = chain(first, source)
    if jobs <= 1 or len(first) < 2:  # one chunk: a pool would only add its start-up time
        job.start()
        for chunk in source:
            if should_stop and should_stop():
                return
            yield job.run(chunk)
        return
    pending: deque[Future] = deque()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_start_worker, initargs=(job,))
    finished = False
    workers: list = []  # the worker processes, kept to tell how one of them ended
    try:
        exhausted = False
        while True:
            try:
                while not exhausted and len(pending) < 2 * jobs:
                    if should_stop and should_stop():
                        exhausted = True
                        break
                    try:
                        chunk = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    pending.append(pool.submit(_run_in_worker, chunk))
                    workers = workers or list(getattr(pool, "_processes", {}).values())
                if not pending:
                    break
                result = pending.popleft().result()
            except BrokenProcessPool:
                raise WorkerDied(_died_message(workers)) from None
            yield result
        finished = True
    finally:
        for future in pending:
            future.cancel()
        if finished:
            pool.shutdown(wait=True)
        else:
            _stop_workers(pool)


def _died_message(workers: list) -> str:
    codes = []
    for process in workers:
        process.join(timeout=1)
        code = process.exitcode
        if code is not None and code != 0:
            codes.append(code)
    # The pool stops the other workers with SIGTERM once one is gone: that is not news.
    causes = [code for code in codes if code != -signal.SIGTERM] or codes
    shown = sorted({f"killed by signal {-code}" if code < 0 else f"exit code {code}" for code in causes})
    how = f" ({', '.join(shown)})" if shown else ""
    return f"a worker process stopped unexpectedly{how}"


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop at once: an error, a dead worker or Ctrl+C must not wait for the chunks still running."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
