"""Per-document work at scale: every core, a stable shard of the corpus, or a Dask cluster.

- :mod:`~annotator.jobs.pool` — :func:`map_chunks`: a job's chunks of documents on a process
  pool (``--jobs N``), results back in document order for ONE writer.
- :mod:`~annotator.jobs.shards` — ``--shard K/N``: a stable 1/N of the documents by content hash.
- :mod:`~annotator.jobs.dask_engine` — ``--engine dask``: the shards on a Dask cluster, merged back
  (optional extra ``annotator[dask]``; Dask is imported only there).

- :mod:`~annotator.jobs.documents` — :func:`map_documents`: one per-document function on the pool
  (the agreement's tokens; any metric code can use it).

The jobs themselves live with the work they do (:class:`annotator.suggest.runner.SuggestJob`,
:class:`annotator.formats.spacy_writer.SpacyShardJob`, :class:`annotator.formats.text_export.TextChunkJob`);
this package knows nothing about them.
"""

from annotator.jobs.pool import JobError, WorkerDied, default_jobs, map_chunks, resolve_jobs
from annotator.jobs.shards import Shard, ShardError, chunked, shard_of

__all__ = [
    "JobError",
    "Shard",
    "ShardError",
    "WorkerDied",
    "chunked",
    "default_jobs",
    "map_chunks",
    "resolve_jobs",
    "shard_of",
]
