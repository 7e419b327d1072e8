"""``--shard K/N``: a stable 1/N of the documents, chosen by content hash, and chunks of work.

Shard ``K`` of ``N`` holds the documents whose content hash (SHA-256 of the text), read as a
number, is ``K - 1`` modulo ``N``. The choice depends only on the text: the same article is
in the same shard in every copy of the corpus, whatever its id, and documents imported later
never move the others. So any scheduler (a shell loop, SLURM, a Dask cluster) can run the N
shards independently and their results merge back (``annotator import --from-db``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class ShardError(ValueError):
    """A ``--shard`` value that is not ``K/N`` with 1 <= K <= N."""


@dataclass(frozen=True)
class Shard:
    index: int  # K, from 1
    count: int  # N

    @classmethod
    def parse(cls, text: str) -> Shard:
        found = _SHARD.match(text or "")
        if not found:
            raise ShardError(f"--shard must look like K/N (e.g. 2/8), not {text!r}")
        index, count = int(found.group(1)), int(found.group(2))
        if count < 1 or not 1 <= index <= count:
            raise ShardError(f"--shard {text}: K must be between 1 and N (N at least 1)")
        return cls(index, count)

    def holds(self, content_hash: str) -> bool:
        return shard_of(content_hash, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_of(content_hash: str, count: int) -> int:
    """The shard (1..count) of a document with this content hash."""
    return int(content_hash[:16], 16) % count + 1


def chunked(items: Sequence[T] | Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last one shorter)."""
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
