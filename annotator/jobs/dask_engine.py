"""``--engine dask``: the same per-document work on a Dask cluster (optional extra ``annotator[dask]``).

Dask is imported here only, and only when asked for. Two ways the work goes out:

- :meth:`DaskEngine.map_chunks` — the contract of :func:`annotator.jobs.pool.map_chunks` on Dask
  workers: the job is scattered to every worker once (each starts it once: its own read-only
  connection and pipeline), chunks are submitted with at most ``2 × workers`` in flight, and the
  results come back in the order of the chunks to the ONE writer here. The exports use it, so a
  Dask export is the same bytes as ``--jobs 1``.
- :func:`suggest_on_dask` — ``annotator suggest --engine dask``: shard ``K/N`` of the documents
  (:mod:`annotator.jobs.shards`) is one Dask task that writes its documents and suggestions into a
  corpus file of its own (``annotator suggest --shard K/N --into FILE``); the file comes back as
  bytes and is merged here through ``import --from-db`` (:func:`annotator.store.merge.merge_corpus`),
  shard after shard. No shared writable disk is needed: workers only read the corpus.

Workers must be able to open the corpus at the same path (a shared or copied read-only file).
Without ``scheduler`` a :class:`~dask.distributed.LocalCluster` of ``workers`` processes (one
thread each) runs on this machine.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annotator.jobs.pool import Job, JobError
from annotator.jobs.shards import Shard

INSTALL_HINT = "--engine dask needs Dask: pip install 'annotator[dask]'"

_started: dict[str, Any] = {}  # on a worker: the jobs it started, by run


def _run_chunk(key: str, job: Job, chunk: Any) -> Any:
    started = _started.get(key)
    if started is None:
        _started.clear()  # a new run: forget the previous one's connection and pipelines
        job.start()
        started = _started[key] = job
    return started.run(chunk)


class DaskEngine:
    """Run jobs' chunks on the cluster of ``client``."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def map_chunks(self, job: Job, chunks: Iterable[Any]) -> Iterator[Any]:
        key = uuid.uuid4().hex
        [shared] = self.client.scatter([job], broadcast=True)
        window = 2 * self.workers
        pending: deque = deque()
        source = iter(chunks)
        try:
            exhausted = False
            while True:
                while not exhausted and len(pending) < window:
                    try:
                        chunk = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    pending.append(self.client.submit(_run_chunk, key, shared, chunk, pure=False))
                if not pending:
                    break
                yield _result(pending.popleft())
        finally:
            for future in pending:
                future.cancel()


def _result(future: Any) -> Any:
    try:
        return future.result()
    except (OSError, TimeoutError) as exc:
        raise JobError(f"the Dask cluster did not return a result ({exc})") from None
    except Exception as exc:
        if type(exc).__name__ in ("KilledWorker", "CommClosedError", "CancelledError", "FutureCancelledError"):
            raise JobError(f"a Dask worker stopped before returning its result ({type(exc).__name__})") from None
        raise


@contextmanager
def dask_engine(scheduler: str | None, workers: int) -> Iterator[DaskEngine]:
    """A :class:`DaskEngine` on ``scheduler`` (``tcp://host:8786``), or on a local cluster of ``workers``."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise JobError(INSTALL_HINT) from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=30)
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=40)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise JobError(f"cannot reach the Dask scheduler {scheduler} ({exc})") from None
    try:
        yield DaskEngine(client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def suggest_shard(db_path: str, suggesters: Sequence[str] | None, shard: Shard, force: bool,
                  learned: dict | None = None) -> tuple[bytes, dict]:
    """One Dask task: shard ``shard`` of the corpus's suggestions, as a corpus file's bytes and the run's summary.

    ``learned``: the learned names prepared by the client (which writes the corpus); a worker only
    reads the corpus and never prepares them itself."""
    from annotator.store import Corpus
    from annotator.suggest.runner import run_suggesters

    with tempfile.TemporaryDirectory(prefix="annotator-shard-") as folder:
        path = Path(folder) / f"shard-{shard.index}-of-{shard.count}.db"
        with Corpus(db_path, readonly=True) as source, Corpus(path) as into:
            summary = run_suggesters(source, suggesters, force=force, shard=shard, into=into, learned=learned)
            into.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return path.read_bytes(), summary.as_dict()


def suggest_on_dask(
    engine: DaskEngine,
    corpus: Any,
    suggesters: Sequence[str] | None,
    *,
    shards: int,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Run the suggesters as ``shards`` Dask tasks and merge each shard's corpus file into ``corpus``.

    Returns each shard's run summary. Shards are merged in order as they finish; a failed shard
    raises :class:`JobError` and the shards merged before it stay merged (each one whole).
    """
    from annotator.store.merge import merge_corpus
    from annotator.suggest.learned_state import prepare_learned
    from annotator.suggest.runner import available_suggesters

    client = engine.client
    db_path = str(Path(corpus.path).resolve())
    names = list(suggesters) if suggesters else available_suggesters(corpus)
    languages = dict.fromkeys(key.language for key in corpus.document_keys())
    learned = {lang: prepare_learned(corpus, lang) for lang in languages} if "learned" in names else None
    [shared] = client.scatter([learned], broadcast=True)
    futures = [client.submit(suggest_shard, db_path, list(suggesters) if suggesters else None,
                             Shard(k, shards), force, shared, pure=False) for k in range(1, shards + 1)]
    summaries = []
    if progress:
        progress(0, shards)
    try:
        for done, future in enumerate(futures, start=1):
            data, summary = _result(future)
            fd, name = tempfile.mkstemp(prefix=".shard-", suffix=".db", dir=Path(corpus.path).parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                merge_corpus(corpus, name)
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(name + suffix).unlink(missing_ok=True)
            summaries.append(summary)
            if progress:
                progress(done, shards)
    finally:
        for future in futures:
            future.cancel()
    return summaries
